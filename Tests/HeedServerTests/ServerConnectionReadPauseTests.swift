import HeedCore
import NIOCore
import Testing

/// The idle clock of ``ServerConnectionStateMachine`` while the server itself has stopped reading.
@Suite struct ServerConnectionReadPauseTests {
    /// The idle clock alone; the body's overall deadline during a pause: ServerBodyDeadlineTests.
    private let limits = ServerLimits(maxBodySize: 1000, idleTimeout: .seconds(60), minimumBodyRate: nil)
    private let now = NIODeadline.uptimeNanoseconds(5_000_000_000)

    private func streamingMachine() -> ServerConnectionStateMachine {
        var machine = ServerConnectionStateMachine(limits: self.limits)
        let head = ServerRequestHeadInfo(contentLength: 500, isChunked: false, expectation: .none, keepAlive: true)
        _ = machine.headReceived(head)
        _ = machine.responderAccepted(now: self.now)
        _ = machine.bodyReceived(byteCount: 100, now: self.now)
        return machine
    }

    /// A pause of the server's reads stops the clock; the resume restarts it from the resume's time.
    @Test func pauseStopsTheClockAndResumeRestartsIt() {
        var machine = self.streamingMachine()
        #expect(machine.readingPaused() == .disarmTimer)
        let later = self.now + .seconds(300)
        #expect(machine.readingResumed(now: later) == .armTimer(later + .seconds(60)))
        #expect(machine.bodyReceived(byteCount: 100, now: later) == .forwardBody(timerDeadline: later + .seconds(60)))
    }

    /// Outside a streamed body there is no clock for a pause to stop.
    @Test func pauseOutsideABodyDoesNothing() {
        var machine = self.streamingMachine()
        _ = machine.bodyReceived(byteCount: 400, now: self.now)
        _ = machine.endReceived(now: self.now)
        #expect(machine.readingPaused() == .doNothing)
        #expect(machine.readingResumed(now: self.now) == .doNothing)
    }
}
