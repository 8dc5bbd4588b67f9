import HTTPTypes
import HeedCore
public import NIOCore
import NIOHTTP1
public import NIOPosix

/// An HTTP/1.1 client that listens while it talks.
///
/// While it sends a request body it reads the connection too, so a server that answers early
/// ("413 Payload Too Large") is heard: the client stops sending and returns the answer, instead
/// of failing with "connection reset by peer". A write that fails is not the end either: the
/// client first reads what already arrived.
///
/// ```swift
/// try await HTTPClient.withClient { client in
///     let request = HTTPRequest(method: .post, scheme: "http", authority: "127.0.0.1:8080", path: "/upload")
///     let response = try await client.execute(request, body: .bytes(buffer))
///     print(response.status, response.earlyResponseSummary ?? "")
/// }
/// ```
public final class HTTPClient: Sendable {
    /// How this client behaves.
    public let configuration: Configuration
    let eventLoopGroup: any EventLoopGroup
    let pool: ConnectionPool
    let tlsContexts = TLSContextCache()

    private init(configuration: Configuration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.pool = ConnectionPool(
            maxIdlePerKey: configuration.maxIdleConnectionsPerHost,
            idleTimeout: configuration.idleConnectionTimeout.timeAmount
        )
    }

    /// Runs `body` with a client, and shuts the client down when `body` returns or throws.
    /// - Parameters:
    ///   - configuration: timeouts, limits and the `Expect: 100-continue` policy.
    ///   - eventLoopGroup: where connections run; NIO's shared group by default.
    ///   - body: what to do with the client.
    /// - Returns: what `body` returns.
    public static func withClient<Result>(
        configuration: Configuration = .init(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        let client = HTTPClient(configuration: configuration, eventLoopGroup: eventLoopGroup)
        do {
            let result = try await body(client)
            await client.pool.shutdown()
            return result
        } catch {
            await client.pool.shutdown()
            throw error
        }
    }

    /// Sends `request` once, without following redirects (``execute(_:body:timeout:)`` follows them).
    ///
    /// Any HTTP response is a result, a 413 included; only a failure to get one throws.
    /// - Parameters:
    ///   - request: method, scheme, authority, path and header fields.
    ///   - body: the request body, if any.
    ///   - deadline: when the whole request must be done, if ever.
    /// - Returns: the response, and how much of the body was sent.
    /// - Throws: ``HTTPClientError`` telling what happened in plain words.
    func executeOnce(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody?,
        deadline: NIODeadline?
    ) async throws -> HTTPClientResponse {
        let url = try Self.url(of: request)
        let key = ConnectionKey(scheme: url.scheme, host: url.host, port: url.port)
        let hasBody = body.map { $0.length != 0 } ?? false
        let askedForExpect = request.headerFields[.expect]?.lowercased() == "100-continue"
        var expectContinue =
            hasBody && (askedForExpect || self.configuration.expectContinue.applies(toBodyLength: body?.length))
        let context = HTTPClientError.Context(
            method: request.method.rawValue,
            url: url.description,
            requestBodyLength: body?.length
        )

        var attempt = 0
        while true {
            attempt += 1
            let connection = try await self.connection(for: url, key: key, deadline: deadline)
            let head = self.routed(
                self.makeHead(request, url: url, body: body, expectContinue: expectContinue),
                url: url
            )
            do {
                let outcome = try await self.run(
                    ClientExchange.Parameters(
                        head: head,
                        hasBody: hasBody,
                        expectContinue: expectContinue,
                        deadline: deadline
                    ),
                    body: body,
                    on: connection
                )
                switch outcome {
                case .response(
                    let head,
                    let responseBody,
                    let sent,
                    let sentAfter,
                    let stoppedEarly,
                    let gotContinue,
                    let reusable
                ):
                    if reusable { self.pool.release(connection, key: key) }
                    return HTTPClientResponse(
                        head: Self.response(from: head),
                        body: responseBody,
                        requestBodyBytesSent: sent,
                        requestBodyBytesSentAfterResponse: sentAfter,
                        requestBodyLength: body?.length,
                        requestBodyStoppedEarly: stoppedEarly,
                        receivedContinue: gotContinue
                    )
                case .retryWithoutExpect:
                    // RFC 9110 §10.1.1: a 417 means "send it again without the expectation".
                    guard expectContinue, attempt < 3 else {
                        throw HTTPClientError.invalidRequest("the server refused the request's expectation twice")
                    }
                    expectContinue = false
                }
            } catch let failure as ClientExchange.Failure {
                switch failure {
                case .stale where attempt < 3:
                    continue
                case .stale:
                    throw HTTPClientError.shutdown
                case .bodyTooLarge(let limit):
                    throw HTTPClientError.responseBodyTooLarge(limit: limit)
                case .client(let error):
                    throw error
                case .exchange(let exchangeFailure):
                    let mayRetry = RetryPolicy.mayRetry(
                        exchangeFailure,
                        method: request.method.rawValue,
                        reusedConnection: connection.isReused,
                        bodyReplayable: body?.isReplayable ?? true,
                        attempt: attempt
                    )
                    if !mayRetry { throw HTTPClientError.exchange(exchangeFailure, context: context) }
                }
            }
        }
    }

    // MARK: - Running one exchange

    private func run(
        _ parameters: ClientExchange.Parameters,
        body: HTTPClientRequestBody?,
        on connection: Connection
    ) async throws -> ClientExchange.Outcome {
        let loop = connection.eventLoop
        let exchange = ClientExchange(
            head: parameters.head,
            hasBody: parameters.hasBody,
            expectContinue: parameters.expectContinue,
            continueTimeout: self.configuration.continueTimeout.timeAmount,
            readIdleTimeout: self.configuration.readIdleTimeout?.timeAmount,
            deadline: parameters.deadline,
            responseBodyLimit: self.configuration.maxResponseBodySize,
            bodyStart: loop.makePromise(),
            response: loop.makePromise()
        )
        let handler = connection.handler
        return try await withTaskCancellationHandler {
            loop.execute { handler.value.start(exchange) }
            guard parameters.hasBody, let body else {
                return try await exchange.response.futureResult.get()
            }
            let result: Result<ClientExchange.Outcome, any Error> = await withTaskGroup(of: Void.self) { group in
                group.addTask { await Self.produce(body, exchange: exchange, handler: handler, loop: loop) }
                let result: Result<ClientExchange.Outcome, any Error>
                do {
                    result = .success(try await exchange.response.futureResult.get())
                } catch {
                    result = .failure(error)
                }
                group.cancelAll()
                return result
            }
            return try result.get()
        } onCancel: {
            loop.execute { handler.value.cancel(exchange) }
        }
    }

    /// Pulls the body from its source and hands it to the connection, as fast as the connection takes it.
    private static func produce(
        _ body: HTTPClientRequestBody,
        exchange: ClientExchange,
        handler: NIOLoopBound<ClientExchangeHandler>,
        loop: any EventLoop
    ) async {
        do {
            guard try await exchange.bodyStart.futureResult.get() else { return }
            let writer = HTTPClientRequestBody.Writer { part in
                try await loop.flatSubmit { handler.value.writeBodyPart(part, for: exchange) }.get()
            }
            try await body.produce(writer)
            loop.execute { handler.value.finishBody(for: exchange) }
        } catch {
            loop.execute { handler.value.bodySourceFailed(error, for: exchange) }
        }
    }

    // MARK: - Connections

    private func connection(for url: HTTPURL, key: ConnectionKey, deadline: NIODeadline?) async throws -> Connection {
        if let connection = self.pool.lease(key) { return connection }
        return try await ConnectionFactory.connect(
            to: url,
            group: self.eventLoopGroup,
            timeout: self.configuration.connectTimeout,
            deadline: deadline,
            setup: try self.connectionSetup(for: url)
        )
    }

    // MARK: - Conversions

    static func url(of request: HTTPRequest) throws -> HTTPURL {
        guard let authority = request.authority, !authority.isEmpty else {
            throw HTTPClientError.invalidRequest("it has no authority (host and port)")
        }
        let scheme = request.scheme ?? "http"
        do {
            return try HTTPURL(parsing: "\(scheme)://\(authority)\(request.path ?? "/")")
        } catch {
            throw HTTPClientError.invalidURL(error)
        }
    }

    private func makeHead(
        _ request: HTTPRequest,
        url: HTTPURL,
        body: HTTPClientRequestBody?,
        expectContinue: Bool
    ) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headerFields.count + 4)
        if !request.headerFields.contains(where: { $0.name.canonicalName == "host" }) {
            headers.add(name: "Host", value: url.authority)
        }
        for field in request.headerFields {
            switch field.name {
            case .expect, .contentLength, .transferEncoding: continue
            default: headers.add(name: field.name.rawName, value: field.value)
            }
        }
        if let userAgent = self.configuration.userAgent, request.headerFields[.userAgent] == nil {
            headers.add(name: "User-Agent", value: userAgent)
        }
        if let body {
            if let length = body.length {
                headers.add(name: "Content-Length", value: String(length))
            } else {
                headers.add(name: "Transfer-Encoding", value: "chunked")
            }
        }
        if expectContinue { headers.add(name: "Expect", value: "100-continue") }
        return HTTPRequestHead(
            version: .http1_1,
            method: HTTPMethod(rawValue: request.method.rawValue),
            uri: url.target,
            headers: headers
        )
    }

    private static func response(from head: HTTPResponseHead) -> HTTPResponse {
        var fields = HTTPFields()
        fields.reserveCapacity(head.headers.count)
        for (name, value) in head.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return HTTPResponse(
            status: HTTPResponse.Status(code: Int(head.status.code), reasonPhrase: head.status.reasonPhrase),
            headerFields: fields
        )
    }
}
