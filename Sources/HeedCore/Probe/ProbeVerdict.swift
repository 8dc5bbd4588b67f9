/// One judged behaviour of a probed server: what it did, whether that is kind to clients, and what it means for them.
public struct ProbeVerdict: Sendable, Hashable, Codable {
    /// How kind a behaviour is to clients.
    public enum Grade: String, Sendable, Hashable, Codable {
        /// What RFC 9110/9112 ask; clients need nothing special.
        case good
        /// Allowed, but clients must be careful.
        case caution
        /// Loses responses or breaks clients that are not careful.
        case bad
    }

    /// The behaviour's short name, such as `"expect-100-continue"`.
    public var behaviour: String
    /// What the server did, in one sentence.
    public var finding: String
    /// The judgement.
    public var grade: Grade
    /// What this means for clients, in one sentence.
    public var meaning: String

    /// Creates a verdict.
    public init(behaviour: String, finding: String, grade: Grade, meaning: String) {
        self.behaviour = behaviour
        self.finding = finding
        self.grade = grade
        self.meaning = meaning
    }

    /// The verdicts for every probed behaviour, in the order the probes run.
    public static func verdicts(for observations: ProbeObservations) -> [Self] {
        var verdicts: [Self] = []
        if let expect = observations.expect { verdicts.append(Self.expect(expect)) }
        if let oversize = observations.oversize {
            verdicts.append(Self.oversize(oversize, offered: observations.oversizeBytes))
        }
        if let idle = observations.idle { verdicts.append(Self.idle(idle)) }
        if let unread = observations.unreadBody { verdicts.append(Self.unreadBody(unread)) }
        return verdicts
    }

    // MARK: - Behaviours

    static func expect(_ answer: ProbeObservations.ExpectAnswer) -> Self {
        let name = "expect-100-continue"
        switch answer {
        case .sentContinue:
            return Self(
                behaviour: name,
                finding: "Answers Expect: 100-continue with 100 Continue.",
                grade: .good,
                meaning: "Clients can ask before sending a large body and learn of a rejection without sending it."
            )
        case .finalStatus(let status):
            return Self(
                behaviour: name,
                finding: "Answers Expect: 100-continue with a final \(status) before any body.",
                grade: .good,
                meaning: "A client that waits for 100 learns the answer without sending the body."
            )
        case .silent(let waited):
            return Self(
                behaviour: name,
                finding: "Ignores Expect: 100-continue (no answer within \(waited) ms).",
                grade: .caution,
                meaning: "Clients wait their continue timeout (about 1 s) before every large upload, then send anyway."
            )
        case .closed:
            return Self(
                behaviour: name,
                finding: "Closes the connection on Expect: 100-continue without answering.",
                grade: .bad,
                meaning: "Clients cannot use Expect: 100-continue with this server; send bodies without it."
            )
        }
    }

    static func oversize(_ answer: ProbeObservations.OversizeAnswer, offered: Int64) -> Self {
        let name = "oversized-upload"
        switch answer {
        case .answeredEarly(let status, let after, let close, let complete, let then):
            var finding =
                "Answers \(status) after \(HumanUnits.bytes(after)) of \(HumanUnits.bytes(offered))"
                + (close ? " with Connection: close" : " without Connection: close")
            let grade: Grade
            let meaning: String
            switch then {
            case .lingered(let more):
                finding += ", then keeps reading (took \(HumanUnits.bytes(more)) more, up to the probe's bound)."
                grade = .good
                meaning = "A client that is still sending gets the \(status) and no reset: a lingering close."
            case .lingeredThenClosed(let more):
                finding += ", then reads \(HumanUnits.bytes(more)) more and closes cleanly (FIN)."
                grade = .good
                meaning = "A lingering close: clients that keep sending a while still read the \(status)."
            case .reset(let more):
                finding += ", then resets the connection after \(HumanUnits.bytes(more)) more."
                grade = .bad
                meaning =
                    "Clients still sending get ECONNRESET/EPIPE and lose the \(status) unless they read while they send."
            case .stalled(let more):
                finding += ", then stops reading but keeps the connection open (\(HumanUnits.bytes(more)) more taken)."
                grade = .caution
                meaning = "Clients that only write block until a timeout unless they read the early answer."
            }
            if !complete { finding += " The response arrived incomplete." }
            return Self(behaviour: name, finding: finding, grade: complete ? grade : .bad, meaning: meaning)
        case .answeredAfterBody(let status, let bytes):
            return Self(
                behaviour: name,
                finding: "Reads the whole \(HumanUnits.bytes(bytes)) body, then answers \(status).",
                grade: .good,
                meaning: "No early answer at this size: its limit is above the probe's bound, or it has none."
            )
        case .resetWithoutAnswer(let after):
            return Self(
                behaviour: name,
                finding: "Resets the connection after \(HumanUnits.bytes(after)) without any answer.",
                grade: .bad,
                meaning: "Clients see only ECONNRESET and cannot tell why the upload failed."
            )
        case .closedWithoutAnswer(let after):
            return Self(
                behaviour: name,
                finding: "Closes the connection after \(HumanUnits.bytes(after)) without any answer.",
                grade: .bad,
                meaning: "Clients see an empty reply and cannot tell why the upload failed."
            )
        case .silent(let after):
            return Self(
                behaviour: name,
                finding: "Stops reading after \(HumanUnits.bytes(after)) and neither answers nor closes.",
                grade: .bad,
                meaning: "Uploads hang until the client's timeout."
            )
        }
    }

    static func idle(_ idle: ProbeObservations.IdleClose) -> Self {
        let name = "idle-keep-alive"
        switch idle {
        case .closedAfter(let milliseconds, let reset):
            let seconds = HumanUnits.duration(nanoseconds: UInt64(milliseconds) * 1_000_000)
            return Self(
                behaviour: name,
                finding: "Closes an idle keep-alive connection after \(seconds)"
                    + (reset ? " with a reset." : " (FIN)."),
                grade: reset ? .caution : .good,
                meaning:
                    "Clients should drop pooled connections idle for less than \(seconds), or retry idempotent "
                    + "requests that meet a closed connection."
            )
        case .stillOpen(let waited):
            let seconds = HumanUnits.duration(nanoseconds: UInt64(waited) * 1_000_000)
            return Self(
                behaviour: name,
                finding: "Keeps an idle keep-alive connection open for at least \(seconds) (the probe's wait).",
                grade: .good,
                meaning: "Pooled connections stay usable at least that long; the server may still close them later."
            )
        case .closesEveryConnection:
            return Self(
                behaviour: name,
                finding: "Closes the connection after every response (Connection: close).",
                grade: .caution,
                meaning: "No connection reuse: every request pays for a new connection."
            )
        }
    }

    static func unreadBody(_ unread: ProbeObservations.UnreadBody) -> Self {
        let name = "unread-body"
        switch unread {
        case .drained(let status):
            return Self(
                behaviour: name,
                finding: "Discards a body it did not read and answers the next request (\(status)) on the connection.",
                grade: .good,
                meaning: "Connections stay reusable after requests whose bodies the handler ignored."
            )
        case .closedAfterResponse:
            return Self(
                behaviour: name,
                finding: "Closes the connection after a request whose body it did not read.",
                grade: .good,
                meaning: "Safe: clients open a new connection for the next request."
            )
        case .misread(let what):
            return Self(
                behaviour: name,
                finding: "Reads the unread body as the next request (\(what)).",
                grade: .bad,
                meaning: "The next request on the connection fails, and request smuggling becomes possible."
            )
        }
    }
}
