import HeedCore
import NIOCore
import NIOHTTP1

/// One request handed to a connection: what to send, the limits that apply, and the promises
/// through which the connection answers.
struct ClientExchange: Sendable {
    /// What the connection reports when the exchange ends well.
    enum Outcome: Sendable {
        case response(
            head: HTTPResponseHead,
            body: ByteBuffer,
            bodyBytesSent: Int64,
            bodyBytesSentAfterResponse: Int64,
            stoppedEarly: Bool,
            receivedContinue: Bool,
            connectionReusable: Bool
        )
        /// The server answered 417 to `Expect: 100-continue`: send again without it.
        case retryWithoutExpect
    }

    /// What the connection reports when the exchange ends badly.
    enum Failure: Error {
        case exchange(ExchangeFailure)
        case bodyTooLarge(Int)
        /// The connection was closed before the exchange could start on it.
        case stale
        /// A handler in front of the exchange failed it with its own explanation.
        case client(HTTPClientError)
    }

    var head: HTTPRequestHead
    var hasBody: Bool
    var expectContinue: Bool
    var continueTimeout: TimeAmount
    var readIdleTimeout: TimeAmount?
    var deadline: NIODeadline?
    var responseBodyLimit: Int
    /// Succeeds with `true` when the body may be sent, `false` when it never will be.
    var bodyStart: EventLoopPromise<Bool>
    var response: EventLoopPromise<Outcome>
}

extension ClientExchange {
    /// What the client decides per attempt.
    struct Parameters: Sendable {
        var head: HTTPRequestHead
        var hasBody: Bool
        var expectContinue: Bool
        var deadline: NIODeadline?
    }

    /// Whether `other` is this exchange (a late call from a finished exchange must not touch the next one).
    func isSame(as other: ClientExchange?) -> Bool {
        guard let other else { return false }
        return self.response.futureResult === other.response.futureResult
    }
}
