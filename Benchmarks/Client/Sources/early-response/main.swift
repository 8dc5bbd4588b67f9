// Early-response latency and late body bytes on the early-reject scenarios (issue: the client).
//
// For each scenario, 50 runs: a scripted server reads the request head, writes 413 and closes (reset, lingering,
// or with a 4 MiB error page written through 16 KiB socket buffers) while Heed's client uploads 8 MiB with Expect
// switched off, so it must hear the answer while it sends. Reported, as medians and 90th percentiles:
// - head latency: from the server starting to write its response to the caller holding the response head
//   (the streaming API, a pass of its own);
// - complete latency: to the caller holding the whole response (the collecting API);
// - late bytes: request body bytes the client's socket accepted after the response head had arrived.
// Targets: latency under 2 ms, late bytes under 1 MiB.
//
// Run: swift run -c release --package-path Benchmarks/Client early-response [RUNS]

import Foundation
import HTTPTypes
import HeedClient
import HeedScenarios
import NIOCore
import Synchronization

func microseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
}

/// Heed's client, recording when the caller holds the response (head, or all of it) and the late body bytes.
struct MeasuringClient: ClientUnderTest {
    final class Samples: Sendable {
        let heldAt = Mutex<[Int64]>([])
        let lateBytes = Mutex<[Int64]>([])
    }

    let streaming: Bool
    let samples = Samples()
    var name: String { "heed" }

    /// One exchange; returns the status, the response body's size and when the caller held the response.
    private func exchange(
        _ client: HTTPClient,
        head: HTTPRequest,
        body: HTTPClientRequestBody,
        request: ScenarioRequest
    ) async throws -> (Int, Int, Duration) {
        let timeout = request.deadline - .now
        if self.streaming {
            return try await client.execute(head, body: body, timeout: timeout) { response in
                let heldAt = ContinuousClock.now - request.start
                let collected = try await response.body.collect(upTo: 64 << 20)
                return (response.status.code, collected.readableBytes, heldAt)
            }
        }
        let response = try await client.execute(head, body: body, timeout: timeout)
        let heldAt = ContinuousClock.now - request.start
        self.samples.lateBytes.withLock { $0.append(response.requestBodyBytesSentAfterResponse) }
        return (response.status.code, response.body.readableBytes, heldAt)
    }

    func execute(_ request: ScenarioRequest) async -> ClientOutcome {
        var configuration = HTTPClient.Configuration()
        configuration.expectContinue = .never
        let head = HTTPRequest(
            method: .post,
            scheme: "http",
            authority: "127.0.0.1:\(request.port)",
            path: request.path
        )
        let body = HTTPClientRequestBody.bytes(ByteBuffer(repeating: UInt8(ascii: "x"), count: request.bodySize))
        do {
            let (status, bodyBytes, heldAt) = try await HTTPClient.withClient(configuration: configuration) { client in
                guard onLoop else { return try await self.exchange(client, head: head, body: body, request: request) }
                return try await client.withEventLoopAffinity {
                    try await self.exchange(client, head: head, body: body, request: request)
                }
            }
            let micros = microseconds(heldAt)
            self.samples.heldAt.withLock { $0.append(micros) }
            return ClientOutcome(
                status: status,
                responseBodyBytes: bodyBytes,
                succeeded: true,
                report: "got \(status)",
                timeline: [TimelineEvent(atMicroseconds: micros, side: .client, kind: .response, text: "held it")]
            )
        } catch {
            return ClientOutcome(status: nil, succeeded: false, report: "\(error)", timeline: [])
        }
    }
}

func percentile(_ values: [Int64], _ fraction: Double) -> Int64 {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction + 0.5))]
}

func milliseconds(_ micros: Int64) -> String {
    String(format: "%.3f ms", Double(micros) / 1000)
}

/// Runs `scenario` `runs` times; returns passes, latencies (µs from the server's write) and late bytes.
func measure(_ scenario: Scenario, runs: Int, streaming: Bool) async -> (passed: Int, latency: [Int64], late: [Int64]) {
    let client = MeasuringClient(streaming: streaming)
    var latencies: [Int64] = []
    var passed = 0
    for _ in 0..<runs {
        guard let run = try? await ScenarioRunner.run(scenario, client: client) else { continue }
        if run.verdict.grade == .pass { passed += 1 }
        let wrote = run.peer.timeline.first { $0.side == .server && $0.kind == .response }
        let held = client.samples.heldAt.withLock { $0.last }
        if let wrote, let held { latencies.append(held - wrote.atMicroseconds) }
    }
    return (passed, latencies, client.samples.lateBytes.withLock { $0 })
}

let runs = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 50
/// HEED_BENCH_ON_LOOP=1: every exchange runs inside `HTTPClient.withEventLoopAffinity`.
let onLoop = ProcessInfo.processInfo.environment["HEED_BENCH_ON_LOOP"] != nil
let scenarios = [Scenario.earlyRejectRST, Scenario.earlyRejectLinger, Scenario.earlyRejectLarge]
print(
    "early response: \(runs) runs per scenario and pass, Expect off, \(Scenario.uploadSize >> 20) MiB upload"
        + (onLoop ? ", on the client's event loop" : "")
)
let header = ["scenario", "passed", "head p50", "head p90", "complete p50", "complete p90", "late p50", "late p90"]
print(
    header.enumerated().map { $0.element.padding(toLength: $0.offset == 0 ? 22 : 14, withPad: " ", startingAt: 0) }
        .joined()
)
var met = true
for scenario in scenarios {
    let head = await measure(scenario, runs: runs, streaming: true)
    let whole = await measure(scenario, runs: runs, streaming: false)
    let headP50 = percentile(head.latency, 0.5)
    let lateP50 = percentile(whole.late, 0.5)
    met = met && headP50 < 2000 && lateP50 < 1 << 20 && head.passed == runs && whole.passed == runs
    let row = [
        scenario.name, "\(head.passed + whole.passed)/\(2 * runs)",
        milliseconds(headP50), milliseconds(percentile(head.latency, 0.9)),
        milliseconds(percentile(whole.latency, 0.5)), milliseconds(percentile(whole.latency, 0.9)),
        "\(lateP50) B", "\(percentile(whole.late, 0.9)) B",
    ]
    print(
        row.enumerated().map { $0.element.padding(toLength: $0.offset == 0 ? 22 : 14, withPad: " ", startingAt: 0) }
            .joined()
    )
}
print(met ? "targets met: head latency p50 < 2 ms, late bytes p50 < 1 MiB, every run passed" : "targets NOT met")
print(
    "early-reject-large's complete latency is the transfer of 4 MiB through the peer's 16 KiB buffers; it took 1-2 s "
        + "before Heed asked for quick acknowledgements (TCP_QUICKACK) while the answer arrives over its unsent body."
)
