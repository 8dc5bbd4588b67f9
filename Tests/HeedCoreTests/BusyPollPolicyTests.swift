import HeedCore
import Testing

/// `BusyPollPolicy`: when a client's event loop spins instead of sleeping, and how it backs off.
@Suite struct BusyPollPolicyTests {
    /// The only exchange on the loop spins for its response; a second one running beside it stops both kinds of
    /// spin until the loop is down to one again.
    @Test func spinsOnlyForTheLoopsOnlyExchange() {
        var policy = BusyPollPolicy(budget: 50_000)
        policy.exchangeStarted()
        let decision1 = policy.spinsForResponse()
        #expect(decision1)
        policy.responseSpinEnded(.answered)
        policy.exchangeStarted()
        let decision2 = policy.spinsForResponse()
        #expect(!decision2)
        // The first ends while the second runs: no spin for a next request.
        let decision3 = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(!decision3)
        #expect(policy.exchangesInFlight == 1)
        let decision4 = policy.spinsForResponse()
        #expect(decision4)
        policy.responseSpinEnded(.answered)
        let decision5 = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(decision5)
        #expect(policy.exchangesInFlight == 0)
    }

    /// A caller on the loop itself sends its next request from the loop's own task queue: spinning would only
    /// keep that task waiting.
    @Test func noSpinForTheNextRequestOfACallerOnTheLoop() {
        var policy = BusyPollPolicy(budget: 50_000)
        policy.exchangeStarted()
        let decision1 = policy.exchangeEnded(handedToCallerOffLoop: false)
        #expect(!decision1)
        policy.exchangeStarted()
        let decision2 = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(decision2)
    }

    /// Spins in vain skip 1, 2, 4 ... up to 64 chances; one that is answered ends the back-off.
    @Test func backsOffExponentiallyAfterSpinsInVain() {
        var policy = BusyPollPolicy(budget: 50_000)
        var spunAt: [Int] = []
        for chance in 1...300 {
            policy.exchangeStarted()
            if policy.spinsForResponse() {
                spunAt.append(chance)
                policy.responseSpinEnded(.inVain)
            }
            _ = policy.exchangeEnded(handedToCallerOffLoop: false)
        }
        // Skips of 1, 2, 4, 8, 16, 32, 64, 64 ... between spins.
        #expect(spunAt == [1, 3, 6, 11, 20, 37, 70, 135, 200, 265])
        #expect(policy.statistics.responseSpins == 10)
        #expect(policy.statistics.responseSpinsAnswered == 0)
        // Skip the remaining back-off, then an answered spin: the next spin comes at the next chance.
        var chances = 0
        repeat {
            chances += 1
            policy.exchangeStarted()
            defer { _ = policy.exchangeEnded(handedToCallerOffLoop: false) }
            if policy.spinsForResponse() {
                policy.responseSpinEnded(.answered)
                break
            }
        } while chances < 100
        #expect(chances <= BusyPollPolicy.longestBackOff + 1)
        policy.exchangeStarted()
        let decision1 = policy.spinsForResponse()
        #expect(decision1)
        #expect(policy.statistics.responseSpinsAnswered == 1)
    }

    /// The two kinds of spin back off separately: requests that come late do not stop the spins for responses.
    @Test func responseAndRequestSpinsBackOffSeparately() {
        var policy = BusyPollPolicy(budget: 50_000)
        policy.exchangeStarted()
        let decision1 = policy.spinsForResponse()
        #expect(decision1)
        policy.responseSpinEnded(.answered)
        let decision2 = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(decision2)
        policy.requestSpinEnded(.inVain)
        policy.exchangeStarted()
        let decision3 = policy.spinsForResponse()
        #expect(decision3)
        policy.responseSpinEnded(.answered)
        // The request spin skips this chance.
        let decision4 = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(!decision4)
        policy.exchangeStarted()
        let decision5 = policy.spinsForResponse()
        #expect(decision5)
        #expect(
            policy.statistics
                == {
                    var expected = BusyPollPolicy.Statistics()
                    expected.responseSpins = 2
                    expected.responseSpinsAnswered = 2
                    expected.requestSpins = 1
                    return expected
                }()
        )
    }

    /// A budget of zero or less becomes the smallest one; an ended exchange never drives the count below zero.
    @Test func budgetAndCountStayInRange() {
        #expect(BusyPollPolicy(budget: 0).budget == 1)
        #expect(BusyPollPolicy(budget: -5).budget == 1)
        var policy = BusyPollPolicy(budget: 10)
        _ = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(policy.exchangesInFlight == 0)
        // Had the count gone to -1, the next exchange would not be the loop's only one.
        policy.exchangeStarted()
        #expect(policy.exchangesInFlight == 1)
        let decision1 = policy.spinsForResponse()
        #expect(decision1)
    }

    /// A spin during which the thread lost its CPU backs off as one in vain would, even if what it waited for came:
    /// the CPU was wanted elsewhere.
    @Test func descheduledSpinsBackOff() {
        var policy = BusyPollPolicy(budget: 50_000)
        policy.exchangeStarted()
        let first = policy.spinsForResponse()
        #expect(first)
        policy.responseSpinEnded(.descheduled)
        _ = policy.exchangeEnded(handedToCallerOffLoop: false)
        policy.exchangeStarted()
        let second = policy.spinsForResponse()
        #expect(!second)
        #expect(policy.statistics.responseSpins == 1)
        #expect(policy.statistics.responseSpinsAnswered == 0)
        #expect(policy.statistics.spinsDescheduled == 1)
        // The same for the spins for a next request.
        let third = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(third)
        policy.requestSpinEnded(.descheduled)
        policy.exchangeStarted()
        let fourth = policy.exchangeEnded(handedToCallerOffLoop: true)
        #expect(!fourth)
        #expect(policy.statistics.spinsDescheduled == 2)
    }

    /// The CPUs a process may use, from the `Cpus_allowed:` mask of `/proc/self/status`.
    @Test(
        arguments: [
            ("Name:\tx\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n", 2),
            ("Cpus_allowed_list:\t0\nCpus_allowed:\t1\n", 1),
            ("Cpus_allowed:\tffffffff,ffffffff\n", 64),
            ("Cpus_allowed:\t00000000,00000100\n", 1),
            ("Cpus_allowed:\tzz\n", nil),
            ("Cpus_allowed:\t\n", nil),
            ("Name:\tx\n", nil),
        ] as [(String, Int?)]
    )
    func allowedCPUs(status: String, expected: Int?) {
        #expect(BusyPollPolicy.allowedCPUs(inProcStatus: status) == expected)
    }
}
