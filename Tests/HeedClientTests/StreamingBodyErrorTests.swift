import HTTPTypes
import HeedClient
import HeedTestSupport
import NIOCore
import Testing

/// What a streamed response body throws is an ``HTTPClientError``, the one the caller would see: a truncated
/// body, a cancelled read, a read after the consumer closure returned.
@Suite struct StreamingBodyErrorTests {
    /// A peer that announces `Content-Length: 100`, sends `sent` bytes of it and then waits for the client to close
    /// (bounded by the socket's timeouts), or closes at once if `closes`.
    static func shortBodyPeer(sent: Int, closes: Bool) throws -> ScriptedPeer {
        try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            if sent > 0 { socket.write([UInt8](repeating: UInt8(ascii: "b"), count: sent)) }
            if !closes { socket.drainToEOF() }
            socket.waitUntilSent()
            socket.close()
        }
    }

    /// The error `body` throws, which must be an ``HTTPClientError``.
    static func clientError(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async -> HTTPClientError? {
        do {
            try await body()
            Issue.record("expected an error", sourceLocation: sourceLocation)
        } catch let error as HTTPClientError {
            return error
        } catch {
            Issue.record(
                "expected an HTTPClientError, got \(type(of: error)): \(error)",
                sourceLocation: sourceLocation
            )
        }
        return nil
    }

    /// 40 of 100 bytes, then the peer closes: `collect(upTo:)` inside the closure throws "response-truncated",
    /// naming the request, and `execute` throws that same error.
    @Test func truncatedBodyThrowsTheClientError() async throws {
        let peer = try Self.shortBodyPeer(sent: 40, closes: true)
        defer { peer.finish() }
        let request = Loopback.request(peer, method: .get, path: "/short")
        let (inside, outside) = try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            var inside: HTTPClientError?
            let outside = await Self.clientError {
                _ = try await client.execute(request, timeout: .seconds(10)) { response in
                    do {
                        return try await response.body.collect(upTo: 1000)
                    } catch {
                        inside = error as? HTTPClientError
                        if inside == nil { Issue.record("the body threw \(type(of: error)): \(error)") }
                        throw error
                    }
                }
            }
            return (inside, outside)
        }
        let error = try #require(inside)
        #expect(error.shortDescription == "response-truncated")
        // The sentence the caller reads (the diagnosis's, from the timeline); the detail names the request.
        #expect(error.description.contains("40 B of the 100 B body"), "\(error.description)")
        #expect(error.detail.contains("GET \(peer.url("/short"))"), "\(error.detail)")
        #expect(error.timeline != nil)
        #expect(outside == error)
    }

    /// The body handed out of the closure and read afterwards: the error says it can only be read inside it.
    @Test func readingAfterTheClosureReturnedThrows() async throws {
        let peer = try Self.shortBodyPeer(sent: 0, closes: false)
        defer { peer.finish() }
        let request = Loopback.request(peer, method: .get, path: "/later")
        try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
            let body = try await client.execute(request, timeout: .seconds(10)) { $0.body }
            let error = await Self.clientError {
                for try await _ in body {}
            }
            #expect(error?.shortDescription == "response-body-unreadable")
            #expect(error?.description.contains("GET \(peer.url("/later"))") == true, "\(String(describing: error))")
            #expect(error?.description.contains("can only be read inside that closure") == true)
        }
    }

    /// The task is cancelled while its consumer waits in `next()` for a body that does not come: the consumer and
    /// the caller get the client's "cancelled" error, not a bare `CancellationError`.
    @Test func cancellationWhileWaitingForTheBodyThrowsTheClientError() async throws {
        let peer = try Self.shortBodyPeer(sent: 10, closes: false)
        defer { peer.finish() }
        let request = Loopback.request(peer, method: .get, path: "/slow")
        let (headArrived, headSignal) = AsyncStream<Void>.makeStream()
        let task = Task {
            try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
                try await client.execute(request, timeout: .seconds(10)) { response -> String in
                    var iterator = response.body.makeAsyncIterator()
                    _ = try await iterator.next()
                    headSignal.yield()
                    do {
                        _ = try await iterator.next()
                        return "no error"
                    } catch let error as HTTPClientError {
                        throw error
                    } catch {
                        return "the body threw \(type(of: error)): \(error)"
                    }
                }
            }
        }
        var signals = headArrived.makeAsyncIterator()
        #expect(await signals.next() != nil)
        task.cancel()
        let result = await task.result
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected the client's cancellation error, got \(result)")
            return
        }
        #expect(error.shortDescription == "cancelled")
        #expect(error.description.contains("GET \(peer.url("/slow"))"), "\(error.description)")
    }
}
