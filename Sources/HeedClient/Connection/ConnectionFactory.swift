import HeedCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Opens connections and sets up their pipelines.
enum ConnectionFactory {
    /// Connects to `url` (or its proxy) and sets the connection up for HTTP: TCP connect, proxy tunnel, TLS
    /// handshake, all within `timeout` of the start (and by `deadline`, if sooner).
    static func connect(
        to url: HTTPURL,
        group: any EventLoopGroup,
        timeout: Duration,
        deadline: NIODeadline?,
        setup: ConnectionSetup
    ) async throws -> Connection {
        // On one of the group's loops (a task running on a loop), the connection stays on that loop.
        let eventLoop = group.any()
        // Per channel: happy eyeballs may try several addresses, each with its own pipeline.
        let prepared = NIOLockedValueBox([ObjectIdentifier: ConnectionSetup.Prepared]())
        let limit = ConnectionSetup.Limit(start: .now(), timeout: timeout.timeAmount, requestDeadline: deadline)
        // The channels being connected, so that cancelling the task can close them (a connect's future does not see
        // the task's cancellation).
        let connecting = NIOLockedValueBox(ConnectingChannels())
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(limit.allowed)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // The request body goes to the socket in writes of up to 512 KiB: a part is handed to NIO while the
            // channel is writable, so with NIO's default 64 KiB mark a 256 KiB part went out alone, one write call
            // and one drain per part. What NIO holds when the server answers early still goes out, but the socket's
            // own buffer holds megabytes on top of it.
            .channelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 512 * 1024))
            // Reads grow up to 512 KiB while they come back full: a large download arrives in few, large parts
            // (fewer hand-overs to the consumer), while a small response still reads into a small buffer.
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 512 * 1024)
            )
            .channelInitializer { channel in
                guard connecting.withLockedValue({ $0.add(channel) }) else {
                    return channel.eventLoop.makeFailedFuture(CancellationError())
                }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let ready = try setup.addTransportHandlers(to: sync, url: url, eventLoop: channel.eventLoop)
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(
                        ByteToMessageHandler(
                            HTTPResponseDecoder(
                                leftOverBytesStrategy: .dropBytes,
                                informationalResponseStrategy: .forward
                            )
                        )
                    )
                    try setup.addDecompressionHandlers(to: sync)
                    let handler = ClientExchangeHandler(
                        eventLoop: channel.eventLoop,
                        busyPoll: setup.busyPollers?.poller(for: channel.eventLoop)
                    )
                    try sync.addHandler(handler)
                    let entry = ConnectionSetup.Prepared(
                        readiness: ready,
                        handler: NIOLoopBound(handler, eventLoop: channel.eventLoop)
                    )
                    prepared.withLockedValue { $0[ObjectIdentifier(channel)] = entry }
                }
            }
        let channel: any Channel
        let peer = setup.proxy.flatMap { try? HTTPURL(parsing: "http://\($0)/") } ?? url
        do {
            channel = try await withTaskCancellationHandler {
                try await bootstrap.connect(host: peer.host, port: peer.port).get()
            } onCancel: {
                for channel in connecting.withLockedValue({ $0.cancel() }) { channel.close(promise: nil) }
            }
        } catch {
            if connecting.withLockedValue({ $0.isCancelled }) {
                throw HTTPClientError.cancelled(during: .connecting, url: url.description)
            }
            throw Self.connectError(error, url: peer, timeout: limit.allowed)
        }
        if connecting.withLockedValue({ $0.isCancelled }) {
            // Cancelled as the connect completed: the channel may be closing already.
            channel.close(promise: nil)
            throw HTTPClientError.cancelled(during: .connecting, url: url.description)
        }
        guard let entry = prepared.withLockedValue({ $0[ObjectIdentifier(channel)] }) else {
            channel.close(promise: nil)
            throw HTTPClientError.invalidRequest("internal inconsistency: the connection was not prepared")
        }
        do {
            try await setup.waitUntilReady(entry.readiness, channel: channel, url: url, limit: limit)
        } catch {
            channel.close(promise: nil)
            throw error
        }
        return Connection(
            channel: channel,
            handler: entry.handler,
            busyPoll: setup.busyPollers?.poller(for: channel.eventLoop),
            isReused: false
        )
    }

    private static func connectError(_ error: any Error, url: HTTPURL, timeout: TimeAmount) -> HTTPClientError {
        let seconds = Double(timeout.nanoseconds) / 1e9
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .connectTimeout(host: url.host, port: url.port, seconds: seconds)
        }
        if let connectionError = error as? NIOConnectionError {
            if let first = connectionError.connectionErrors.first {
                return Self.connectError(first.error, url: url, timeout: timeout)
            }
            let dnsError = connectionError.dnsAError ?? connectionError.dnsAAAAError
            let message = dnsError.map { "\($0)" } ?? "no address found"
            return .nameResolutionFailed(host: url.host, message: message)
        }
        if error is SocketAddressError || "\(type(of: error))".contains("Resolver") {
            return .nameResolutionFailed(host: url.host, message: "\(error)")
        }
        return .connectFailed(host: url.host, port: url.port, error: SystemErrors.info(for: error))
    }
}

/// The channels a connect has opened so far (happy eyeballs may try several), and whether the task was cancelled.
private struct ConnectingChannels {
    private var channels: [any Channel] = []
    private(set) var isCancelled = false

    /// A channel is about to connect; returns `false` if the task was cancelled already (it must not connect).
    mutating func add(_ channel: any Channel) -> Bool {
        guard !self.isCancelled else { return false }
        self.channels.append(channel)
        return true
    }

    /// The task was cancelled: returns the channels to close.
    mutating func cancel() -> [any Channel] {
        self.isCancelled = true
        defer { self.channels = [] }
        return self.channels
    }
}
