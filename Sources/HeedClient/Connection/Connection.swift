import HeedCore
import NIOCore

/// One TCP connection and the handler that runs exchanges on it.
///
/// What never changes lives in one shared object, so handing a connection around (to the pool, to an
/// exchange) retains one reference instead of each of its parts.
struct Connection: Sendable {
    /// The parts of a connection that never change.
    private final class Parts: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<ClientExchangeHandler>
        let localAddress: String
        let remoteAddress: String

        init(channel: any Channel, handler: NIOLoopBound<ClientExchangeHandler>) {
            self.channel = channel
            self.handler = handler
            self.localAddress = channel.localAddress?.description ?? "?"
            self.remoteAddress = channel.remoteAddress?.description ?? "?"
        }
    }

    private let parts: Parts
    /// Whether the connection served a request before (a stale keep-alive connection can fail
    /// in ways a fresh one cannot).
    var isReused: Bool
    /// How many requests the connection served before the current one.
    var requestsServed = 0

    init(channel: any Channel, handler: NIOLoopBound<ClientExchangeHandler>, isReused: Bool) {
        self.parts = Parts(channel: channel, handler: handler)
        self.isReused = isReused
    }

    var channel: any Channel { self.parts.channel }
    var handler: NIOLoopBound<ClientExchangeHandler> { self.parts.handler }
    var eventLoop: any EventLoop { self.parts.channel.eventLoop }
    /// The local and remote addresses as text, taken once when the connection opened (for the timeline).
    var localAddress: String { self.parts.localAddress }
    var remoteAddress: String { self.parts.remoteAddress }
}

/// Identifies the connections that can serve a request.
struct ConnectionKey: Hashable, Sendable {
    var scheme: String
    var host: String
    var port: Int
}
