public import NIOCore

/// `total` bytes as slices of one preallocated buffer: a streamed body that holds no more than one part.
public struct RepeatedParts: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let total: Int
    let part: ByteBuffer

    public init(total: Int, partSize: Int) {
        self.total = total
        self.part = ByteBuffer(repeating: UInt8(ascii: "x"), count: partSize)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: Int
        let part: ByteBuffer

        public mutating func next() async -> ByteBuffer? {
            guard self.remaining > 0 else { return nil }
            let count = Swift.min(self.remaining, self.part.readableBytes)
            self.remaining -= count
            return self.part.getSlice(at: self.part.readerIndex, length: count)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(remaining: self.total, part: self.part)
    }
}
