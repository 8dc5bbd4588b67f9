import BenchSupport
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Foundation's URLSession (on Linux, FoundationNetworking over libcurl).
enum URLSessionRunner {
    static func run(_ workload: Workload, sizes: Sizes, port: Int) async throws -> BenchResult {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = sizes.connections
        configuration.timeoutIntervalForRequest = 600
        configuration.urlCache = nil
        let base = "http://127.0.0.1:\(port)"
        guard let small = URL(string: base + "/small") else { throw BenchmarkFailure("bad URL") }
        switch workload {
        case .sequential, .concurrent:
            let session = URLSession(configuration: configuration)
            defer { session.finishTasksAndInvalidate() }
            @Sendable func get() async throws {
                let (data, response) = try await session.data(from: small)
                guard (response as? HTTPURLResponse)?.statusCode == 200, data.count == 13 else {
                    throw BenchmarkFailure("unexpected response \(response)")
                }
            }
            if workload == .sequential {
                for _ in 0..<sizes.warmup { try await get() }
                let seconds = try await timed {
                    for _ in 0..<sizes.sequentialRequests { try await get() }
                }
                return BenchResult(operations: sizes.sequentialRequests, bytes: 0, seconds: seconds)
            }
            let seconds = try await timed {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<sizes.connections {
                        let count = share(of: sizes.concurrentRequests, worker: worker, workers: sizes.connections)
                        group.addTask { for _ in 0..<count { try await get() } }
                    }
                    try await group.waitForAll()
                }
            }
            return BenchResult(operations: sizes.concurrentRequests, bytes: 0, seconds: seconds)
        case .download:
            guard let url = URL(string: base + "/download?bytes=\(sizes.transferBytes)") else {
                throw BenchmarkFailure("bad URL")
            }
            let counter = CountingDelegate()
            let session = URLSession(configuration: configuration, delegate: counter, delegateQueue: nil)
            defer { session.finishTasksAndInvalidate() }
            let seconds = try await timed {
                try await counter.run { session.dataTask(with: url) }
            }
            let received = counter.received
            guard received == sizes.transferBytes else { throw BenchmarkFailure("received \(received) bytes") }
            return BenchResult(operations: 1, bytes: received, seconds: seconds)
        case .upload:
            guard let url = URL(string: base + "/upload") else { throw BenchmarkFailure("bad URL") }
            // URLSession streams an upload from a file; a sparse file reads as zeros straight from the page cache.
            let path = try sparseFile(bytes: sizes.transferBytes)
            defer { unlink(path) }
            var request = URLRequest(url: url)
            request.httpMethod = "PUT"
            let counter = CountingDelegate()
            let session = URLSession(configuration: configuration, delegate: counter, delegateQueue: nil)
            defer { session.finishTasksAndInvalidate() }
            let seconds = try await timed {
                try await counter.run { session.uploadTask(with: request, fromFile: URL(fileURLWithPath: path)) }
            }
            let answer = counter.body
            guard answer == String(sizes.transferBytes) else { throw BenchmarkFailure("server got \(answer)") }
            return BenchResult(operations: 1, bytes: sizes.transferBytes, seconds: seconds)
        }
    }
}

/// Counts (and drops) the bytes of one data or upload task, keeping a short body as text.
final class CountingDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var received = 0
        var body = Data()
        var continuation: CheckedContinuation<Void, any Error>?
    }

    private let state = Mutex(State())

    var received: Int { self.state.withLock { $0.received } }
    var body: String { self.state.withLock { String(decoding: $0.body, as: UTF8.self) } }

    func run(_ makeTask: () -> URLSessionTask) async throws {
        let task = makeTask()
        try await withCheckedThrowingContinuation { continuation in
            self.state.withLock { $0.continuation = continuation }
            task.resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        self.state.withLock { state in
            state.received += data.count
            if state.body.count < 64 { state.body.append(data.prefix(64)) }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let continuation = self.state.withLock { state in
            defer { state.continuation = nil }
            return state.continuation
        }
        if let error { continuation?.resume(throwing: error) } else { continuation?.resume() }
    }
}
