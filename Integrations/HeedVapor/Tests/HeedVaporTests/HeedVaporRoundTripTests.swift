import HeedVapor
import Testing
import Vapor

/// Ordinary requests through Vapor's routes on a kept-alive connection, and the server's own API.
@Suite struct HeedVaporRoundTripTests {
    /// A GET and a POST on one connection reach their routes, keep the connection, and `Connection: close` ends it.
    @Test func getAndPostShareOneKeptAliveConnection() async throws {
        let responses = try await withHeedVaporApp(HeedVaporConfiguration(port: 0)) { port in
            try await onOwnThread {
                let connection = try RawHTTPConnection(port: port)
                try connection.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let hello = try connection.readResponse()
                try connection.send(
                    "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 11\r\n\r\nhello vapor"
                )
                let echo = try connection.readResponse()
                try connection.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                let last = try connection.readResponse()
                let sawEOF = try connection.readEOF(timeoutMilliseconds: 5_000)
                return (hello, echo, last, sawEOF)
            }
        }
        let (hello, echo, last, sawEOF) = responses
        #expect(hello.statusCode == 200)
        #expect(String(decoding: hello.body, as: UTF8.self) == "hello")
        #expect(hello.headers["connection"] == nil)
        #expect(echo.statusCode == 200)
        #expect(String(decoding: echo.body, as: UTF8.self) == "hello vapor")
        #expect(echo.headers["connection"] == nil)
        #expect(last.statusCode == 200)
        #expect(last.headers["connection"] == "close")
        #expect(sawEOF)
    }

    /// Vapor's 404 and its error middleware work as with Vapor's own server, and the connection stays.
    @Test func unknownRouteGetsVaporsNotFound() async throws {
        let (notFound, hello) = try await withHeedVaporApp(HeedVaporConfiguration(port: 0)) { port in
            try await onOwnThread {
                let connection = try RawHTTPConnection(port: port)
                try connection.send("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                let notFound = try connection.readResponse()
                try connection.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                return (notFound, try connection.readResponse())
            }
        }
        #expect(notFound.statusCode == 404)
        #expect(notFound.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(hello.statusCode == 200)
    }

    /// An authorized upload within the limits reaches its route with the whole body.
    @Test func authorizedUploadReachesItsRoute() async throws {
        var configuration = HeedVaporConfiguration(port: 0, maxBodySize: 8 * 1024 * 1024)
        configuration.headResponder = HeedVaporEarlyResponseTests.uploadGate
        let response = try await withHeedVaporApp(configuration) { port in
            try await onOwnThread {
                let connection = try RawHTTPConnection(port: port)
                let body = String(repeating: "b", count: 300_000)
                try connection.send(uploadHead(length: body.utf8.count, authorized: true) + body)
                return try connection.readResponse()
            }
        }
        #expect(response.statusCode == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "got 300000 bytes")
    }

    /// A chunked body larger than `maxBodySize` is answered 413 as soon as it passes the limit.
    @Test func chunkedBodyOverTheLimitGets413() async throws {
        let configuration = HeedVaporConfiguration(port: 0, maxBodySize: 1024)
        let (response, sawEOF) = try await withHeedVaporApp(configuration) { port in
            try await onOwnThread {
                let connection = try RawHTTPConnection(port: port)
                let chunk = String(repeating: "c", count: 2048)
                try connection.send(
                    "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "800\r\n\(chunk)\r\n"
                )
                let response = try connection.readResponse()
                return (response, try connection.readEOF(timeoutMilliseconds: 5_000))
            }
        }
        #expect(response.statusCode == 413)
        #expect(response.headers["connection"] == "close")
        #expect(sawEOF)
    }

    /// The server reports the port it picked, refuses a second start and Unix domain sockets, and restarts.
    @Test func serverLifecycle() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        app.servers.use(.heed(HeedVaporConfiguration(port: 0)))
        let server = app.heed.server
        do {
            #expect(server.localAddress == nil)
            await #expect(throws: HeedVaporError.unixDomainSocketUnsupported(path: "/tmp/heed.sock")) {
                try await app.server.start(address: .unixDomainSocket(path: "/tmp/heed.sock"))
            }
            try await app.server.start(address: nil)
            let port = try #require(server.localAddress?.port)
            #expect(port > 0)
            await #expect(throws: HeedVaporError.alreadyStarted) {
                try await app.server.start(address: nil)
            }
            await app.server.shutdown()
            #expect(server.localAddress == nil)
            try await server.onShutdown.get()
            try await app.server.start(address: .hostname(nil, port: 0))
            #expect(server.localAddress?.port != nil)
            await app.server.shutdown()
            try await app.asyncShutdown()
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }
}
