/// The grader's judgement of one client in one scenario.
public struct Verdict: Sendable, Hashable, Codable, CustomStringConvertible {
    /// PASS, FAIL or HANG.
    public enum Grade: String, Sendable, Hashable, Codable {
        case pass = "PASS"
        case fail = "FAIL"
        case hang = "HANG"
    }

    /// The grade.
    public var grade: Grade
    /// Why, in a few words (`got 413`, `exited 55 without a status`, `no result within 4 s`).
    public var reason: String

    /// Creates a verdict.
    public init(_ grade: Grade, _ reason: String) {
        self.grade = grade
        self.reason = reason
    }

    public var description: String { "\(self.grade.rawValue): \(self.reason)" }
}

extension Expectation {
    /// Judges what a client reported, and what the peer saw, against this expectation.
    /// - Parameters:
    ///   - outcome: What the client reported.
    ///   - peer: What the scripted peer saw (whether the client asked to continue, how many requests it sent).
    ///   - timeLimit: The scenario's time limit, named in a HANG verdict.
    /// - Returns: PASS, FAIL or HANG, with the reason.
    public func judge(_ outcome: ClientOutcome, peer: PeerRecord, timeLimit: Duration) -> Verdict {
        if outcome.hung {
            let retries = peer.requests.count > 1 ? "; sent the request \(peer.requests.count) times" : ""
            return Verdict(.hang, "no result within \(timeLimit.formatted)\(retries)")
        }
        guard !peer.requests.isEmpty else {
            return Verdict(.fail, "never sent a request (\(outcome.report))")
        }
        if !self.allowsRetry && peer.requests.count > 1 {
            return Verdict(.fail, "sent the request \(peer.requests.count) times (not idempotent, must not retry)")
        }
        switch self.outcome {
        case .failure:
            guard !outcome.succeeded else {
                if let status = outcome.status { return Verdict(.fail, "reported success with \(status)") }
                return Verdict(.fail, "reported success without a status")
            }
            return Verdict(.pass, "failed: \(outcome.report)")
        case .response(let expected):
            guard let status = outcome.status else {
                if outcome.succeeded { return Verdict(.fail, "reported success without a status") }
                return Verdict(.fail, "failed: \(outcome.report)")
            }
            guard status == expected else {
                return Verdict(.fail, "got \(status), expected \(expected)")
            }
            guard outcome.succeeded else {
                return Verdict(.fail, "got \(status) but reported failure: \(outcome.report)")
            }
            if let expectedBytes = self.responseBodyBytes, let bytes = outcome.responseBodyBytes, bytes != expectedBytes
            {
                return Verdict(.fail, "got \(status) with \(bytes) of \(expectedBytes) body bytes")
            }
            if self.mustAskBeforeSending {
                guard let request = peer.requests.first, request.askedToContinue else {
                    return Verdict(.fail, "got \(status), but sent the body without asking (no Expect: 100-continue)")
                }
                guard request.bodyBytesRead == 0 else {
                    return Verdict(.fail, "got \(status), but sent \(request.bodyBytesRead) body bytes after asking")
                }
            }
            return Verdict(.pass, "got \(status)")
        }
    }
}
