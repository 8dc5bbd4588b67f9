import NIOCore
import NIOHTTP1

/// NIO's request decoder, with one distinction NIO does not make: a head over the size limit because its
/// request target alone is longer than the limit fails with ``RequestTargetTooLongError`` (414 URI Too
/// Long, RFC 9110 §15.5.15) instead of `HTTPParserError.headerOverflow` (431).
///
/// NIO counts the target against the same limit as the field names and values and reports both as
/// `headerOverflow`. On that error this decoder looks for a request line with a target over the limit in
/// the bytes the parser still held (it keeps the token it is in, so the whole target so far), preceded by
/// the last bytes it had released, which hold the start of the line when the target spans reads.
struct ServerRequestDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPServerRequestPart

    /// How many released bytes are kept: enough for a method and the space after it.
    private static let tailCapacity = 64

    private let decoder: HTTPRequestDecoder
    private let maxHeaderSize: Int
    /// The last bytes the parser released (at most `tailCapacity`), since the last line end.
    private var releasedTail: [UInt8] = []
    /// Whether `releasedTail` starts a line: it starts at the connection's start or right after an LF.
    private var tailStartsALine = true

    /// Creates a decoder.
    /// - Parameters:
    ///   - maxHeaderSize: The limit of the request target and header fields together, in bytes.
    ///   - limits: NIO's decoder limits (`maxHeaderSize` among them).
    init(maxHeaderSize: Int, limits: NIOHTTPDecoderLimitConfiguration) {
        self.decoder = HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: limits)
        self.maxHeaderSize = maxHeaderSize
        self.releasedTail.reserveCapacity(Self.tailCapacity)
    }

    mutating func decoderAdded(context: ChannelHandlerContext) {
        self.decoder.decoderAdded(context: context)
    }

    mutating func decoderRemoved(context: ChannelHandlerContext) {
        self.decoder.decoderRemoved(context: context)
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let before = buffer
        do {
            let state = try self.decoder.decode(context: context, buffer: &buffer)
            self.recordReleased(from: before, upTo: buffer.readerIndex)
            return state
        } catch let error as HTTPParserError where error == .headerOverflow {
            throw self.classifyOverflow(held: buffer)
        }
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        do {
            return try self.decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
        } catch let error as HTTPParserError where error == .headerOverflow {
            throw self.classifyOverflow(held: buffer)
        }
    }

    // MARK: - Helpers

    /// Keeps the last released bytes, `before`'s readable bytes up to `readerIndex`. Released bytes that end a
    /// line (the usual case: a read ends with a whole head) are not copied.
    private mutating func recordReleased(from before: ByteBuffer, upTo readerIndex: Int) {
        let released = readerIndex - before.readerIndex
        guard released > 0 else { return }
        if before.getInteger(at: readerIndex - 1, as: UInt8.self) == UInt8(ascii: "\n") {
            self.releasedTail.removeAll(keepingCapacity: true)
            self.tailStartsALine = true
            return
        }
        let kept = min(released, Self.tailCapacity)
        guard let view = before.viewBytes(at: readerIndex - kept, length: kept) else { return }
        let overflow = self.releasedTail.count + kept - Self.tailCapacity
        if overflow > 0 {
            self.releasedTail.removeFirst(overflow)
            self.tailStartsALine = false
        }
        if released > kept {
            self.tailStartsALine = false
        }
        self.releasedTail.append(contentsOf: view)
    }

    /// The error for a `headerOverflow`: ``RequestTargetTooLongError`` if a request line's target is the cause.
    private func classifyOverflow(held buffer: ByteBuffer) -> any Error {
        var bytes = self.releasedTail
        bytes.append(contentsOf: buffer.readableBytesView)
        let targetTooLong = RequestTargetScanner.containsTarget(
            longerThan: self.maxHeaderSize,
            in: bytes,
            startsAtLineStart: self.tailStartsALine
        )
        return targetTooLong ? RequestTargetTooLongError() : HTTPParserError.headerOverflow
    }
}

/// The request target is longer than the server's head limit: the answer is 414 URI Too Long.
struct RequestTargetTooLongError: Error {}
