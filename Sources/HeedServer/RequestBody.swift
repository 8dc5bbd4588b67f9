public import NIOCore

/// The body of an accepted request, as an async sequence of byte buffers.
///
/// It has back-pressure: the server stops reading from the socket while the application is behind.
/// Iterate it once. It throws ``ServerError`` if the body cannot be read to its end.
public struct RequestBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BodyProducerDelegate
    >

    private let producer: Producer

    init(producer: Producer) {
        self.producer = producer
    }

    /// Iterates the body's parts.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var base: Producer.AsyncIterator

        fileprivate init(base: Producer.AsyncIterator) {
            self.base = base
        }

        /// The next part of the body, or nil at its end.
        public mutating func next() async throws -> ByteBuffer? {
            try await self.base.next()
        }
    }

    /// Creates the iterator.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.producer.makeAsyncIterator())
    }

    /// Reads the whole body into one buffer.
    /// - Parameter maxBytes: The most bytes to accept.
    /// - Returns: The body.
    /// - Throws: ``ServerError/bodyTooLarge(limit:)`` if the body is longer than `maxBytes`, or the error of the body.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var result = ByteBuffer()
        for try await part in self {
            guard result.readableBytes + part.readableBytes <= maxBytes else {
                throw ServerError.bodyTooLarge(limit: maxBytes)
            }
            var part = part
            result.writeBuffer(&part)
        }
        return result
    }
}

/// Tells the connection handler, on its event loop, when the application wants more of the body.
struct BodyProducerDelegate: NIOAsyncSequenceProducerDelegate {
    private let eventLoop: any EventLoop
    private let handler: NIOLoopBound<ServerConnectionHandler>

    init(handler: ServerConnectionHandler, eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
    }

    func produceMore() {
        let handler = self.handler
        self.eventLoop.execute { handler.value.bodyConsumerWantsMore() }
    }

    func didTerminate() {
        let handler = self.handler
        self.eventLoop.execute { handler.value.bodyConsumerWantsMore() }
    }
}
