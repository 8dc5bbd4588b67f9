import NIOCore
import NIOPosix
import Synchronization

/// Idle keep-alive connections, per scheme, host and port.
///
/// A connection is leased for one exchange at a time and comes back only when its exchange ended
/// with the framing intact. Idle connections close after the idle timeout; a connection the server
/// closed while it sat idle is dropped when it is next looked at.
///
/// One sweep timer serves the whole pool: it is armed when a connection goes idle and none is armed,
/// and re-arms itself for the next connection due, so a release schedules nothing in the steady state.
final class ConnectionPool: Sendable {
    private struct Entry {
        var connection: Connection
        var idleSince: NIODeadline
    }

    private struct State {
        var idle: [ConnectionKey: [Entry]] = [:]
        var isShutDown = false
        /// Whether a sweep is scheduled.
        var sweepArmed = false
    }

    private let state = Mutex(State())
    private let maxIdlePerKey: Int
    private let idleTimeout: TimeAmount

    init(maxIdlePerKey: Int, idleTimeout: TimeAmount) {
        self.maxIdlePerKey = max(0, maxIdlePerKey)
        self.idleTimeout = idleTimeout
    }

    /// An idle connection for `key` that is still open, if there is one.
    ///
    /// A caller running on an event loop gets a connection of that loop if there is one idle, so that
    /// the exchange needs no thread hop (``HTTPClient/withEventLoopAffinity(_:)``).
    func lease(_ key: ConnectionKey) -> Connection? {
        let current = MultiThreadedEventLoopGroup.currentEventLoop
        let (found, stale) = self.state.withLock { state -> (Connection?, [Connection]) in
            var stale: [Connection] = []
            if let current, let entries = state.idle[key],
                let index = entries.lastIndex(where: { $0.connection.eventLoop === current }),
                index != entries.index(before: entries.endIndex)
            {
                // Move the connection of this loop to the end, where the loop below takes it.
                state.idle[key]?.swapAt(index, entries.index(before: entries.endIndex))
            }
            while var entry = state.idle[key]?.popLast() {
                if entry.connection.channel.isActive {
                    entry.connection.isReused = true
                    entry.connection.requestsServed += 1
                    return (entry.connection, stale)
                }
                stale.append(entry.connection)
            }
            return (nil, stale)
        }
        for connection in stale { connection.channel.close(promise: nil) }
        return found
    }

    /// Takes `connection` back after an exchange that left it reusable.
    func release(_ connection: Connection, key: ConnectionKey) {
        let now = NIODeadline.now()
        let (kept, armSweep) = self.state.withLock { state -> (Bool, Bool) in
            guard !state.isShutDown, connection.channel.isActive,
                state.idle[key, default: []].count < self.maxIdlePerKey
            else { return (false, false) }
            state.idle[key, default: []].append(Entry(connection: connection, idleSince: now))
            guard !state.sweepArmed else { return (true, false) }
            state.sweepArmed = true
            return (true, true)
        }
        guard kept else {
            connection.channel.close(promise: nil)
            return
        }
        if armSweep { self.scheduleSweep(at: now + self.idleTimeout, on: connection.eventLoop) }
    }

    /// Closes every idle connection; later releases close their connection.
    func shutdown() async {
        let connections = self.state.withLock { state in
            state.isShutDown = true
            let all = state.idle.values.flatMap { $0.map(\.connection) }
            state.idle = [:]
            return all
        }
        for connection in connections {
            try? await connection.channel.close()
        }
    }

    private func scheduleSweep(at deadline: NIODeadline, on loop: any EventLoop) {
        loop.scheduleTask(deadline: deadline) {
            self.sweep(on: loop)
        }
    }

    /// Closes the connections idle for longer than the idle timeout, and re-arms for the next one due.
    private func sweep(on loop: any EventLoop) {
        let now = NIODeadline.now()
        let (expired, next) = self.state.withLock { state -> ([Connection], NIODeadline?) in
            var expired: [Connection] = []
            var oldest: NIODeadline?
            for key in Array(state.idle.keys) {
                state.idle[key]?.removeAll { entry in
                    if entry.idleSince + self.idleTimeout <= now {
                        expired.append(entry.connection)
                        return true
                    }
                    oldest = min(oldest ?? entry.idleSince, entry.idleSince)
                    return false
                }
                if state.idle[key]?.isEmpty == true { state.idle[key] = nil }
            }
            state.sweepArmed = oldest != nil && !state.isShutDown
            return (expired, state.sweepArmed ? oldest : nil)
        }
        for connection in expired { connection.channel.close(promise: nil) }
        if let next { self.scheduleSweep(at: next + self.idleTimeout, on: loop) }
    }
}
