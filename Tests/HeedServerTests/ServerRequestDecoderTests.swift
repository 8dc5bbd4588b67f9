import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeedServer

/// ``ServerRequestDecoder`` tells a request target over the limit (414) from other heads over it (431), however
/// the bytes are split into reads; ``RequestTargetScanner`` finds the request line.
@Suite struct ServerRequestDecoderTests {
    private static let limit = 1024

    private static func makeChannel() throws -> EmbeddedChannel {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = Self.limit
        limits.maxHeaderFieldSize = Self.limit
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(ServerRequestDecoder(maxHeaderSize: Self.limit, limits: limits))
        )
        return channel
    }

    /// Feeds `reads` one after the other and returns the error the decoder raised, if any.
    private static func error(feeding reads: [String]) throws -> (any Error)? {
        let channel = try Self.makeChannel()
        defer { _ = try? channel.finish() }
        for read in reads {
            do {
                try channel.writeInbound(ByteBuffer(string: read))
            } catch {
                return error
            }
        }
        return nil
    }

    private static let target = "/" + String(repeating: "t", count: 2000)
    private static let previous = "GET /\(String(repeating: "p", count: 100)) HTTP/1.1\r\nHost: a\r\n\r\n"

    /// A target over the limit is a `RequestTargetTooLongError`, in one read or split anywhere, first on the
    /// connection or after a request of more than the bytes the decoder keeps of what it released.
    @Test(arguments: [
        ["GET \(Self.target) HTTP/1.1\r\n"],
        ["GET ", Self.target],
        ["GE", "T /tt", String(Self.target.dropFirst(3))],
        [Self.previous + "GET ", Self.target],
        [Self.previous, "GET " + Self.target],
        [Self.previous, "GET ", Self.target],
        [Self.previous + "GET /tt", String(Self.target.dropFirst(3)), " HTTP/1.1\r\n"],
    ])
    func longTargetIsTooLong(reads: [String]) throws {
        let error = try Self.error(feeding: reads)
        #expect(error is RequestTargetTooLongError, "\(String(describing: error))")
    }

    /// A field over the limit stays `headerOverflow`, also when its value arrives in a read of its own.
    @Test(arguments: [
        ["GET / HTTP/1.1\r\nX-Big: \(String(repeating: "b", count: 2000))\r\n\r\n"],
        ["GET / HTTP/1.1\r\nX-Big: ", String(repeating: "b", count: 2000)],
        [Self.previous + "GET / HTTP/1.1\r\nX-Big: b", String(repeating: "b", count: 2000)],
        ["GET /\(String(repeating: "a", count: 900)) HTTP/1.1\r\nX-B: \(String(repeating: "b", count: 200))\r\n"],
    ])
    func largeFieldsOverflow(reads: [String]) throws {
        let error = try Self.error(feeding: reads)
        #expect((error as? HTTPParserError) == .headerOverflow, "\(String(describing: error))")
    }

    /// The scanner finds a request line by its first token ending in a space, and measures the target to the
    /// next space or line end (or the end of the bytes).
    @Test func scannerFindsRequestLines() {
        func scan(_ text: String, atLineStart: Bool = true) -> Bool {
            RequestTargetScanner.containsTarget(longerThan: 10, in: Array(text.utf8), startsAtLineStart: atLineStart)
        }
        #expect(scan("GET /0123456789a HTTP/1.1\r\n"))
        #expect(!scan("GET /012345678 HTTP/1.1\r\n"))
        #expect(scan("GET /0123456789a"))
        #expect(!scan("X-Big: 0123456789abcdef\r\n"))
        #expect(!scan("X-Big 0123456789abcdef", atLineStart: false))
        #expect(scan("junk\r\nGET /0123456789a", atLineStart: false))
        #expect(scan("GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST /0123456789a"))
        #expect(!scan(""))
    }
}
