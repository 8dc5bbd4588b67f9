import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 (port 0) for loopback tests: plain or TLS, optionally
/// compressing responses (gzip or deflate, as the request's `Accept-Encoding` asks), answering
/// every request with what `respond` returns (or, from ``answeringLater(tls:compress:respond:)``, when it
/// returns: a test can hold responses back until an event). It records the requests it saw.
public final class HTTPTestServer: Sendable {
    /// A request as the server saw it.
    public struct Request: Sendable {
        public var method: String
        public var uri: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// The connection it came on, counted from 0 in the order the server accepted them.
        public var connection: Int
        /// The requests that came before it on its connection.
        public var requestsBefore: Int

        /// The first value of the header field `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// What to answer.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// Close the connection instead of answering (as a server does with an idle keep-alive connection).
        public var closesWithoutAnswer = false

        public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        /// No answer: the server closes the connection.
        public static var closeWithoutAnswer: Self {
            var response = Self()
            response.closesWithoutAnswer = true
            return response
        }

        public init(status: Int = 200, headers: [(name: String, value: String)] = [], text: String) {
            self.init(status: status, headers: headers, body: Array(text.utf8))
        }
    }

    /// How the server speaks TLS.
    public struct TLS: Sendable {
        public var identity: TestCertificates.Identity
        /// If set, clients must present a certificate signed by this CA (PEM).
        public var clientCA: String?

        public init(identity: TestCertificates.Identity, clientCA: String? = nil) {
            self.identity = identity
            self.clientCA = clientCA
        }
    }

    public let port: Int
    public let isTLS: Bool
    private let channel: any Channel
    private let recorded: RequestLog

    /// Starts the server.
    /// - Parameters:
    ///   - tls: serve TLS with this identity; plain HTTP if `nil`.
    ///   - compress: compress responses as the request's `Accept-Encoding` asks.
    ///   - respond: the answer to each request.
    public convenience init(
        tls: TLS? = nil,
        compress: Bool = false,
        respond: @escaping @Sendable (Request) -> Response
    ) async throws {
        try await self.init(tls: tls, compress: compress, answer: .now(respond))
    }

    /// Starts a server whose responses go out when `respond` returns, so that a test can hold them back until an
    /// event (bound the wait: a held response holds its connection).
    /// - Parameters:
    ///   - tls: serve TLS with this identity; plain HTTP if `nil`.
    ///   - compress: compress responses as the request's `Accept-Encoding` asks.
    ///   - respond: the answer to each request.
    public static func answeringLater(
        tls: TLS? = nil,
        compress: Bool = false,
        respond: @escaping @Sendable (Request) async -> Response
    ) async throws -> HTTPTestServer {
        try await HTTPTestServer(tls: tls, compress: compress, answer: .later(respond))
    }

    private init(tls: TLS?, compress: Bool, answer: Answer) async throws {
        let recorded = RequestLog()
        let sslContext = try tls.map { tls in
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(tls.identity.certificatePEM.utf8))
                    .map { .certificate($0) },
                privateKey: .privateKey(
                    try NIOSSLPrivateKey(bytes: Array(tls.identity.privateKeyPEM.utf8), format: .pem)
                )
            )
            configuration.sslContextCallback = { values, promise in
                recorded.appendServerName(values.serverHostname)
                promise.succeed(.noChanges)
            }
            if let clientCA = tls.clientCA {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
            }
            return try NIOSSLContext(configuration: configuration)
        }
        self.recorded = recorded
        self.isTLS = tls != nil
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let index = recorded.connectionAccepted()
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext { try sync.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    if compress { try sync.addHandler(HTTPResponseCompressor()) }
                    try sync.addHandler(Responder(answer: answer, log: recorded, connection: index))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.port = self.channel.localAddress?.port ?? 0
    }

    /// The requests seen so far, in order.
    public var requests: [Request] { self.recorded.requests }

    /// How many connections the server accepted so far.
    public var connectionsAccepted: Int { self.recorded.connections }

    /// The SNI host name of each TLS handshake so far (`nil`: the client sent none).
    public var serverNames: [String?] { self.recorded.serverNames }

    /// `http(s)://127.0.0.1:PORT/path`.
    public func url(_ path: String = "/") -> String {
        "\(self.isTLS ? "https" : "http")://127.0.0.1:\(self.port)\(path)"
    }

    /// `127.0.0.1:PORT`.
    public var authority: String { "127.0.0.1:\(self.port)" }

    /// Stops listening.
    public func shutdown() async {
        try? await self.channel.close()
    }

    /// Closes the listener without waiting, for `defer` (no unstructured task needed).
    public func close() {
        self.channel.close(promise: nil)
    }
}

final class RequestLog: Sendable {
    private let state = Mutex<(requests: [HTTPTestServer.Request], serverNames: [String?], connections: Int)>(
        ([], [], 0)
    )
    var requests: [HTTPTestServer.Request] { self.state.withLock { $0.requests } }
    var serverNames: [String?] { self.state.withLock { $0.serverNames } }
    var connections: Int { self.state.withLock { $0.connections } }
    /// Counts a connection and returns its index.
    func connectionAccepted() -> Int {
        self.state.withLock { state in
            state.connections += 1
            return state.connections - 1
        }
    }
    func append(_ request: HTTPTestServer.Request) { self.state.withLock { $0.requests.append(request) } }
    func appendServerName(_ name: String?) { self.state.withLock { $0.serverNames.append(name) } }
}

/// How the server answers a request.
enum Answer: Sendable {
    case now(@Sendable (HTTPTestServer.Request) -> HTTPTestServer.Response)
    case later(@Sendable (HTTPTestServer.Request) async -> HTTPTestServer.Response)
}

private final class Responder: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: Answer
    private let log: RequestLog
    private let connection: Int
    private var requestsBefore = 0
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(answer: Answer, log: RequestLog, connection: Int) {
        self.answer = answer
        self.log = log
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
        case .body(let part):
            self.body += part.readableBytesView
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let request = HTTPTestServer.Request(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) },
                body: self.body,
                connection: self.connection,
                requestsBefore: self.requestsBefore
            )
            self.requestsBefore += 1
            self.log.append(request)
            switch self.answer {
            case .now(let respond):
                self.send(respond(request), to: head, context: context)
            case .later(let respond):
                context.eventLoop.makeFutureWithTask { await respond(request) }.assumeIsolated().whenSuccess {
                    self.send($0, to: head, context: context)
                }
            }
        }
    }

    private func send(_ response: HTTPTestServer.Response, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard !response.closesWithoutAnswer else {
            context.close(promise: nil)
            return
        }
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        if !headers.contains(name: "Content-Length") && !headers.contains(name: "Transfer-Encoding") {
            headers.add(name: "Content-Length", value: String(response.body.count))
        }
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil
        )
        if !response.body.isEmpty {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        let keepAlive = head.isKeepAlive
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
