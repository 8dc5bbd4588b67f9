import HeedCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

extension HTTPClient {
    /// One try at a request: what to send, and the connection it goes out on.
    struct Attempt: Sendable {
        var parameters: ClientExchange.Parameters
        var body: HTTPClientRequestBody?
        var connection: Connection
        var key: ConnectionKey
        /// The request's timeline, shared with the connection while the exchange runs.
        var timeline: TimelineRecord
        /// The request, for the errors that the response body's reader sees.
        var context: HTTPClientError.Context
    }

    /// The head and body handed to a streaming consumer.
    struct ArrivedResponse: Sendable {
        var head: HTTPResponseHead
        var body: HTTPClientResponseBody
        var bytesSentAtHead: Int64
    }

    // MARK: - Collecting the response

    /// Runs one exchange whose response body the connection collects (up to `limit` bytes), and waits for it to end.
    ///
    /// The whole response comes with the exchange's outcome: one wait on one promise, with no body sequence.
    /// - Throws: ``ClientExchange/Failure`` for outcomes the caller may retry or must report.
    func collect(
        _ attempt: Attempt,
        limit: Int
    ) async throws -> (result: ClientExchange.CollectedResponse, completion: Completion) {
        let connection = attempt.connection
        let loop = connection.eventLoop
        let handler = connection.handler
        let onLoop = loop.inEventLoop
        let exchange = self.makeExchange(
            attempt,
            loop: loop,
            responseHead: nil,
            responseBody: .collect(limit: limit),
            callerOffLoop: !onLoop
        )
        let outcome = try await withTaskCancellationHandler {
            if onLoop {
                // The caller runs on the connection's loop (withEventLoopAffinity): no hop needed.
                handler.value.start(exchange)
            } else {
                connection.busyPoll?.requestComing()
                loop.execute { handler.value.start(exchange) }
            }
            guard attempt.parameters.hasBody, let body = attempt.body else {
                return try await exchange.response.futureResult.get()
            }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                // Never on the event loop, even for a caller that runs there (withEventLoopAffinity): a producer
                // whose parts are taken at once would run task after task, and the loop drains its task queue
                // before it polls the socket again, so an early answer would wait (3 ms instead of 0.07 ms).
                group.addTask(executorPreference: globalConcurrentExecutor) {
                    await Self.produce(body, exchange: exchange, handler: handler, loop: loop)
                }
                defer { group.cancelAll() }
                return try await exchange.response.futureResult.get()
            }
        } onCancel: {
            // Marked first: a `start` still queued then sends nothing (see ClientExchange.markCancelled).
            exchange.markCancelled()
            loop.execute { handler.value.cancel(exchange) }
        }
        switch outcome {
        case .retryWithoutExpect:
            throw ClientExchange.Failure.noResponseHead
        case .response(let completed):
            guard let got = completed.collected else { throw ClientExchange.Failure.noResponseHead }
            if completed.connectionReusable { self.pool.release(connection, key: attempt.key) }
            return (got, Completion(completed, timeline: attempt.timeline.timeline))
        }
    }

    // MARK: - Streaming the response

    /// Runs one exchange: starts it, feeds the body, hands the response to `consume` when its head arrives and
    /// waits for the exchange to end.
    /// - Throws: ``ClientExchange/Failure`` for outcomes the caller may retry; what `consume` throws.
    func stream<Result: Sendable>(
        _ attempt: Attempt,
        _ consume: (ArrivedResponse) async throws -> Result
    ) async throws -> (result: Result, completion: Completion) {
        let connection = attempt.connection
        let loop = connection.eventLoop
        let handler = connection.handler
        let responsePromise = loop.makePromise(of: ClientExchange.Outcome.self)
        let delegate = ResponseBodyDelegate(
            handler: handler,
            exchangeID: ObjectIdentifier(responsePromise.futureResult)
        )
        let sequence = HTTPClientResponseBody.Producer.makeSequence(
            // Parts are up to 512 KiB (the connection's largest read): at most 8 wait for the consumer.
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
            finishOnDeinit: false,
            delegate: delegate
        )
        let headPromise = loop.makePromise(of: ClientExchange.ArrivedHead.self)
        let exchange = self.makeExchange(
            attempt,
            loop: loop,
            responseHead: headPromise,
            responseBody: .stream(sequence.source),
            response: responsePromise,
            callerOffLoop: !loop.inEventLoop
        )
        let reading = HTTPClientResponseBody.Reading(context: attempt.context)
        let responseBody = HTTPClientResponseBody(producer: sequence.sequence, reading: reading)
        return try await withTaskCancellationHandler {
            if exchange.callerOffLoop { connection.busyPoll?.requestComing() }
            loop.execute { handler.value.start(exchange) }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                if attempt.parameters.hasBody, let body = attempt.body {
                    // Off the event loop, as in `collect`.
                    group.addTask(executorPreference: globalConcurrentExecutor) {
                        await Self.produce(body, exchange: exchange, handler: handler, loop: loop)
                    }
                }
                defer { group.cancelAll() }
                let head: ClientExchange.ArrivedHead
                do {
                    head = try await headPromise.futureResult.get()
                } catch {
                    // No head: the exchange ended (retry or failure); its outcome says which.
                    switch try await exchange.response.futureResult.get() {
                    case .retryWithoutExpect: throw ClientExchange.Failure.noResponseHead
                    case .response: throw error
                    }
                }
                let result: Result
                do {
                    result = try await consume(
                        ArrivedResponse(head: head.head, body: responseBody, bytesSentAtHead: head.bodyBytesSent)
                    )
                } catch ClientExchange.Failure.exchange(let failure) {
                    reading.consumerReturned()
                    delegate.didTerminate()
                    throw ClientExchange.Failure.afterHead(failure)
                } catch {
                    reading.consumerReturned()
                    delegate.didTerminate()
                    throw error
                }
                // The consumer is done. If it left body unread, abandon the exchange (closes the connection).
                reading.consumerReturned()
                delegate.didTerminate()
                let outcome: ClientExchange.Outcome
                do {
                    outcome = try await exchange.response.futureResult.get()
                } catch ClientExchange.Failure.abandoned {
                    let completion = Completion(
                        bodyBytesSent: head.bodyBytesSent,
                        bodyBytesSentAfterResponse: 0,
                        stoppedEarly: false,
                        receivedContinue: false,
                        timeline: attempt.timeline.timeline
                    )
                    return (result, completion)
                } catch ClientExchange.Failure.exchange(let failure) {
                    throw ClientExchange.Failure.afterHead(failure)
                }
                guard case .response(let completed) = outcome else {
                    throw ClientExchange.Failure.noResponseHead
                }
                if completed.connectionReusable { self.pool.release(connection, key: attempt.key) }
                return (result, Completion(completed, timeline: attempt.timeline.timeline))
            }
        } onCancel: {
            // Marked first: a `start` still queued then sends nothing (see ClientExchange.markCancelled).
            exchange.markCancelled()
            loop.execute { handler.value.cancel(exchange) }
        }
    }

    // MARK: - Helpers

    private func makeExchange(
        _ attempt: Attempt,
        loop: any EventLoop,
        responseHead: EventLoopPromise<ClientExchange.ArrivedHead>?,
        responseBody: ClientExchange.ResponseBodyDestination,
        response: EventLoopPromise<ClientExchange.Outcome>? = nil,
        callerOffLoop: Bool
    ) -> ClientExchange {
        ClientExchange(
            head: attempt.parameters.head,
            hasBody: attempt.parameters.hasBody,
            expectContinue: attempt.parameters.expectContinue,
            continueTimeout: self.configuration.continueTimeout.timeAmount,
            readIdleTimeout: self.configuration.readIdleTimeout?.timeAmount,
            deadline: attempt.parameters.deadline,
            timeline: attempt.timeline,
            bodyStart: attempt.parameters.hasBody ? loop.makePromise() : nil,
            responseHead: responseHead,
            responseBody: responseBody,
            response: response ?? loop.makePromise(),
            callerOffLoop: callerOffLoop
        )
    }

    /// Pulls the body from its source and hands it to the connection, as fast as the connection takes it.
    private static func produce(
        _ body: HTTPClientRequestBody,
        exchange: ClientExchange,
        handler: NIOLoopBound<ClientExchangeHandler>,
        loop: any EventLoop
    ) async {
        do {
            guard let bodyStart = exchange.bodyStart, let pipe = exchange.bodyPipe,
                try await bodyStart.futureResult.get()
            else { return }
            // The producer's bytes must match the declared length: a surplus would reach the server as the start of
            // another request, a shortfall would leave it waiting for the rest. Either fails the exchange, whose
            // connection then closes, and the surplus part is never sent.
            let count = NIOLockedValueBox(BodyByteCount())
            let writer = HTTPClientRequestBody.Writer { part in
                if let declared = body.length {
                    let (total, stopped) = count.withLockedValue { count in
                        count.produced += Int64(part.readableBytes)
                        return (count.produced, count.stopped)
                    }
                    // A producer that goes on after being told to stop only has its parts dropped.
                    if stopped { return false }
                    if total > declared { throw BodyLengthMismatch(declared: declared, produced: total, atLeast: true) }
                }
                let goOn: Bool
                switch pipe.offer(part) {
                case .stopped:
                    goOn = false
                case .accepted(let wakeConnection, let wait):
                    if wakeConnection { loop.execute { handler.value.drainBody(for: exchange) } }
                    goOn = wait ? await pipe.waitForRoom() : true
                }
                // The connection stopped the body (an early answer): the producer may end short of the length.
                if !goOn { count.withLockedValue { $0.stopped = true } }
                return goOn
            }
            try await body.produce(writer)
            let final = count.withLockedValue { $0 }
            if let declared = body.length, !final.stopped, final.produced != declared {
                throw BodyLengthMismatch(declared: declared, produced: final.produced, atLeast: false)
            }
            if pipe.finish() { loop.execute { handler.value.drainBody(for: exchange) } }
        } catch {
            loop.execute { handler.value.bodySourceFailed(error, for: exchange) }
        }
    }
}

/// What a body's producer wrote so far, and whether the connection stopped taking its parts.
private struct BodyByteCount {
    var produced: Int64 = 0
    var stopped = false
}

/// A body whose producer wrote more or fewer bytes than its declared length.
struct BodyLengthMismatch: Error, CustomStringConvertible {
    var declared: Int64
    var produced: Int64
    /// Whether `produced` counts only up to the part that went past `declared`.
    var atLeast: Bool

    var description: String {
        let produced = self.atLeast ? "at least \(self.produced)" : "\(self.produced)"
        return "it wrote \(produced) bytes where the request declared \(self.declared) (Content-Length)"
    }
}

extension HTTPClient.Completion {
    init(_ completed: ClientExchange.Completed, timeline: ExchangeTimeline) {
        self.init(
            bodyBytesSent: completed.bodyBytesSent,
            bodyBytesSentAfterResponse: completed.bodyBytesSentAfterResponse,
            stoppedEarly: completed.stoppedEarly,
            receivedContinue: completed.receivedContinue,
            timeline: timeline
        )
    }
}
