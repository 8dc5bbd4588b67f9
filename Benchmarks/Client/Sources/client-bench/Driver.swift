import BenchSupport
import Foundation

/// The clients the benchmark compares.
enum Client: String, CaseIterable, Sendable {
    case heed
    /// Heed with the timeline recorder switched off (`HEED_TIMELINE=off`), to measure the recorder's cost.
    case heedNoTimeline = "heed-notimeline"
    case ahc
    case urlsession
    case raw
    case curl

    func runs(_ workload: Workload) -> Bool {
        switch self {
        case .heed, .ahc, .urlsession: true
        case .heedNoTimeline: !workload.isTransfer
        case .raw, .curl: workload.isTransfer
        }
    }

    var label: String {
        switch self {
        case .heed: "Heed"
        case .heedNoTimeline: "Heed, no timeline"
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
                var order = self.clients.filter { $0.runs(workload) }
                // Rotate the order each round so no client always runs first (or right after a heavy one).
                if !order.isEmpty { order = Array(order[(round % order.count)...] + order[..<(round % order.count)]) }
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
        case .heed, .heedNoTimeline: process.executableURL = directory.appendingPathComponent("bench-heed")
        case .ahc: process.executableURL = directory.appendingPathComponent("bench-ahc")
        case .urlsession: process.executableURL = directory.appendingPathComponent("bench-urlsession")
        case .raw, .curl:
            process.executableURL = directory.appendingPathComponent("client-bench")
            arguments = ["--only", client.rawValue] + arguments
        }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if client == .heedNoTimeline { environment["HEED_TIMELINE"] = "off" }
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

    private func printTable(_ results: [Workload: [Client: [BenchResult]]]) {
        print("")
        print(
            "Heed client benchmark: 127.0.0.1:\(self.port), median of \(self.rounds) round(s), one child process per run"
        )
        print(
            "sequential: \(self.sizes.sequentialRequests) GETs on one connection; concurrent: "
                + "\(self.sizes.concurrentRequests) GETs over \(self.sizes.connections) connections; transfers: "
                + "\(self.sizes.transferBytes) bytes, upload in \(self.sizes.uploadPartSize)-byte parts"
        )
        print("")
        print("workload    client              rate            peak RSS   CPU/op      Heed/this")
        for workload in self.workloads {
            guard let byClient = results[workload] else { continue }
            let medians = byClient.mapValues { runs in
                runs.sorted { self.rate($0, workload) < self.rate($1, workload) }[runs.count / 2]
            }
            let heed = medians[.heed].map { self.rate($0, workload) }
            for client in Client.allCases {
                guard let measurement = medians[client] else { continue }
                let rate = self.rate(measurement, workload)
                let unit = workload.isTransfer ? "MB/s" : "req/s"
                let ratio = heed.map { String(format: "%.2fx", $0 / rate) } ?? "-"
                let rss =
                    measurement.peakRSSKiB > 0 ? String(format: "%.1f MiB", Double(measurement.peakRSSKiB) / 1024) : "-"
                print(
                    workload.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + client.label.padding(toLength: 20, withPad: " ", startingAt: 0)
                        + String(format: "%8.0f %-5@", rate, unit).padding(toLength: 16, withPad: " ", startingAt: 0)
                        + rss.padding(toLength: 11, withPad: " ", startingAt: 0)
                        + self.cpu(measurement, workload).padding(toLength: 12, withPad: " ", startingAt: 0)
                        + (client == .heed ? "" : ratio)
                )
            }
        }
        self.printTargets(results)
    }

    private func printTargets(_ results: [Workload: [Client: [BenchResult]]]) {
        func median(_ client: Client, _ workload: Workload) -> Double? {
            guard let runs = results[workload]?[client], !runs.isEmpty else { return nil }
            return runs.map { self.rate($0, workload) }.sorted()[runs.count / 2]
        }
        print("")
        print("targets")
        func check(_ text: String, _ value: Double?, _ target: Double, below: Bool = false) {
            guard let value else { return }
            let met = below ? value < target : value >= target
            print(
                "  " + text.padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: "%6.2f", value)
                    + (below ? " < " : " >= ") + String(format: "%.2f", target) + (met ? "  met" : "  NOT met")
            )
        }
        func ratio(_ a: Double?, _ b: Double?) -> Double? { a.flatMap { a in b.map { a / $0 } } }
        check("sequential: Heed / AHC", ratio(median(.heed, .sequential), median(.ahc, .sequential)), 2)
        check("concurrent: Heed / AHC", ratio(median(.heed, .concurrent), median(.ahc, .concurrent)), 1.5)
        check("download: Heed / raw socket", ratio(median(.heed, .download), median(.raw, .download)), 0.85)
        check("upload: Heed / raw socket", ratio(median(.heed, .upload), median(.raw, .upload)), 0.85)
        let peak = Workload.allCases.compactMap { results[$0]?[.heed]?.map(\.peakRSSKiB).max() }.max()
        check("Heed peak RSS, MiB", peak.map { Double($0) / 1024 }, 32, below: true)
        func cpuMedian(_ client: Client, _ workload: Workload) -> Double? {
            guard let runs = results[workload]?[client], !runs.isEmpty else { return nil }
            return runs.map(\.cpuMicrosecondsPerOperation).sorted()[runs.count / 2]
        }
        for workload in [Workload.sequential, .concurrent] {
            if let on = median(.heed, workload), let off = median(.heedNoTimeline, workload) {
                check("timeline cost, \(workload.rawValue), req/s %", (off - on) / off * 100, 2, below: true)
            }
            if let on = cpuMedian(.heed, workload), let off = cpuMedian(.heedNoTimeline, workload) {
                check("timeline cost, \(workload.rawValue), CPU/request %", (on - off) / off * 100, 2, below: true)
            }
        }
    }
}
