import HeedCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// Opens connections and sets up their pipelines.
enum ConnectionFactory {
    static func connect(
        to url: HTTPURL,
        group: any EventLoopGroup,
        timeout: Duration,
        deadline: NIODeadline?
    ) async throws -> Connection {
        guard !url.isTLS else {
            throw HTTPClientError.invalidRequest("https:// is not supported by this build of Heed yet")
        }
        var connectTimeout = timeout.timeAmount
        if let deadline {
            connectTimeout = min(connectTimeout, max(.milliseconds(1), deadline - .now()))
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // Reads grow up to 512 KiB while they come back full: a large download arrives in few, large parts
            // (fewer hand-overs to the consumer), while a small response still reads into a small buffer.
            .channelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 512 * 1024)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(
                        ByteToMessageHandler(
                            HTTPResponseDecoder(
                                leftOverBytesStrategy: .dropBytes,
                                informationalResponseStrategy: .forward
                            )
                        )
                    )
                    try sync.addHandler(ClientExchangeHandler(eventLoop: channel.eventLoop))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            throw Self.connectError(error, url: url, timeout: connectTimeout)
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(
                try channel.pipeline.syncOperations.handler(type: ClientExchangeHandler.self),
                eventLoop: channel.eventLoop
            )
        }.get()
        return Connection(channel: channel, handler: handler, isReused: false)
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
