/// An explanation of how an exchange ended, in words a newcomer understands.
///
/// Built by ``DiagnosisEngine/diagnose(_:error:)`` from an ``ExchangeTimeline``. ``summary`` is one or two sentences
/// naming the phase, the bytes and the likely cause; ``report(timeline:)`` is the long form for logs and `heed -v`.
public struct Diagnosis: Sendable, Hashable, Codable {
    /// One or two sentences: what happened, in which phase, with how many bytes, and the most likely cause.
    public var summary: String
    /// The phase the exchange was in when it ended.
    public var phase: ExchangePhase
    /// What the peer did that ended the exchange.
    public var peerAction: PeerAction
    /// The likely causes, most likely first, each with the evidence for it.
    public var causes: [LikelyCause]
    /// What to do about it, most useful first.
    public var advice: [String]
    /// The name of the matching socket-error catalogue entry (`heed explain NAME`), such as `"ECONNRESET"`.
    public var catalogueName: String?
    /// Remarks that do not change the outcome, such as "the request was retried and succeeded".
    public var notes: [String]
    /// The name of the rule that produced this diagnosis, for tests and for the report.
    public var rule: String

    /// Creates a diagnosis from its parts.
    public init(
        summary: String,
        phase: ExchangePhase,
        peerAction: PeerAction,
        causes: [LikelyCause] = [],
        advice: [String] = [],
        catalogueName: String? = nil,
        notes: [String] = [],
        rule: String = "custom"
    ) {
        self.summary = summary
        self.phase = phase
        self.peerAction = peerAction
        self.causes = causes
        self.advice = advice
        self.catalogueName = catalogueName
        self.notes = notes
        self.rule = rule
    }
}

extension Diagnosis: CustomStringConvertible {
    /// The ``summary``.
    public var description: String {
        self.summary
    }
}

/// What the peer did that ended (or shaped) the exchange.
public enum PeerAction: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The peer answered normally with this final status.
    case answered(status: Int)
    /// The peer answered with this final status before the request body was fully sent.
    case answeredEarly(status: Int)
    /// The peer closed the connection cleanly (TCP FIN) without a complete answer.
    case closedCleanly
    /// The peer reset the connection (TCP RST), or refused it.
    case reset
    /// The peer sent nothing at all while we waited.
    case silent
    /// The peer did nothing we could see (for example, the host name never resolved).
    case nothing

    /// A short phrase, such as `"reset the connection"`.
    public var description: String {
        switch self {
        case .answered(let status): "answered \(status)"
        case .answeredEarly(let status): "answered \(status) before the request body was complete"
        case .closedCleanly: "closed the connection (FIN)"
        case .reset: "reset the connection (RST)"
        case .silent: "stayed silent"
        case .nothing: "nothing observable"
        }
    }
}

/// One likely cause of a failure, with the evidence from the timeline that points to it.
public struct LikelyCause: Sendable, Hashable, Codable {
    /// The cause, as a sentence.
    public var explanation: String
    /// The observations that support it, each a short sentence.
    public var evidence: [String]

    /// Creates a cause.
    ///
    /// - Parameters:
    ///   - explanation: The cause, as a sentence.
    ///   - evidence: The observations that support it.
    public init(_ explanation: String, evidence: [String] = []) {
        self.explanation = explanation
        self.evidence = evidence
    }
}
