/// When a client's event loop spins, polling, instead of going to sleep: the decisions behind the client's
/// `busyPoll` setting, for one event loop, with no I/O and no clock.
///
/// A loop that sleeps in `epoll_wait` must be woken when the response arrives, and on a virtual machine a
/// sleeping virtual CPU is woken by an interrupt from another one, which costs more than a small request
/// itself (docs/performance.md, finding 15). A loop that spins for a few microseconds sees the answer without
/// that wake-up. Spinning burns CPU, so the loop spins only where it is likely to pay:
/// - for a response, just after the whole request went out, when the request is the only one of the client's
///   running on the loop;
/// - for the next request, just after a response went to a caller off the loop, when nothing else of the
///   client's runs on the loop.
///
/// A spin lasts at most the budget. Each kind backs off on its own: a spin that waited in vain skips the next
/// 1, 2, 4 ... up to 64 chances, and one that saw what it waited for ends the back-off. Against a slow server
/// (or a caller that does other work between requests) spinning costs at most one budget per 64 requests.
/// The waits themselves cannot tell: without spinning, each one includes the wake-up that spinning saves.
/// A spin during which the thread lost its CPU counts as in vain whatever it saw: the CPU was wanted by another
/// thread (on a machine with one free CPU, perhaps the very one the loop waits for), and spinning only delays it.
package struct BusyPollPolicy: Sendable {
    /// How a spin ended.
    package enum SpinOutcome: Sendable, Hashable {
        /// What the loop waited for came.
        case answered
        /// The budget ran out first.
        case inVain
        /// The thread lost its CPU during the spin (a long gap between two polls), answered or not.
        case descheduled
    }

    /// How many spins there were, and how many ended with what they waited for.
    package struct Statistics: Sendable, Equatable {
        /// Spins for a response, and those that saw it come.
        package var responseSpins = 0
        package var responseSpinsAnswered = 0
        /// Spins for the caller's next request, and those that saw it come.
        package var requestSpins = 0
        package var requestSpinsAnswered = 0
        /// Spins of either kind during which the thread lost its CPU.
        package var spinsDescheduled = 0

        package init() {}
    }

    /// One kind of spin's back-off.
    struct BackOff: Sendable {
        /// The chances to skip after the next spin in vain.
        private var next = 1
        /// The chances still to skip.
        private var skipping = 0

        /// Whether to spin at this chance (a skipped chance counts down).
        mutating func spins() -> Bool {
            guard self.skipping == 0 else {
                self.skipping -= 1
                return false
            }
            return true
        }

        mutating func spinEnded(_ outcome: SpinOutcome) {
            if outcome == .answered {
                self.next = 1
            } else {
                self.skipping = self.next
                self.next = min(self.next * 2, BusyPollPolicy.longestBackOff)
            }
        }
    }

    /// The most chances a spin in vain makes the loop skip.
    package static let longestBackOff = 64

    /// The longest spin, in nanoseconds (above zero).
    package let budget: Int64
    /// The client's exchanges running on the loop.
    package private(set) var exchangesInFlight = 0
    package private(set) var statistics = Statistics()
    private var responseBackOff = BackOff()
    private var requestBackOff = BackOff()

    /// - Parameter budget: the longest spin in nanoseconds; at least 1.
    package init(budget: Int64) {
        self.budget = max(1, budget)
    }

    /// An exchange starts on the loop.
    package mutating func exchangeStarted() {
        self.exchangesInFlight += 1
    }

    /// Whether to spin for the response to a request that just went out whole.
    package mutating func spinsForResponse() -> Bool {
        guard self.exchangesInFlight == 1 else { return false }
        return self.responseBackOff.spins()
    }

    /// A spin for a response ended (answered: the response had begun to arrive).
    package mutating func responseSpinEnded(_ outcome: SpinOutcome) {
        self.statistics.responseSpins += 1
        if outcome == .answered { self.statistics.responseSpinsAnswered += 1 }
        if outcome == .descheduled { self.statistics.spinsDescheduled += 1 }
        self.responseBackOff.spinEnded(outcome)
    }

    /// An exchange ended.
    /// - Parameter handedToCallerOffLoop: its response went to a caller that runs off the loop, who may send
    ///   the next request at once.
    /// - Returns: whether to spin for that caller's next request.
    package mutating func exchangeEnded(handedToCallerOffLoop: Bool) -> Bool {
        self.exchangesInFlight = max(0, self.exchangesInFlight - 1)
        guard handedToCallerOffLoop, self.exchangesInFlight == 0 else { return false }
        return self.requestBackOff.spins()
    }

    /// A spin for the next request ended (answered: a request came).
    package mutating func requestSpinEnded(_ outcome: SpinOutcome) {
        self.statistics.requestSpins += 1
        if outcome == .answered { self.statistics.requestSpinsAnswered += 1 }
        if outcome == .descheduled { self.statistics.spinsDescheduled += 1 }
        self.requestBackOff.spinEnded(outcome)
    }

    /// How many CPUs the `Cpus_allowed:` line of a Linux `/proc/<pid>/status` text allows (a hex mask in groups of
    /// eight digits separated by commas, e.g. `3` or `ffffffff,ffffffff`); `nil` without a valid line.
    package static func allowedCPUs(inProcStatus text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("Cpus_allowed:") {
            let mask = line.dropFirst("Cpus_allowed:".count).filter { $0 != "," && $0 != " " && $0 != "\t" }
            guard !mask.isEmpty else { return nil }
            var count = 0
            for digit in mask {
                guard let value = digit.hexDigitValue else { return nil }
                count += value.nonzeroBitCount
            }
            return count
        }
        return nil
    }
}
