import ArgumentParser
import Foundation
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
}
