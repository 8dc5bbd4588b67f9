import BenchSupport
import Foundation

/// The clients the benchmark compares.
enum Client: String, CaseIterable, Sendable {
    case heed
    /// Heed with the timeline recorder switched off (`HEED_TIMELINE=off`), to measure the recorder's cost.
    case heedNoTimeline = "heed-notimeline"
    /// Heed with each worker task on an event loop (`HTTPClient.withEventLoopAffinity`).
    case heedLoop = "heed-loop"
    /// The same without the timeline recorder: the steadier measure of the recorder's cost (no thread hops).
    case heedLoopNoTimeline = "heed-loop-notimeline"
    /// Heed with `Configuration.busyPoll` (50 µs, or `HEED_BENCH_BUSY_POLL_US`).
    case heedBusyPoll = "heed-busypoll"
    /// Heed on its loops with `Configuration.busyPoll`.
    case heedLoopBusyPoll = "heed-loop-busypoll"
    case ahc
    case urlsession
    case raw
    case curl

    func runs(_ workload: Workload) -> Bool {
        switch self {
        case .heed, .heedLoop, .heedBusyPoll, .heedLoopBusyPoll, .ahc, .urlsession: true
        case .heedNoTimeline, .heedLoopNoTimeline: !workload.isTransfer
        case .raw: workload != .concurrent
        case .curl: workload.isTransfer
        }
    }

    var label: String {
        switch self {
        case .heed: "Heed"
        case .heedNoTimeline: "Heed, no timeline"
        case .heedLoop: "Heed, on its loops"
        case .heedLoopNoTimeline: "  same, no timeline"
        case .heedBusyPoll: "Heed, busy poll"
        case .heedLoopBusyPoll: "Heed, busy+loops"
        case .ahc: "AHC 1.37 (async)"
        case .urlsession: "URLSession"
        case .raw: "raw socket"
        case .curl: "curl"
        }
    }
}

/// Runs every (client, workload) pair in its own child process, `rounds` times, and prints the medians.
struct Driver {
    var port: Int
    var rounds: Int
    var sizes: Sizes
    var clients: [Client]
    var workloads: [Workload]

    func run() throws {
        var results: [Workload: [Client: [BenchResult]]] = [:]
        for round in 0..<self.rounds {
            for workload in self.workloads {
                var order = self.clients.filter {
                    $0.runs(workload) && $0 != .heedNoTimeline && $0 != .heedLoopNoTimeline
                }
                // Rotate the order each round so no client always runs first (or right after a heavy one).
                if !order.isEmpty { order = Array(order[(round % order.count)...] + order[..<(round % order.count)]) }
                // Heed with and without the timeline run back to back, in alternating order: their ratio is
                // the recorder's cost, and adjacent runs share the machine's mood.
                for (on, off) in [(Client.heed, Client.heedNoTimeline), (.heedLoop, .heedLoopNoTimeline)] {
                    if self.clients.contains(off), workload.isTransfer == false, let index = order.firstIndex(of: on) {
                        order.insert(off, at: round % 2 == 0 ? index + 1 : index)
                    }
                }
                for client in order {
                    let measurement = try self.child(client, workload)
                    results[workload, default: [:]][client, default: []].append(measurement)
                    FileHandle.standardError.write(
                        Data(
                            "round \(round + 1) \(workload.rawValue) \(client.rawValue): \(self.format(measurement, workload))\n"
                                .utf8
                        )
                    )
                }
            }
        }
        self.printTable(results)
    }

    private func child(_ client: Client, _ workload: Workload) throws -> BenchResult {
        let process = Process()
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        var arguments = ["--workload", workload.rawValue, "--port", String(self.port)] + self.sizes.arguments
        switch client {
        case .heed, .heedNoTimeline, .heedLoop, .heedLoopNoTimeline, .heedBusyPoll, .heedLoopBusyPoll:
            process.executableURL = directory.appendingPathComponent("bench-heed")
        case .ahc: process.executableURL = directory.appendingPathComponent("bench-ahc")
        case .urlsession: process.executableURL = directory.appendingPathComponent("bench-urlsession")
        case .raw, .curl:
            process.executableURL = directory.appendingPathComponent("client-bench")
            arguments = ["--only", client.rawValue] + arguments
        }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if client == .heedNoTimeline || client == .heedLoopNoTimeline { environment["HEED_TIMELINE"] = "off" }
        if [.heedLoop, .heedLoopNoTimeline, .heedLoopBusyPoll].contains(client) {
            environment["HEED_BENCH_ON_LOOP"] = "1"
        }
        if client == .heedBusyPoll || client == .heedLoopBusyPoll {
            environment["HEED_BENCH_BUSY_POLL_US"] = environment["HEED_BENCH_BUSY_POLL_US"] ?? "50"
        } else {
            environment["HEED_BENCH_BUSY_POLL_US"] = nil
        }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
            let measurement = text.split(separator: "\n").lazy.compactMap({ BenchResult(line: String($0)) }).first
        else {
            throw BenchmarkFailure(
                "\(client.rawValue) \(workload.rawValue) failed (exit \(process.terminationStatus)): \(text)"
            )
        }
        return measurement
    }

    private func format(_ measurement: BenchResult, _ workload: Workload) -> String {
        let rate =
            workload.isTransfer
            ? String(format: "%.0f MB/s", measurement.megabytesPerSecond)
            : String(format: "%.0f req/s", measurement.requestsPerSecond)
        return rate + String(format: ", peak RSS %.1f MiB", Double(measurement.peakRSSKiB) / 1024)
    }

    /// CPU time per request (µs), or per transfer (ms).
    private func cpu(_ measurement: BenchResult, _ workload: Workload) -> String {
        guard measurement.cpuSeconds > 0 else { return "-" }
        if workload.isTransfer { return String(format: "%.0f ms", measurement.cpuSeconds * 1000) }
        return String(format: "%.1f us", measurement.cpuMicrosecondsPerOperation)
    }

    private func rate(_ measurement: BenchResult, _ workload: Workload) -> Double {
        workload.isTransfer ? measurement.megabytesPerSecond : measurement.requestsPerSecond
    }

    /// One client's runs of one workload, summarised.
    private struct Summary {
        var median: Double
        var best: Double
        var peakRSSKiB: Int
        var cpuMedian: BenchResult
    }

    private func summary(_ runs: [BenchResult], _ workload: Workload) -> Summary {
        let rates = runs.map { self.rate($0, workload) }.sorted()
        let byCPU = runs.sorted { $0.cpuSeconds / Double($0.operations) < $1.cpuSeconds / Double($1.operations) }
        return Summary(
            median: rates[rates.count / 2],
            best: rates[rates.count - 1],
            peakRSSKiB: runs.map(\.peakRSSKiB).max() ?? 0,
            cpuMedian: byCPU[byCPU.count / 2]
        )
    }

    /// The median over the rounds of `value(a's run) / value(b's run)` in the same round: steadier than a ratio
    /// of medians when the machine's speed drifts between rounds.
    private func pairedRatio(
        _ results: [Workload: [Client: [BenchResult]]],
        _ a: Client,
        _ b: Client,
        _ workload: Workload,
        value: (BenchResult) -> Double
    ) -> Double? {
        guard let runsA = results[workload]?[a], let runsB = results[workload]?[b] else { return nil }
        let ratios = zip(runsA, runsB).map { value($0) / value($1) }.sorted()
        return ratios.isEmpty ? nil : ratios[ratios.count / 2]
    }

    private func printTable(_ results: [Workload: [Client: [BenchResult]]]) {
        print("")
        print("Heed client benchmark: 127.0.0.1:\(self.port), \(self.rounds) round(s), one child process per run")
        print(
            "sequential: \(self.sizes.sequentialRequests) GETs on one connection; concurrent: "
                + "\(self.sizes.concurrentRequests) GETs over \(self.sizes.connections) connections; transfers: "
                + "\(self.sizes.transferBytes) bytes, upload in \(self.sizes.uploadPartSize)-byte parts"
        )
        print("rate: median (best) of the rounds; peak RSS: the largest; CPU/op: median client CPU per request")
        print("Heed/this: median of the rounds' Heed/this rate ratios (ratio of the bests)")
        print("")
        print("workload    client              rate, median (best)     peak RSS   CPU/op      Heed/this")
        for workload in self.workloads {
            guard let byClient = results[workload] else { continue }
            let summaries = byClient.mapValues { self.summary($0, workload) }
            let heed = summaries[.heed]
            for client in Client.allCases {
                guard let summary = summaries[client] else { continue }
                let unit = workload.isTransfer ? "MB/s" : "req/s"
                let rate = String(format: "%6.0f (%6.0f) %@", summary.median, summary.best, unit)
                let ratio =
                    heed.flatMap { heed in
                        self.pairedRatio(results, .heed, client, workload) { self.rate($0, workload) }.map {
                            String(format: "%.2fx (%.2fx)", $0, heed.best / summary.best)
                        }
                    }
                    ?? "-"
                let rss = summary.peakRSSKiB > 0 ? String(format: "%.1f MiB", Double(summary.peakRSSKiB) / 1024) : "-"
                print(
                    workload.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + client.label.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + rate.padding(toLength: 24, withPad: " ", startingAt: 0)
                        + rss.padding(toLength: 11, withPad: " ", startingAt: 0)
                        + self.cpu(summary.cpuMedian, workload).padding(toLength: 12, withPad: " ", startingAt: 0)
                        + (client == .heed ? "" : ratio)
                )
            }
        }
        self.printTargets(results)
    }

    private func printTargets(_ results: [Workload: [Client: [BenchResult]]]) {
        func summary(_ client: Client, _ workload: Workload) -> Summary? {
            guard let runs = results[workload]?[client], !runs.isEmpty else { return nil }
            return self.summary(runs, workload)
        }
        print("")
        print("targets (median of the per-round ratios; ratio of the bests in parentheses)")
        func check(_ text: String, _ value: (Double, Double)?, _ target: Double, below: Bool = false) {
            guard let (median, best) = value else { return }
            let met = below ? median < target : median >= target
            print(
                "  " + text.padding(toLength: 44, withPad: " ", startingAt: 0)
                    + String(format: "%6.2f (%6.2f)", median, best) + (below ? " < " : " >= ")
                    + String(format: "%.2f", target) + (met ? "  met" : "  NOT met")
            )
        }
        func ratio(_ a: Client, _ b: Client, _ workload: Workload) -> (Double, Double)? {
            guard let paired = self.pairedRatio(results, a, b, workload, value: { self.rate($0, workload) }),
                let bestA = summary(a, workload)?.best, let bestB = summary(b, workload)?.best
            else { return nil }
            return (paired, bestA / bestB)
        }
        check("sequential: Heed / AHC", ratio(.heed, .ahc, .sequential), 2)
        check("sequential: Heed on its loops / AHC", ratio(.heedLoop, .ahc, .sequential), 2)
        check("sequential: Heed, busy poll / AHC", ratio(.heedBusyPoll, .ahc, .sequential), 2)
        check("sequential: Heed, busy poll, loops / AHC", ratio(.heedLoopBusyPoll, .ahc, .sequential), 2)
        check("concurrent: Heed / AHC", ratio(.heed, .ahc, .concurrent), 1.5)
        check("concurrent: Heed on its loops / AHC", ratio(.heedLoop, .ahc, .concurrent), 1.5)
        check("concurrent: Heed, busy poll / AHC", ratio(.heedBusyPoll, .ahc, .concurrent), 1.5)
        check("concurrent: Heed, busy poll, loops / AHC", ratio(.heedLoopBusyPoll, .ahc, .concurrent), 1.5)
        if let floor = ratio(.raw, .ahc, .sequential) {
            print(
                "  (for scale: a blocking raw socket, the ceiling, does "
                    + String(
                        format: "%.2fx AHC on the sequential GETs; 2x AHC is %.0f%% of it)",
                        floor.0,
                        200 / floor.0
                    )
            )
        }
        check("download: Heed / raw socket", ratio(.heed, .raw, .download), 0.85)
        check("download: Heed on its loops / raw socket", ratio(.heedLoop, .raw, .download), 0.85)
        check("download: Heed, busy poll / raw socket", ratio(.heedBusyPoll, .raw, .download), 0.85)
        check("upload: Heed / raw socket", ratio(.heed, .raw, .upload), 0.85)
        check("upload: Heed on its loops / raw socket", ratio(.heedLoop, .raw, .upload), 0.85)
        check("upload: Heed, busy poll / raw socket", ratio(.heedBusyPoll, .raw, .upload), 0.85)
        let peak = Workload.allCases.flatMap { workload in
            [Client.heed, .heedLoop, .heedBusyPoll, .heedLoopBusyPoll].compactMap { summary($0, workload)?.peakRSSKiB }
        }.max()
        check("Heed peak RSS, MiB", peak.map { (Double($0) / 1024, Double($0) / 1024) }, 32, below: true)
        let pairs: [(on: Client, off: Client, label: String)] = [
            (.heed, .heedNoTimeline, ""), (.heedLoop, .heedLoopNoTimeline, ", on its loops"),
        ]
        for workload in [Workload.sequential, .concurrent] {
            for pair in pairs {
                // Cost in %: how much slower (rate) or how much more CPU per request with the recorder on.
                let name = "timeline cost, \(workload.rawValue)\(pair.label)"
                if let rate = self.pairedRatio(
                    results,
                    pair.off,
                    pair.on,
                    workload,
                    value: { self.rate($0, workload) }
                ),
                    let bestOn = summary(pair.on, workload)?.best, let bestOff = summary(pair.off, workload)?.best
                {
                    check("\(name), req/s %", ((rate - 1) * 100, (bestOff / bestOn - 1) * 100), 2, below: true)
                }
                if let cpu = self.pairedRatio(
                    results,
                    pair.on,
                    pair.off,
                    workload,
                    value: { $0.cpuMicrosecondsPerOperation }
                ) {
                    check("\(name), CPU/request %", ((cpu - 1) * 100, (cpu - 1) * 100), 2, below: true)
                }
            }
        }
    }
}
