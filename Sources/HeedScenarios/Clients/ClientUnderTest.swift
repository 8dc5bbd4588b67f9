/// An HTTP client that the runner drives through a scenario: Heed's, the naive one, or any external command.
///
/// Plugging in a client takes one method: send the request described by ``ScenarioRequest`` and report what
/// happened as a ``ClientOutcome``. The client must give up by ``ScenarioRequest/deadline`` and say it hung.
public protocol ClientUnderTest: Sendable {
    /// A short name for reports (`curl`, `naive`, `heed`).
    var name: String { get }

    /// Sends the scenario's request and reports what happened.
    /// - Parameter request: Where to send what, and by when.
    /// - Returns: What the client reported; never throws, a failure is an outcome.
    func execute(_ request: ScenarioRequest) async -> ClientOutcome
}

/// The request a client under test sends in one run.
public struct ScenarioRequest: Sendable {
    /// The full URL (`http://127.0.0.1:41234/upload`).
    public var url: String
    /// The port the scripted peer listens on, on 127.0.0.1.
    public var port: Int
    /// The method (`POST`).
    public var method: String
    /// The request target (`/upload`).
    public var path: String
    /// The size of the body in bytes (the body is that many `x` bytes).
    public var bodySize: Int
    /// A file holding the body, for clients that read it from disk.
    public var bodyFile: String?
    /// Whether a client that can should send `Expect: 100-continue`.
    public var asksToContinue: Bool
    /// When the run started; timeline offsets count from here.
    public var start: ContinuousClock.Instant
    /// When the client counts as hung and must stop.
    public var deadline: ContinuousClock.Instant
    /// The time limit the deadline was set from.
    public var timeLimit: Duration

    /// Creates a request description.
    public init(
        url: String,
        port: Int,
        method: String,
        path: String,
        bodySize: Int,
        bodyFile: String?,
        asksToContinue: Bool,
        start: ContinuousClock.Instant,
        timeLimit: Duration
    ) {
        self.url = url
        self.port = port
        self.method = method
        self.path = path
        self.bodySize = bodySize
        self.bodyFile = bodyFile
        self.asksToContinue = asksToContinue
        self.start = start
        self.timeLimit = timeLimit
        self.deadline = start + timeLimit
    }
}

/// What a client under test reported at the end of a run.
public struct ClientOutcome: Sendable, Hashable, Codable {
    /// The response status the client delivered, if any.
    public var status: Int?
    /// The number of response body bytes delivered, when the client says.
    public var responseBodyBytes: Int?
    /// Whether the client reported success (exit status 0, no thrown error).
    public var succeeded: Bool
    /// Whether the client was still busy at the time limit and had to be stopped.
    public var hung: Bool
    /// What the client said, in one line (its error, or the last line it printed to stderr).
    public var report: String
    /// The exit status, for external commands.
    public var exitStatus: Int32?
    /// The error number behind a failure, when the client knows it.
    public var errno: ErrnoInfo?
    /// The client's own timeline, for clients that record one.
    public var timeline: [TimelineEvent]

    /// Creates an outcome.
    public init(
        status: Int?,
        responseBodyBytes: Int? = nil,
        succeeded: Bool,
        hung: Bool = false,
        report: String,
        exitStatus: Int32? = nil,
        errno: ErrnoInfo? = nil,
        timeline: [TimelineEvent] = []
    ) {
        self.status = status
        self.responseBodyBytes = responseBodyBytes
        self.succeeded = succeeded
        self.hung = hung
        self.report = report
        self.exitStatus = exitStatus
        self.errno = errno
        self.timeline = timeline
    }
}
