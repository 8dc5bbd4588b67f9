import HeedCore
import NIOCore
import Testing

@Suite struct LingeringCloseStateMachineTests {
    private let configuration = LingeringCloseConfiguration(
        lingerTime: .seconds(30),
        lingerReadTimeout: .seconds(5),
        maxDiscardBytes: 1000
    )
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    /// Before any close, reads and EOF pass through untouched.
    @Test func openConnectionForwardsEverything() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        #expect(machine.channelRead(byteCount: 10, now: self.start).isForward)
        #expect(machine.inputClosed().isForward)
        #expect(!machine.isDiscarding)
    }

    /// A close becomes a half-close, then lingering with the per-read deadline, then a close at the client's EOF.
    @Test func closeLingersUntilClientEOF() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        #expect(machine.closeRequested(promise: nil, now: self.start).isCloseOutput)
        #expect(machine.isDiscarding)
        #expect(machine.channelRead(byteCount: 100, now: self.start).discardDeadline == .some(nil))
        #expect(machine.outputClosed(now: self.start).lingerDeadline == self.start + .seconds(5))
        let later = self.start + .seconds(1)
        #expect(machine.channelRead(byteCount: 100, now: later).discardDeadline == later + .seconds(5))
        #expect(machine.inputClosed().isClose)
        #expect(machine.channelRead(byteCount: 1, now: later).discardDeadline == .some(nil))
    }

    /// The per-read deadline never passes the total linger time.
    @Test func readDeadlineIsCappedByLingerTime() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        _ = machine.closeRequested(promise: nil, now: self.start)
        _ = machine.outputClosed(now: self.start)
        let nearEnd = self.start + .seconds(28)
        #expect(machine.channelRead(byteCount: 1, now: nearEnd).discardDeadline == self.start + .seconds(30))
        #expect(machine.channelRead(byteCount: 1, now: self.start + .seconds(30)).isClose)
    }

    /// More than maxDiscardBytes while lingering closes the connection.
    @Test func byteLimitCloses() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        _ = machine.closeRequested(promise: nil, now: self.start)
        _ = machine.outputClosed(now: self.start)
        #expect(machine.channelRead(byteCount: 1000, now: self.start).discardDeadline != nil)
        #expect(machine.channelRead(byteCount: 1, now: self.start).isClose)
    }

    /// The timer firing while lingering closes the connection.
    @Test func timerCloses() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        #expect(machine.timerFired().isDoNothing)
        _ = machine.closeRequested(promise: nil, now: self.start)
        _ = machine.outputClosed(now: self.start)
        #expect(machine.timerFired().isClose)
        #expect(machine.timerFired().isDoNothing)
    }

    /// A client that already sent its FIN is not lingered for, but its pending response is: the channel closes
    /// once the pending writes are flushed (bounded by the linger time).
    @Test func closeAfterClientEOFFlushesFirst() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        _ = machine.inputClosed()
        guard case .awaitPendingWrites(let deadline) = machine.closeRequested(promise: nil, now: self.start) else {
            Issue.record("expected awaitPendingWrites")
            return
        }
        #expect(deadline == self.start + .seconds(30))
        #expect(machine.outputClosed(now: self.start).isClose)
    }

    /// A close after the client's FIN and the application's own half-close has nothing left to flush: at once.
    @Test func closeAfterBothHalfClosesIsImmediate() {
        var configuration = self.configuration
        configuration.lingerOnApplicationHalfClose = false
        var machine = LingeringCloseStateMachine(configuration: configuration)
        _ = machine.inputClosed()
        _ = machine.outputCloseRequested(promise: nil, now: self.start)
        #expect(machine.closeRequested(promise: nil, now: self.start).isClose)
    }

    /// EOF that arrives while the output is still flushing closes as soon as the output is shut down.
    @Test func eofWhileFlushingClosesAfterOutputShutdown() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        _ = machine.closeRequested(promise: nil, now: self.start)
        #expect(machine.inputClosed().isDoNothing)
        #expect(machine.outputClosed(now: self.start).isClose)
    }

    /// An application's own half-close starts lingering at once.
    @Test func applicationHalfCloseStartsLingering() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        #expect(machine.outputCloseRequested(promise: nil, now: self.start).isCloseOutput)
        #expect(machine.isDiscarding)
        #expect(machine.outputClosed(now: self.start).lingerDeadline == self.start + .seconds(5))
        #expect(machine.closeRequested(promise: nil, now: self.start).isDoNothing)
        #expect(machine.inputClosed().isClose)
    }

    /// With lingerOnApplicationHalfClose off, the half-close passes through and the full close lingers at once.
    @Test func closeAfterApplicationHalfCloseLingersAtOnce() {
        var configuration = self.configuration
        configuration.lingerOnApplicationHalfClose = false
        var machine = LingeringCloseStateMachine(configuration: configuration)
        #expect(machine.outputCloseRequested(promise: nil, now: self.start).isForward)
        #expect(!machine.isDiscarding)
        #expect(machine.closeRequested(promise: nil, now: self.start).lingerDeadline == self.start + .seconds(5))
        #expect(machine.channelRead(byteCount: 10, now: self.start).discardDeadline != nil)
        #expect(machine.inputClosed().isClose)
    }

    /// A client that never reads the response cannot hold the connection: the timer armed at the close ends it.
    @Test func unreadResponseIsBoundedByLingerTime() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        guard case .closeOutput(_, let deadline) = machine.closeRequested(promise: nil, now: self.start) else {
            Issue.record("expected closeOutput")
            return
        }
        #expect(deadline == self.start + .seconds(30))
        #expect(machine.timerFired().isClose)
    }

    /// The total linger time counts from the close request, not from the end of the flush.
    @Test func lingerTimeCountsFromTheCloseRequest() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        _ = machine.closeRequested(promise: nil, now: self.start)
        #expect(machine.outputClosed(now: self.start + .seconds(28)).lingerDeadline == self.start + .seconds(30))
    }

    /// A failed half-close or a read error while lingering closes at once.
    @Test func failuresClose() {
        var machine = LingeringCloseStateMachine(configuration: self.configuration)
        #expect(machine.errorCaught().isForward)
        _ = machine.closeRequested(promise: nil, now: self.start)
        #expect(machine.outputCloseFailed().isClose)

        var other = LingeringCloseStateMachine(configuration: self.configuration)
        _ = other.closeRequested(promise: nil, now: self.start)
        _ = other.outputClosed(now: self.start)
        #expect(other.errorCaught().isClose)
    }
}

extension LingeringCloseStateMachine.Action {
    var isForward: Bool {
        if case .forward = self { return true }
        return false
    }
    var isCloseOutput: Bool {
        if case .closeOutput = self { return true }
        return false
    }
    var isClose: Bool {
        if case .close = self { return true }
        return false
    }
    var isDoNothing: Bool {
        if case .doNothing = self { return true }
        return false
    }
    /// The deadline of a discard action (`.some(nil)` for a discard without re-arming), or nil for other actions.
    var discardDeadline: NIODeadline?? {
        if case .discard(let deadline) = self { return .some(deadline) }
        return nil
    }
    var lingerDeadline: NIODeadline? {
        if case .startLingering(let deadline) = self { return deadline }
        return nil
    }
}
