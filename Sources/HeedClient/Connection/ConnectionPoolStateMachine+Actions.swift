import NIOCore

extension ConnectionPoolStateMachine {
    /// What a request for a connection leads to.
    enum LeaseAction: Sendable {
        /// Use this pooled connection; close the stale ones found on the way.
        case use(Connection, closing: [Connection])
        /// Open a new connection: the caller holds a slot for it and must report ``connectSucceeded(_:for:)`` or
        /// ``connectFailed(for:)``.
        case connect(closing: [Connection])
        /// Every slot is taken: ask again with a waiter (``waiterArrived(_:for:preferredLoop:deadline:now:)``).
        case mustWait(closing: [Connection])
        /// The pool is shut down: fail the request.
        case shutDown
    }

    /// What a request that is ready to wait leads to.
    enum WaitAction: Sendable {
        /// A connection came back meanwhile: use it (the waiter is not queued).
        case use(Connection, closing: [Connection])
        /// A slot came free meanwhile: connect (the waiter is not queued).
        case connect(closing: [Connection])
        /// The waiter is queued; it will be handed a connection or a slot, or leave.
        case queued(closing: [Connection])
        /// The waiter's deadline has passed: fail it (it is not queued).
        case deadlinePassed(closing: [Connection])
        /// The pool is shut down: fail the request.
        case shutDown
    }

    /// What a successful connect leads to.
    enum ConnectedAction: Sendable {
        /// Run the exchange on it.
        case use
        /// The pool shut down meanwhile: close it and fail the request.
        case closeAndFail
    }

    /// What a connection that comes back after an exchange leads to.
    enum ReleaseAction: Sendable {
        /// It is idle in the pool; arm the sweep timer for `sweepAt` if set.
        case pooled(sweepAt: NIODeadline?)
        /// Hand it to this waiter.
        case handOver(Connection, to: Waiting)
        /// Close it; the waiter, if any, got its slot and connects.
        case close(Connection, grantSlotTo: Waiting?)
    }

    /// What the sweep timer leads to.
    struct SweepAction: Sendable {
        /// Connections idle for longer than the idle timeout: close them.
        var expired: [Connection]
        /// Waiters that got a slot freed by the sweep: they connect.
        var grantSlotsTo: [Waiting]
        /// When to sweep next, if anything is idle.
        var nextSweepAt: NIODeadline?
    }

    /// What shutting down leads to.
    struct ShutdownAction: Sendable {
        /// Idle connections: close them.
        var idle: [Connection]
        /// Waiters: fail them.
        var waiters: [Waiting]
    }
}
