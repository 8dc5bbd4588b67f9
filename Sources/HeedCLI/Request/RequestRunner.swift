import Foundation
import HTTPTypes
import HeedClient
import HeedCore
import NIOCore

/// Runs one `heed request` and returns what it prints and its exit code.
enum RequestRunner {
    struct Result: Sendable {
        var stdout: [UInt8] = []
        var stderr = ""
        var exitCode: Int32 = 0
    }

    /// Runs the call: every URL in order over one client, so the pool reuses the connection between them.
    /// - Parameters:
    ///   - options: the parsed options.
    ///   - output: where response bodies stream; by default they are collected into ``Result/stdout``.
    ///   - meter: the progress bar; by default one that never draws.
    ///   - readStdin: how `@-` reads standard input.
    static func run(
        _ options: RequestOptions,
        output: RequestOutput? = nil,
        meter: ProgressMeter = ProgressMeter(isEnabled: false, draw: { _ in }),
        readStdin: () throws -> [UInt8] = { try StandardStreams.readInput() }
    ) async -> Result {
        var result = Result()
        let upload: UploadSource?
        do {
            upload = try options.body.map { try UploadSource.prepare($0, readStdin: readStdin) }
        } catch {
            return Self.failure(options, message: "\(error)", exitCode: 26)
        }
        let collector = RequestOutput.Collector()
        var configuration = HTTPClient.Configuration()
        options.apply(to: &configuration)
        do {
            try options.transport.apply(to: &configuration)
        } catch {
            return Self.failure(options, message: "\(error)", exitCode: 5)
        }
        if options.transport.insecure, !options.silent {
            result.stderr +=
                "heed: warning: --insecure: the server's certificate is not checked; anyone on the network path can read and change this exchange.\n"
        }
        if options.verbose, options.removedHeaders.contains("host"), !options.silent {
            result.stderr +=
                "heed: note: -H 'Host:' sends the request without a Host field, which HTTP/1.1 requires (RFC 9112 §3.2); a server should answer 400 Bad Request.\n"
        }

        var report = RequestReport()
        do {
            try await HTTPClient.withClient(configuration: configuration) { client in
                let exchange = RequestExchange(
                    options: options,
                    client: client,
                    upload: upload,
                    meter: meter,
                    output: output ?? collector.output
                )
                for url in options.urls {
                    let outcome = await exchange.run(url: url)
                    result.stderr += outcome.stderr
                    if result.exitCode == 0 { result.exitCode = outcome.exitCode }
                    report.exchanges.append(outcome.entry)
                }
            }
        } catch {
            result.stderr += "heed: \(error)\n"
            if result.exitCode == 0 { result.exitCode = 1 }
        }
        result.stdout = collector.collected
        if let path = options.reportJSON {
            do {
                try report.write(to: path)
            } catch {
                result.stderr += "heed: Could not write the report '\(path)': \(error.localizedDescription)\n"
                if result.exitCode == 0 { result.exitCode = 23 }
            }
        }
        return result
    }

    // MARK: - Helpers

    private static func failure(_ options: RequestOptions, message: String, exitCode: Int32) -> Result {
        var result = Result()
        result.exitCode = exitCode
        if !options.silent || options.showError { result.stderr = "heed: \(message)\n" }
        return result
    }

    /// curl's exit codes, so scripts written for curl read Heed's the same way.
    static func exitCode(for error: HTTPClientError) -> Int32 {
        if error.isTimeout { return 28 }
        switch error.shortDescription {
        case "invalid-url": return 3
        case "name-resolution-failed": return 6
        case "connect-failed": return 7
        case "closed-without-response": return 52
        case "write-failed-without-response": return 55
        case "reset-without-response", "response-truncated": return 56
        case "request-body-source-failed", "invalid-request": return 26
        case let label where label.hasPrefix("tls-certificate-"): return 60
        case "tls-handshake-failed": return 35
        case "tls-configuration-invalid": return 77
        case "too-many-redirects", "redirect-loop": return 47
        case "invalid-redirect": return 3
        case "decompression-limit": return 63
        case "decompression-failed": return 61
        case "proxy-refused", "proxy-failed": return 56
        default: return 1
        }
    }

    static func headText(_ head: HTTPResponse) -> String {
        var text = "HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n"
        for field in head.headerFields { text += "\(field.name.rawName): \(field.value)\r\n" }
        return text + "\r\n"
    }
}

struct RequestInputError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
