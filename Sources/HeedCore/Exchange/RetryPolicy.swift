/// Whether a failed exchange may be sent again on a fresh connection.
///
/// A keep-alive connection that the server closed while it sat idle fails the next request in a
/// way that says nothing about that request: the server never saw it. Such a failure is retried
/// once, but only when sending the request twice cannot do harm: the method is idempotent (RFC
/// 9110 §9.2.2), or none of the body left the client.
package enum RetryPolicy {
    /// Methods that may be repeated without changing the outcome.
    package static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]

    /// - Parameters:
    ///   - failure: how the exchange failed.
    ///   - method: the request method.
    ///   - reusedConnection: whether the connection had served a request before.
    ///   - bodyReplayable: whether the body (if any) can be produced again.
    ///   - attempt: the attempt that failed, from 1.
    package static func mayRetry(
        _ failure: ExchangeFailure,
        method: String,
        reusedConnection: Bool,
        bodyReplayable: Bool,
        attempt: Int
    ) -> Bool {
        guard attempt == 1, reusedConnection, bodyReplayable else { return false }
        // Once a final response head arrived the server has answered this request: never send it again.
        guard failure.phase != .receivingBody else { return false }
        switch failure.reason {
        case .closedWithoutResponse, .resetWithoutResponse, .writeFailedWithoutResponse:
            break
        case .responseTruncated, .protocolViolation, .timeout, .cancelled, .requestBodySourceFailed:
            return false
        }
        guard failure.bodyBytesReceived == 0 else { return false }
        return Self.idempotentMethods.contains(method)
            || failure.bodyBytesSent == 0
                && failure.phase != .awaitingResponse
    }
}
