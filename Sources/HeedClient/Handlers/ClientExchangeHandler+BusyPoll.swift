import HeedCore
import NIOCore

extension ClientExchangeHandler {
    /// Spins for the response to the request that just went out whole, when the loop's policy says it pays
    /// (``HTTPClient/Configuration/busyPoll``).
    func spinForResponse(context: ChannelHandlerContext) {
        // A request whose end could not go out at once leaves nothing to spin for yet.
        guard let busyPoll = self.busyPoll, context.channel.isWritable,
            busyPoll.policy.value.spinsForResponse(),
            let outcome = busyPoll.spinForResponse(on: context.channel)
        else { return }
        busyPoll.policy.value.responseSpinEnded(outcome)
    }

    /// Ends the exchange in the loop's policy.
    /// - Returns: the count of requests handed over so far, when the loop should spin for the caller's next one.
    func spinsForNextRequest(_ busyPoll: LoopBusyPoll, exchange: ClientExchange) -> Int? {
        let count = busyPoll.requestCount
        let spin = busyPoll.policy.value.exchangeEnded(handedToCallerOffLoop: exchange.callerOffLoop)
        return spin ? count : nil
    }

    /// Spins until the caller off the loop hands over its next request, for at most the budget.
    func spinForRequest(_ busyPoll: LoopBusyPoll, after count: Int) {
        let outcome = busyPoll.spinForRequest(after: count)
        busyPoll.policy.value.requestSpinEnded(outcome)
    }
}
