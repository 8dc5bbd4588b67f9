import HTTPTypes
import HeedCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeedServer

@Suite struct ServerConnectionHandlerTests {
    private let limits = ServerLimits(
        maxHeaderSize: 4096,
        maxBodySize: 10_000,
        headerReadTimeout: .seconds(10),
        idleTimeout: .seconds(60),
        keepAliveDrainLimit: 1000
    )

    /// Rejects PUT with 401, answers anything else with 200 "ok".
    private static let responder: HeadResponder = { request in
        if request.method == .put {
            return .respond(ServerResponse(status: .unauthorized, text: "no\n"))
        }
        return .respond(ServerResponse(status: .ok, text: "ok\n"))
    }

    private func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderListSize = self.limits.maxHeaderSize
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(
                HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: decoderLimits)
            )
        )
        let handler = ServerConnectionHandler(
            limits: self.limits,
            responder: Self.responder,
            accessLog: nil,
            launchJob: { _ in
                Issue.record("no request should be accepted")
                return false
            }
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func readResponse(_ channel: EmbeddedChannel) throws -> String? {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += String(buffer: buffer)
        }
        return text.isEmpty ? nil : text
    }

    /// A GET is answered with exact bytes and the connection stays open.
    @Test func answersGetAndKeepsConnection() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        let expected =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\ncontent-length: 3\r\n\r\nok\n"
        #expect(try self.readResponse(channel) == expected)
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    /// A short body after an early 401 is drained, and a pipelined GET that follows is answered on the same connection.
    @Test func drainsShortBodyThenServesNextRequest() throws {
        let channel = try self.makeChannel()
        let put = "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789"
        try channel.writeInbound(ByteBuffer(string: put + "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        let response = try self.readResponse(channel) ?? ""
        #expect(response.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(response.contains("HTTP/1.1 200 OK\r\n"))
        #expect(!response.contains("connection: close"))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    /// While the channel is not writable (the client does not read its responses), pipelined requests wait
    /// unanswered; once it is writable again they are answered, in order. The server used to answer them at once.
    @Test func requestsWaitWhileOutputIsBlocked() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(try self.readResponse(channel)?.hasPrefix("HTTP/1.1 200 OK\r\n") == true)
        channel.isWritable = false
        let two = "GET /2 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /3 HTTP/1.1\r\nHost: a\r\n\r\n"
        try channel.writeInbound(ByteBuffer(string: two))
        #expect(try self.readResponse(channel) == nil)
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        let response = try self.readResponse(channel) ?? ""
        #expect(response.ranges(of: "HTTP/1.1 200 OK\r\n").count == 2)
        #expect(response.hasSuffix("content-length: 3\r\n\r\n"), "the HEAD response comes last")
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    /// A long body after an early 401 gets `Connection: close` and the connection closes without reading it.
    @Test func longBodyAfterEarlyResponseCloses() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\nabc"))
        let response = try self.readResponse(channel) ?? ""
        #expect(response.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(response.contains("connection: close\r\n"))
        #expect(!channel.isActive)
    }

    /// HEAD gets the head with the body's length and no body.
    @Test func headRequestGetsNoBody() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"))
        let response = try self.readResponse(channel) ?? ""
        #expect(response.hasSuffix("content-length: 3\r\n\r\n"))
        _ = try channel.finish()
    }

    /// An HTTP/1.0 client that asks for keep-alive gets `Connection: keep-alive`; one that does not gets `close`.
    @Test func http10KeepAlive() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
        #expect(try self.readResponse(channel)?.contains("connection: keep-alive\r\n") == true)
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.0\r\n\r\n"))
        #expect(try self.readResponse(channel)?.contains("connection: close\r\n") == true)
        #expect(!channel.isActive)
    }

    /// An incomplete head is cut off at the header-read timeout.
    @Test func headerReadTimeoutClosesSlowHead() throws {
        let channel = try self.makeChannel()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a\r\n"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    /// A kept-alive connection is closed after the idle timeout, counted from the last response.
    @Test func idleTimeoutClosesKeptAliveConnection() throws {
        let channel = try self.makeChannel()
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        _ = try self.readResponse(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    /// A head over the size limit gets 431 and a close.
    @Test func oversizedHeadGets431() throws {
        let channel = try self.makeChannel()
        let bomb = "GET / HTTP/1.1\r\nX-Bomb: " + String(repeating: "b", count: 5000) + "\r\n\r\n"
        _ = try? channel.writeInbound(ByteBuffer(string: bomb))
        let response = try self.readResponse(channel) ?? ""
        #expect(response.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(response.contains("connection: close\r\n"))
        #expect(!channel.isActive)
    }

    /// Garbage gets 400 and a close.
    @Test func garbageGets400() throws {
        let channel = try self.makeChannel()
        _ = try? channel.writeInbound(ByteBuffer(string: "\u{1}\u{2}garbage\r\n\r\n"))
        #expect(try self.readResponse(channel)?.hasPrefix("HTTP/1.1 400 Bad Request\r\n") == true)
        #expect(!channel.isActive)
    }
}
