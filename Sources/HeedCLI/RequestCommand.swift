import ArgumentParser
import Foundation
import HTTPTypes
import HeedClient
import HeedCore
import NIOCore

/// `heed request URL`: curl's options, Heed's client.
///
/// Options that curl also has keep curl's names and meanings, so scripts can swap one for the
/// other. As with curl, any HTTP response (a 413 included) exits 0; failing to get one exits
/// non-zero with the reason on stderr, and the exit codes are curl's.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send an HTTP request that never loses an early response.",
        discussion: """
            Exit codes follow curl: 0 any response; 3 malformed URL; 6 host not resolved; 7 connect failed; \
            26 body file unreadable; 28 timeout; 52 closed without a response; 55 send failed; 56 receive \
            failed; 2 bad usage.
            """
    )

    @Argument(help: "The http:// URL.")
    var url: String

    @Option(name: [.customShort("X"), .customLong("request")], help: "The request method.")
    var method: String?

    @Option(name: [.customShort("H"), .customLong("header")], help: "A header field, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Option(name: [.customShort("d"), .customLong("data")], help: "Body text, or @file (newlines removed, as curl).")
    var data: String?

    @Option(name: .customLong("data-binary"), help: "Body bytes exactly, or @file (streamed from disk).")
    var dataBinary: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: "Write the body to this file instead of stdout.")
    var output: String?

    @Flag(name: [.customShort("s"), .customLong("silent")], help: "Print no error messages.")
    var silent = false

    @Flag(name: [.customShort("S"), .customLong("show-error")], help: "With -s, still print errors.")
    var showError = false

    @Flag(name: [.customShort("i"), .customLong("include")], help: "Print the response head before the body.")
    var include = false

    @Option(
        name: [.customShort("w"), .customLong("write-out")],
        help: "Print this after the transfer (%{http_code} ...)."
    )
    var writeOut: String?

    @Option(name: .customLong("max-time"), help: "Seconds the whole request may take.")
    var maxTime: Double?

    @Option(name: .customLong("connect-timeout"), help: "Seconds connecting may take.")
    var connectTimeout: Double?

    @Option(name: .customLong("expect"), help: "Expect: 100-continue: auto (bodies over 1 MiB), always or never.")
    var expect: ExpectMode = .auto

    enum ExpectMode: String, ExpressibleByArgument, CaseIterable {
        case auto
        case always
        case never
    }

    func validate() throws {
        if self.data != nil && self.dataBinary != nil {
            throw ValidationError("Give the body once: -d/--data or --data-binary, not both.")
        }
        if let maxTime = self.maxTime, !(maxTime > 0 && maxTime <= 86_400) {
            throw ValidationError("--max-time takes seconds from 0 to 86400.")
        }
        if let connectTimeout = self.connectTimeout, !(connectTimeout > 0 && connectTimeout <= 86_400) {
            throw ValidationError("--connect-timeout takes seconds from 0 to 86400.")
        }
        for header in self.headers where RequestOptions.parseHeader(header) == nil {
            throw ValidationError("'\(header)' is not a header field; write 'Name: value'.")
        }
    }

    func run() async throws {
        let options = RequestOptions(command: self)
        let result = await RequestRunner.run(options)
        if !result.stdout.isEmpty { FileHandle.standardOutput.write(Data(result.stdout)) }
        if !result.stderr.isEmpty { FileHandle.standardError.write(Data(result.stderr.utf8)) }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
