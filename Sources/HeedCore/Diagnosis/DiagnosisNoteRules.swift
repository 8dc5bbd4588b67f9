// Remarks that do not change an exchange's outcome but explain something surprising in it.
extension DiagnosisNoteRule {
    /// An earlier attempt hit the keep-alive idle-close race and the request was retried.
    static let staleConnectionRetried = DiagnosisNoteRule(name: "stale-connection-retried") { facts in
        guard facts.previousAttempts.contains(where: \.looksLikeStaleConnection) else {
            return nil
        }
        let outcome = facts.succeeded ? "succeeded" : "failed too"
        return "The server closed an idle keep-alive connection just as this request was sent; "
            + "the request was retried on a new connection and \(outcome)."
    }

    /// An earlier attempt failed for another reason and the request was retried.
    static let otherRetry = DiagnosisNoteRule(name: "retried") { facts in
        let others = facts.previousAttempts.filter { !$0.looksLikeStaleConnection }
        guard !others.isEmpty else {
            return nil
        }
        let reasons = others.map { $0.retryReason ?? "unknown reason" }.joined(separator: "; ")
        let times = others.count == 1 ? "once" : "\(others.count) times"
        return "The request was retried \(times) on a new connection (\(reasons))."
    }

    /// The server never answered `Expect: 100-continue`, so the body went anyway.
    static let continueWaitExpired = DiagnosisNoteRule(name: "continue-wait-expired") { facts in
        guard facts.attempt.continueExpired, !facts.attempt.continueReceived else {
            return nil
        }
        return "The server did not answer Expect: 100-continue in time, so the body was sent without waiting "
            + "for it; the server most likely ignores Expect."
    }

    /// A write failed (EPIPE, ECONNRESET) but the server's answer was already there and was read in full.
    static let writeFailedResponseRecovered = DiagnosisNoteRule(name: "write-failed-response-recovered") { facts in
        guard let write = facts.attempt.writeFailure, let response = facts.attempt.response,
            facts.attempt.responseFinished
        else {
            return nil
        }
        return "Sending the body failed with \(write.name ?? write.message) after "
            + "\(HumanUnits.bytes(facts.attempt.bodySent)), but the server's \(response.status) response "
            + "had already arrived and was read in full."
    }
}
