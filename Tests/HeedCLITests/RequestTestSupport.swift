import ArgumentParser
import Foundation
import HeedTestSupport
import Testing

@testable import HeedCLI

/// Helpers the `heed request` suites share.
enum RequestTestSupport {
    /// Parses a `heed request` command line into options, as `heed` does.
    static func options(_ arguments: [String]) throws -> RequestOptions {
        let command = try #require(try HeedCommand.parseAsRoot(["request"] + arguments) as? RequestCommand)
        return RequestOptions(command: command)
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The head lines an echo peer saw, up to the blank line.
    static func head(_ bytes: [UInt8]) -> String {
        let echoed = Self.text(bytes)
        return echoed.range(of: "\r\n\r\n").map { String(echoed[..<$0.lowerBound]) } ?? echoed
    }

    /// Sends `--data-binary @path` with `Expect: 100-continue` to a peer that, on the request head, runs
    /// `onHead` (to change the file before its body is opened), then answers 100 Continue and reads to the end.
    /// - Returns: the command's result, and what `onHead` returned.
    static func sendBodyFile(
        _ path: String,
        onHead: @escaping @Sendable () -> Bool
    ) async throws -> (result: RequestRunner.Result, onHead: Bool?) {
        let done = PeerReports<Bool>()
        let peer = try ScriptedPeer { socket, _ in
            guard socket.readHead() != nil else { return done.send(false) }
            done.send(onHead())
            socket.write("HTTP/1.1 100 Continue\r\n\r\n")
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let result = await RequestRunner.run(
            try Self.options(["--expect", "always", "-m", "10", "--data-binary", "@\(path)", peer.url()])
        )
        return (result, await done.next())
    }
}
