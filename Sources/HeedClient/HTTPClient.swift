public import HTTPTypes
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
        let limit = self.configuration.maxResponseBodySize
        let (collected, outcome) = try await self.perform(request, body: body, deadline: deadline) { response in
            (head: response.head, body: try await response.body.collect(upTo: limit))
        }
        return HTTPClientResponse(
            head: collected.head,
            body: collected.body,
            requestBodyBytesSent: outcome.bodyBytesSent,
            requestBodyBytesSentAfterResponse: outcome.bodyBytesSentAfterResponse,
            requestBodyLength: body?.length,
            requestBodyStoppedEarly: outcome.stoppedEarly,
            receivedContinue: outcome.receivedContinue,
            timeline: outcome.timeline
        )
    }

    /// Sends `request` and hands the response to `consume` as soon as its head arrives, with the
    /// body streaming in as `consume` reads it.
    ///
    /// The connection goes back to the pool when `consume` has read the whole body; if it returns
    /// earlier, the connection is closed.
    /// - Parameters:
    ///   - request: method, scheme, authority, path and header fields.
    ///   - body: the request body, if any.
    ///   - timeout: a limit for the whole request; the configuration's by default.
    ///   - consume: reads the response.
    /// - Returns: what `consume` returns.
    /// - Throws: ``HTTPClientError``, or what `consume` throws.
    public func execute<Result: Sendable>(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody? = nil,
        timeout: Duration? = nil,
        streamingResponse consume: (HTTPClientStreamingResponse) async throws -> Result
    ) async throws -> Result {
        let deadline = (timeout ?? self.configuration.requestTimeout).map { NIODeadline.now() + $0.timeAmount }
        return try await self.perform(request, body: body, deadline: deadline, consume).result
    }

    /// What a completed exchange reports besides the response.
    struct Completion: Sendable {
        var bodyBytesSent: Int64
        var bodyBytesSentAfterResponse: Int64
        var stoppedEarly: Bool
        var receivedContinue: Bool
        var timeline: ExchangeTimeline?
    }

    private func perform<Result: Sendable>(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody?,
        deadline: NIODeadline?,
        _ consume: (HTTPClientStreamingResponse) async throws -> Result
    ) async throws -> (result: Result, completion: Completion) {
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
        let start = NIODeadline.now().uptimeNanoseconds
        var timeline = ExchangeTimeline(
            method: request.method.rawValue,
            target: url.description,
            host: url.host,
            port: url.port,
            usesTLS: url.isTLS,
            requestBodyLength: body == nil ? 0 : body?.length,
            expectsContinue: expectContinue
        )

        var attempt = 0
        var retryReason: String?
        while true {
            attempt += 1
            if let retryReason {
                timeline.record(.retried(reason: retryReason), at: NIODeadline.now().uptimeNanoseconds - start)
                timeline.expectsContinue = expectContinue
            }
            let connection = try await self.connection(
                for: url,
                key: key,
                deadline: deadline,
                timeline: &timeline,
                start: start
            )
            let parameters = ClientExchange.Parameters(
                head: self.routed(
                    self.makeHead(request, url: url, body: body, expectContinue: expectContinue),
                    url: url
                ),
                hasBody: hasBody,
                expectContinue: expectContinue,
                deadline: deadline
            )
            do {
                return try await self.run(
                    parameters,
                    body: body,
                    on: connection,
                    key: key,
                    timeline: timeline,
                    start: start
                ) { response in
                    try await consume(
                        HTTPClientStreamingResponse(
                            head: Self.response(from: response.head),
                            body: response.body,
                            requestBodyBytesSentAtResponse: response.bytesSentAtHead,
                            requestBodyLength: body?.length
                        )
                    )
                }
            } catch let failure as ClientExchange.Failure {
                switch failure {
                case .noResponseHead(let recorded):
                    // RFC 9110 §10.1.1: a 417 means "send it again without the expectation".
                    timeline = recorded ?? timeline
                    guard expectContinue, attempt < 3 else {
                        throw HTTPClientError.invalidRequest("the server refused the request's expectation twice")
                    }
                    expectContinue = false
                    retryReason = "the server answered 417 Expectation Failed; sending again without Expect"
                case .stale where attempt < 3:
                    retryReason = "the pooled connection was closed before the request could start"
                    continue
                case .stale, .abandoned:
                    throw HTTPClientError.shutdown
                case .afterHead(let exchangeFailure):
                    throw HTTPClientError.exchange(exchangeFailure, context: context).with(
                        timeline: exchangeFailure.timeline
                    )
                case .client(let error):
                    throw error
                case .exchange(let exchangeFailure):
                    timeline = exchangeFailure.timeline ?? timeline
                    let mayRetry = RetryPolicy.mayRetry(
                        exchangeFailure,
                        method: request.method.rawValue,
                        reusedConnection: connection.isReused,
                        bodyReplayable: body?.isReplayable ?? true,
                        attempt: attempt
                    )
                    if !mayRetry {
                        throw HTTPClientError.exchange(exchangeFailure, context: context).with(timeline: timeline)
                    }
                    retryReason = "the server closed the idle keep-alive connection; retrying on a new connection"
                }
            }
        }
    }

    // MARK: - Running one exchange

    /// The head and body handed to the consumer.
    private struct ArrivedResponse: Sendable {
        var head: HTTPResponseHead
        var body: HTTPClientResponseBody
        var bytesSentAtHead: Int64
    }

    /// Runs one exchange on `connection`: starts it, feeds the body, hands the response to
    /// `consume` when its head arrives and waits for the exchange to end.
    /// - Throws: ``ClientExchange/Failure`` for outcomes the caller may retry; what `consume` throws.
    private func run<Result: Sendable>(
        _ parameters: ClientExchange.Parameters,
        body: HTTPClientRequestBody?,
        on connection: Connection,
        key: ConnectionKey,
        timeline: ExchangeTimeline,
        start: UInt64,
        _ consume: (ArrivedResponse) async throws -> Result
    ) async throws -> (result: Result, completion: Completion) {
        let loop = connection.eventLoop
        let handler = connection.handler
        let responsePromise = loop.makePromise(of: ClientExchange.Outcome.self)
        let delegate = ResponseBodyDelegate(
            handler: handler,
            exchangeID: ObjectIdentifier(responsePromise.futureResult)
        )
        let sequence = HTTPClientResponseBody.Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 4, highWatermark: 16),
            finishOnDeinit: false,
            delegate: delegate
        )
        let exchange = ClientExchange(
            head: parameters.head,
            hasBody: parameters.hasBody,
            expectContinue: parameters.expectContinue,
            continueTimeout: self.configuration.continueTimeout.timeAmount,
            readIdleTimeout: self.configuration.readIdleTimeout?.timeAmount,
            deadline: parameters.deadline,
            timeline: timeline,
            timelineStart: start,
            bodyStart: loop.makePromise(),
            responseHead: loop.makePromise(),
            responseBody: sequence.source,
            response: responsePromise
        )
        let responseBody = HTTPClientResponseBody(producer: sequence.sequence)
        return try await withTaskCancellationHandler {
            loop.execute { handler.value.start(exchange) }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                if parameters.hasBody, let body {
                    group.addTask { await Self.produce(body, exchange: exchange, handler: handler, loop: loop) }
                }
                defer { group.cancelAll() }
                let head: ClientExchange.ArrivedHead
                do {
                    head = try await exchange.responseHead.futureResult.get()
                } catch {
                    // No head: the exchange ended (retry or failure); its outcome says which.
                    switch try await exchange.response.futureResult.get() {
                    case .retryWithoutExpect(let recorded): throw ClientExchange.Failure.noResponseHead(recorded)
                    case .response: throw error
                    }
                }
                let result: Result
                do {
                    result = try await consume(
                        ArrivedResponse(head: head.head, body: responseBody, bytesSentAtHead: head.bodyBytesSent)
                    )
                } catch ClientExchange.Failure.exchange(let failure) {
                    delegate.didTerminate()
                    throw ClientExchange.Failure.afterHead(failure)
                } catch {
                    delegate.didTerminate()
                    throw error
                }
                // The consumer is done. If it left body unread, abandon the exchange (closes the connection).
                delegate.didTerminate()
                let outcome: ClientExchange.Outcome
                do {
                    outcome = try await exchange.response.futureResult.get()
                } catch ClientExchange.Failure.abandoned {
                    let completion = Completion(
                        bodyBytesSent: head.bodyBytesSent,
                        bodyBytesSentAfterResponse: 0,
                        stoppedEarly: false,
                        receivedContinue: false,
                        timeline: nil
                    )
                    return (result, completion)
                } catch ClientExchange.Failure.exchange(let failure) {
                    throw ClientExchange.Failure.afterHead(failure)
                }
                guard
                    case .response(
                        let sent,
                        let sentAfter,
                        let stoppedEarly,
                        let gotContinue,
                        let reusable,
                        let recorded
                    ) =
                        outcome
                else { throw ClientExchange.Failure.noResponseHead(nil) }
                if reusable { self.pool.release(connection, key: key) }
                let completion = Completion(
                    bodyBytesSent: sent,
                    bodyBytesSentAfterResponse: sentAfter,
                    stoppedEarly: stoppedEarly,
                    receivedContinue: gotContinue,
                    timeline: recorded
                )
                return (result, completion)
            }
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

    private func connection(
        for url: HTTPURL,
        key: ConnectionKey,
        deadline: NIODeadline?,
        timeline: inout ExchangeTimeline,
        start: UInt64
    ) async throws -> Connection {
        let now = { NIODeadline.now().uptimeNanoseconds - start }
        if let connection = self.pool.lease(key) {
            timeline.record(
                .reusedConnection(
                    local: connection.channel.localAddress?.description ?? "?",
                    remote: connection.channel.remoteAddress?.description ?? "?",
                    previousRequests: connection.requestsServed
                ),
                at: now()
            )
            return connection
        }
        timeline.record(.connecting(address: "\(url.host):\(url.port)"), at: now())
        do {
            let connection = try await ConnectionFactory.connect(
                to: url,
                group: self.eventLoopGroup,
                timeout: self.configuration.connectTimeout,
                deadline: deadline,
                setup: try self.connectionSetup(for: url)
            )
            timeline.record(
                .connected(
                    local: connection.channel.localAddress?.description ?? "?",
                    remote: connection.channel.remoteAddress?.description ?? "?"
                ),
                at: now()
            )
            return connection
        } catch let error as HTTPClientError {
            if let event = error.connectEvent { timeline.record(event, at: now()) }
            throw error.with(timeline: timeline)
        }
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
