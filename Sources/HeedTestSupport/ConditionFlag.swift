import Foundation

/// A flag one thread sets and another waits for, with a bound: lets a scripted peer's thread wait for the test
/// (the client gave up, say) without sleeping for a guessed time.
public final class ConditionFlag: @unchecked Sendable {
    // @unchecked: `isSet` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var isSet = false

    public init() {}

    /// Sets the flag and wakes the waiter.
    public func set() {
        self.condition.lock()
        self.isSet = true
        self.condition.broadcast()
        self.condition.unlock()
    }

    /// Waits until the flag is set or `seconds` pass.
    /// - Returns: whether the flag was set.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        self.condition.lock()
        defer { self.condition.unlock() }
        while !self.isSet {
            if !self.condition.wait(until: deadline) { return self.isSet }
        }
        return true
    }
}
