import HeedCore
import NIOCore
import NIOHTTP1
import Synchronization

/// One request handed to a connection: what to send, the limits that apply, and the promises
/// through which the connection answers.
///
/// A class: it crosses threads in several closures per request, and a reference is one retain where
/// a copy of the struct was a dozen.
final class ClientExchange: Sendable {
    /// What the connection reports when the exchange ends well.
    enum Outcome: Sendable {
        /// The response completed; its body went through the response body stream, or is collected in it.
        case response(Completed)
        /// The server answered 417 to `Expect: 100-continue`: send again without it.
        case retryWithoutExpect
    }

    /// What the connection reports when the exchange ends badly.
    enum Failure: Error {
        case exchange(ExchangeFailure)
        /// The connection was closed before the exchange could start on it.
        case stale
        /// The consumer stopped reading the response body before its end.
        case abandoned
        /// The exchange ended without a response head (it was retried).
        case noResponseHead
        /// The exchange failed after the response head had reached the caller: never retried.
        case afterHead(ExchangeFailure)
        /// A handler in front of the exchange failed it with its own explanation.
        case client(HTTPClientError)
        /// The collected response body grew past the limit; the connection was closed.
        case responseBodyTooLarge(limit: Int)
        /// The caller cancelled before the exchange started: nothing was sent and the connection is unused.
        case cancelledBeforeStart
    }

    /// Where the response body goes.
    enum ResponseBodyDestination: Sendable {
        /// Through an async sequence, with back-pressure, as the caller reads it.
        case stream(HTTPClientResponseBody.Producer.Source)
        /// Into one buffer of at most `limit` bytes, handed over with the outcome: no sequence, no extra hops.
        case collect(limit: Int)
    }

    /// What a completed exchange reports. A class: it crosses threads through a promise, which copies it.
    final class Completed: Sendable {
        let bodyBytesSent: Int64
        let bodyBytesSentAfterResponse: Int64
        let stoppedEarly: Bool
        let receivedContinue: Bool
        let connectionReusable: Bool
        /// The whole response, when the connection collected the body.
        let collected: CollectedResponse?

        init(
            bodyBytesSent: Int64,
            bodyBytesSentAfterResponse: Int64,
            stoppedEarly: Bool,
            receivedContinue: Bool,
            connectionReusable: Bool,
            collected: CollectedResponse?
        ) {
            self.bodyBytesSent = bodyBytesSent
            self.bodyBytesSentAfterResponse = bodyBytesSentAfterResponse
            self.stoppedEarly = stoppedEarly
            self.receivedContinue = receivedContinue
            self.connectionReusable = connectionReusable
            self.collected = collected
        }
    }

    /// A whole response, when the body was collected on the connection.
    struct CollectedResponse: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
        /// Request body bytes sent when the head arrived.
        var bodyBytesSentAtHead: Int64
    }

    /// A final response head, and the request body bytes sent when it arrived.
    struct ArrivedHead: Sendable {
        var head: HTTPResponseHead
        var bodyBytesSent: Int64
    }

    let head: HTTPRequestHead
    /// Whether the request says `Connection: close`: the connection ends after this exchange.
    let closesConnection: Bool
    let hasBody: Bool
    let expectContinue: Bool
    let continueTimeout: TimeAmount
    let readIdleTimeout: TimeAmount?
    let deadline: NIODeadline?
    /// The request's timeline, with what the client recorded so far (connecting); the connection records the
    /// exchange into it.
    let timeline: TimelineRecord?
    /// Succeeds with `true` when the body may be sent, `false` when it never will be; `nil` without a body.
    let bodyStart: EventLoopPromise<Bool>?
    /// The body's parts on their way to the connection; `nil` without a body.
    let bodyPipe: RequestBodyPipe?
    /// Succeeds with the final response head when the body streams; fails if the exchange ends without one.
    /// `nil` when the body is collected: the head comes with the outcome.
    let responseHead: EventLoopPromise<ArrivedHead>?
    /// Where the response body goes.
    let responseBody: ResponseBodyDestination
    /// Completes when the whole exchange is over (both directions).
    let response: EventLoopPromise<Outcome>
    /// Whether the caller runs off the connection's event loop (its response then crosses threads).
    let callerOffLoop: Bool
    /// Whether the caller cancelled; see ``markCancelled()``.
    private let cancelled = Atomic<Bool>(false)

    init(
        head: HTTPRequestHead,
        hasBody: Bool,
        expectContinue: Bool,
        continueTimeout: TimeAmount,
        readIdleTimeout: TimeAmount?,
        deadline: NIODeadline?,
        timeline: TimelineRecord?,
        bodyStart: EventLoopPromise<Bool>?,
        responseHead: EventLoopPromise<ArrivedHead>?,
        responseBody: ResponseBodyDestination,
        response: EventLoopPromise<Outcome>,
        callerOffLoop: Bool = false
    ) {
        self.callerOffLoop = callerOffLoop
        self.head = head
        self.closesConnection = !head.isKeepAlive
        self.hasBody = hasBody
        self.expectContinue = expectContinue
        self.continueTimeout = continueTimeout
        self.readIdleTimeout = readIdleTimeout
        self.deadline = deadline
        self.timeline = timeline
        self.bodyStart = bodyStart
        self.bodyPipe = bodyStart == nil ? nil : RequestBodyPipe()
        self.responseHead = responseHead
        self.responseBody = responseBody
        self.response = response
    }

    /// Identifies the exchange across threads.
    var id: ObjectIdentifier { ObjectIdentifier(self.response.futureResult) }
}

extension ClientExchange {
    /// What the client decides per attempt.
    struct Parameters: Sendable {
        var head: HTTPRequestHead
        var hasBody: Bool
        var expectContinue: Bool
        var deadline: NIODeadline?
    }

    /// Records that the caller cancelled, before the connection hears of it.
    ///
    /// The cancellation handler sets this and then queues `cancel` on the event loop. A `start` queued earlier but
    /// run later sees the mark and refuses the exchange; one that ran before it is followed by the `cancel` (the loop
    /// runs its tasks in order). So a cancellation is never lost between `start` being queued and running.
    func markCancelled() {
        self.cancelled.store(true, ordering: .releasing)
    }

    /// Whether the caller cancelled (``markCancelled()``).
    var isCancelled: Bool {
        self.cancelled.load(ordering: .acquiring)
    }

    /// Ends an exchange that never started on its connection: no body is sent, and everyone waiting hears `failure`.
    func failBeforeStart(_ failure: Failure) {
        self.bodyStart?.succeed(false)
        self.responseHead?.fail(failure)
        self.responseBody.finish(failure)
        self.response.fail(failure)
    }

    /// Whether `other` is this exchange (a late call from a finished exchange must not touch the next one).
    func isSame(as other: ClientExchange?) -> Bool {
        other === self
    }
}

extension ClientExchange.ResponseBodyDestination {
    /// Ends a streamed body (with `error`, if any); a collected body needs nothing.
    func finish(_ error: (any Error)? = nil) {
        guard case .stream(let source) = self else { return }
        if let error { source.finish(error) } else { source.finish() }
    }
}
