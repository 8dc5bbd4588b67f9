public import NIOCore

/// A response body as it arrives: an async sequence of buffers with back-pressure.
///
/// When the consumer falls behind, the connection stops reading; when it catches up, reading resumes.
/// Iterate it once.
public struct HTTPClientResponseBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, ResponseBodyDelegate
    >

    let producer: Producer

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        public mutating func next() async throws -> ByteBuffer? {
            try await self.base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.producer.makeAsyncIterator())
    }

    /// Collects the whole body, failing if it exceeds `limit` bytes.
    /// - Throws: ``HTTPClientError`` when the body is larger than `limit` or the connection fails.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var collected: ByteBuffer?
        for try await part in self {
            if collected == nil {
                collected = part
            } else {
                collected!.writeImmutableBuffer(part)
            }
            if let collected, collected.readableBytes > limit {
                throw HTTPClientError.responseBodyTooLarge(limit: limit)
            }
        }
        return collected ?? ByteBuffer()
    }
}

/// Tells the connection when the consumer wants more, and when it stopped listening.
final class ResponseBodyDelegate: NIOAsyncSequenceProducerDelegate {
    private let handler: NIOLoopBound<ClientExchangeHandler>
    private let exchangeID: ObjectIdentifier

    init(handler: NIOLoopBound<ClientExchangeHandler>, exchangeID: ObjectIdentifier) {
        self.handler = handler
        self.exchangeID = exchangeID
    }

    func produceMore() {
        let handler = self.handler
        let exchangeID = self.exchangeID
        handler.eventLoop.execute { handler.value.resumeReading(exchangeID: exchangeID) }
    }

    func didTerminate() {
        let handler = self.handler
        let exchangeID = self.exchangeID
        handler.eventLoop.execute { handler.value.responseBodyAbandoned(exchangeID: exchangeID) }
    }
}
