import NIOCore
import NIOPosix
import Synchronization

/// Keep-alive connections per scheme, host and port, with a limit on how many are open at once.
///
/// A connection is leased for one exchange at a time and comes back only when its exchange ended with the framing
/// intact. A request beyond the limit waits, first come first served, for a connection that comes back (handed to it
/// directly) or for a slot that a closing connection frees (it then connects). Idle connections close after the idle
/// timeout. The decisions are ``ConnectionPoolStateMachine``'s; this class holds it under one lock and carries out
/// what it decides (closing, resuming waiters, timers) after the lock is released.
///
/// A connection's slot is freed when its channel's `closeFuture` completes, however it closed (the server, a failure,
/// the idle sweep, the pool). One sweep timer serves the whole pool: it is armed when a connection goes idle and none
/// is armed, and re-arms itself for the next connection due, so a release schedules nothing in the steady state.
final class ConnectionPool: Sendable {
    /// How a request gets its connection.
    enum Lease: Sendable {
        /// A pooled keep-alive connection.
        case pooled(Connection)
        /// No connection to reuse: the caller connects, and reports ``connected(_:key:)`` or ``connectFailed(key:)``.
        case connect
    }

    /// A request waiting for a connection.
    struct Waiter: Sendable {
        let continuation: CheckedContinuation<Lease, any Error>
        /// Fails the waiter at its deadline.
        let timer: Scheduled<Void>?

        func resume(with result: Result<Lease, any Error>) {
            self.timer?.cancel()
            self.continuation.resume(with: result)
        }
    }

    typealias StateMachine = ConnectionPoolStateMachine<Connection, Waiter>

    private struct State {
        var machine: StateMachine
        /// The scheduled sweep, cancelled at shutdown.
        var sweep: Scheduled<Void>?
        /// Counts the sweeps armed, so that a late handle does not replace a newer one.
        var sweepGeneration: UInt64 = 0
    }

    private let state: Mutex<State>
    private let nextWaiterID = Atomic<UInt64>(0)
    /// The most connections open per key, for error messages.
    private let maxPerKey: Int

    init(maxPerKey: Int, maxIdlePerKey: Int, idleTimeout: TimeAmount) {
        let machine = StateMachine(maxPerKey: maxPerKey, maxIdlePerKey: maxIdlePerKey, idleTimeout: idleTimeout)
        self.maxPerKey = machine.maxPerKey
        self.state = Mutex(State(machine: machine))
    }

    // MARK: - Leasing

    /// A pooled connection for `key` (of the caller's event loop first), or the right to connect; `nil` when every
    /// slot is taken (then call ``waitForLease(_:wantsFresh:deadline:loop:)``).
    ///
    /// With `failed` (a retry after that connection's exchange failed), never a pooled connection: the failed
    /// connection's slot passes to a new one.
    /// - Throws: ``HTTPClientError/shutdown`` after ``shutdown()``.
    func lease(_ key: ConnectionKey, replacing failed: Connection? = nil) throws(HTTPClientError) -> Lease? {
        let current = MultiThreadedEventLoopGroup.currentEventLoop
        let action = self.state.withLock { state in
            if let failed {
                state.machine.replacementRequested(for: key, replacing: failed.poolID)
            } else {
                state.machine.connectionRequested(for: key, preferredLoop: current)
            }
        }
        switch action {
        case .use(let connection, let stale):
            Self.close(stale)
            return .pooled(Self.reused(connection))
        case .connect(let stale):
            Self.close(stale)
            return .connect
        case .mustWait(let stale):
            Self.close(stale)
            return nil
        case .shutDown:
            throw .shutdown
        }
    }

    /// Waits, first come first served, for a connection for `key` or a slot to connect.
    /// - Parameters:
    ///   - wantsFresh: accept only a slot (a retry after a stale connection), never a pooled connection.
    ///   - deadline: when to give up, if ever.
    ///   - loop: where the deadline timer runs.
    /// - Throws: ``HTTPClientError`` at the deadline, when the task is cancelled, or at shutdown.
    func waitForLease(
        _ key: ConnectionKey,
        wantsFresh: Bool,
        deadline: NIODeadline?,
        loop: any EventLoop
    ) async throws -> Lease {
        let id = self.nextWaiterID.add(1, ordering: .relaxed).newValue
        let current = MultiThreadedEventLoopGroup.currentEventLoop
        let limit = self.maxPerKey
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                // Scheduled before the waiter is queued: the waiter is checked against the deadline under the lock,
                // so a timer that fires before the waiter is queued finds a waiter that failed already.
                let timer = deadline.map { deadline in
                    loop.scheduleTask(deadline: deadline) {
                        self.waiterLeft(id, key: key, error: .connectionPoolTimeout(key, limit: limit))
                    }
                }
                let waiter = Waiter(continuation: continuation, timer: timer)
                let waiting = StateMachine.Waiting(id: id, waiter: waiter, wantsFresh: wantsFresh)
                let action = self.state.withLock { state -> StateMachine.WaitAction? in
                    // Checked under the lock: a cancellation handler that runs later finds the waiter queued.
                    guard !Task.isCancelled else { return nil }
                    return state.machine.waiterArrived(
                        waiting,
                        for: key,
                        preferredLoop: current,
                        deadline: deadline,
                        now: .now()
                    )
                }
                switch action {
                case .none:
                    waiter.resume(with: .failure(HTTPClientError.cancelledWaitingForConnection(key, limit: limit)))
                case .use(let connection, let stale):
                    Self.close(stale)
                    waiter.resume(with: .success(.pooled(Self.reused(connection))))
                case .connect(let stale):
                    Self.close(stale)
                    waiter.resume(with: .success(.connect))
                case .queued(let stale):
                    Self.close(stale)
                case .deadlinePassed(let stale):
                    Self.close(stale)
                    waiter.resume(with: .failure(HTTPClientError.connectionPoolTimeout(key, limit: limit)))
                case .shutDown:
                    waiter.resume(with: .failure(HTTPClientError.shutdown))
                }
            }
        } onCancel: {
            self.waiterLeft(id, key: key, error: .cancelledWaitingForConnection(key, limit: limit))
        }
    }

    /// A waiter's deadline passed or its task was cancelled: it fails with `error`, unless it was served already.
    private func waiterLeft(_ id: UInt64, key: ConnectionKey, error: HTTPClientError) {
        let waiting = self.state.withLock { $0.machine.waiterLeft(id, for: key) }
        waiting?.waiter.resume(with: .failure(error))
    }

    // MARK: - Connections

    /// A connect that ``lease(_:replacing:)`` allowed failed: its slot goes to the next waiter.
    func connectFailed(key: ConnectionKey) {
        let next = self.state.withLock { $0.machine.connectFailed(for: key) }
        next?.waiter.resume(with: .success(.connect))
    }

    /// A connect that ``lease(_:replacing:)`` allowed succeeded: the connection holds its slot until it closes.
    /// - Throws: ``HTTPClientError/shutdown`` if the pool shut down meanwhile (the connection is closed).
    func connected(_ connection: Connection, key: ConnectionKey) throws(HTTPClientError) {
        let action = self.state.withLock { $0.machine.connectSucceeded(connection, for: key) }
        switch action {
        case .use:
            let id = connection.poolID
            connection.channel.closeFuture.whenComplete { _ in
                let next = self.state.withLock { $0.machine.connectionClosed(id, for: key) }
                next?.waiter.resume(with: .success(.connect))
            }
        case .closeAndFail:
            connection.channel.close(promise: nil)
            throw .shutdown
        }
    }

    /// Takes `connection` back after an exchange that left it reusable: it goes to the first waiter, or idles.
    func release(_ connection: Connection, key: ConnectionKey) {
        let now = NIODeadline.now()
        let isUsable = connection.channel.isActive
        let action = self.state.withLock {
            $0.machine.connectionReleased(connection, for: key, isUsable: isUsable, now: now)
        }
        switch action {
        case .pooled(let sweepAt):
            if let sweepAt { self.scheduleSweep(at: sweepAt, on: connection.eventLoop) }
        case .handOver(let connection, let waiting):
            waiting.waiter.resume(with: .success(.pooled(Self.reused(connection))))
        case .close(let connection, let next):
            connection.channel.close(promise: nil)
            next?.waiter.resume(with: .success(.connect))
        }
    }

    // MARK: - Shutdown

    /// Fails the waiters, cancels the sweep and closes every idle connection; later requests fail with
    /// ``HTTPClientError/shutdown`` and later releases close their connection.
    func shutdown() async {
        let (action, sweep) = self.state.withLock { state in
            let sweep = state.sweep
            state.sweep = nil
            return (state.machine.shutdownRequested(), sweep)
        }
        sweep?.cancel()
        for waiting in action.waiters { waiting.waiter.resume(with: .failure(HTTPClientError.shutdown)) }
        for connection in action.idle {
            try? await connection.channel.close()
        }
    }

    // MARK: - Sweeping

    private func scheduleSweep(at deadline: NIODeadline, on loop: any EventLoop) {
        let generation = self.state.withLock { state in
            state.sweepGeneration += 1
            return state.sweepGeneration
        }
        let scheduled = loop.scheduleTask(deadline: deadline) {
            self.sweep(on: loop)
        }
        let keep = self.state.withLock { state in
            guard !state.machine.isShutDown else { return false }
            if state.sweepGeneration == generation { state.sweep = scheduled }
            return true
        }
        if !keep { scheduled.cancel() }
    }

    /// Closes the connections idle for longer than the idle timeout, and re-arms for the next one due.
    private func sweep(on loop: any EventLoop) {
        let action = self.state.withLock { state in
            state.sweep = nil
            return state.machine.sweepFired(now: .now())
        }
        Self.close(action.expired)
        for waiting in action.grantSlotsTo { waiting.waiter.resume(with: .success(.connect)) }
        if let next = action.nextSweepAt { self.scheduleSweep(at: next, on: loop) }
    }

    /// How many requests wait for a connection for `key` (for tests).
    func waitingCount(for key: ConnectionKey) -> Int {
        self.state.withLock { $0.machine.waiterCount(for: key) }
    }

    // MARK: - Helpers

    private static func close(_ connections: [Connection]) {
        for connection in connections { connection.channel.close(promise: nil) }
    }

    /// `connection`, marked as serving one more request.
    private static func reused(_ connection: Connection) -> Connection {
        var connection = connection
        connection.isReused = true
        connection.requestsServed += 1
        return connection
    }
}

extension Connection: PoolableConnection {
    var poolID: ObjectIdentifier { ObjectIdentifier(self.channel) }
    var isActive: Bool { self.channel.isActive }
    func runs(on loop: any EventLoop) -> Bool { self.eventLoop === loop }
}
