import HeedCore
public import NIOCore
import Synchronization

/// A response body as it arrives: an async sequence of buffers with back-pressure.
///
/// When the consumer falls behind, the connection stops reading; when it catches up, reading resumes.
/// Iterate it once, inside the closure it was handed to: every error it throws is an ``HTTPClientError``.
public struct HTTPClientResponseBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, ResponseBodyDelegate
    >

    let producer: Producer
    /// The request the body answers, and whether its consumer returned; `nil` only in handler tests.
    let reading: Reading?

    init(producer: Producer, reading: Reading? = nil) {
        self.producer = producer
        self.reading = reading
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator
        let reading: Reading?

        /// The next part, `nil` at the end.
        /// - Throws: ``HTTPClientError``: the exchange's failure, the task's cancellation, or a read after the
        ///   consumer returned.
        public mutating func next() async throws -> ByteBuffer? {
            guard let reading = self.reading else { return try await self.base.next() }
            if reading.isClosed { throw reading.readAfterConsumerReturned }
            // The do/catch costs nothing per part: errors are converted only when one comes out.
            do {
                return try await self.base.next()
            } catch {
                throw reading.convert(error)
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: self.producer.makeAsyncIterator(), reading: self.reading)
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

extension HTTPClientResponseBody {
    /// What a streamed body knows about its request: enough to turn what its sequence throws into the
    /// ``HTTPClientError`` that `perform` would throw for the same failure. One per response, not per part.
    final class Reading: Sendable {
        private let context: HTTPClientError.Context
        private let closed = Atomic<Bool>(false)

        init(context: HTTPClientError.Context) {
            self.context = context
        }

        /// The consumer closure returned (or threw): later reads fail with ``readAfterConsumerReturned``.
        func consumerReturned() {
            self.closed.store(true, ordering: .releasing)
        }

        /// Whether the consumer closure returned.
        var isClosed: Bool {
            self.closed.load(ordering: .acquiring)
        }

        /// The error for a read after the consumer closure returned.
        var readAfterConsumerReturned: HTTPClientError {
            .responseBodyUnreadable(method: self.context.method, url: self.context.url, afterConsumer: true)
        }

        /// `error`, thrown by the body's sequence, as an ``HTTPClientError``.
        func convert(_ error: any Error) -> any Error {
            switch error {
            case let error as HTTPClientError:
                return error
            case is CancellationError:
                // NIO's sequence throws this when the waiting task is cancelled; the exchange is cancelled with it.
                let failure = ExchangeFailure(reason: .cancelled, phase: .receivingBody)
                var context = self.context
                // How much of the request body went out is not known here: say nothing rather than "0 B".
                context.requestBodyLength = nil
                return HTTPClientError.exchange(failure, context: context)
            case let failure as ClientExchange.Failure:
                return self.convert(failure)
            default:
                // The sequence is finished only with the failures above.
                return error
            }
        }

        private func convert(_ failure: ClientExchange.Failure) -> HTTPClientError {
            switch failure {
            case .exchange(let failure), .afterHead(let failure):
                // As `perform` converts `.afterHead`: the consumer reads the sentence the caller would.
                return HTTPClientError.exchange(failure, context: self.context).with(timeline: failure.timeline)
            case .client(let error):
                return error
            case .responseBodyTooLarge(let limit):
                return .responseBodyTooLarge(limit: limit)
            case .abandoned, .stale, .noResponseHead, .cancelledBeforeStart:
                // The connection dropped the body: the consumer returned, or an earlier iteration stopped early. (The
                // others end an exchange before its response head, so a body never sees them.)
                return .responseBodyUnreadable(
                    method: self.context.method,
                    url: self.context.url,
                    afterConsumer: self.isClosed
                )
            }
        }
    }
}
