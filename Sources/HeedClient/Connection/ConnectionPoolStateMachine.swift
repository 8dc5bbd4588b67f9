import NIOCore

/// What the pool's state machine needs to know of a connection.
protocol PoolableConnection {
    associatedtype ID: Hashable & Sendable
    associatedtype Loop

    /// Identifies the connection while it is open.
    var poolID: ID { get }
    /// Whether the connection is still open (it may close while it sits idle).
    var isActive: Bool { get }
    /// Whether the connection runs on `loop`.
    func runs(on loop: Loop) -> Bool
}

/// The connection pool's decisions, without sockets, timers or locks: which connection a request gets, when it
/// connects, when it waits, and who gets a connection or a free slot when one comes back or closes.
///
/// Per key (scheme, host, port) at most `maxPerKey` connections are open: leased, idle or being connected. A
/// connection holds its slot from the moment the request that opens it is allowed to connect until the pool
/// learns that it closed; the slot is freed once, when the connection leaves `open` (a second report finds
/// nothing to free). A request beyond the limit waits, first come first served, for a released connection
/// (handed to it directly) or for a free slot (it then connects).
struct ConnectionPoolStateMachine<Connection: PoolableConnection & Sendable, Waiter: Sendable>: Sendable {
    /// A request waiting for a connection.
    struct Waiting: Sendable {
        /// Chosen by the caller; it names the waiter when it leaves (cancelled, timed out).
        var id: UInt64
        var waiter: Waiter
        /// Whether it needs a new connection (a retry after a stale one): it never gets a pooled connection.
        var wantsFresh: Bool
    }

    /// An idle connection and when it came back.
    private struct Idle: Sendable {
        var connection: Connection
        var idleSince: NIODeadline
    }

    /// Everything the pool knows about one key.
    private struct PerKey: Sendable {
        /// Connections waiting for a request, the most recently released last.
        var idle: [Idle] = []
        /// Connections holding a slot: leased or idle.
        var open: Set<Connection.ID> = []
        /// Slots held by connects under way.
        var connecting = 0
        /// Requests waiting for a connection or a slot, first come first served.
        var waiters = CircularBuffer<Waiting>(initialCapacity: 4)

        var slotsTaken: Int { self.open.count + self.connecting }
        var isEmpty: Bool { self.open.isEmpty && self.connecting == 0 && self.waiters.isEmpty }
    }

    private var keys: [ConnectionKey: PerKey] = [:]
    /// Whether ``shutdownRequested()`` ran: every later request fails, every released connection closes.
    private(set) var isShutDown = false
    /// Whether a sweep is scheduled.
    private(set) var sweepArmed = false
    let maxPerKey: Int
    let maxIdlePerKey: Int
    let idleTimeout: TimeAmount

    /// - Parameters:
    ///   - maxPerKey: the most connections open per key (at least 1).
    ///   - maxIdlePerKey: the most idle connections kept per key (at most `maxPerKey`).
    ///   - idleTimeout: how long a connection may sit idle.
    init(maxPerKey: Int, maxIdlePerKey: Int, idleTimeout: TimeAmount) {
        self.maxPerKey = max(1, maxPerKey)
        self.maxIdlePerKey = min(max(0, maxIdlePerKey), self.maxPerKey)
        self.idleTimeout = idleTimeout
    }

    // MARK: - Requests

    /// A request wants a connection for `key`: a pooled one (of `preferredLoop` first), else a slot to connect. It
    /// never queues (so that the common case allocates nothing): at the limit, ask again with
    /// ``waiterArrived(_:for:preferredLoop:deadline:now:)``.
    mutating func connectionRequested(for key: ConnectionKey, preferredLoop: Connection.Loop?) -> LeaseAction {
        self.request(key, preferredLoop: preferredLoop, wantsFresh: false)
    }

    /// A request that found every slot taken asks again, ready to wait: it is served at once if a connection or a
    /// slot came free meanwhile, fails if its deadline has passed (`now` tells), and is queued otherwise.
    mutating func waiterArrived(
        _ waiter: Waiting,
        for key: ConnectionKey,
        preferredLoop: Connection.Loop?,
        deadline: NIODeadline?,
        now: NIODeadline
    ) -> WaitAction {
        switch self.request(key, preferredLoop: preferredLoop, wantsFresh: waiter.wantsFresh) {
        case .use(let connection, let stale): return .use(connection, closing: stale)
        case .connect(let stale): return .connect(closing: stale)
        case .shutDown: return .shutDown
        case .mustWait(let stale):
            if let deadline, deadline <= now { return .deadlinePassed(closing: stale) }
            self.modify(key) { $0.waiters.append(waiter) }
            return .queued(closing: stale)
        }
    }

    /// A retry needs a new connection in place of `failed`, whose exchange failed: the failed connection's slot
    /// passes to the new one, so that the retry does not queue behind requests that came later. It never gets a
    /// pooled connection.
    mutating func replacementRequested(for key: ConnectionKey, replacing failed: Connection.ID) -> LeaseAction {
        guard !self.isShutDown else { return .shutDown }
        let replaced = self.modify(key) { perKey -> Bool in
            guard perKey.open.remove(failed) != nil else { return false }
            perKey.idle.removeAll { $0.connection.poolID == failed }
            perKey.connecting += 1
            return true
        }
        if replaced { return .connect(closing: []) }
        // Its close was counted already (the slot went to someone else): ask like any request for a new connection.
        return self.request(key, preferredLoop: nil, wantsFresh: true)
    }

    /// A waiter left before it was served: its task was cancelled, or its deadline passed.
    /// - Returns: the waiter to fail, or `nil` if it was served (or failed) already.
    mutating func waiterLeft(_ id: UInt64, for key: ConnectionKey) -> Waiting? {
        self.modify(key) { perKey in
            guard let index = perKey.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return perKey.waiters.remove(at: index)
        }
    }

    // MARK: - Connections

    /// A connect that the pool allowed (``LeaseAction/connect(closing:)``) failed: its slot is free.
    /// - Returns: the waiter that gets the slot, if any: it connects.
    mutating func connectFailed(for key: ConnectionKey) -> Waiting? {
        let maxPerKey = self.maxPerKey
        let isShutDown = self.isShutDown
        return self.modify(key) { perKey in
            perKey.connecting -= 1
            return isShutDown ? nil : Self.waiterForFreeSlot(&perKey, maxPerKey: maxPerKey)
        }
    }

    /// A connect that the pool allowed (``LeaseAction/connect(closing:)``) succeeded.
    mutating func connectSucceeded(_ connection: Connection, for key: ConnectionKey) -> ConnectedAction {
        let isShutDown = self.isShutDown
        return self.modify(key) { perKey in
            perKey.connecting -= 1
            guard !isShutDown else { return .closeAndFail }
            perKey.open.insert(connection.poolID)
            return .use
        }
    }

    /// An exchange ended and left `connection` reusable (`isUsable`: it is still open).
    mutating func connectionReleased(
        _ connection: Connection,
        for key: ConnectionKey,
        isUsable: Bool,
        now: NIODeadline
    ) -> ReleaseAction {
        let isShutDown = self.isShutDown
        let maxPerKey = self.maxPerKey
        let maxIdlePerKey = self.maxIdlePerKey
        let action = self.modify(key) { perKey -> ReleaseAction in
            // Not open: its close was counted already (it closed while leased, or was given up as stale).
            guard perKey.open.contains(connection.poolID) else { return .close(connection, grantSlotTo: nil) }
            guard !isShutDown, isUsable else {
                perKey.open.remove(connection.poolID)
                let next = isShutDown ? nil : Self.waiterForFreeSlot(&perKey, maxPerKey: maxPerKey)
                return .close(connection, grantSlotTo: next)
            }
            if let first = perKey.waiters.popFirst() {
                guard first.wantsFresh else { return .handOver(connection, to: first) }
                // The first in line wants a new connection: this one makes room for it.
                perKey.open.remove(connection.poolID)
                perKey.connecting += 1
                return .close(connection, grantSlotTo: first)
            }
            guard perKey.idle.count < maxIdlePerKey else {
                perKey.open.remove(connection.poolID)
                return .close(connection, grantSlotTo: nil)
            }
            perKey.idle.append(Idle(connection: connection, idleSince: now))
            return .pooled(sweepAt: nil)
        }
        guard case .pooled = action, !self.sweepArmed else { return action }
        self.sweepArmed = true
        return .pooled(sweepAt: now + self.idleTimeout)
    }

    /// `id`'s connection closed (the server closed it, it failed, or the pool closed it). Reporting a close twice,
    /// or the close of a connection the pool gave up already, changes nothing.
    /// - Returns: the waiter that gets its slot, if any: it connects.
    mutating func connectionClosed(_ id: Connection.ID, for key: ConnectionKey) -> Waiting? {
        let maxPerKey = self.maxPerKey
        let isShutDown = self.isShutDown
        return self.modify(key) { perKey in
            guard perKey.open.remove(id) != nil else { return nil }
            perKey.idle.removeAll { $0.connection.poolID == id }
            return isShutDown ? nil : Self.waiterForFreeSlot(&perKey, maxPerKey: maxPerKey)
        }
    }

    // MARK: - Timers and shutdown

    /// The sweep timer fired: connections idle since `now - idleTimeout` or longer go.
    mutating func sweepFired(now: NIODeadline) -> SweepAction {
        var action = SweepAction(expired: [], grantSlotsTo: [], nextSweepAt: nil)
        var oldest: NIODeadline?
        let idleTimeout = self.idleTimeout
        let maxPerKey = self.maxPerKey
        for key in Array(self.keys.keys) {
            self.modify(key) { perKey in
                perKey.idle.removeAll { entry in
                    guard entry.idleSince + idleTimeout <= now else {
                        oldest = min(oldest ?? entry.idleSince, entry.idleSince)
                        return false
                    }
                    perKey.open.remove(entry.connection.poolID)
                    action.expired.append(entry.connection)
                    return true
                }
                while let waiter = Self.waiterForFreeSlot(&perKey, maxPerKey: maxPerKey) {
                    action.grantSlotsTo.append(waiter)
                }
            }
        }
        self.sweepArmed = oldest != nil && !self.isShutDown
        action.nextSweepAt = self.sweepArmed ? oldest.map { $0 + idleTimeout } : nil
        return action
    }

    /// The pool shuts down: idle connections close, waiters fail, later requests fail.
    mutating func shutdownRequested() -> ShutdownAction {
        self.isShutDown = true
        self.sweepArmed = false
        var action = ShutdownAction(idle: [], waiters: [])
        for key in Array(self.keys.keys) {
            self.modify(key) { perKey in
                for entry in perKey.idle {
                    perKey.open.remove(entry.connection.poolID)
                    action.idle.append(entry.connection)
                }
                perKey.idle = []
                action.waiters.append(contentsOf: perKey.waiters)
                perKey.waiters.removeAll()
            }
        }
        return action
    }

    /// How many requests wait for a connection for `key` (for logs and tests).
    func waiterCount(for key: ConnectionKey) -> Int {
        self.keys[key]?.waiters.count ?? 0
    }

    // MARK: - Helpers

    /// A pooled connection unless `wantsFresh`, else a slot, else ``LeaseAction/mustWait(closing:)``.
    private mutating func request(
        _ key: ConnectionKey,
        preferredLoop: Connection.Loop?,
        wantsFresh: Bool
    ) -> LeaseAction {
        guard !self.isShutDown else { return .shutDown }
        let maxPerKey = self.maxPerKey
        return self.modify(key) { perKey in
            var stale: [Connection] = []
            let served = Self.serve(
                &perKey,
                preferredLoop: preferredLoop,
                wantsFresh: wantsFresh,
                maxPerKey: maxPerKey,
                stale: &stale
            )
            switch served {
            case .use(let connection): return .use(connection, closing: stale)
            case .connect: return .connect(closing: stale)
            case .none: return .mustWait(closing: stale)
            }
        }
    }

    /// How a request is served without waiting.
    private enum Served {
        case use(Connection)
        /// A slot was taken for a connect.
        case connect
    }

    /// A pooled connection unless `wantsFresh`, else a slot if one is free; `nil` if neither. The closed idle
    /// connections found on the way go to `stale` (and free their slots).
    private static func serve(
        _ perKey: inout PerKey,
        preferredLoop: Connection.Loop?,
        wantsFresh: Bool,
        maxPerKey: Int,
        stale: inout [Connection]
    ) -> Served? {
        if !wantsFresh {
            if let found = Self.takeIdle(from: &perKey, preferredLoop: preferredLoop, stale: &stale) {
                return .use(found)
            }
        } else if perKey.slotsTaken >= maxPerKey, !perKey.idle.isEmpty {
            // A new connection is wanted and an idle one holds a slot: close the oldest to make room.
            let oldest = perKey.idle.removeFirst()
            perKey.open.remove(oldest.connection.poolID)
            stale.append(oldest.connection)
        }
        guard perKey.slotsTaken < maxPerKey else { return nil }
        perKey.connecting += 1
        return .connect
    }

    /// Runs `body` on `key`'s state in place (one hash lookup for a known key), and forgets a key with nothing
    /// left.
    private mutating func modify<Result>(_ key: ConnectionKey, _ body: (inout PerKey) -> Result) -> Result {
        let index: [ConnectionKey: PerKey].Index
        if let found = self.keys.index(forKey: key) {
            index = found
        } else {
            self.keys[key] = PerKey()
            guard let added = self.keys.index(forKey: key) else { preconditionFailure("Invalid state: \(self)") }
            index = added
        }
        let result = body(&self.keys.values[index])
        if self.keys.values[index].isEmpty { self.keys.remove(at: index) }
        return result
    }

    /// The pooled connection to use, of `preferredLoop` if one is idle; drops (into `stale`) the closed ones
    /// found on the way and frees their slots.
    private static func takeIdle(
        from perKey: inout PerKey,
        preferredLoop: Connection.Loop?,
        stale: inout [Connection]
    ) -> Connection? {
        if let preferredLoop, let last = perKey.idle.indices.last,
            let index = perKey.idle.lastIndex(where: { $0.connection.runs(on: preferredLoop) }), index != last
        {
            // Move the connection of this loop to the end, where the loop below takes it.
            perKey.idle.swapAt(index, last)
        }
        while let entry = perKey.idle.popLast() {
            if entry.connection.isActive { return entry.connection }
            perKey.open.remove(entry.connection.poolID)
            stale.append(entry.connection)
        }
        return nil
    }

    /// The first waiter, if a slot is free: it takes the slot.
    private static func waiterForFreeSlot(_ perKey: inout PerKey, maxPerKey: Int) -> Waiting? {
        guard perKey.slotsTaken < maxPerKey, let waiter = perKey.waiters.popFirst() else { return nil }
        perKey.connecting += 1
        return waiter
    }
}

extension ConnectionPoolStateMachine: CustomStringConvertible {
    var description: String {
        let keys = self.keys.map { key, perKey in
            "\(key.scheme)://\(key.host):\(key.port): \(perKey.open.count) open (\(perKey.idle.count) idle), "
                + "\(perKey.connecting) connecting, \(perKey.waiters.count) waiting"
        }
        let state = self.isShutDown ? "shut down" : "running"
        return
            "ConnectionPoolStateMachine(\(state), max \(self.maxPerKey) per host; \(keys.sorted().joined(separator: "; ")))"
    }
}
