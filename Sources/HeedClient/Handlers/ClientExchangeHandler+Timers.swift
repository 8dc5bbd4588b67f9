import HeedCore
import NIOCore

// MARK: - Timeline and timers

extension ClientExchangeHandler {
    /// Records `kind` at `time` (a clock reading the caller already took), or now.
    func record(_ kind: ExchangeEvent.Kind, at time: NIODeadline? = nil) {
        guard self.recorder.isRecording else { return }
        self.recorder.record(kind, at: time ?? self.eventLoop.now)
    }

    /// Records the kernel's view of the connection (Linux TCP_INFO), while the socket is still open.
    func recordTCPInfo(context: ChannelHandlerContext) {
        #if os(Linux)
        guard let provider = context.channel as? any SocketOptionProvider else { return }
        // On the channel's own loop the option is read at once, so the callback runs before we close.
        provider.getTCPInfoSnapshot().assumeIsolatedUnsafeUnchecked().whenSuccess { snapshot in
            self.record(.tcpInfo(snapshot))
        }
        #endif
    }

    func timerFired(
        _ kind: TimeoutKind,
        _ event: (inout ClientExchangeStateMachine) -> ClientExchangeStateMachine.Action
    ) {
        guard let context = self.context, self.exchange != nil else { return }
        let action = event(&self.machine)
        // A read or request timeout that changes anything is in the timeline, with the kernel's view at that moment,
        // whether it fails the exchange or lets an early complete answer stand. (The wait for `100 Continue` ending
        // is no failure: the body just starts.)
        if kind != .continueWait, action != .doNothing {
            self.record(.timeoutFired(kind))
            self.recordTCPInfo(context: context)
        }
        self.run(action, context: context)
    }

    /// Makes sure the idle check runs by the time the current exchange could go idle. A check still armed from an
    /// earlier exchange is kept when it is due no later (it re-arms itself for the remaining time when it fires).
    func armIdleCheck(context: ChannelHandlerContext) {
        guard let timeout = self.exchange?.readIdleTimeout else { return }
        let due = self.lastActivity + timeout
        if let armed = self.idleTimerDue, armed <= due { return }
        self.cancelIdleTimer()
        self.idleTimerDue = due
        self.idleTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: due) {
            self.idleTimer = nil
            self.idleTimerDue = nil
            guard let context = self.context, let timeout = self.exchange?.readIdleTimeout else { return }
            if self.readingPaused {
                // The consumer is not reading (back-pressure): the silence is its own, not the server's.
                self.lastActivity = self.eventLoop.now
                self.armIdleCheck(context: context)
            } else if self.eventLoop.now >= self.lastActivity + timeout {
                self.timerFired(.readIdle) { $0.readIdleTimeoutFired() }
            } else {
                self.armIdleCheck(context: context)
            }
        }
    }

    func cancelIdleTimer() {
        self.idleTimer?.cancel()
        self.idleTimer = nil
        self.idleTimerDue = nil
    }
}
