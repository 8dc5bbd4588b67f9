import HeedTestSupport
import HeedVapor
import NIOPosix
import Vapor

/// What went wrong in a test's setup.
enum VaporTestFailure: Error {
    case noLocalAddress
}

/// The routes every test app has.
///
/// - `GET /hello`: 200 "hello".
/// - `POST /echo`: 200 with the request body.
/// - `PUT /upload`: 200 with the byte count of the body (the head responders of the tests answer most
///   uploads before this route is reached).
func addTestRoutes(_ app: Application) {
    app.get("hello") { _ in "hello" }
    app.on(.POST, "echo", body: .collect(maxSize: "1mb")) { request in
        Response(status: .ok, body: .init(buffer: request.body.data ?? ByteBuffer()))
    }
    app.on(.PUT, "upload", body: .collect(maxSize: "8mb")) { request in
        "got \(request.body.data?.readableBytes ?? 0) bytes"
    }
}

/// Starts a Vapor application served by HeedVapor on 127.0.0.1 and a free port, runs `body` with the port,
/// and shuts the server and the application down whatever happens.
func withHeedVaporApp<T: Sendable>(
    _ configuration: HeedVaporConfiguration,
    _ body: (Int) async throws -> T
) async throws -> T {
    try await withHeedVaporApplication(configuration) { _, port in try await body(port) }
}

/// As ``withHeedVaporApp(_:_:)``, with the application too (for a test that stops its server itself).
func withHeedVaporApplication<T: Sendable>(
    _ configuration: HeedVaporConfiguration,
    _ body: (Application, Int) async throws -> T
) async throws -> T {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    app.servers.use(.heed(configuration))
    addTestRoutes(app)
    do {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.heed.server.localAddress?.port else { throw VaporTestFailure.noLocalAddress }
        let result = try await body(app, port)
        await app.server.shutdown()
        try await app.asyncShutdown()
        return result
    } catch {
        await app.server.shutdown()
        try? await app.asyncShutdown()
        throw error
    }
}

/// Runs blocking work on a thread of its own, off Swift's cooperative pool.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    let pool = NIOThreadPool(numberOfThreads: 1)
    pool.start()
    defer { pool.shutdownGracefully { _ in } }
    return try await pool.runIfActive(work)
}

/// The head of a `PUT /upload` with a declared body.
func uploadHead(length: Int, authorized: Bool = false, extraField: String? = nil) -> String {
    var head = "PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(length)\r\n"
    if authorized {
        head += "Authorization: Bearer test\r\n"
    }
    if let extraField {
        head += extraField + "\r\n"
    }
    return head + "\r\n"
}
