public import NIOCore
import NIOPosix

/// A request body: bytes in memory, an async sequence of buffers, or a file.
///
/// Bodies are written in pieces with back-pressure: the client asks for the next piece only when the
/// connection can take it, and stops asking as soon as the server has answered that it will not read on.
public struct HTTPClientRequestBody: Sendable {
    /// Writes body pieces; returns `false` once the client wants no more (the server answered early).
    public struct Writer: Sendable {
        let writePart: @Sendable (ByteBuffer) async throws -> Bool

        /// Hands one piece of the body to the connection. It returns at once while less than 2 MiB of the body
        /// waits to reach the socket, and otherwise waits until half of that went out: the producer runs ahead of
        /// the socket by at most that much, and is woken once per megabyte rather than once per piece. Pieces the
        /// connection has not yet written when the server answers early are dropped, never sent.
        /// - Returns: `true` to continue, `false` when the client will send no more of the body.
        public func write(_ part: ByteBuffer) async throws -> Bool {
            try await self.writePart(part)
        }
    }

    /// The body's length in bytes, if known in advance (sent as `Content-Length`; otherwise chunked).
    public let length: Int64?
    /// Whether the body can be produced again (for a redirect or a retry without `Expect`).
    public let isReplayable: Bool
    let produce: @Sendable (Writer) async throws -> Void

    /// A body produced by `produce`, which writes its pieces through the writer it is given.
    public init(length: Int64?, isReplayable: Bool = false, produce: @escaping @Sendable (Writer) async throws -> Void)
    {
        self.length = length
        self.isReplayable = isReplayable
        self.produce = produce
    }

    /// A body held in memory, written in slices of `pieceSize` so that sending can stop between them.
    public static func bytes(_ buffer: ByteBuffer, pieceSize: Int = 64 * 1024) -> Self {
        let size = max(1024, pieceSize)
        return Self(length: Int64(buffer.readableBytes), isReplayable: true) { writer in
            var rest = buffer
            while rest.readableBytes > 0 {
                guard let piece = rest.readSlice(length: min(size, rest.readableBytes)) else { return }
                guard try await writer.write(piece) else { return }
            }
        }
    }

    /// A body from an async sequence of buffers. Give `length` when you know it.
    public static func stream<Parts: AsyncSequence & Sendable>(_ parts: Parts, length: Int64? = nil) -> Self
    where Parts.Element == ByteBuffer {
        Self(length: length, isReplayable: false) { writer in
            for try await part in parts {
                guard try await writer.write(part) else { return }
            }
        }
    }

    /// A body read from the file at `path`, in pieces, without loading it into memory.
    /// - Throws: ``HTTPClientError`` when the file cannot be opened or its size read.
    public static func file(path: String, pieceSize: Int = 256 * 1024) async throws -> Self {
        let size = try await FileReader.size(of: path)
        let chunk = max(4096, pieceSize)
        return Self(length: size, isReplayable: true) { writer in
            let reader = try await FileReader.open(path)
            defer { reader.close() }
            var offset: Int64 = 0
            while offset < size {
                let piece = try await reader.read(at: offset, count: Int(min(Int64(chunk), size - offset)))
                if piece.readableBytes == 0 { break }
                offset += Int64(piece.readableBytes)
                guard try await writer.write(piece) else { return }
            }
        }
    }
}
