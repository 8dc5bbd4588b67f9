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
        let busyPoll: LoopBusyPoll?
        let localAddress: String
        let remoteAddress: String

        init(channel: any Channel, handler: NIOLoopBound<ClientExchangeHandler>, busyPoll: LoopBusyPoll?) {
            self.channel = channel
            self.handler = handler
            self.busyPoll = busyPoll
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

    init(
        channel: any Channel,
        handler: NIOLoopBound<ClientExchangeHandler>,
        busyPoll: LoopBusyPoll? = nil,
        isReused: Bool
    ) {
        self.parts = Parts(channel: channel, handler: handler, busyPoll: busyPoll)
        self.isReused = isReused
    }

    var channel: any Channel { self.parts.channel }
    var handler: NIOLoopBound<ClientExchangeHandler> { self.parts.handler }
    /// The busy polling of the connection's loop, when the client's configuration asks for it.
    var busyPoll: LoopBusyPoll? { self.parts.busyPoll }
    var eventLoop: any EventLoop { self.parts.channel.eventLoop }
    /// The local and remote addresses as text, taken once when the connection opened (for the timeline).
    var localAddress: String { self.parts.localAddress }
    var remoteAddress: String { self.parts.remoteAddress }
}

/// Identifies the connections that can serve a request.
///
/// The pool looks a key up twice per request; the hash is computed once, when the URL is parsed.
struct ConnectionKey: Hashable, Sendable {
    let scheme: String
    let host: String
    let port: Int
    private let hash: Int

    init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
        var hasher = Hasher()
        hasher.combine(scheme)
        hasher.combine(host)
        hasher.combine(port)
        self.hash = hasher.finalize()
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.hash == rhs.hash && lhs.port == rhs.port && lhs.host == rhs.host && lhs.scheme == rhs.scheme
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.hash)
    }
}
