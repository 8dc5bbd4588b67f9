public import HTTPTypes
public import HeedCore
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
    /// One per event loop, when the configuration asks for busy polling.
    let busyPollers: BusyPollers?
    private let parsedURLs = ParsedURLCache()

    private init(configuration: Configuration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.busyPollers = BusyPollers(budget: configuration.busyPoll, group: eventLoopGroup)
        self.pool = ConnectionPool(
            maxPerKey: configuration.maxConnectionsPerHost,
            maxIdlePerKey: configuration.maxIdleConnectionsPerHost,
            idleTimeout: configuration.idleConnectionTimeout.timeAmount
        )
    }

    /// Runs `body` with a client, and shuts the client down when `body` returns or throws.
    ///
    /// Shutting down closes the idle connections, fails the requests waiting for a connection and cancels the
    /// pool's timers; the client must not escape `body`: a request made after it returns throws
    /// ``HTTPClientError/shutdown`` without connecting.
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
        let (collected, outcome) = try await self.perform(request, body: body, deadline: deadline) { attempt in
            try await self.collect(attempt, limit: limit)
        }
        return HTTPClientResponse(
            head: Self.response(from: collected.head),
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
    /// Redirects are followed as ``Configuration/redirects`` allows, as ``execute(_:body:timeout:)`` does:
    /// `consume` sees only the final response (``HTTPClientStreamingResponse/url`` and
    /// ``HTTPClientStreamingResponse/redirectCount`` tell where it came from). The connection goes back to the
    /// pool when `consume` has read the whole body; if it returns earlier, the connection is closed.
    /// - Parameters:
    ///   - request: method, scheme, authority, path and header fields.
    ///   - body: the request body, if any.
    ///   - timeout: a limit for the whole request, redirects included; the configuration's by default.
    ///   - consume: reads the response.
    /// - Returns: what `consume` returns.
    /// - Throws: ``HTTPClientError``, or what `consume` throws.
    public func execute<Result: Sendable>(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody? = nil,
        timeout: Duration? = nil,
        streamingResponse consume: (HTTPClientStreamingResponse) async throws -> Result
    ) async throws -> Result {
        try await self.executeWithTimeline(request, body: body, timeout: timeout, streamingResponse: consume).result
    }

    /// ``execute(_:body:timeout:streamingResponse:)``, also returning what happened on the way: the timeline of the
    /// exchange that answered (its retries included), complete once `consume` has returned and the exchange ended.
    /// Its notes (``DiagnosisEngine``) say what went unusually well or badly: a body stopped early, a retried stale
    /// connection. Recording costs what it costs in ``execute(_:body:timeout:)``.
    /// - Returns: what `consume` returns, and the timeline (`nil` when the exchange was given up before its end, or
    ///   recording is off).
    /// - Throws: ``HTTPClientError``, or what `consume` throws.
    public func executeWithTimeline<Result: Sendable>(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody? = nil,
        timeout: Duration? = nil,
        streamingResponse consume: (HTTPClientStreamingResponse) async throws -> Result
    ) async throws -> (result: Result, timeline: ExchangeTimeline?) {
        let deadline = (timeout ?? self.configuration.requestTimeout).map { NIODeadline.now() + $0.timeAmount }
        let start = try self.url(of: request).url
        var hop = self.firstHop(request, body: body, start: start)
        // Bounded: without a chain the first response ends it, and `advance` throws past the configured limit.
        while true {
            let current = hop
            let (step, completion) = try await self.perform(current.request, body: current.body, deadline: deadline) {
                attempt in
                try await self.stream(attempt) { response -> StreamingStep<Result> in
                    var next = current
                    let location = response.head.headers.first(name: "location")
                    if try next.advance(status: Int(response.head.status.code), location: location) {
                        await Self.discard(response.body)
                        return .redirected(next)
                    }
                    var streaming = HTTPClientStreamingResponse(
                        head: Self.response(from: response.head),
                        body: response.body,
                        requestBodyBytesSentAtResponse: response.bytesSentAtHead,
                        requestBodyLength: current.body?.length
                    )
                    streaming.url = current.current
                    streaming.redirectCount = current.chain.count
                    return .consumed(try await consume(streaming))
                }
            }
            switch step {
            case .consumed(let result): return (result, completion.timeline)
            case .redirected(let next): hop = next
            }
        }
    }

    /// What one response of a streamed request led to.
    private enum StreamingStep<Result: Sendable>: Sendable {
        case consumed(Result)
        /// A redirect to follow: the next request.
        case redirected(RedirectHop)
    }

    /// Reads and drops a redirect's body (up to 1 MiB) so that its connection can serve the next request; a
    /// larger one is left unread, which closes the connection.
    private static func discard(_ body: HTTPClientResponseBody) async {
        var remaining = 1 << 20
        do {
            for try await part in body {
                remaining -= part.readableBytes
                if remaining < 0 { return }
            }
        } catch {
            // The redirect is followed all the same; its connection is gone.
        }
    }

    /// What a completed exchange reports besides the response.
    struct Completion: Sendable {
        var bodyBytesSent: Int64
        var bodyBytesSentAfterResponse: Int64
        var stoppedEarly: Bool
        var receivedContinue: Bool
        var timeline: ExchangeTimeline?
    }

    /// Runs `request` with retries: each try gets a connection and is run by `exchange`.
    private func perform<Result: Sendable>(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody?,
        deadline: NIODeadline?,
        _ exchange: (Attempt) async throws -> (result: Result, completion: Completion)
    ) async throws -> (result: Result, completion: Completion) {
        let parsed = try self.url(of: request)
        let url = parsed.url
        let key = parsed.connectionKey
        let hasBody = body.map { $0.length != 0 } ?? false
        if hasBody, request.method == .trace {
            throw HTTPClientError.invalidRequest("a TRACE request cannot carry a body (RFC 9110 §9.3.8)")
        }
        let askedForExpect = request.headerFields[.expect]?.lowercased() == "100-continue"
        var expectContinue =
            hasBody && (askedForExpect || self.configuration.expectContinue.applies(toBodyLength: body?.length))
        let context = HTTPClientError.Context(
            method: request.method.rawValue,
            url: parsed.description,
            requestBodyLength: body?.length
        )
        let timeline = TimelineRecord(
            ExchangeTimeline(
                method: request.method.rawValue,
                target: parsed.description,
                host: url.host,
                port: url.port,
                usesTLS: url.isTLS,
                requestBodyLength: body == nil ? 0 : body?.length,
                expectsContinue: expectContinue
            ),
            start: NIODeadline.now().uptimeNanoseconds
        )

        var attempt = 0
        var retryReason: String?
        // The connection whose exchange failed, when retrying: the retry never reuses a pooled connection (if the
        // server or a NAT dropped one idle connection, it likely dropped them all) and takes over its slot.
        var failedConnection: Connection?
        while true {
            attempt += 1
            if let retryReason {
                timeline.record(.retried(reason: retryReason))
                timeline.timeline.expectsContinue = expectContinue
            }
            // A task cancelled before a connection is leased or opened sends nothing and takes no slot.
            if Task.isCancelled {
                throw HTTPClientError.cancelled(during: .connecting, url: context.url).with(timeline: timeline.timeline)
            }
            let connection = try await self.connection(
                for: url,
                key: key,
                deadline: deadline,
                timeline: timeline,
                replacing: failedConnection
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
                let attempt = Attempt(
                    parameters: parameters,
                    body: body,
                    connection: connection,
                    key: key,
                    timeline: timeline,
                    context: context
                )
                return try await exchange(attempt)
            } catch ClientExchange.Failure.cancelledBeforeStart {
                // Nothing was sent on the connection: it goes back to the pool as it came (or closes, if it closed).
                self.pool.release(connection, key: key)
                throw HTTPClientError.cancelled(during: .sendingHead, url: context.url).with(
                    timeline: timeline.timeline
                )
            } catch {
                // An exchange that throws did not give its connection back: close it (the connection may have closed
                // already), so that it frees its slot in the pool.
                connection.channel.close(promise: nil)
                failedConnection = connection
                guard let failure = error as? ClientExchange.Failure else { throw error }
                switch failure {
                case .noResponseHead:
                    // RFC 9110 §10.1.1: a 417 means "send it again without the expectation".
                    guard expectContinue, attempt < 3 else {
                        throw HTTPClientError.invalidRequest("the server refused the request's expectation twice")
                    }
                    expectContinue = false
                    retryReason = "the server answered 417 Expectation Failed; sending again without Expect"
                case .stale where attempt < 3:
                    // Retried on a new connection too: the idle connections that remain are likely closed as well.
                    retryReason = "the pooled connection was closed before the request could start"
                    continue
                case .stale:
                    // Three connections in a row were closed before the request could start on them: the server
                    // closes what it accepts. Nothing was sent.
                    let failure = ExchangeFailure(reason: .closedWithoutResponse, phase: .sendingHead)
                    throw HTTPClientError.exchange(failure, context: context).with(timeline: timeline.timeline)
                case .abandoned:
                    throw HTTPClientError.shutdown
                case .cancelledBeforeStart:
                    // Caught above; here only to keep the switch exhaustive.
                    throw HTTPClientError.cancelled(during: .sendingHead, url: context.url).with(
                        timeline: timeline.timeline
                    )
                case .responseBodyTooLarge(let limit):
                    throw HTTPClientError.responseBodyTooLarge(limit: limit)
                case .afterHead(let exchangeFailure):
                    throw HTTPClientError.exchange(exchangeFailure, context: context).with(
                        timeline: exchangeFailure.timeline
                    )
                case .client(let error):
                    // TLS and decompression failures explain themselves; the timeline adds the report.
                    if error.isTLSFailure { timeline.record(.tlsFailed(reason: error.detail)) }
                    throw error.with(timeline: timeline.timeline)
                case .exchange(let exchangeFailure):
                    let mayRetry = RetryPolicy.mayRetry(
                        exchangeFailure,
                        method: request.method.rawValue,
                        reusedConnection: connection.isReused,
                        bodyReplayable: body?.isReplayable ?? true,
                        attempt: attempt
                    )
                    if !mayRetry {
                        throw HTTPClientError.exchange(exchangeFailure, context: context).with(
                            timeline: timeline.timeline
                        )
                    }
                    retryReason = "the server closed the idle keep-alive connection; retrying on a new connection"
                }
            }
        }
    }

    // MARK: - Connections

    /// A connection for `url`: a pooled one, or a new one; at the pool's limit it waits for one until `deadline`.
    /// With `failed` (a retry), always a new connection, which takes over the failed one's slot.
    private func connection(
        for url: HTTPURL,
        key: ConnectionKey,
        deadline: NIODeadline?,
        timeline: TimelineRecord,
        replacing failed: Connection?
    ) async throws -> Connection {
        var lease = try self.pool.lease(key, replacing: failed)
        if lease == nil {
            timeline.record(.waitingForConnection(limit: max(1, self.configuration.maxConnectionsPerHost)))
            do {
                lease = try await self.pool.waitForLease(
                    key,
                    wantsFresh: failed != nil,
                    deadline: deadline,
                    loop: self.eventLoopGroup.any()
                )
            } catch let error as HTTPClientError {
                throw error.with(timeline: timeline.timeline)
            }
        }
        if case .pooled(let connection) = lease {
            guard TimelineRecording.isEnabled else { return connection }
            timeline.record(
                .reusedConnection(
                    local: connection.localAddress,
                    remote: connection.remoteAddress,
                    previousRequests: connection.requestsServed
                )
            )
            return connection
        }
        timeline.record(.connecting(address: "\(url.host):\(url.port)"))
        let connection: Connection
        do {
            connection = try await ConnectionFactory.connect(
                to: url,
                group: self.eventLoopGroup,
                timeout: self.configuration.connectTimeout,
                deadline: deadline,
                setup: try self.connectionSetup(for: url)
            )
        } catch {
            // The slot the pool gave for this connect is free again.
            self.pool.connectFailed(key: key)
            guard let error = error as? HTTPClientError else { throw error }
            if let event = error.connectEvent { timeline.record(event) }
            throw error.with(timeline: timeline.timeline)
        }
        try self.pool.connected(connection, key: key)
        timeline.record(.connected(local: connection.localAddress, remote: connection.remoteAddress))
        return connection
    }

    // MARK: - Conversions

    func url(of request: HTTPRequest) throws -> ParsedURLCache.Entry {
        guard let authority = request.authority, !authority.isEmpty else {
            throw HTTPClientError.invalidRequest("it has no authority (host and port)")
        }
        let scheme = request.scheme ?? "http"
        return try self.parsedURLs.url(scheme: scheme, authority: authority, path: request.path ?? "/") { text in
            do throws(HTTPURLError) {
                return try HTTPURL(parsing: text)
            } catch {
                throw HTTPClientError.invalidURL(error)
            }
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
        if self.configuration.addsHost, !request.headerFields.contains(where: { $0.name.canonicalName == "host" }) {
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
        } else if Self.methodsWithContent.contains(request.method) {
            // RFC 9110 §8.6: a method that gives content a meaning says so even when there is none; without it the
            // request would go out chunked, which some servers refuse.
            headers.add(name: "Content-Length", value: "0")
        }
        if expectContinue { headers.add(name: "Expect", value: "100-continue") }
        return HTTPRequestHead(
            version: .http1_1,
            method: HTTPMethod(rawValue: request.method.rawValue),
            uri: url.target,
            headers: headers
        )
    }

    /// The methods whose requests carry content as a rule (and that NIO's encoder frames as chunked without a length).
    private static let methodsWithContent: [HTTPRequest.Method] = [.post, .put, .patch]

    static func response(from head: HTTPResponseHead) -> HTTPResponse {
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
