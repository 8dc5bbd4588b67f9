import HTTPTypes
import HeedCore
import HeedTestSupport
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

@testable import HeedClient

/// `HTTPClient.Configuration.busyPoll`: the event loop spins, polling, where it would sleep until a response (or
/// the caller's next request) arrives; only while nothing else of the client's runs on the loop, backing off when
/// spins are in vain. Real sockets on 127.0.0.1; the spin counts come from the client's busy pollers.
@Suite struct BusyPollTests {
    static func get(_ server: HTTPTestServer) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: "http", authority: server.authority, path: "/")
    }

    static func configuration(budget: Duration?) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.busyPoll = budget
        return configuration
    }

    /// Sends `count` requests one after another from a client on a one-loop group (inside `withEventLoopAffinity`
    /// when `onLoop`), expects the `index`th body to be `body(index)`, and returns the loop's spin counts.
    static func sequential(
        _ request: HTTPRequest,
        count: Int,
        configuration: HTTPClient.Configuration,
        onLoop: Bool = false,
        body: @escaping @Sendable (Int) -> String
    ) async throws -> BusyPollPolicy.Statistics {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { group.shutdownGracefully { _ in } }
        return try await HTTPClient.withClient(configuration: configuration, eventLoopGroup: group) { client in
            let work = {
                for index in 0..<count {
                    let response = try await client.execute(request, timeout: .seconds(10))
                    #expect(String(buffer: response.body) == body(index))
                }
            }
            if onLoop { try await client.withEventLoopAffinity(work) } else { try await work() }
            return try await #require(client.busyPollers).statistics()
        }
    }

    /// Off by default, and for a budget of zero; budgets above a millisecond are cut to one.
    @Test func offByDefaultAndBounded() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        #expect(HTTPClient.Configuration().busyPoll == nil)
        #expect(BusyPollers(budget: nil, group: group) == nil)
        #expect(BusyPollers(budget: .zero, group: group) == nil)
        #expect(BusyPollers(budget: .microseconds(-3), group: group) == nil)
        // One CPU: the spin would hold up the very thread it waits for.
        #expect(BusyPollers(budget: .microseconds(50), group: group, usableCPUs: 1) == nil)
        let pollers = try #require(BusyPollers(budget: .seconds(5), group: group, usableCPUs: 2))
        for loop in group.makeIterator() {
            let poller = try #require(pollers.poller(for: loop))
            let budget = try await loop.submit { poller.policy.value.budget }.get()
            #expect(budget == 1_000_000)
        }
        #expect(pollers.poller(for: EmbeddedEventLoop()) == nil)
        try await group.shutdownGracefully()
    }

    /// Sequential requests from a task off the loop: every response is right, and the loop spun both for
    /// responses and for the caller's next requests.
    @Test(.enabled(if: LoopBusyPoll.usableCPUs > 1, "busy polling needs two CPUs"))
    func sequentialRequestsOffTheLoopSpinBothWays() async throws {
        let server = try await HTTPTestServer { request in .init(text: "ok \(request.requestsBefore)") }
        let statistics = try await Self.sequential(
            Self.get(server),
            count: 30,
            configuration: Self.configuration(budget: .microseconds(500))
        ) { "ok \($0)" }
        await server.shutdown()
        #expect(server.connectionsAccepted == 1)
        #expect((1...30).contains(statistics.responseSpins))
        #expect((1...30).contains(statistics.requestSpins))
        #expect(statistics.responseSpinsAnswered <= statistics.responseSpins)
        #expect(statistics.requestSpinsAnswered <= statistics.requestSpins)
    }

    /// Over TLS the loop polls the same socket: the encrypted response makes it readable. Every response is right.
    @Test(.enabled(if: LoopBusyPoll.usableCPUs > 1, "busy polling needs two CPUs"))
    func busyPollingWorksOverTLS() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await HTTPTestServer(tls: .init(identity: certificates.leaf)) { request in
            .init(text: "tls \(request.requestsBefore)")
        }
        var configuration = Self.configuration(budget: .microseconds(500))
        configuration.tls.trustRoots = .pemCertificates(certificates.caPEM)
        let request = HTTPRequest(method: .get, scheme: "https", authority: server.authority, path: "/")
        let statistics = try await Self.sequential(request, count: 10, configuration: configuration) { "tls \($0)" }
        await server.shutdown()
        #expect(server.connectionsAccepted == 1)
        #expect(statistics.responseSpins >= 1)
    }

    /// A caller on the loop (withEventLoopAffinity) sends its next request from the loop itself: the loop spins
    /// for responses only.
    @Test(.enabled(if: LoopBusyPoll.usableCPUs > 1, "busy polling needs two CPUs"))
    func callerOnTheLoopGetsNoSpinForItsNextRequest() async throws {
        let server = try await HTTPTestServer { _ in .init(text: "ok") }
        let statistics = try await Self.sequential(
            Self.get(server),
            count: 20,
            configuration: Self.configuration(budget: .microseconds(500)),
            onLoop: true
        ) { _ in "ok" }
        await server.shutdown()
        #expect(statistics.responseSpins >= 1)
        #expect(statistics.requestSpins == 0)
    }

    /// A server slower than the budget: every spin for a response is in vain, so the loop backs off (spins at the
    /// 1st, 3rd and 6th of ten requests) instead of burning a budget per request.
    @Test(.enabled(if: LoopBusyPoll.usableCPUs > 1, "busy polling needs two CPUs"))
    func slowServerMakesTheLoopBackOff() async throws {
        // The server's own pace: each answer leaves 5 ms after its request, far beyond the 100 µs budget.
        let server = try await HTTPTestServer.answeringLater { _ in
            try? await Task.sleep(for: .milliseconds(5))
            return .init(text: "late")
        }
        let statistics = try await Self.sequential(
            Self.get(server),
            count: 10,
            configuration: Self.configuration(budget: .microseconds(100)),
            onLoop: true
        ) { _ in "late" }
        await server.shutdown()
        #expect(statistics.responseSpins == 3)
        #expect(statistics.responseSpinsAnswered == 0)
    }

    /// Two exchanges at once on one loop: only the first, while it is alone, spins for its response, and only the
    /// last to end spins for a next request.
    @Test(.enabled(if: LoopBusyPoll.usableCPUs > 1, "busy polling needs two CPUs"))
    func noSpinWhileAnotherExchangeRunsOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Both responses are held until both requests arrived: the exchanges overlap.
        let gate = RequestGate(expected: 2)
        let server = try await HTTPTestServer.answeringLater { _ in
            await gate.arrivedAndWait()
            return .init(text: "together")
        }
        let statistics = try await HTTPClient.withClient(
            configuration: Self.configuration(budget: .microseconds(100)),
            eventLoopGroup: group
        ) { client in
            let request = Self.get(server)
            async let first = client.execute(request, timeout: .seconds(10))
            async let second = client.execute(request, timeout: .seconds(10))
            let bodies = try await [first, second].map { String(buffer: $0.body) }
            #expect(bodies == ["together", "together"])
            return try await #require(client.busyPollers).statistics()
        }
        await server.shutdown()
        try await group.shutdownGracefully()
        #expect(server.connectionsAccepted == 2)
        #expect(statistics.responseSpins == 1)
        #expect(statistics.responseSpinsAnswered == 0)
        #expect(statistics.requestSpins == 1)
    }

    /// The spin itself, on a real socket: it sees bytes waiting to be read, and gives up after the budget when
    /// none come.
    @Test func spinSeesTheSocketBecomeReadable() async throws {
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The server runs on loops of its own: the client's loop is busy spinning.
        let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = clientGroup.next()
        let poller = LoopBusyPoll(eventLoop: loop, budget: 1_000_000)
        for greets in [true, false] {
            let listener = try await ServerBootstrap(group: serverGroup)
                .childChannelInitializer { channel in
                    // Written once the channel is active (a write before that fails).
                    guard greets else { return channel.eventLoop.makeSucceededVoidFuture() }
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Greeter())
                    }
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
            // autoRead off: NIO leaves the byte in the socket for the spin to see.
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.autoRead, value: false)
                .connect(host: "127.0.0.1", port: listener.localAddress?.port ?? 0)
                .get()
            let outcome = try await loop.submit { () -> BusyPollPolicy.SpinOutcome? in
                // Up to 1000 spins of 1 ms while the greeting is on its way; one for silence.
                var outcome: BusyPollPolicy.SpinOutcome? = nil
                for _ in 0..<(greets ? 1000 : 1) {
                    outcome = poller.spinForResponse(on: channel)
                    if outcome == .answered { break }
                }
                return outcome
            }.get()
            if greets {
                #expect(outcome == .answered)
            } else {
                #expect(outcome == .inVain || outcome == .descheduled)
            }
            try await channel.close()
            try await listener.close()
        }
        try await clientGroup.shutdownGracefully()
        try await serverGroup.shutdownGracefully()
    }

    /// A channel without a socket (an embedded one) cannot be polled: no spin.
    @Test func noSpinWithoutASocket() throws {
        let channel = EmbeddedChannel()
        let poller = LoopBusyPoll(eventLoop: channel.embeddedEventLoop, budget: 1000)
        #expect(poller.spinForResponse(on: channel) == nil)
        _ = try channel.finish()
    }

    /// The spin for a next request ends as soon as a caller hands one over, and after the budget otherwise.
    @Test func spinForRequestEndsWhenOneIsHandedOver() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let poller = LoopBusyPoll(eventLoop: loop, budget: 1_000_000)
        let before = poller.requestCount
        let silent = try await loop.submit { poller.spinForRequest(after: before) }.get()
        #expect(silent == .inVain || silent == .descheduled)
        poller.requestComing()
        #expect(try await loop.submit { poller.spinForRequest(after: before) }.get() == .answered)
        try await group.shutdownGracefully()
    }
}

/// Holds each arriving request until `expected` have arrived.
actor RequestGate {
    private let expected: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(expected: Int) {
        self.expected = expected
    }

    func arrivedAndWait() async {
        self.arrived += 1
        if self.arrived >= self.expected {
            for continuation in self.waiting { continuation.resume() }
            self.waiting = []
            return
        }
        await withCheckedContinuation { self.waiting.append($0) }
    }
}

/// Writes one byte as soon as its channel is active.
final class Greeter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(NIOAny(ByteBuffer(string: "x")), promise: nil)
        context.fireChannelActive()
    }
}
