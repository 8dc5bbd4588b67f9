import NIOCore
import NIOPosix
import Synchronization

/// Values a scripted peer hands back to its test, in order. The peer's thread sends; the test awaits
/// each value, for a bounded time.
public final class PeerReports<Value: Sendable>: Sendable {
    private struct State {
        var values: [Value] = []
        var waiters: [(id: Int, continuation: CheckedContinuation<Value?, Never>)] = []
        var nextID = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Hands `value` to the first waiting test, or keeps it for the next one that asks.
    public func send(_ value: Value) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
            guard !state.waiters.isEmpty else {
                state.values.append(value)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: value)
    }

    /// The next value, or `nil` if none arrives within `timeout`.
    public func next(within timeout: Duration = .seconds(10)) async -> Value? {
        await withCheckedContinuation { continuation in
            let (value, id) = self.state.withLock { state -> (Value?, Int) in
                if !state.values.isEmpty { return (state.values.removeFirst(), 0) }
                state.nextID += 1
                state.waiters.append((state.nextID, continuation))
                return (nil, state.nextID)
            }
            if let value {
                continuation.resume(returning: value)
                return
            }
            let (seconds, attoseconds) = timeout.components
            let amount = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: amount) {
                self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Value?, Never>? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index).continuation
        }
        waiter?.resume(returning: nil)
    }
}
