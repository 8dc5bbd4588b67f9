import HeedCore
import Testing

/// Recording: coalescing, the cap, and the derived accessors.
@Suite struct TimelineRecordingTests {
    /// A million progress records of a 1 GB upload coalesce into one event holding the last total and time.
    @Test func bodyProgressCoalesces() {
        var timeline = ExchangeTimeline(
            method: "PUT",
            target: "/f",
            host: "h",
            port: 80,
            requestBodyLength: 1_000_000_000
        )
        timeline.record(.requestHeadSent(bytes: 100), at: 0)
        for step in 1...1_000_000 {
            timeline.record(.bodyBytesSent(total: Int64(step) * 1000), at: UInt64(step))
        }
        timeline.record(.requestBodyFinished(total: 1_000_000_000), at: 1_000_001)
        #expect(timeline.events.count == 3)
        #expect(timeline.events[1] == ExchangeEvent(at: 1_000_000, kind: .bodyBytesSent(total: 1_000_000_000)))
        #expect(timeline.bytesSent == 1_000_000_000)
        #expect(timeline.omittedEventCount == 0)
    }

    /// Progress in both directions at once (an early response while uploading) stays two events, in time order.
    @Test func interleavedProgressStaysTwoEvents() {
        var timeline = ExchangeTimeline(method: "POST", target: "/", host: "h", port: 80)
        timeline.record(.requestHeadSent(bytes: 100), at: 0)
        for step in 1...10_000 {
            let kind: ExchangeEvent.Kind =
                step.isMultiple(of: 2) ? .bodyBytesReceived(total: Int64(step)) : .bodyBytesSent(total: Int64(step))
            timeline.record(kind, at: UInt64(step))
        }
        #expect(
            timeline.events == [
                ExchangeEvent(at: 0, kind: .requestHeadSent(bytes: 100)),
                ExchangeEvent(at: 9_999, kind: .bodyBytesSent(total: 9_999)),
                ExchangeEvent(at: 10_000, kind: .bodyBytesReceived(total: 10_000)),
            ]
        )
        #expect(timeline.bytesSent == 9_999)
        #expect(timeline.bytesReceived == 10_000)
    }

    /// Past the cap the first events and the newest ones are kept and the dropped ones are counted.
    @Test func eventCountIsCapped() {
        var timeline = ExchangeTimeline(method: "GET", target: "/", host: "h", port: 80, requestBodyLength: 0)
        timeline.record(.connecting(address: "127.0.0.1:80"), at: 0)
        for step in 1...1_000 {
            timeline.record(.retried(reason: "attempt \(step)"), at: UInt64(step))
        }
        timeline.record(.resetReceived, at: 2_000)
        #expect(timeline.events.count == ExchangeTimeline.capacity)
        #expect(timeline.omittedEventCount == 1_002 - ExchangeTimeline.capacity)
        #expect(timeline.events.first?.kind == .connecting(address: "127.0.0.1:80"))
        #expect(timeline.events.last?.kind == .resetReceived)
        #expect(timeline.events[timeline.events.count - 2].kind == .retried(reason: "attempt 1000"))
        #expect(timeline.events.map(\.at) == timeline.events.map(\.at).sorted())
    }

    /// The accessors describe the current attempt; a retry starts a new one.
    @Test func accessorsDescribeTheCurrentAttempt() {
        let timeline = recorded(
            Recording.connectAndSendHead + Recording.upload(to: 200_000) + [
                (900, .resetReceived), (910, .retried(reason: "reset")),
            ] + Recording.connectAndSendHead.map { ($0.0 + 1_000, $0.1) } + [
                (1_300, .bodyBytesSent(total: 5_000)),
                (
                    1_400,
                    .responseHeadReceived(status: 413, reason: "Too Large", connectionClose: true, contentLength: 0)
                ),
                (1_500, .finReceived),
            ]
        )
        #expect(timeline.attemptCount == 2)
        #expect(timeline.bytesSent == 5_000)
        #expect(timeline.responseStatus == 413)
        #expect(timeline.sawFIN)
        #expect(!timeline.sawReset)
        #expect(timeline.phase == .receivingBody)
        #expect(timeline.elapsed == 1_500_000)
        #expect(timeline.tcpInfo == nil)
    }

    /// The phase follows the last thing that happened, including the wait for 100 Continue.
    @Test(
        arguments: [
            ([], ExchangePhase.resolving),
            ([(1, .resolved(addresses: ["127.0.0.1"]))], .connecting),
            ([(1, .connected(local: "a", remote: "b"))], .sendingHead),
            ([(1, .connected(local: "a", remote: "b")), (2, .requestHeadSent(bytes: 10))], .awaitingResponse),
            (
                [(1, .connected(local: "a", remote: "b")), (2, .requestHeadSent(bytes: 10)), (3, .continueReceived)],
                .sendingBody
            ),
            (
                [
                    (1, .connected(local: "a", remote: "b")), (2, .requestHeadSent(bytes: 10)),
                    (3, .continueTimeoutExpired),
                ],
                .sendingBody
            ),
        ] as [([(UInt64, ExchangeEvent.Kind)], ExchangePhase)]
    )
    func phaseWithExpectContinue(events: [(UInt64, ExchangeEvent.Kind)], phase: ExchangePhase) {
        #expect(recorded(bodyLength: 10, expectsContinue: true, events).phase == phase)
    }

    /// Without a declared length the body counts as present until it finishes; TLS adds a handshake phase.
    @Test func phaseEdges() {
        let unknownLength = recorded(bodyLength: nil, Recording.connectAndSendHead)
        #expect(unknownLength.phase == .sendingBody)
        let tls = recorded(usesTLS: true, Recording.connect)
        #expect(tls.phase == .tlsHandshake)
        let tlsDone = recorded(usesTLS: true, Recording.connect + [(500, .tlsEstablished(protocolVersion: "TLSv1.3"))])
        #expect(tlsDone.phase == .sendingHead)
        let informational = recorded(
            bodyLength: 0,
            Recording.connectAndSendHead + [
                (
                    400,
                    .responseHeadReceived(
                        status: 103,
                        reason: "Early Hints",
                        connectionClose: false,
                        contentLength: nil
                    )
                )
            ]
        )
        #expect(informational.responseStatus == nil)
    }
}
