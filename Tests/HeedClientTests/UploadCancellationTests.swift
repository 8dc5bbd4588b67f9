import HTTPTypes
import HeedClient
import HeedTestSupport
import NIOCore
import Testing

/// Cancelling a request whose upload is stalled (the server stopped reading) ends it, the body's producer
/// included: it must not stay waiting for room in the window the connection will never drain.
@Suite struct UploadCancellationTests {
    @Test func cancellingAStalledUploadEndsIt() async throws {
        let clientDone = ConditionFlag()
        let peer = try ScriptedPeer { socket, _ in
            socket.setReceiveBuffer(16 * 1024)
            _ = socket.readHead()
            // Reads nothing more until the client has ended (bounded: 10 s, then a close it would see as a reset).
            clientDone.wait(seconds: 10)
            socket.close()
        }
        defer { peer.finish() }
        let (handedOver, handedOverSignal) = AsyncStream<Int64>.makeStream()
        let part = ByteBuffer(repeating: UInt8(ascii: "u"), count: 256 * 1024)
        let total: Int64 = 256 * 1024 * 1024
        let body = HTTPClientRequestBody(length: total) { writer in
            var sent: Int64 = 0
            while sent < total {
                guard try await writer.write(part) else { return }
                sent += Int64(part.readableBytes)
                if sent == 1024 * 1024 { handedOverSignal.yield(sent) }
            }
        }
        let task = Task {
            defer { clientDone.set() }
            return try await HTTPClient.withClient(configuration: Loopback.configuration()) { client in
                try await client.execute(Loopback.request(peer, method: .put), body: body)
            }
        }
        var iterator = handedOver.makeAsyncIterator()
        #expect(await iterator.next() == 1024 * 1024)
        task.cancel()
        let result = await task.result
        guard case .failure(let error as HTTPClientError) = result else {
            Issue.record("expected the cancellation to fail the request, got \(result)")
            return
        }
        #expect(error.shortDescription == "cancelled", "\(error)")
    }
}
