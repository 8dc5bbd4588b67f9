/// A named teardown failure: a scripted peer, the request a client sends it, and what a correct client does.
///
/// Scenarios are plain values; ``ScenarioRunner`` brings one to life on 127.0.0.1 against a ``ClientUnderTest``.
public struct Scenario: Sendable, Hashable, Identifiable {
    /// The name used on the command line (`early-reject-rst`).
    public var name: String
    /// One line for lists (`the server answers 413 before reading the body, then resets`).
    public var summary: String
    /// The story in one paragraph: what real servers do this, and what users see.
    public var story: String
    /// The request the client under test sends.
    public var request: RequestShape
    /// What the peer does, step by step, on every connection it accepts.
    public var peer: PeerScript
    /// What a correct client does, in words.
    public var correctClient: String
    /// What the grader checks.
    public var expectation: Expectation
    /// How long a client may take before it counts as hung.
    public var timeLimit: Duration

    public var id: String { self.name }

    /// Creates a scenario.
    public init(
        name: String,
        summary: String,
        story: String,
        request: RequestShape,
        peer: PeerScript,
        correctClient: String,
        expectation: Expectation,
        timeLimit: Duration
    ) {
        self.name = name
        self.summary = summary
        self.story = story
        self.request = request
        self.peer = peer
        self.correctClient = correctClient
        self.expectation = expectation
        self.timeLimit = timeLimit
    }
}
