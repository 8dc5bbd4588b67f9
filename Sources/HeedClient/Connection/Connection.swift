import HeedCore
import NIOCore

/// One TCP connection and the handler that runs exchanges on it.
struct Connection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<ClientExchangeHandler>
    /// Whether the connection served a request before (a stale keep-alive connection can fail
    /// in ways a fresh one cannot).
    var isReused: Bool
    /// How many requests the connection served before the current one.
    var requestsServed = 0
    /// The local and remote addresses as text, taken once when the connection opens (for the timeline).
    var localAddress = "?"
    var remoteAddress = "?"

    var eventLoop: any EventLoop { self.channel.eventLoop }
}

/// Identifies the connections that can serve a request.
struct ConnectionKey: Hashable, Sendable {
    var scheme: String
    var host: String
    var port: Int
}
