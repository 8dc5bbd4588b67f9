import NIOCore
import Synchronization

/// Idle keep-alive connections, per scheme, host and port.
///
/// A connection is leased for one exchange at a time and comes back only when its exchange ended
/// with the framing intact. Idle connections close after the idle timeout; a connection the server
/// closed while it sat idle is dropped when it is next looked at.
final class ConnectionPool: Sendable {
    private struct Entry {
        var connection: Connection
        var releaseID: UInt64
    }

    private struct State {
        var idle: [ConnectionKey: [Entry]] = [:]
        var nextReleaseID: UInt64 = 0
        var isShutDown = false
    }

    private let state = Mutex(State())
    private let maxIdlePerKey: Int
    private let idleTimeout: TimeAmount

    init(maxIdlePerKey: Int, idleTimeout: TimeAmount) {
        self.maxIdlePerKey = max(0, maxIdlePerKey)
        self.idleTimeout = idleTimeout
    }

    /// An idle connection for `key` that is still open, if there is one.
    func lease(_ key: ConnectionKey) -> Connection? {
        let (found, stale) = self.state.withLock { state -> (Connection?, [Connection]) in
            var stale: [Connection] = []
            while var entry = state.idle[key]?.popLast() {
                if entry.connection.channel.isActive {
                    entry.connection.isReused = true
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
        let releaseID: UInt64? = self.state.withLock { state in
            guard !state.isShutDown, connection.channel.isActive,
                state.idle[key, default: []].count < self.maxIdlePerKey
            else { return nil }
            state.nextReleaseID += 1
            state.idle[key, default: []].append(Entry(connection: connection, releaseID: state.nextReleaseID))
            return state.nextReleaseID
        }
        guard let releaseID else {
            connection.channel.close(promise: nil)
            return
        }
        connection.eventLoop.scheduleTask(in: self.idleTimeout) {
            self.expire(key: key, releaseID: releaseID)
        }
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

    private func expire(key: ConnectionKey, releaseID: UInt64) {
        let expired: Connection? = self.state.withLock { state in
            guard let index = state.idle[key]?.firstIndex(where: { $0.releaseID == releaseID }) else { return nil }
            return state.idle[key]?.remove(at: index).connection
        }
        expired?.channel.close(promise: nil)
    }
}
