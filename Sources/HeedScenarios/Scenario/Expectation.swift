/// What the grader expects of a client in a scenario.
public struct Expectation: Sendable, Hashable {
    /// The outcome a correct client reports.
    public enum Outcome: Sendable, Hashable {
        /// The client delivers a response with this status.
        case response(status: Int)
        /// The client reports a failure (a non-zero exit, a thrown error).
        case failure
    }

    /// The outcome a correct client reports.
    public var outcome: Outcome
    /// The number of response body bytes a correct client delivers, checked when the client reports it.
    public var responseBodyBytes: Int?
    /// Whether the client must have sent `Expect: 100-continue` and then no body at all.
    public var mustAskBeforeSending: Bool
    /// Whether the client may send the request again on a new connection.
    public var allowsRetry: Bool

    /// Creates an expectation.
    public init(
        outcome: Outcome,
        responseBodyBytes: Int? = nil,
        mustAskBeforeSending: Bool = false,
        allowsRetry: Bool = false
    ) {
        self.outcome = outcome
        self.responseBodyBytes = responseBodyBytes
        self.mustAskBeforeSending = mustAskBeforeSending
        self.allowsRetry = allowsRetry
    }

    /// A correct client delivers a response with `status`.
    public static func response(status: Int, bodyBytes: Int? = nil, mustAskBeforeSending: Bool = false) -> Self {
        Self(
            outcome: .response(status: status),
            responseBodyBytes: bodyBytes,
            mustAskBeforeSending: mustAskBeforeSending
        )
    }

    /// A correct client reports a failure and does not send a non-idempotent request again.
    public static let failure = Self(outcome: .failure)
}
