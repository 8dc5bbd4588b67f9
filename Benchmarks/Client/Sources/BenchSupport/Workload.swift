import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One benchmark: what is sent, how often, and what the result counts.
public enum Workload: String, CaseIterable, Sendable {
    /// Sequential keep-alive GETs of /small on one connection (requests/s).
    case sequential
    /// GETs of /small over many concurrent connections (requests/s).
    case concurrent
    /// One large GET of /download, streamed and discarded (MB/s).
    case download
    /// One large PUT to /upload, streamed from a preallocated buffer (MB/s).
    case upload

    public var isTransfer: Bool { self == .download || self == .upload }
}

/// The sizes of the workloads; smaller ones for a quick run or a profile.
public struct Sizes: Sendable {
    public var sequentialRequests = 20_000
    public var concurrentRequests = 100_000
    public var connections = 64
    public var transferBytes = 1 << 30
    /// The request body is sent in parts of this size, the same parts for every client.
    public var uploadPartSize = 256 * 1024
    /// Requests sent before the clock starts (connection set-up, warm caches).
    public var warmup = 200

    public init() {}

    /// The command-line options that reproduce these sizes in a child process.
    public var arguments: [String] {
        [
            "--sequential", String(self.sequentialRequests), "--concurrent", String(self.concurrentRequests),
            "--connections", String(self.connections), "--bytes", String(self.transferBytes), "--part",
            String(self.uploadPartSize), "--warmup", String(self.warmup),
        ]
    }

    /// Reads a size option; `false` if `option` is not one.
    public mutating func parse(_ option: String, _ value: Int) -> Bool {
        switch option {
        case "--sequential": self.sequentialRequests = value
        case "--concurrent": self.concurrentRequests = value
        case "--connections": self.connections = max(1, value)
        case "--bytes": self.transferBytes = value
        case "--part": self.uploadPartSize = max(1, value)
        case "--warmup": self.warmup = value
        default: return false
        }
        return true
    }
}

/// What one client did in one workload, as a child process reports it.
public struct BenchResult: Sendable {
    public var operations: Int
    public var bytes: Int
    public var seconds: Double
    public var peakRSSKiB: Int
    /// CPU time (user + system) the client process used in the measured part, in seconds: steadier than the
    /// wall clock on a shared machine.
    public var cpuSeconds: Double

    public var line: String {
        "RESULT ops=\(self.operations) bytes=\(self.bytes) seconds=\(self.seconds) rss_kib=\(self.peakRSSKiB)"
            + " cpu=\(self.cpuSeconds)"
    }

    public init(operations: Int, bytes: Int, seconds: Double, peakRSSKiB: Int = 0, cpuSeconds: Double = 0) {
        self.operations = operations
        self.bytes = bytes
        self.seconds = seconds
        self.peakRSSKiB = peakRSSKiB
        self.cpuSeconds = cpuSeconds
    }

    public init?(line: String) {
        guard line.hasPrefix("RESULT ") else { return nil }
        var values: [Substring: Substring] = [:]
        for pair in line.dropFirst(7).split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let ops = values["ops"].flatMap({ Int($0) }), let bytes = values["bytes"].flatMap({ Int($0) }),
            let seconds = values["seconds"].flatMap({ Double($0) }), let rss = values["rss_kib"].flatMap({ Int($0) })
        else { return nil }
        let cpu = values["cpu"].flatMap { Double($0) } ?? 0
        self.init(operations: ops, bytes: bytes, seconds: seconds, peakRSSKiB: rss, cpuSeconds: cpu)
    }

    /// CPU microseconds per operation.
    public var cpuMicrosecondsPerOperation: Double { self.cpuSeconds / Double(self.operations) * 1e6 }

    public var requestsPerSecond: Double { Double(self.operations) / self.seconds }
    public var megabytesPerSecond: Double { Double(self.bytes) / self.seconds / 1_000_000 }
}

/// Times `body` on the continuous clock, in seconds, and counts the process's CPU time it took
/// (read by ``ChildProcess`` through ``lastCPUSeconds``).
public func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let cpuStart = processCPUSeconds()
    let start = ContinuousClock.now
    try await body()
    let elapsed = seconds(since: start)
    lastCPU.withLock { $0 = processCPUSeconds() - cpuStart }
    return elapsed
}

/// The CPU time of the last ``timed(_:)`` call.
let lastCPU = Mutex<Double>(0)

/// User plus system CPU time of this process so far, in seconds.
public func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ value: timeval) -> Double { Double(value.tv_sec) + Double(value.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Seconds elapsed since `start`.
public func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// This process's peak resident set size (VmHWM in /proc/self/status), in KiB.
public func peakRSSKiB() -> Int {
    let descriptor = open("/proc/self/status", O_RDONLY)
    guard descriptor >= 0 else { return 0 }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 8192)
    let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return 0 }
    let status = String(decoding: bytes[0..<count], as: UTF8.self)
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

/// Splits `total` requests over `workers` as evenly as possible.
public func share(of total: Int, worker: Int, workers: Int) -> Int {
    total / workers + (worker < total % workers ? 1 : 0)
}

/// A sparse file of `bytes` zero bytes in /tmp (it reads as zeros straight from the page cache).
public func sparseFile(bytes: Int) throws -> String {
    let path = "/tmp/heed-bench-upload-\(getpid())"
    let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
    guard descriptor >= 0 else { throw BenchmarkFailure("cannot create \(path)") }
    defer { close(descriptor) }
    guard ftruncate(descriptor, off_t(bytes)) == 0 else { throw BenchmarkFailure("cannot size \(path)") }
    return path
}

/// A benchmark run that went wrong.
public struct BenchmarkFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One client's run of one workload, in a child process: `--workload W --port P [sizes]`.
public enum ChildProcess {
    /// Parses the arguments, runs `body` and prints its measurement with this process's peak RSS.
    public static func main(
        arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        _ body: (Workload, Sizes, Int) async throws -> BenchResult
    ) async {
        var workload: Workload?
        var port: Int?
        var sizes = Sizes()
        var arguments = arguments.makeIterator()
        while let option = arguments.next() {
            guard let value = arguments.next() else { Self.usage() }
            if option == "--workload" {
                workload = Workload(rawValue: value)
            } else if let number = Int(value), option == "--port" {
                port = number
            } else if let number = Int(value), sizes.parse(option, number) {
                continue
            } else {
                Self.usage()
            }
        }
        guard let workload, let port else { Self.usage() }
        do {
            var measurement = try await body(workload, sizes, port)
            if measurement.peakRSSKiB == 0 { measurement.peakRSSKiB = peakRSSKiB() }
            if measurement.cpuSeconds == 0 { measurement.cpuSeconds = lastCPU.withLock { $0 } }
            print(measurement.line)
        } catch {
            print("failed: \(error)")
            exit(1)
        }
    }

    private static func usage() -> Never {
        print("usage: \(CommandLine.arguments[0]) --workload W --port P [--sequential N] [--bytes N] ...")
        exit(2)
    }
}
