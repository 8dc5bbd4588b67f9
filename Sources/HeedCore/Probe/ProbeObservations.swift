/// What `heed probe` saw a server do, one field per behaviour, before any judgement.
///
/// Built by the prober from bounded experiments on one connection at a time; ``ProbeVerdict/verdicts(for:)``
/// turns it into verdicts.
public struct ProbeObservations: Sendable, Hashable, Codable {
    /// How the server answered a request head carrying `Expect: 100-continue`.
    public enum ExpectAnswer: Sendable, Hashable, Codable {
        /// It sent `100 Continue`.
        case sentContinue
        /// It sent this final status without reading the body.
        case finalStatus(Int)
        /// It sent nothing within the wait (milliseconds).
        case silent(waitedMilliseconds: Int)
        /// It closed or reset the connection without an answer.
        case closed
    }

    /// What the server did after answering an upload early, while the client kept sending.
    public enum AfterEarlyAnswer: Sendable, Hashable, Codable {
        /// It kept reading (lingered): it took this many more bytes, and the probe stopped at its bound.
        case lingered(bytesAccepted: Int64)
        /// It kept reading for a while, then closed cleanly; the client saw no reset.
        case lingeredThenClosed(bytesAccepted: Int64)
        /// It reset the connection after taking this many more bytes.
        case reset(bytesAccepted: Int64)
        /// It stopped reading but kept the connection open; the client's writes stalled.
        case stalled(bytesAccepted: Int64)
    }

    /// How the server handled an upload larger than it accepts.
    public enum OversizeAnswer: Sendable, Hashable, Codable {
        /// It answered before the body was complete.
        case answeredEarly(
            status: Int,
            afterBytes: Int64,
            connectionClose: Bool,
            responseComplete: Bool,
            then: AfterEarlyAnswer
        )
        /// It read the whole body (the probe's bound) and then answered.
        case answeredAfterBody(status: Int, bodyBytes: Int64)
        /// It reset the connection without an answer after this many bytes.
        case resetWithoutAnswer(afterBytes: Int64)
        /// It closed the connection without an answer after this many bytes.
        case closedWithoutAnswer(afterBytes: Int64)
        /// It neither answered nor closed within the wait.
        case silent(afterBytes: Int64)
    }

    /// How the server ends an idle keep-alive connection.
    public enum IdleClose: Sendable, Hashable, Codable {
        /// It closed the idle connection after this many milliseconds, cleanly (FIN) or by reset.
        case closedAfter(milliseconds: Int, reset: Bool)
        /// It was still open when the probe stopped waiting.
        case stillOpen(waitedMilliseconds: Int)
        /// It asked to close after the response (`Connection: close`) and did.
        case closesEveryConnection
    }

    /// What the server does with a request body it does not read, when a second request follows.
    public enum UnreadBody: Sendable, Hashable, Codable {
        /// It discarded the body and answered the next request on the same connection.
        case drained(secondStatus: Int)
        /// It closed the connection after the first response instead of reusing it.
        case closedAfterResponse
        /// It answered the next request with garbage or 400: it read the body as a request.
        case misread(String)
    }

    /// The Expect observation, or nil if not probed.
    public var expect: ExpectAnswer?
    /// The oversize-upload observation, and the size the probe offered.
    public var oversize: OversizeAnswer?
    /// The upload size the oversize probe announced.
    public var oversizeBytes: Int64
    /// The idle keep-alive observation.
    public var idle: IdleClose?
    /// The unread-body observation.
    public var unreadBody: UnreadBody?

    /// Creates observations; fields left nil were not probed.
    public init(
        expect: ExpectAnswer? = nil,
        oversize: OversizeAnswer? = nil,
        oversizeBytes: Int64 = 0,
        idle: IdleClose? = nil,
        unreadBody: UnreadBody? = nil
    ) {
        self.expect = expect
        self.oversize = oversize
        self.oversizeBytes = oversizeBytes
        self.idle = idle
        self.unreadBody = unreadBody
    }
}
