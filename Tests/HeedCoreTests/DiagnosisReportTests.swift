import HeedCore
import Testing

/// The multi-line report and the human units it uses.
@Suite struct DiagnosisReportTests {
    static let timeline = recorded(
        Recording.connectAndSendHead + Recording.upload(to: 3_200_000) + [
            (5_300, .writeFailed(Recording.econnreset)),
            (
                5_310,
                .tcpInfo(
                    TCPInfoSnapshot(
                        state: "CLOSE",
                        bytesAcked: 64_150,
                        bytesSent: 3_200_150,
                        unacked: 12,
                        totalRetransmits: 1,
                        rttMicros: 95,
                        rttVarMicros: 40,
                        sndCwnd: 10,
                        notSentBytes: 0
                    )
                )
            ),
        ]
    )

    /// The timeline is a table whose columns line up: every row has its separators at the same offsets.
    @Test func timelineColumnsAreAligned() throws {
        let report = DiagnosisEngine.diagnose(Self.timeline).report(timeline: Self.timeline)
        let lines = report.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("Timeline: POST http://127.0.0.1:8080/upload") })
        let rows = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(rows.count == 1 + Self.timeline.events.count)
        #expect(rows.first?.contains("what we did") == true)
        #expect(rows.first?.hasSuffix("| what the peer did") == true)
        let firstBar = rows.map { row in row.firstIndex(of: "|").map { row.distance(from: row.startIndex, to: $0) } }
        let secondBar = rows.map { row in row.lastIndex(of: "|").map { row.distance(from: row.startIndex, to: $0) } }
        #expect(Set(firstBar).count == 1)
        #expect(Set(secondBar).count == 1)
        #expect(rows.contains { $0.hasSuffix("| accepted the connection") && $0.contains("connected 127.0.0.1:50412") })
        #expect(rows.contains { $0.contains("  5.300 ms | write failed: ECONNRESET (Connection reset by peer)") })
    }

    /// The report carries the summary first, then TCP info, causes with evidence, advice and the catalogue link.
    @Test func reportSections() {
        let diagnosis = DiagnosisEngine.diagnose(Self.timeline)
        let report = diagnosis.report(timeline: Self.timeline)
        #expect(report.hasPrefix(diagnosis.summary + "\n\n"))
        #expect(report.contains("Kernel view (TCP_INFO, last snapshot):\n  state               CLOSE\n"))
        #expect(report.contains("  bytes acknowledged  64.2 KB (64150 B)\n"))
        #expect(report.contains("  not yet sent        0 B\n"))
        #expect(report.contains("  round trip          95 µs (variation 40 µs)\n"))
        #expect(report.contains("Likely causes, most likely first:\n  1. The server, or a proxy in front of it,"))
        #expect(report.contains("     - Only 64 KB of the 3.2 MB sent was acknowledged"))
        #expect(report.contains("What to do:\n  - Send the request with Expect: 100-continue"))
        #expect(report.contains("More about ECONNRESET: heed explain ECONNRESET\n"))
        #expect(
            report.hasSuffix(
                "Phase: sending the request body; peer: reset the connection (RST); rule: reset-while-sending-body\n"
            )
        )
    }

    /// Dropped events are shown where they were dropped.
    @Test func omittedEventsAreShown() {
        var timeline = ExchangeTimeline(method: "GET", target: "/", host: "h", port: 80, requestBodyLength: 0)
        for step in 0..<300 {
            timeline.record(.retried(reason: "attempt \(step)"), at: UInt64(step))
        }
        let report = DiagnosisEngine.diagnose(timeline).report(timeline: timeline)
        #expect(report.contains("... 44 events omitted ..."))
    }

    /// A request that waited for a free connection shows the wait before it connects.
    @Test(arguments: [(1, "the one connection allowed to this host is busy"), (8, "all 8 connections allowed")])
    func waitForAConnectionIsShown(limit: Int, words: String) {
        let timeline = recorded(
            method: "GET",
            bodyLength: 0,
            [(10, .waitingForConnection(limit: limit))] + Recording.connect
        )
        let report = DiagnosisEngine.diagnose(timeline).report(timeline: timeline)
        #expect(report.contains("| waiting for a connection: \(words)"), "\(report)")
    }

    /// Byte counts use decimal units with at most one decimal.
    @Test(
        arguments: [
            (0, "0 B"), (999, "999 B"), (1_000, "1 KB"), (1_049, "1 KB"), (1_050, "1.1 KB"), (64_000, "64 KB"),
            (999_949, "999.9 KB"), (999_950, "1 MB"), (1_100_000, "1.1 MB"), (32_000_000, "32 MB"),
            (33_554_432, "33.6 MB"), (1_000_000_000, "1 GB"), (-5, "0 B"), (Int64.max, "9.2 EB"),
        ] as [(Int64, String)]
    )
    func humanBytes(count: Int64, text: String) {
        #expect(HumanUnits.bytes(count) == text)
    }

    /// Durations are in µs below a millisecond, in ms below a second and in s above.
    @Test(
        arguments: [
            (0, "0 µs"), (40_499, "40 µs"), (999_499, "999 µs"), (999_500, "1 ms"), (1_250_000, "1.3 ms"),
            (250_000_000, "250 ms"), (999_949_999, "999.9 ms"),
            (999_950_000, "1 s"), (1_500_000_000, "1.5 s"), (30_000_000_000, "30 s"),
        ] as [(UInt64, String)]
    )
    func humanDurations(nanoseconds: UInt64, text: String) {
        #expect(HumanUnits.duration(nanoseconds: nanoseconds) == text)
    }
}
