import HTTPTypes
import HeedClient
import HeedTestSupport
import NIOCore
import Testing

@Suite struct StreamingResponseTests {
    /// A 64 MiB response streams to the consumer piece by piece, and every byte arrives.
    @Test func largeBodyStreams() async throws {
        let size = 64 * 1024 * 1024
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n")
            let chunk = [UInt8](repeating: 7, count: 1024 * 1024)
            for _ in 0..<64 { guard socket.write(chunk) else { break } }
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let (total, pieces) = try await HTTPClient.withClient { client in
            try await client.execute(Loopback.request(peer, method: .get, path: "/big")) { response in
                var total = 0
                var pieces = 0
                for try await part in response.body {
                    total += part.readableBytes
                    pieces += 1
                }
                return (total, pieces)
            }
        }
        #expect(total == size)
        #expect(pieces > 1)
    }

    /// A consumer that stops early closes the connection; the client keeps working.
    @Test func abandonedBodyClosesTheConnection() async throws {
        let peer = try ScriptedPeer(connections: 2) { socket, index in
            _ = socket.readHead()
            if index == 0 {
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n")
                socket.write([UInt8](repeating: 1, count: 100_000))
                socket.drainToEOF()
            } else {
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                socket.drainToEOF()
            }
            socket.close()
        }
        defer { peer.finish() }
        let second = try await HTTPClient.withClient { client in
            let first = try await client.execute(Loopback.request(peer, method: .get)) { response in
                var iterator = response.body.makeAsyncIterator()
                return try await iterator.next()?.readableBytes ?? 0
            }
            #expect(first > 0)
            return try await client.execute(Loopback.request(peer, method: .get))
        }
        #expect(second.status.code == 200)
        #expect(String(buffer: second.body) == "ok")
    }

    /// Two requests on a keep-alive connection use one TCP connection.
    @Test func keepAliveReusesTheConnection() async throws {
        let peer = try ScriptedPeer(connections: 1) { socket, _ in
            for _ in 0..<2 {
                guard socket.readHead() != nil else { break }
                socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            }
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        let statuses = try await HTTPClient.withClient { client in
            var statuses: [Int] = []
            for _ in 0..<2 {
                statuses.append(try await client.execute(Loopback.request(peer, method: .get)).status.code)
            }
            return statuses
        }
        #expect(statuses == [200, 200])
    }

    /// A collected body larger than the limit is an error naming the limit.
    @Test func collectedBodyHasALimit() async throws {
        let peer = try ScriptedPeer { socket, _ in
            _ = socket.readHead()
            socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
            socket.write([UInt8](repeating: 1, count: 5000))
            socket.drainToEOF()
            socket.close()
        }
        defer { peer.finish() }
        var configuration = HTTPClient.Configuration()
        configuration.maxResponseBodySize = 1000
        await #expect {
            try await HTTPClient.withClient(configuration: configuration) { client in
                try await client.execute(Loopback.request(peer, method: .get))
            }
        } throws: { error in
            "\(error)".contains("larger than the limit")
        }
    }
}
