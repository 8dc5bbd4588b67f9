import HeedScenarios
import Testing

/// Each peer records its own side: what it read, what it wrote, and how it closed.
@Suite(.serialized) struct PeerTimelineTests {
    private func kinds(_ run: ScenarioRun) -> [TimelineEvent.Kind] {
        run.peer.timeline.map(\.kind)
    }

    /// early-reject-rst: head, 413, reset, in that order, with no body read.
    @Test func earlyRejectRSTResets() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectRST, client: NaiveClient())
        #expect(Array(self.kinds(run).prefix(5)) == [.listen, .accept, .requestHead, .response, .reset])
        #expect(run.peer.connectionsAccepted == 1)
    }

    /// early-reject-linger: response, half-close, then the whole body read and discarded before the close.
    @Test func lingeringCloseDrainsTheBody() async throws {
        let run = try await ScenarioRunner.run(.earlyRejectLinger, client: NaiveClient())
        let kinds = self.kinds(run)
        let halfClose = try #require(kinds.firstIndex(of: .halfClose))
        #expect(kinds[halfClose - 1] == .response)
        #expect(kinds.last == .close)
        #expect(run.peer.requests.first?.bodyBytesRead == Scenario.uploadSize)
    }

    /// reset-mid-body: the peer reads about 1 MiB of the body, then resets.
    @Test func resetMidBody() async throws {
        let run = try await ScenarioRunner.run(.resetMidBody, client: NaiveClient())
        #expect(self.kinds(run).last == .reset)
        let read = try #require(run.peer.requests.first?.bodyBytesRead)
        #expect(read >= 1 << 20 && read < Scenario.uploadSize)
    }

    /// truncated-body: the peer declares 1 MiB and writes 64 KiB; the naive client sees the short body.
    @Test func truncatedBody() async throws {
        let run = try await ScenarioRunner.run(.truncatedBody, client: NaiveClient())
        #expect(run.outcome.status == 200)
        #expect(run.outcome.responseBodyBytes == 64 << 10)
        #expect(run.verdict.grade == .pass)
    }
}
