import HeedCore
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One event loop's busy polling for one client (``HTTPClient/Configuration/busyPoll``): the loop's
/// ``BusyPollPolicy`` and the two ways it spins.
final class LoopBusyPoll: Sendable {
    let eventLoop: any EventLoop
    /// Touched on the loop only.
    let policy: NIOLoopBoundBox<BusyPollPolicy>
    /// Counts the requests that callers off the loop hand to it; a spin for the next request ends when it moves.
    private let requestsHandedOver = Atomic<Int>(0)

    init(eventLoop: any EventLoop, budget: Int64) {
        self.eventLoop = eventLoop
        self.policy = .makeBoxSendingValue(BusyPollPolicy(budget: budget), eventLoop: eventLoop)
    }

    /// The monotonic clock, in nanoseconds. Spinning is real time: never the loop's (testable) clock.
    static var now: Int64 { Int64(truncatingIfNeeded: NIODeadline.now().uptimeNanoseconds) }

    /// A caller off the loop is about to hand it a request (called before the hand-over, on the caller's thread).
    func requestComing() {
        self.requestsHandedOver.wrappingAdd(1, ordering: .releasing)
    }

    /// How many requests were handed over so far; read before a response goes out, so that a request that follows
    /// at once is not missed.
    var requestCount: Int {
        self.requestsHandedOver.load(ordering: .acquiring)
    }

    /// Spins until a request follows `count`, for at most the budget. On the loop.
    /// - Returns: whether a request came.
    func spinForRequest(after count: Int) -> Bool {
        let end = Self.now &+ self.policy.value.budget
        repeat {
            if self.requestsHandedOver.load(ordering: .acquiring) != count { return true }
        } while Self.now < end
        return false
    }

    /// Spins until `channel`'s socket has something to read (or is closed), for at most the budget. On the loop.
    /// - Returns: whether it became readable; `nil` when the channel exposes no socket (an embedded one).
    func spinForResponse(on channel: any Channel) -> Bool? {
        let budget = self.policy.value.budget
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        let readable = try? channel.pipeline.syncOperations.withUnsafeTransportIfAvailable(
            of: NIOBSDSocket.Handle.self
        ) { socket -> Bool in
            var entry = pollfd(fd: socket, events: Int16(truncatingIfNeeded: POLLIN), revents: 0)
            let end = Self.now &+ budget
            repeat {
                let ready = poll(&entry, 1, 0)
                // Readable, closed, or an error: the loop's own poll reports it next, without sleeping.
                if ready != 0 { return true }
            } while Self.now < end
            return false
        }
        return readable ?? nil
        #else
        return nil
        #endif
    }
}

/// A client's busy pollers, one per event loop of its group, made once (lookups take no lock).
final class BusyPollers: Sendable {
    private let byLoop: [ObjectIdentifier: LoopBusyPoll]

    /// `nil` when `budget` is `nil` or not above zero; budgets above a millisecond are cut to one.
    init?(budget: Duration?, group: any EventLoopGroup) {
        guard let budget, budget > .zero else { return nil }
        let nanoseconds = min(budget, .milliseconds(1)).timeAmount.nanoseconds
        var byLoop: [ObjectIdentifier: LoopBusyPoll] = [:]
        for loop in group.makeIterator() {
            byLoop[ObjectIdentifier(loop)] = LoopBusyPoll(eventLoop: loop, budget: max(1, nanoseconds))
        }
        self.byLoop = byLoop
    }

    /// The poller of `loop`; `nil` for a loop outside the group.
    func poller(for loop: any EventLoop) -> LoopBusyPoll? {
        self.byLoop[ObjectIdentifier(loop)]
    }

    /// Every loop's statistics, summed (for tests and the benchmark's report).
    func statistics() async throws -> BusyPollPolicy.Statistics {
        var total = BusyPollPolicy.Statistics()
        for poller in self.byLoop.values {
            let part = try await poller.eventLoop.submit { poller.policy.value.statistics }.get()
            total.responseSpins += part.responseSpins
            total.responseSpinsAnswered += part.responseSpinsAnswered
            total.requestSpins += part.requestSpins
            total.requestSpinsAnswered += part.requestSpinsAnswered
        }
        return total
    }
}
