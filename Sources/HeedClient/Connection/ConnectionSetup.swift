import HeedCore
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOSSL

/// What a new connection needs beyond TCP: a proxy tunnel, TLS, decompression.
struct ConnectionSetup: Sendable {
    /// The TLS context, for `https://` URLs.
    var tlsContext: NIOSSLContext?
    /// The proxy the connection goes to, if any.
    var proxy: ProxyConfiguration.Endpoint?
    /// Whether responses are decompressed, and within which limits.
    var decompression: HTTPClient.DecompressionPolicy
    /// The client's busy pollers, when its configuration asks for busy polling.
    var busyPollers: BusyPollers? = nil

    /// The promises that tell when the connection is ready for HTTP.
    struct Readiness: Sendable {
        var tunnel: EventLoopFuture<Void>?
        var handshake: EventLoopFuture<Void>?
    }

    /// What the channel initializer made for one channel.
    struct Prepared: Sendable {
        var readiness: Readiness
        var handler: NIOLoopBound<ClientExchangeHandler>
    }

    /// Adds the handlers that come before HTTP/1.1: the proxy tunnel and TLS.
    func addTransportHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations,
        url: HTTPURL,
        eventLoop: any EventLoop
    ) throws -> Readiness {
        var readiness = Readiness()
        if let proxy = self.proxy, url.isTLS {
            let established = eventLoop.makePromise(of: Void.self)
            try pipeline.addHandler(
                ProxyConnectHandler(
                    target: Self.hostAndPort(url),
                    authorization: proxy.credentials.map(BasicAuthorization.fieldValue(credentials:)),
                    established: established
                )
            )
            readiness.tunnel = established.futureResult
        }
        if let context = self.tlsContext, url.isTLS {
            let handshake = eventLoop.makePromise(of: Void.self)
            let serverName = Self.isIPAddress(url.host) ? nil : url.host
            try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
            try pipeline.addHandler(TLSEventHandler(handshake: handshake, host: url.host, port: url.port))
            readiness.handshake = handshake.futureResult
        }
        return readiness
    }

    /// Adds the decompressor between the HTTP decoder and the exchange handler, when enabled, with the `x-gzip`
    /// alias in front of it.
    func addDecompressionHandlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        guard let limit = self.decompression.limit else { return }
        let limitHandler = DecompressionLimitHandler(maxSize: limit.maxSize, maxRatio: limit.maxRatio)
        try pipeline.addHandler(ContentCodingAliasHandler(restoringIn: limitHandler))
        try pipeline.addHandler(NIOHTTPResponseDecompressor(limit: .ratio(limit.maxRatio)))
        try pipeline.addHandler(limitHandler)
    }

    // MARK: - Helpers

    static func hostAndPort(_ url: HTTPURL) -> String {
        url.host.contains(":") ? "[\(url.host)]:\(url.port)" : "\(url.host):\(url.port)"
    }

    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in part.count <= 3 && UInt8(part) != nil }
    }
}

/// RFC 4648 base64, for `Proxy-Authorization: Basic`.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                output.append(
                    position <= chunk.count ? alphabet[Int((value >> (18 - 6 * position)) & 0x3F)] : UInt8(ascii: "=")
                )
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}
