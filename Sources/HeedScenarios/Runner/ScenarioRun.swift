/// One client's run through one scenario: both timelines and the verdict.
public struct ScenarioRun: Sendable, Hashable, Codable {
    /// The scenario's name.
    public var scenario: String
    /// The client's name.
    public var client: String
    /// The time limit the client had.
    public var timeLimitMilliseconds: Int64
    /// What the client reported.
    public var outcome: ClientOutcome
    /// What the peer saw and did.
    public var peer: PeerRecord
    /// The grader's judgement.
    public var verdict: Verdict

    /// Creates a run record.
    public init(
        scenario: String,
        client: String,
        timeLimitMilliseconds: Int64,
        outcome: ClientOutcome,
        peer: PeerRecord,
        verdict: Verdict
    ) {
        self.scenario = scenario
        self.client = client
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.outcome = outcome
        self.peer = peer
        self.verdict = verdict
    }

    /// Both sides' events in time order (server first when two share a microsecond).
    public var timeline: [TimelineEvent] {
        (self.peer.timeline + self.outcome.timeline).enumerated().sorted {
            ($0.element.atMicroseconds, $0.offset) < ($1.element.atMicroseconds, $1.offset)
        }.map(\.element)
    }
}
