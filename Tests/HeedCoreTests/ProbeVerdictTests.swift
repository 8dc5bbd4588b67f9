import HeedCore
import Testing

@Suite struct ProbeVerdictTests {
    /// Each observation becomes one verdict, in probe order, with the grade its manners deserve.
    @Test func gradesEachBehaviour() {
        let observations = ProbeObservations(
            expect: .finalStatus(417),
            oversize: .answeredEarly(
                status: 413,
                afterBytes: 0,
                connectionClose: true,
                responseComplete: true,
                then: .stalled(bytesAccepted: 10)
            ),
            oversizeBytes: 16_000_000,
            idle: .closedAfter(milliseconds: 75_000, reset: true),
            unreadBody: .drained(secondStatus: 200)
        )
        let verdicts = ProbeVerdict.verdicts(for: observations)
        #expect(
            verdicts.map(\.behaviour) == ["expect-100-continue", "oversized-upload", "idle-keep-alive", "unread-body"]
        )
        #expect(verdicts.map(\.grade) == [.good, .caution, .caution, .good])
        #expect(
            verdicts[1].finding.hasPrefix("Answers 413 after 0 B of 16 MB with Connection: close, then stops reading")
        )
        #expect(verdicts[2].finding == "Closes an idle keep-alive connection after 75 s with a reset.")
    }

    /// A reset after an early answer is bad; an incomplete early answer is bad whatever follows.
    @Test func resetsAndTruncationAreBad() {
        let reset = ProbeVerdict.verdicts(
            for: ProbeObservations(
                oversize: .answeredEarly(
                    status: 413,
                    afterBytes: 65536,
                    connectionClose: false,
                    responseComplete: true,
                    then: .reset(bytesAccepted: 0)
                ),
                oversizeBytes: 1_000_000
            )
        )
        #expect(reset.map(\.grade) == [.bad])
        #expect(reset[0].meaning.contains("ECONNRESET"))
        let truncated = ProbeVerdict.verdicts(
            for: ProbeObservations(
                oversize: .answeredEarly(
                    status: 413,
                    afterBytes: 0,
                    connectionClose: true,
                    responseComplete: false,
                    then: .lingered(bytesAccepted: 5)
                )
            )
        )
        #expect(truncated.map(\.grade) == [.bad])
        #expect(ProbeVerdict.verdicts(for: ProbeObservations()).isEmpty)
    }
}
