/// Where an HTTP/1.1 exchange stood when something happened to it.
///
/// Phases follow the life of one request on one connection. The client reports the phase of a
/// failure so that "connection reset by peer" becomes "the server reset the connection while the
/// request body was being sent".
public enum ExchangePhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Resolving the host name and opening the TCP connection.
    case connecting
    /// Negotiating TLS.
    case tlsHandshake
    /// Writing the request line and header fields.
    case sendingHead
    /// Holding the body back until the server answers `Expect: 100-continue`.
    case awaitingContinue
    /// Writing the request body.
    case sendingBody
    /// The request is sent; nothing of the response has arrived yet.
    case awaitingResponse
    /// The response head arrived; its body is arriving.
    case receivingBody
    /// The exchange completed.
    case completed

    /// The phase in plain words, for sentences such as "while sending the request body".
    public var words: String {
        switch self {
        case .connecting: "while connecting"
        case .tlsHandshake: "during the TLS handshake"
        case .sendingHead: "while sending the request head"
        case .awaitingContinue: "while waiting for the server to answer Expect: 100-continue"
        case .sendingBody: "while sending the request body"
        case .awaitingResponse: "while waiting for the response"
        case .receivingBody: "while receiving the response body"
        case .completed: "after the exchange completed"
        }
    }
}
