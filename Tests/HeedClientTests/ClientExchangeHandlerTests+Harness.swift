import HeedCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HeedClient

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `EmbeddedChannel` with a ``ClientExchangeHandler`` and the helpers its tests share.
struct Harness {
    static let continueTimeout = TimeAmount.seconds(1)

    /// What a delivered response looked like.
    struct Response {
        var status: UInt
        var body: String
        var bodyBytesSent: Int64
        var stoppedEarly: Bool
        var receivedContinue: Bool
        var reusable: Bool
    }

    struct UnexpectedOutcome: Error, CustomStringConvertible {
        var description: String
    }

    let channel: EmbeddedChannel
    let handler: ClientExchangeHandler
    /// The response body of each exchange, by exchange id.
    private let bodies = Bodies()

    final class Bodies: @unchecked Sendable {
        // @unchecked: used only from the test's own task and the embedded loop, which run on one thread.
        var sequences: [ObjectIdentifier: HTTPClientResponseBody] = [:]
    }
    var loop: EmbeddedEventLoop { self.channel.embeddedEventLoop }

    /// - Parameter failBodyWrites: put a handler in front that fails every body write with EPIPE.
    init(failBodyWrites: Bool = false) throws {
        self.channel = EmbeddedChannel()
        self.handler = ClientExchangeHandler(eventLoop: self.channel.eventLoop)
        if failBodyWrites {
            try self.channel.pipeline.syncOperations.addHandler(BodyWriteFailer())
        }
        try self.channel.pipeline.syncOperations.addHandler(self.handler)
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
    }

    func exchange(
        method: HTTPMethod,
        hasBody: Bool,
        expectContinue: Bool = false,
        readIdleTimeout: TimeAmount? = nil,
        deadlineIn: TimeAmount? = nil,
        collectUpTo limit: Int? = nil
    ) -> ClientExchange {
        var headers: HTTPHeaders = ["Host": "127.0.0.1:8080"]
        if expectContinue { headers.add(name: "Expect", value: "100-continue") }
        let response = self.loop.makePromise(of: ClientExchange.Outcome.self)
        let destination: ClientExchange.ResponseBodyDestination
        var sequence: HTTPClientResponseBody.Producer?
        if let limit {
            destination = .collect(limit: limit)
        } else {
            let delegate = ResponseBodyDelegate(
                handler: NIOLoopBound(self.handler, eventLoop: self.loop),
                exchangeID: ObjectIdentifier(response.futureResult)
            )
            let made = HTTPClientResponseBody.Producer.makeSequence(
                backPressureStrategy: .init(lowWatermark: 4, highWatermark: 16),
                finishOnDeinit: false,
                delegate: delegate
            )
            destination = .stream(made.source)
            sequence = made.sequence
        }
        let exchange = ClientExchange(
            head: HTTPRequestHead(version: .http1_1, method: method, uri: "/upload", headers: headers),
            hasBody: hasBody,
            expectContinue: expectContinue,
            continueTimeout: Self.continueTimeout,
            readIdleTimeout: readIdleTimeout,
            deadline: deadlineIn.map { self.loop.now + $0 },
            timeline: nil,
            bodyStart: self.loop.makePromise(),
            responseHead: limit == nil ? self.loop.makePromise() : nil,
            responseBody: destination,
            response: response
        )
        if let sequence { self.bodies.sequences[exchange.id] = HTTPClientResponseBody(producer: sequence) }
        return exchange
    }

    // MARK: - Outbound

    @discardableResult
    func expectHead(sourceLocation: SourceLocation = #_sourceLocation) throws -> HTTPRequestHead {
        let part = try self.channel.readOutbound(as: HTTPClientRequestPart.self)
        guard case .head(let head) = part else {
            throw UnexpectedOutcome(description: "expected a request head, got \(String(describing: part))")
        }
        return head
    }

    func expectBody() throws -> String {
        let part = try self.channel.readOutbound(as: HTTPClientRequestPart.self)
        guard case .body(.byteBuffer(let buffer)) = part else {
            throw UnexpectedOutcome(description: "expected a body part, got \(String(describing: part))")
        }
        return String(buffer: buffer)
    }

    func expectEnd() throws {
        let part = try self.channel.readOutbound(as: HTTPClientRequestPart.self)
        guard case .end(nil) = part else {
            throw UnexpectedOutcome(description: "expected the request end, got \(String(describing: part))")
        }
    }

    func expectNothingWritten() throws {
        let part = try self.channel.readOutbound(as: HTTPClientRequestPart.self)
        guard part == nil else {
            throw UnexpectedOutcome(description: "expected no write, got \(String(describing: part))")
        }
    }

    // MARK: - The request body, as the producer hands it over

    /// Offers `part` through the exchange's pipe, as the producer does, and lets the connection take what it will.
    /// - Returns: what the pipe answered.
    @discardableResult
    func writeBody(_ part: String, for exchange: ClientExchange) throws -> RequestBodyPipe.Offer {
        try self.writeBody(ByteBuffer(string: part), for: exchange)
    }

    @discardableResult
    func writeBody(_ part: ByteBuffer, for exchange: ClientExchange) throws -> RequestBodyPipe.Offer {
        let pipe = try #require(exchange.bodyPipe)
        let offer = pipe.offer(part)
        if case .accepted(wakeConnection: true, _) = offer { self.handler.drainBody(for: exchange) }
        return offer
    }

    /// Ends the body, as the producer does.
    func finishBody(for exchange: ClientExchange) throws {
        if try #require(exchange.bodyPipe).finish() { self.handler.drainBody(for: exchange) }
    }

    /// Makes the channel writable or not, and tells the pipeline, as a real channel does.
    func setWritable(_ writable: Bool) {
        self.channel.isWritable = writable
        self.channel.pipeline.fireChannelWritabilityChanged()
    }

    /// Whether the handler set `TCP_QUICKACK` on the channel.
    var asksForQuickAcks: Bool {
        self.channel.options.contains { entry in
            (entry.option as? ChannelOptions.Types.SocketOption) == ClientExchangeHandler.quickAck
                && (entry.value as? SocketOptionValue) == 1
        }
    }

    // MARK: - Inbound

    /// Feeds a whole response with `Content-Length`.
    func respond(status: HTTPResponseStatus, body: String) throws {
        let head = HTTPResponseHead(
            version: .http1_1,
            status: status,
            headers: ["Content-Length": "\(body.utf8.count)"]
        )
        try self.channel.writeInbound(HTTPClientResponsePart.head(head))
        if !body.isEmpty { try self.channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: body))) }
        try self.channel.writeInbound(HTTPClientResponsePart.end(nil))
    }

    // MARK: - Results

    /// The result of `future` if it has completed; `nil` if it has not.
    func result<Value>(of future: EventLoopFuture<Value>) -> Result<Value, any Error>? {
        var result: Result<Value, any Error>?
        future.assumeIsolated().whenComplete { result = $0 }
        self.loop.run()
        return result
    }

    func result<Value>(of promise: EventLoopPromise<Value>) -> Result<Value, any Error>? {
        self.result(of: promise.futureResult)
    }

    /// The body-start promise's result; records an issue if the exchange has none.
    func result(of promise: EventLoopPromise<Bool>?) -> Result<Bool, any Error>? {
        guard let promise else {
            Issue.record("the exchange has no body-start promise")
            return nil
        }
        return self.result(of: promise.futureResult)
    }

    /// The value `future` succeeded with; `nil` while it is pending (or if it failed).
    func value(of future: EventLoopFuture<Bool>) -> Bool? {
        try? self.result(of: future)?.get()
    }

    func value(of promise: EventLoopPromise<Bool>?) -> Bool? {
        guard let promise else {
            Issue.record("the exchange has no body-start promise")
            return nil
        }
        return self.value(of: promise.futureResult)
    }

    func response(of exchange: ClientExchange) async throws -> Response {
        let result = self.result(of: exchange.response)
        let head = exchange.responseHead.flatMap { self.result(of: $0) }
        guard
            case .success(.response(let completed)) = result,
            case .success(let arrived) = head,
            let sequence = self.bodies.sequences[exchange.id]
        else {
            throw UnexpectedOutcome(description: "expected a response, got \(String(describing: result))")
        }
        var body = ""
        for try await part in sequence { body += String(buffer: part) }
        return Response(
            status: arrived.head.status.code,
            body: body,
            bodyBytesSent: completed.bodyBytesSent,
            stoppedEarly: completed.stoppedEarly,
            receivedContinue: completed.receivedContinue,
            reusable: completed.connectionReusable
        )
    }

    func failure(of exchange: ClientExchange) throws -> ExchangeFailure {
        let result = self.result(of: exchange.response)
        guard case .failure(ClientExchange.Failure.exchange(let failure)) = result else {
            throw UnexpectedOutcome(description: "expected an exchange failure, got \(String(describing: result))")
        }
        return failure
    }
}

/// Fails every request body write with EPIPE, as a socket whose peer has gone does.
final class BodyWriteFailer: ChannelOutboundHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .body = Self.unwrapOutboundIn(data) {
            promise?.fail(IOError(errnoCode: EPIPE, reason: "write"))
            return
        }
        context.write(data, promise: promise)
    }
}
