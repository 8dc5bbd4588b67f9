import NIOCore

extension ServerConnectionHandler {
    /// Makes `deadline` the connection's only deadline. The timer is lazy: one scheduled task fires no later
    /// than the deadline and, if the deadline has moved on, schedules itself again.
    func armTimer(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        self.deadline = deadline
        if self.timer != nil && self.timerFireTime <= deadline {
            return
        }
        self.timer?.cancel()
        self.scheduleTimer(at: deadline, context: context)
    }

    private func scheduleTimer(at fireTime: NIODeadline, context: ChannelHandlerContext) {
        self.timerFireTime = fireTime
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(deadline: fireTime) {
            handler.value.timerFired(context: boundContext.value)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        guard let deadline = self.deadline else { return }
        if context.eventLoop.now < deadline {
            self.scheduleTimer(at: deadline, context: context)
            return
        }
        self.deadline = nil
        self.deadlinePassed(context: context)
    }
}
