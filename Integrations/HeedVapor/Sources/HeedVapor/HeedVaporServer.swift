import HeedCore
import HeedServer
public import NIOCore
import Synchronization
public import Vapor

/// A Vapor `Server` that serves the application's responder over Heed's HTTP/1.1 server, which decides on
/// the request head and ends connections with a lingering close (RFC 9112 §9.6).
///
/// A Vapor app that answers early (413 for a too-large upload, 401 before reading a body) gets its answer
/// to a client that is still sending, followed by a clean FIN instead of a reset. Install it with
/// `app.servers.use(.heed)` or `app.servers.use(.heed(configuration))`; `app.heed.server` is the instance.
///
/// Request bodies are collected in memory up to ``HeedVaporConfiguration/maxBodySize`` before the
/// application sees the request; a larger `Content-Length` is answered 413 before any of the body is read.
/// Streamed response bodies are collected in memory before they are sent. TLS, HTTP/2, WebSocket and other
/// upgrades, and streamed request bodies are not supported.
public final class HeedVaporServer: Server {
    /// The configuration the server starts with.
    public let configuration: HeedVaporConfiguration
    private let application: Application
    private let state: Mutex<State>

    private enum State {
        case idle
        case running(Running)
    }

    private struct Running {
        let task: Task<Void, Never>
        let stopped: EventLoopFuture<Void>
        var localAddress: SocketAddress?
    }

    /// Creates a server for an application; ``start(address:)`` starts it.
    /// - Parameters:
    ///   - application: The application whose responder (routes and middleware) serves the requests.
    ///   - configuration: Where to listen and which limits to enforce.
    public init(application: Application, configuration: HeedVaporConfiguration = .init()) {
        self.application = application
        self.configuration = configuration
        self.state = Mutex(.idle)
    }

    /// The address the server listens on while it runs (with port 0, the port it picked), or nil.
    public var localAddress: SocketAddress? {
        self.state.withLock { state in
            guard case .running(let running) = state else { return nil }
            return running.localAddress
        }
    }

    /// Whether the server is running (from `start` until `shutdown` has stopped it).
    var isRunning: Bool {
        self.state.withLock { state in
            if case .running = state { return true }
            return false
        }
    }

    /// Completes when the running server has stopped; an already completed future if it is not running.
    public var onShutdown: EventLoopFuture<Void> {
        let stopped = self.state.withLock { state -> EventLoopFuture<Void>? in
            guard case .running(let running) = state else { return nil }
            return running.stopped
        }
        return stopped ?? self.application.eventLoopGroup.any().makeSucceededVoidFuture()
    }

    // MARK: - Starting

    /// Starts listening and serving; returns once the server listens.
    /// - Parameter address: Overrides the configured host name or port; nil uses the configuration.
    /// - Throws: ``HeedVaporError/alreadyStarted``, ``HeedVaporError/unixDomainSocketUnsupported(path:)``,
    ///   or the error of binding the listening socket.
    public func start(address: BindAddress?) async throws {
        let serverConfiguration = try self.serverConfiguration(for: address)
        let bridge = VaporBridge(
            application: self.application,
            responder: self.application.responder.current,
            eventLoopGroup: self.application.eventLoopGroup,
            maxBodySize: self.configuration.limits.maxBodySize,
            headResponder: self.configuration.headResponder
        )
        let server = HeedServer(
            configuration: serverConfiguration,
            eventLoopGroup: self.application.eventLoopGroup,
            logger: self.application.logger,
            responder: { bridge.decide($0) }
        )
        let eventLoop = self.application.eventLoopGroup.any()
        let (task, listening) = try self.state.withLock { state in
            guard case .idle = state else { throw HeedVaporError.alreadyStarted }
            // Both promises are completed by the task, whatever happens.
            let listening = eventLoop.makePromise(of: SocketAddress.self)
            let stopped = eventLoop.makePromise(of: Void.self)
            let task = Task {
                do {
                    try await server.run { address in listening.succeed(address) }
                } catch {
                    listening.fail(error)
                }
                // A no-op if the server was listening.
                listening.fail(HeedVaporError.notListening)
                stopped.succeed()
            }
            state = .running(Running(task: task, stopped: stopped.futureResult, localAddress: nil))
            return (task, listening)
        }
        let address: SocketAddress
        do {
            address = try await listening.futureResult.get()
        } catch {
            await task.value
            self.state.withLock { $0 = .idle }
            throw error
        }
        self.state.withLock { state in
            if case .running(var running) = state {
                running.localAddress = address
                state = .running(running)
            }
        }
        self.application.logger.notice("Server started on http://\(address.ipAddress ?? "?"):\(address.port ?? 0)")
    }

    /// Starts listening and serving, blocking the calling thread until the server listens.
    /// - Parameter address: Overrides the configured host name or port; nil uses the configuration.
    @available(*, noasync, message: "Use the async start(address:) instead.")
    public func start(address: BindAddress?) throws {
        let promise = self.application.eventLoopGroup.any().makePromise(of: Void.self)
        promise.completeWithTask { try await self.start(address: address) }
        try promise.futureResult.wait()
    }

    // MARK: - Stopping

    /// Stops accepting connections, waits for the requests being served (for up to
    /// ``HeedVaporConfiguration/shutdownGracePeriod``, then closes their connections), and returns.
    public func shutdown() async {
        let task = self.state.withLock { state -> Task<Void, Never>? in
            guard case .running(let running) = state else { return nil }
            return running.task
        }
        guard let task else { return }
        task.cancel()
        await task.value
        self.state.withLock { state in
            if case .running(let running) = state, running.task == task {
                state = .idle
            }
        }
    }

    /// Stops the server, blocking the calling thread until it has stopped.
    @available(*, noasync, message: "Use the async shutdown() instead.")
    public func shutdown() {
        let promise = self.application.eventLoopGroup.any().makePromise(of: Void.self)
        promise.completeWithTask { await self.shutdown() }
        try? promise.futureResult.wait()
    }

    // MARK: - Helpers

    private func serverConfiguration(for address: BindAddress?) throws -> HeedServerConfiguration {
        var hostname = self.configuration.hostname
        var port = self.configuration.port
        switch address {
        case .none:
            break
        case .hostname(let newHostname, let newPort):
            hostname = newHostname ?? hostname
            port = newPort ?? port
        case .unixDomainSocket(let path):
            throw HeedVaporError.unixDomainSocketUnsupported(path: path)
        }
        return HeedServerConfiguration(
            host: hostname,
            port: port,
            limits: self.configuration.limits,
            lingeringClose: self.configuration.lingeringClose,
            maxConnections: self.configuration.maxConnections,
            backlog: self.configuration.backlog,
            shutdownGracePeriod: self.configuration.shutdownGracePeriod
        )
    }
}
