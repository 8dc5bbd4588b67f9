/// How far an exchange got: the phase it was in when it ended.
public enum ExchangePhase: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Looking up the host name.
    case resolving
    /// Establishing the TCP connection.
    case connecting
    /// Performing the TLS handshake.
    case tlsHandshake
    /// Writing the request head.
    case sendingHead
    /// Holding the body back until the server answers `Expect: 100-continue`.
    case awaitingContinue
    /// Writing the request body.
    case sendingBody
    /// The request is sent (or waiting for `100 Continue`); no response head yet.
    case awaitingResponse
    /// The response head arrived; reading the response body.
    case receivingBody
    /// The response arrived in full.
    case completed

    /// The phase as a phrase that fits "… while {phase}", such as `"sending the request body"`.
    public var description: String {
        switch self {
        case .resolving: "resolving the host name"
        case .connecting: "connecting"
        case .tlsHandshake: "performing the TLS handshake"
        case .sendingHead: "sending the request head"
        case .awaitingContinue: "waiting for the server to answer Expect: 100-continue"
        case .sendingBody: "sending the request body"
        case .awaitingResponse: "waiting for the response"
        case .receivingBody: "receiving the response body"
        case .completed: "completed"
        }
    }

    /// The phase in words that follow a verb: "while sending the request body".
    public var words: String {
        switch self {
        case .completed: "after the exchange completed"
        case .tlsHandshake: "during the TLS handshake"
        default: "while \(self.description)"
        }
    }
}
