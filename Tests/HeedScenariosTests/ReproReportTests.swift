import HeedScenarios
import Testing

/// `heed repro`'s report: the two-column timeline and the explanation, built from a real run.
@Suite(.serialized) struct ReproReportTests {
    /// The timeline holds both sides' events in causal order: the 413 and the reset come before the client's
    /// write error, which comes before the lost response.
    @Test func originalStoryEvents() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        let expected: [(TimelineEvent.Side, TimelineEvent.Kind)] = [
            (.server, .listen), (.client, .connect), (.server, .requestHead), (.server, .response),
            (.server, .reset), (.client, .error), (.client, .responseLost), (.client, .giveUp),
        ]
        var remaining = expected[...]
        for event in run.timeline where remaining.first.map({ $0 == (event.side, event.kind) }) ?? false {
            remaining = remaining.dropFirst()
        }
        #expect(remaining.isEmpty, "events missing or out of order: \(remaining.map { "\($0.0) \($0.1)" })")
        let response = try #require(run.peer.timeline.first { $0.kind == .response })
        #expect(response.text.hasPrefix("wrote 413 Payload Too Large"))
    }

    /// The report renders every event in timeline order, marks the lost response and names the errno's twin.
    @Test func originalStoryReport() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        let text = ReproReport(scenario: .earlyRejectRST, runs: [("naive", run)], colour: false).render()
        var cursor = text.startIndex
        for event in run.timeline {
            let opening = String(event.text.prefix(12))
            let found = try #require(text[cursor...].firstRange(of: opening), "missing or out of order: \(opening)")
            cursor = found.upperBound
        }
        let errno = try #require(run.outcome.errno)
        #expect(text.contains("\(errno.name) (\(errno.code)"))
        #expect(text.contains(try #require(errno.windowsName)))
        #expect(text.contains("The response was lost"))
        #expect(!text.contains("\u{1B}["))
    }

    /// With colour on, the lost response is painted red; without, no escape codes appear.
    @Test func colourOnlyWhenAsked() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        let coloured = TimelineRenderer(colour: true).render(run)
        #expect(coloured.contains("\u{1B}[1;31m✗ RESPONSE LOST"))
        #expect(!TimelineRenderer(colour: false).render(run).contains("\u{1B}["))
    }

    /// Long texts wrap inside their column.
    @Test func wrapping() {
        let lines = TimelineRenderer.wrap("aaa bbb ccc dddddddddd", width: 7)
        #expect(lines == ["aaa bbb", "ccc", "ddddddd", "ddd"])
    }
}
