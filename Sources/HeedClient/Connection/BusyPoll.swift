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

    /// A gap this long (nanoseconds) between two looks during a spin means the thread lost its CPU: a look takes
    /// well under a microsecond, a `poll` call one or two.
    static let descheduledGap: Int64 = 5_000

    /// Spins, looking with `arrived`, for at most the budget.
    private func spin(_ arrived: () -> Bool) -> BusyPollPolicy.SpinOutcome {
        var last = Self.now
        let end = last &+ self.policy.value.budget
        var descheduled = false
        repeat {
            if arrived() { return descheduled ? .descheduled : .answered }
            let now = Self.now
            if now - last > Self.descheduledGap { descheduled = true }
            last = now
        } while last < end
        return descheduled ? .descheduled : .inVain
    }

    /// Spins until a request follows `count`, for at most the budget. On the loop.
    func spinForRequest(after count: Int) -> BusyPollPolicy.SpinOutcome {
        self.spin { self.requestsHandedOver.load(ordering: .acquiring) != count }
    }

    /// Spins until `channel`'s socket has something to read (or is closed), for at most the budget. On the loop.
    /// - Returns: how the spin ended; `nil` when the channel exposes no socket (an embedded one).
    func spinForResponse(on channel: any Channel) -> BusyPollPolicy.SpinOutcome? {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        let outcome = try? channel.pipeline.syncOperations.withUnsafeTransportIfAvailable(
            of: NIOBSDSocket.Handle.self
        ) { socket -> BusyPollPolicy.SpinOutcome in
            var entry = pollfd(fd: socket, events: Int16(truncatingIfNeeded: POLLIN), revents: 0)
            // Readable, closed, or an error: the loop's own poll reports it next, without sleeping.
            return self.spin { poll(&entry, 1, 0) != 0 }
        }
        return outcome ?? nil
        #else
        return nil
        #endif
    }

    /// The CPUs this process may run on: its affinity mask (`taskset`, read from `/proc/self/status`) or its
    /// cgroup's quota, whichever is fewer; read once per process.
    static let usableCPUs: Int = {
        var count = System.coreCount
        #if os(Linux)
        if let status = LoopBusyPoll.readSmallFile("/proc/self/status"),
            let allowed = BusyPollPolicy.allowedCPUs(inProcStatus: status)
        {
            count = min(count, allowed)
        }
        #endif
        return count
    }()

    #if os(Linux)
    /// The first 64 KiB of a file as text, or `nil` if it cannot be read.
    private static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65_536 {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard got > 0 else { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    #endif
}

/// A client's busy pollers, one per event loop of its group, made once (lookups take no lock).
final class BusyPollers: Sendable {
    private let byLoop: [ObjectIdentifier: LoopBusyPoll]

    /// `nil` when `budget` is `nil` or not above zero, or when the process has one CPU (a spin there holds up the
    /// very thread it waits for); budgets above a millisecond are cut to one.
    init?(budget: Duration?, group: any EventLoopGroup, usableCPUs: Int = LoopBusyPoll.usableCPUs) {
        guard let budget, budget > .zero, usableCPUs > 1 else { return nil }
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
            total.spinsDescheduled += part.spinsDescheduled
        }
        return total
    }
}
