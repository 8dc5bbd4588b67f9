import HTTPTypes
import HeedServer
import HeedTestSupport
import NIOCore
import NIOPosix
import Testing

/// Runs a ``HeedServer`` on 127.0.0.1 with a free port for the duration of `body`, then stops it.
func withTestServer<Result: Sendable>(
    _ configuration: HeedServerConfiguration = .init(),
    accessLog: (@Sendable (ServerAccessRecord) -> Void)? = nil,
    responder: @escaping HeadResponder,
    _ body: @escaping @Sendable (Int) async throws -> Result
) async throws -> Result {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let server = HeedServer(configuration: configuration, accessLog: accessLog, responder: responder)
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    return try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask {
            try await server.run { address in
                portSink.yield(address.port ?? 0)
                portSink.finish()
            }
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            group.cancelAll()
            throw ServerTestFailure.serverDidNotStart
        }
        do {
            let result = try await body(port)
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

enum ServerTestFailure: Error {
    case serverDidNotStart
}

/// A responder that rejects every request with 401 and an error body of `size` bytes.
func rejectingResponder(errorBodySize size: Int) -> HeadResponder {
    let body = ByteBuffer(repeating: UInt8(ascii: "e"), count: size)
    return { _ in
        .respond(ServerResponse(head: HTTPResponse(status: .unauthorized), body: body))
    }
}

/// The head of an upload of `length` bytes.
func uploadHead(length: Int, expectContinue: Bool) -> String {
    var head = "PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\n"
    if expectContinue {
        head += "Expect: 100-continue\r\n"
    }
    return head + "\r\n"
}
