import NIOCore
import Synchronization

/// The request body's parts on their way from the producer (a task off the event loop) to the connection.
///
/// Handing a part to the event loop and waiting for its answer costs two thread wake-ups, and on a virtual
/// machine a wake-up can cost more than writing 256 KiB into a socket. So the producer hands parts over without
/// waiting: it waits only when `highWater` bytes are in flight (handed over, not yet written to the socket), and
/// is woken when they fall to `lowWater`, one wake-up for several parts. The connection takes parts only while
/// its channel is writable: parts still in the pipe when the server answers early are dropped, never sent, so
/// a window does not add to the bytes that reach a server that said no.
final class RequestBodyPipe: Sendable {
    /// What the producer learns when it offers a part.
    enum Offer: Equatable {
        /// Taken. `wakeConnection`: the connection is not already coming for it, so tell it.
        /// `wait`: the window is full; wait for room before the next part.
        case accepted(wakeConnection: Bool, wait: Bool)
        /// The connection wants no more of the body.
        case stopped
    }

    /// What the connection takes out.
    enum Taken {
        case part(ByteBuffer)
        /// Nothing waits; the producer will say when there is more.
        case empty
        /// The producer finished and every part was taken (reported once).
        case end
    }

    private struct State {
        var parts = CircularBuffer<ByteBuffer>()
        /// Bytes offered and not yet written to the socket.
        var bytesInFlight = 0
        /// Whether the connection will come for the parts without being told.
        var connectionComing = false
        var finished = false
        var endTaken = false
        var stopped = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())
    let highWater: Int
    let lowWater: Int

    init(highWater: Int = 2 * 1024 * 1024, lowWater: Int = 1024 * 1024) {
        precondition(lowWater < highWater)
        self.highWater = highWater
        self.lowWater = lowWater
    }

    // MARK: - The producer's side

    /// Offers `part`; see ``Offer``.
    func offer(_ part: ByteBuffer) -> Offer {
        self.state.withLock { state in
            guard !state.stopped, !state.finished else { return .stopped }
            state.parts.append(part)
            state.bytesInFlight += part.readableBytes
            let wake = !state.connectionComing
            state.connectionComing = true
            return .accepted(wakeConnection: wake, wait: state.bytesInFlight >= self.highWater)
        }
    }

    /// Waits until the bytes in flight fall to `lowWater`.
    /// - Returns: `false` when the connection wants no more of the body.
    func waitForRoom() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let now: Bool? = self.state.withLock { state in
                if state.stopped { return false }
                if state.bytesInFlight <= self.lowWater { return true }
                state.waiter = continuation
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// The producer has no more parts.
    /// - Returns: whether to tell the connection (it is not already coming).
    func finish() -> Bool {
        self.state.withLock { state in
            guard !state.stopped, !state.finished else { return false }
            state.finished = true
            let wake = !state.connectionComing
            state.connectionComing = true
            return wake
        }
    }

    /// Whether the producer waits for room (for tests).
    var producerIsWaiting: Bool {
        self.state.withLock { $0.waiter != nil }
    }

    // MARK: - The connection's side

    /// The next part, if the producer offered one.
    func take() -> Taken {
        self.state.withLock { state in
            if let part = state.parts.popFirst() { return .part(part) }
            if state.finished, !state.endTaken, !state.stopped {
                state.endTaken = true
                return .end
            }
            state.connectionComing = false
            return .empty
        }
    }

    /// `count` bytes of a taken part reached the socket; wakes a waiting producer once there is room.
    func written(_ count: Int) {
        let waiter: CheckedContinuation<Bool, Never>? = self.state.withLock { state in
            state.bytesInFlight -= count
            guard state.bytesInFlight <= self.lowWater, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: true)
    }

    /// The connection wants no more of the body: parts not yet taken are dropped and the producer stops.
    func stop() {
        let waiter: CheckedContinuation<Bool, Never>? = self.state.withLock { state in
            state.stopped = true
            state.parts.removeAll()
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: false)
    }
}
