public import NIOCore

/// The slowest a client may send a request body: an overall deadline for the body that moves on with every
/// byte received (Apache `mod_reqtimeout`'s `body=20,MinRate=500`).
///
/// The body must be complete by its start + ``gracePeriod`` + one second per ``bytesPerSecond`` bytes
/// received so far. A client that trickles its body (one byte just within each idle timeout) is cut off
/// after about the grace period, while a large upload on a slow but steady link is not. Time in which the
/// server itself does not read, because the application is slow to consume the body, does not count.
public struct MinimumBodyRate: Sendable, Hashable {
    /// The average rate the client must keep up: every `bytesPerSecond` bytes received extend the deadline by
    /// one second.
    public var bytesPerSecond: Int
    /// The time a body has from its start before the rate counts: the deadline with no byte received.
    public var gracePeriod: TimeAmount

    /// Creates a minimum rate.
    /// - Parameters:
    ///   - bytesPerSecond: The lowest average rate, in bytes per second (at least 1).
    ///   - gracePeriod: The time a body has from its start before the rate counts.
    public init(bytesPerSecond: Int = 500, gracePeriod: TimeAmount = .seconds(20)) {
        self.bytesPerSecond = bytesPerSecond
        self.gracePeriod = gracePeriod
    }

    /// The deadline of a body that started at `start` and of which `received` bytes have arrived.
    /// - Parameters:
    ///   - start: When the body started, moved on by any time the server did not read.
    ///   - received: The body bytes received so far.
    /// - Returns: The time by which the body must be complete; far enough in the future never overflows.
    public func deadline(start: NIODeadline, received: Int) -> NIODeadline {
        // At most 10^9 s of credit, so that the nanoseconds fit in an Int64.
        let seconds = min(Double(max(0, received)) / Double(max(1, self.bytesPerSecond)), 1e9)
        return start + self.gracePeriod + .nanoseconds(Int64(seconds * 1e9))
    }
}
