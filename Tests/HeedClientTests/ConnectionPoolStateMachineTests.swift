import NIOCore
import Testing

@testable import HeedClient

/// A connection as the pool's state machine sees it.
struct FakeConnection: PoolableConnection, Equatable {
    var poolID: Int
    var isActive = true
    var loop = 0

    func runs(on loop: Int) -> Bool { self.loop == loop }
}

/// The pool's decisions, one event per line: the per-host limit, waiting, slots freed once, fresh connections
/// for retries, the idle cap, the sweep and shutdown.
@Suite struct ConnectionPoolStateMachineTests {
    typealias Machine = ConnectionPoolStateMachine<FakeConnection, String>

    let key = ConnectionKey(scheme: "http", host: "127.0.0.1", port: 8080)
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func machine(max: Int, maxIdle: Int? = nil) -> Machine {
        Machine(maxPerKey: max, maxIdlePerKey: maxIdle ?? max, idleTimeout: .seconds(60))
    }

    func waiting(_ name: String, id: UInt64, fresh: Bool = false) -> Machine.Waiting {
        Machine.Waiting(id: id, waiter: name, wantsFresh: fresh)
    }

    /// Opens `count` connections (ids 1...count) through the machine, leased.
    func open(_ count: Int, in machine: inout Machine) -> [FakeConnection] {
        (1...count).map { id in
            guard case .connect = machine.connectionRequested(for: self.key, preferredLoop: nil) else {
                Issue.record("expected a slot for connection \(id)")
                return FakeConnection(poolID: id)
            }
            let connection = FakeConnection(poolID: id)
            guard case .use = machine.connectSucceeded(connection, for: self.key) else {
                Issue.record("expected to use connection \(id)")
                return connection
            }
            return connection
        }
    }

    /// Requests a connection and expects that every slot is taken.
    func expectMustWait(_ machine: inout Machine, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .mustWait = machine.connectionRequested(for: self.key, preferredLoop: nil) else {
            Issue.record("expected to wait", sourceLocation: sourceLocation)
            return
        }
    }

    /// Queues `waiter`, expecting it to wait.
    func expectQueued(_ waiter: Machine.Waiting, _ machine: inout Machine, now: NIODeadline? = nil) {
        let action = machine.waiterArrived(
            waiter,
            for: self.key,
            preferredLoop: nil,
            deadline: nil,
            now: now ?? self.start
        )
        guard case .queued = action else {
            Issue.record("expected \(waiter.waiter) to be queued, got \(action)")
            return
        }
    }

    // MARK: - The limit

    /// Two slots: two requests connect, the third waits; a released connection goes straight to the waiter.
    @Test func requestsBeyondTheLimitWaitForAReleasedConnection() {
        var sm = self.machine(max: 2)
        let connections = self.open(2, in: &sm)
        self.expectMustWait(&sm)
        self.expectQueued(self.waiting("w1", id: 1), &sm)
        let action = sm.connectionReleased(connections[0], for: self.key, isUsable: true, now: self.start)
        guard case .handOver(let connection, let waiter) = action else {
            Issue.record("expected a hand-over, got \(action)")
            return
        }
        #expect(connection == connections[0])
        #expect(waiter.waiter == "w1")
        // Nothing waits any more: the next release idles, and arms the sweep.
        guard
            case .pooled(let sweepAt) = sm.connectionReleased(
                connection,
                for: self.key,
                isUsable: true,
                now: self.start
            )
        else {
            Issue.record("expected the connection to idle")
            return
        }
        #expect(sweepAt == self.start + .seconds(60))
    }

    /// Waiters are served first come first served.
    @Test func waitersAreServedInOrder() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        for (index, name) in ["w1", "w2", "w3"].enumerated() {
            self.expectQueued(self.waiting(name, id: UInt64(index + 1)), &sm)
        }
        var served: [String] = []
        for _ in 0..<3 {
            if case .handOver(_, let waiter) = sm.connectionReleased(
                connection,
                for: self.key,
                isUsable: true,
                now: self.start
            ) {
                served.append(waiter.waiter)
            }
        }
        #expect(served == ["w1", "w2", "w3"])
    }

    /// A closed connection frees its slot once: the first report gives it to a waiter, a second report frees nothing.
    @Test func aClosedConnectionFreesItsSlotOnce() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        self.expectQueued(self.waiting("w1", id: 1), &sm)
        self.expectQueued(self.waiting("w2", id: 2), &sm)
        #expect(sm.connectionClosed(connection.poolID, for: self.key)?.waiter == "w1")
        #expect(sm.connectionClosed(connection.poolID, for: self.key) == nil)
        // w1 holds the slot while it connects; its connect fails and the slot passes to w2.
        self.expectMustWait(&sm)
        #expect(sm.connectFailed(for: self.key)?.waiter == "w2")
        // Releasing the closed connection later (a late report) changes nothing either.
        guard case .close(_, nil) = sm.connectionReleased(connection, for: self.key, isUsable: true, now: self.start)
        else {
            Issue.record("expected the closed connection to be closed")
            return
        }
        self.expectMustWait(&sm)
    }

    /// A waiter that left (cancelled, timed out) is skipped; leaving twice finds nothing.
    @Test func aWaiterThatLeftIsSkipped() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        self.expectQueued(self.waiting("w1", id: 1), &sm)
        self.expectQueued(self.waiting("w2", id: 2), &sm)
        #expect(sm.waiterLeft(1, for: self.key)?.waiter == "w1")
        #expect(sm.waiterLeft(1, for: self.key) == nil)
        guard
            case .handOver(_, let waiter) = sm.connectionReleased(
                connection,
                for: self.key,
                isUsable: true,
                now: self.start
            )
        else {
            Issue.record("expected a hand-over")
            return
        }
        #expect(waiter.waiter == "w2")
    }

    /// A waiter whose deadline has passed is not queued.
    @Test func aWaiterPastItsDeadlineIsNotQueued() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        let action = sm.waiterArrived(
            self.waiting("late", id: 1),
            for: self.key,
            preferredLoop: nil,
            deadline: self.start,
            now: self.start + .milliseconds(1)
        )
        guard case .deadlinePassed = action else {
            Issue.record("expected the deadline to have passed, got \(action)")
            return
        }
        guard case .pooled = sm.connectionReleased(connection, for: self.key, isUsable: true, now: self.start) else {
            Issue.record("expected the connection to idle: nobody waits")
            return
        }
    }

    /// A connection that comes back closed frees its slot for the first waiter, which connects.
    @Test func aConnectionReleasedClosedGivesItsSlotToAWaiter() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        self.expectQueued(self.waiting("w1", id: 1), &sm)
        let action = sm.connectionReleased(connection, for: self.key, isUsable: false, now: self.start)
        guard case .close(_, let waiter?) = action else {
            Issue.record("expected the slot to go to w1, got \(action)")
            return
        }
        #expect(waiter.waiter == "w1")
    }

    /// A closed idle connection found by a request is dropped, and its slot serves the request.
    @Test func aStaleIdleConnectionIsDroppedAndItsSlotReused() {
        var closedWhileIdle = self.machine(max: 1)
        var idle = self.open(1, in: &closedWhileIdle)[0]
        // The connection closes while idle (the machine sees it through its copy).
        idle.isActive = false
        _ = closedWhileIdle.connectionReleased(idle, for: self.key, isUsable: true, now: self.start)
        guard case .connect(let stale) = closedWhileIdle.connectionRequested(for: self.key, preferredLoop: nil) else {
            Issue.record("expected a slot for a new connection")
            return
        }
        #expect(stale == [idle])
        // Its close, reported later, frees nothing more.
        #expect(closedWhileIdle.connectionClosed(idle.poolID, for: self.key) == nil)
        self.expectMustWait(&closedWhileIdle)
    }

    /// A request prefers an idle connection of its own event loop.
    @Test func aRequestPrefersAConnectionOfItsLoop() {
        var sm = self.machine(max: 2)
        var connections = self.open(2, in: &sm)
        connections[0].loop = 7
        connections[1].loop = 8
        for connection in connections {
            _ = sm.connectionReleased(connection, for: self.key, isUsable: true, now: self.start)
        }
        guard case .use(let connection, _) = sm.connectionRequested(for: self.key, preferredLoop: 7) else {
            Issue.record("expected a pooled connection")
            return
        }
        #expect(connection.poolID == 1)
    }

    // MARK: - Fresh connections for retries

    /// A retry replaces its failed connection: it takes over the slot and never gets the other idle connection.
    @Test func aRetryTakesOverTheFailedConnectionsSlot() {
        var sm = self.machine(max: 2)
        let connections = self.open(2, in: &sm)
        _ = sm.connectionReleased(connections[1], for: self.key, isUsable: true, now: self.start)
        guard case .connect = sm.replacementRequested(for: self.key, replacing: connections[0].poolID) else {
            Issue.record("expected a slot for a new connection")
            return
        }
        // The failed connection's close, reported later, frees nothing: its slot is the retry's.
        #expect(sm.connectionClosed(connections[0].poolID, for: self.key) == nil)
        guard case .use(let pooled, _) = sm.connectionRequested(for: self.key, preferredLoop: nil) else {
            Issue.record("expected the idle connection for the next request")
            return
        }
        #expect(pooled == connections[1])
        self.expectMustWait(&sm)
    }

    /// A retry whose failed connection's close was counted already closes an idle connection to make room, rather
    /// than reuse it.
    @Test func aRetryAtTheLimitClosesAnIdleConnectionInsteadOfReusingIt() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        _ = sm.connectionReleased(connection, for: self.key, isUsable: true, now: self.start)
        let action = sm.replacementRequested(for: self.key, replacing: 99)
        guard case .connect(let closing) = action else {
            Issue.record("expected a slot for a new connection, got \(action)")
            return
        }
        #expect(closing == [connection])
    }

    /// A retry that must wait is not handed a released connection: the connection closes and the retry connects.
    @Test func aWaitingRetryGetsASlotNotAPooledConnection() {
        var sm = self.machine(max: 1)
        let connection = self.open(1, in: &sm)[0]
        guard case .mustWait = sm.replacementRequested(for: self.key, replacing: 99) else {
            Issue.record("expected the retry to wait")
            return
        }
        self.expectQueued(self.waiting("retry", id: 1, fresh: true), &sm)
        let action = sm.connectionReleased(connection, for: self.key, isUsable: true, now: self.start)
        guard case .close(let closed, let waiter?) = action else {
            Issue.record("expected the connection to close for the retry, got \(action)")
            return
        }
        #expect(closed == connection)
        #expect(waiter.waiter == "retry")
    }

    // MARK: - Idle connections, the sweep and shutdown

    /// Idle connections beyond the idle cap close; the sweep closes those idle too long, frees their slots and
    /// re-arms for the next one due.
    @Test func idleCapAndSweep() {
        var sm = self.machine(max: 3, maxIdle: 2)
        let connections = self.open(3, in: &sm)
        #expect(sm.maxIdlePerKey == 2)
        guard
            case .pooled(let sweepAt?) = sm.connectionReleased(
                connections[0],
                for: self.key,
                isUsable: true,
                now: self.start
            )
        else {
            Issue.record("expected the sweep to be armed")
            return
        }
        let later = self.start + .seconds(30)
        guard case .pooled(nil) = sm.connectionReleased(connections[1], for: self.key, isUsable: true, now: later)
        else {
            Issue.record("expected the second connection to idle without arming again")
            return
        }
        guard case .close(_, nil) = sm.connectionReleased(connections[2], for: self.key, isUsable: true, now: later)
        else {
            Issue.record("expected the third connection to close: two are idle")
            return
        }
        let sweep = sm.sweepFired(now: sweepAt)
        #expect(sweep.expired == [connections[0]])
        #expect(sweep.nextSweepAt == later + .seconds(60))
        #expect(sm.sweepArmed)
        let last = sm.sweepFired(now: later + .seconds(60))
        #expect(last.expired == [connections[1]])
        #expect(last.nextSweepAt == nil)
        #expect(!sm.sweepArmed)
        // Every slot is free again.
        _ = self.open(3, in: &sm)
    }

    /// Shutdown closes the idle connections (of one host) and fails the waiters (of another); later requests fail, a
    /// connect that finishes later closes, and a released connection closes.
    @Test func shutdown() {
        var sm = self.machine(max: 2)
        let idle = self.open(1, in: &sm)[0]
        _ = sm.connectionReleased(idle, for: self.key, isUsable: true, now: self.start)
        let other = ConnectionKey(scheme: "http", host: "127.0.0.1", port: 8081)
        let leased = FakeConnection(poolID: 2)
        guard case .connect = sm.connectionRequested(for: other, preferredLoop: nil),
            case .use = sm.connectSucceeded(leased, for: other),
            case .connect = sm.connectionRequested(for: other, preferredLoop: nil),
            case .queued = sm.waiterArrived(
                self.waiting("w1", id: 1),
                for: other,
                preferredLoop: nil,
                deadline: nil,
                now: self.start
            )
        else {
            Issue.record("expected one connection leased, one connecting and one waiter for \(other)")
            return
        }
        let action = sm.shutdownRequested()
        #expect(action.idle == [idle])
        #expect(action.waiters.map(\.waiter) == ["w1"])
        guard case .shutDown = sm.connectionRequested(for: self.key, preferredLoop: nil) else {
            Issue.record("expected requests to fail after shutdown")
            return
        }
        guard case .closeAndFail = sm.connectSucceeded(FakeConnection(poolID: 3), for: other) else {
            Issue.record("expected the connection that finished connecting to close")
            return
        }
        guard case .close(_, nil) = sm.connectionReleased(leased, for: other, isUsable: true, now: self.start) else {
            Issue.record("expected a released connection to close")
            return
        }
    }
}
