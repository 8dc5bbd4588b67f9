import Testing

@testable import HeedCore

/// Notes on exchanges that succeeded after something surprising, and the coverage of the rule tables.
@Suite struct DiagnosisNoteRuleTests {
    static let cases: [RuleCase] = [
        RuleCase(
            name: "stale keep-alive connection, retried, succeeded",
            timeline: recorded(
                method: "GET",
                target: "http://127.0.0.1:8080/",
                bodyLength: 0,
                [
                    (0, .reusedConnection(local: "127.0.0.1:50412", remote: "127.0.0.1:8080", previousRequests: 1)),
                    (40, .requestHeadSent(bytes: 80)), (95, .finReceived),
                    (100, .retried(reason: "the pooled connection closed before any response byte")),
                ] + [
                    (110, .connecting(address: "127.0.0.1:8080")),
                    (290, .connected(local: "127.0.0.1:50414", remote: "127.0.0.1:8080")),
                    (330, .requestHeadSent(bytes: 80)),
                    (900, .responseHeadReceived(status: 200, reason: "OK", connectionClose: false, contentLength: 5)),
                    (910, .responseFinished(total: 5)),
                ]
            ),
            rule: "completed",
            summary: "The exchange completed: the server answered 200 OK (0 B sent, 5 B received).",
            phase: .completed,
            peerAction: .answered(status: 200),
            catalogueName: nil,
            notes: [
                "The server closed an idle keep-alive connection just as this request was sent; the request was "
                    + "retried on a new connection and succeeded."
            ]
        ),
        RuleCase(
            name: "retried after a reset on a new connection, then refused",
            timeline: recorded(
                method: "GET",
                port: 9,
                bodyLength: 0,
                Recording.connectAndSendHead + [
                    (500, .resetReceived), (510, .retried(reason: "connection reset before the response")),
                    (520, .connecting(address: "127.0.0.1:9")),
                    (600, .connectFailed(SystemErrorInfo(linuxErrno: 111))),
                ]
            ),
            rule: "connect-refused",
            summary: "The connection to 127.0.0.1:9 was refused (ECONNREFUSED), so nothing was sent. "
                + "No server is listening on that port, or a firewall rejected the connection.",
            phase: .connecting,
            peerAction: .reset,
            catalogueName: "ECONNREFUSED",
            notes: ["The request was retried once on a new connection (connection reset before the response)."]
        ),
    ]

    /// Each recorded retry reads as its pinned sentence and note.
    @Test(arguments: Self.cases) func diagnosis(_ ruleCase: RuleCase) {
        check(ruleCase)
    }

    /// Every rule and every note rule in the tables is pinned by at least one recorded case.
    @Test func everyRuleHasARecordedCase() {
        let all =
            DiagnosisConnectionRuleTests.cases + DiagnosisResponseRuleTests.cases
            + DiagnosisNoResponseRuleTests.cases + DiagnosisTimeoutRuleTests.cases + Self.cases
        let covered = Set(all.map(\.rule))
        let names = DiagnosisRule.table.map(\.name)
        #expect(Set(names).subtracting(covered).isEmpty, "rules without a case: \(Set(names).subtracting(covered))")
        #expect(Set(names).count == names.count, "rule names are unique")

        let noted = all.flatMap { ruleCase in
            let facts = DiagnosisFacts(timeline: ruleCase.timeline, error: ruleCase.error)
            return DiagnosisNoteRule.table.filter { $0.note(facts) != nil }.map(\.name)
        }
        let noteNames = Set(DiagnosisNoteRule.table.map(\.name))
        #expect(noteNames.subtracting(noted).isEmpty, "note rules without a case: \(noteNames.subtracting(noted))")
    }

    /// Times out of order (a hand-edited or decoded timeline) give a zero duration, not a wrapped-around one.
    @Test func outOfOrderTimesDoNotWrap() {
        let timeline = recorded(
            [(5_000, .connecting(address: "127.0.0.1:8080")), (1_000, .timeoutFired(.connect))]
        )
        #expect(
            DiagnosisEngine.diagnose(timeline).summary.hasPrefix("Connecting to 127.0.0.1:8080 timed out after 0 µs")
        )
    }

    /// The last rule explains anything, so diagnosing never comes back empty, even for an empty timeline.
    @Test func emptyTimelineIsStillExplained() {
        let diagnosis = DiagnosisEngine.diagnose(ExchangeTimeline(method: "GET", target: "/", host: "h", port: 1))
        #expect(diagnosis.rule == "unexplained-failure")
        #expect(diagnosis.phase == .resolving)
        #expect(!diagnosis.summary.isEmpty)
    }
}
