// Early-response latency and late body bytes on the early-reject scenarios (issue: the client).
//
// For each scenario, 50 runs: a scripted server reads the request head, writes 413 and closes (reset, lingering,
// or with a 4 MiB error page) while Heed's client uploads 8 MiB with Expect switched off, so it must hear the answer
// while it sends. Reported, as medians and 90th percentiles:
// - latency: from the server starting to write its response to the caller holding the complete response;
// - late bytes: request body bytes the client's socket accepted after the response head had arrived.
// Targets: latency under 2 ms, late bytes under 1 MiB.

import Foundation
import HTTPTypes
import HeedClient
import HeedScenarios
import NIOCore
import Synchronization

struct Sample: Sendable {
    var heldAtMicroseconds: Int64
    var lateBytes: Int64
}

/// Heed's client, recording when the caller holds the response and how many body bytes went out after it arrived.
final class MeasuringClient: ClientUnderTest {
    let samples: Mutex<[Sample]>
    var name: String { "heed" }

    init() { self.samples = Mutex([]) }

    func execute(_ request: ScenarioRequest) async -> ClientOutcome {
        var configuration = HTTPClient.Configuration()
        configuration.expectContinue = .never
        let head = HTTPRequest(
            method: .post,
            scheme: "http",
            authority: "127.0.0.1:\(request.port)",
            path: request.path
        )
        let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: request.bodySize)
        do {
            let (response, heldAt) = try await HTTPClient.withClient(configuration: configuration) { client in
                let response = try await client.execute(head, body: .bytes(body), timeout: request.deadline - .now)
                let heldAt = ContinuousClock.now - request.start
                return (response, heldAt)
            }
            let micros = heldAt.components.seconds * 1_000_000 + heldAt.components.attoseconds / 1_000_000_000_000
            self.samples.withLock {
                $0.append(Sample(heldAtMicroseconds: micros, lateBytes: response.requestBodyBytesSentAfterResponse))
            }
            return ClientOutcome(
                status: response.status.code,
                responseBodyBytes: response.body.readableBytes,
                succeeded: true,
                report: "got \(response.status.code)",
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
    let value = Double(micros) / 1000
    return String(Int(value)) + "." + String(Int((value * 1000).rounded()) % 1000 + 1000).dropFirst() + " ms"
}

let runs = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 50
let scenarios = [Scenario.earlyRejectRST, Scenario.earlyRejectLinger, Scenario.earlyRejectLarge]
print("early response, \(runs) runs per scenario, Expect off, \(Scenario.uploadSize / (1 << 20)) MiB upload")
print("scenario               passed  latency p50  latency p90  late bytes p50  late bytes p90")
var allMet = true
for scenario in scenarios {
    let client = MeasuringClient()
    var latencies: [Int64] = []
    var passed = 0
    for _ in 0..<runs {
        guard let run = try? await ScenarioRunner.run(scenario, client: client) else { continue }
        if run.verdict.grade == .pass { passed += 1 }
        let wrote = run.peer.timeline.first { $0.side == .server && $0.kind == .response }
        let held = client.samples.withLock { $0.last?.heldAtMicroseconds }
        if let wrote, let held { latencies.append(held - wrote.atMicroseconds) }
    }
    let late = client.samples.withLock { $0.map(\.lateBytes) }
    let p50 = percentile(latencies, 0.5)
    let lateP50 = percentile(late, 0.5)
    allMet = allMet && p50 < 2000 && lateP50 < 1 << 20 && passed == runs
    let name = scenario.name.padding(toLength: 22, withPad: " ", startingAt: 0)
    print(
        "\(name) \(passed)/\(runs)".padding(toLength: 30, withPad: " ", startingAt: 0)
            + milliseconds(p50).padding(toLength: 13, withPad: " ", startingAt: 0)
            + milliseconds(percentile(latencies, 0.9)).padding(toLength: 13, withPad: " ", startingAt: 0)
            + "\(lateP50) B".padding(toLength: 16, withPad: " ", startingAt: 0)
            + "\(percentile(late, 0.9)) B"
    )
}
print(allMet ? "targets met: latency p50 < 2 ms, late bytes p50 < 1 MiB" : "targets NOT met")
