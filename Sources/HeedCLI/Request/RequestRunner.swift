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

    static func run(_ options: RequestOptions) async -> Result {
        var result = Result()
        let started = ContinuousClock.now
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: options.url)
        } catch {
            return Self.failure(options, message: error.description, exitCode: 3)
        }

        let body: HTTPClientRequestBody?
        do {
            body = try await Self.makeBody(options)
        } catch {
            return Self.failure(options, message: "\(error)", exitCode: 26)
        }
        let method = HTTPRequest.Method(options.method ?? (body == nil ? "GET" : "POST"))
        guard let method else {
            return Self.failure(options, message: "'\(options.method ?? "")' is not an HTTP method.", exitCode: 2)
        }
        var request = HTTPRequest(method: method, scheme: url.scheme, authority: url.authority, path: url.target)
        for header in options.headers {
            if let name = HTTPField.Name(header.name) {
                request.headerFields.append(HTTPField(name: name, value: header.value))
            }
        }
        if options.isFormData, request.headerFields[.contentType] == nil {
            request.headerFields[.contentType] = "application/x-www-form-urlencoded"
        }

        var configuration = HTTPClient.Configuration()
        configuration.expectContinue = options.expect
        if let seconds = options.connectTimeout { configuration.connectTimeout = .milliseconds(Int64(seconds * 1000)) }
        let timeout = options.maxTime.map { Duration.milliseconds(Int64($0 * 1000)) }
        do {
            try options.transport.apply(to: &configuration)
        } catch {
            return Self.failure(options, message: "\(error)", exitCode: 5)
        }
        if options.transport.insecure, !options.silent {
            result.stderr +=
                "heed: warning: --insecure: the server's certificate is not checked; anyone on the network path can read and change this exchange.\n"
        }

        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(request, body: body, timeout: timeout)
            }
        } catch let error as HTTPClientError {
            // The summary sentence is the first line; -v adds the whole report after it.
            let message = options.verbose ? error.report : error.description
            var failed = Self.failure(options, message: message, exitCode: Self.exitCode(for: error))
            failed.stderr = result.stderr + failed.stderr
            return failed
        } catch {
            return Self.failure(options, message: "\(error)", exitCode: 1)
        }

        if options.include { result.stdout += Array(Self.headText(response.head).utf8) }
        if let output = options.output {
            do {
                try Self.writeAtomically(response.body, to: output)
            } catch {
                return Self.failure(options, message: "Could not write '\(output)': \(error).", exitCode: 23)
            }
        } else {
            result.stdout += response.body.readableBytesView
        }
        if let format = options.writeOut {
            let elapsed = ContinuousClock.now - started
            result.stdout += Array(WriteOut.render(format, response: response, elapsed: elapsed).utf8)
        }
        if let summary = response.earlyResponseSummary, !options.silent {
            result.stderr += "heed: \(summary)\n"
        }
        if options.verbose {
            for note in response.notes { result.stderr += "heed: note: \(note)\n" }
        }
        return result
    }

    // MARK: - Helpers

    private static func makeBody(_ options: RequestOptions) async throws -> HTTPClientRequestBody? {
        switch options.body {
        case nil:
            return nil
        case .inline(let bytes):
            return .bytes(ByteBuffer(bytes: bytes))
        case .file(let path):
            return try await .file(path: path)
        case .textFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RequestInputError(message: "Could not read the body file '\(path)'.")
            }
            return .bytes(ByteBuffer(bytes: data.filter { $0 != 10 && $0 != 13 }))
        }
    }

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

    private static func headText(_ head: HTTPResponse) -> String {
        var text = "HTTP/1.1 \(head.status.code) \(head.status.reasonPhrase)\r\n"
        for field in head.headerFields { text += "\(field.name.rawName): \(field.value)\r\n" }
        return text + "\r\n"
    }

    /// Writes to a temporary file beside `path` and renames it, so a failure leaves no half file.
    private static func writeAtomically(_ body: ByteBuffer, to path: String) throws {
        let data = Data(body.readableBytesView)
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

struct RequestInputError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
