import NIOConcurrencyHelpers

/// A flag one thread sets and another waits for, with a bound: lets a scripted peer's thread wait for the test
/// (the client gave up, say) without sleeping for a guessed time.
public final class ConditionFlag: Sendable {
    private let condition = ConditionLock(value: false)

    public init() {}

    /// Sets the flag and wakes the waiter.
    public func set() {
        self.condition.lock()
        self.condition.unlock(withValue: true)
    }

    /// Waits until the flag is set or `seconds` pass.
    /// - Returns: whether the flag was set.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        guard self.condition.lock(whenValue: true, timeoutSeconds: seconds) else { return false }
        self.condition.unlock()
        return true
    }
}
