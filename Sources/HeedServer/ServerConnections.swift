import NIOCore
import Synchronization

/// The connections a ``HeedServer`` serves, so that a stop reaches every one of them.
///
/// A graceful stop (``stop()``) refuses new connections and sends each open one `ChannelShouldQuiesceEvent`:
/// its ``ServerConnectionHandler`` closes it at once if it is idle, or after the response to the request in
/// progress. ``closeAll()`` ends the grace period: it closes whatever is left at once, without lingering.
final class ServerConnections: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isStopping = false
        /// Resumed once no connection is left.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Registers a new connection, until it closes.
    /// - Returns: false if the server is stopping: the connection must not be served.
    func add(_ channel: any Channel) -> Bool {
        let added = self.state.withLock { state in
            guard !state.isStopping else { return false }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
        if added {
            channel.closeFuture.whenComplete { _ in self.remove(channel) }
        }
        return added
    }

    /// Begins a graceful stop: refuses new connections and asks each open one to finish and close.
    ///
    /// The connections of one event loop hear of it in one task on their loop, so none of them does anything
    /// in between: once one of them has closed, every other on its loop knows that the server is stopping.
    func stop() {
        let channels = self.state.withLock { state in
            state.isStopping = true
            return Array(state.channels.values)
        }
        let byLoop = Dictionary(grouping: channels) { ObjectIdentifier($0.eventLoop) }
        for loopChannels in byLoop.values {
            guard let eventLoop = loopChannels.first?.eventLoop else { continue }
            eventLoop.execute {
                for channel in loopChannels {
                    channel.pipeline.syncOperations.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                }
            }
        }
    }

    /// Closes every connection left at once, below the lingering close (which would otherwise linger on).
    func closeAll() {
        let channels = self.state.withLock { Array($0.channels.values) }
        for channel in channels {
            channel.eventLoop.execute {
                let lingering = try? channel.pipeline.syncOperations.context(handlerType: LingeringCloseHandler.self)
                if let lingering {
                    lingering.close(promise: nil)
                } else {
                    channel.close(promise: nil)
                }
            }
        }
    }

    /// Waits until no connection is left; returns at once if none is. Not cancellable: a stop bounds it.
    func waitUntilAllClosed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isEmpty = self.state.withLock { state in
                guard state.channels.isEmpty else {
                    state.waiters.append(continuation)
                    return false
                }
                return true
            }
            if isEmpty {
                continuation.resume()
            }
        }
    }

    // MARK: - Helpers

    private func remove(_ channel: any Channel) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.channels[ObjectIdentifier(channel)] = nil
            guard state.channels.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }
}
