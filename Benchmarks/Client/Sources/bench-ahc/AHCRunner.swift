import AsyncHTTPClient
import BenchSupport
import NIOCore

/// AsyncHTTPClient 1.37 through its async API (`execute(_:timeout:)`).
enum AHCRunner {
    static func run(_ workload: Workload, sizes: Sizes, port: Int) async throws -> BenchResult {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: sizes.connections
        )
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await self.run(workload, sizes: sizes, port: port, client: client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func run(
        _ workload: Workload,
        sizes: Sizes,
        port: Int,
        client: HTTPClient
    ) async throws
        -> BenchResult
    {
        let base = "http://127.0.0.1:\(port)"
        let small = HTTPClientRequest(url: base + "/small")
        func get() async throws {
            let response = try await client.execute(small, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok, body.readableBytes == 13 else {
                throw BenchmarkFailure("unexpected response \(response.status)")
            }
        }
        switch workload {
        case .sequential:
            for _ in 0..<sizes.warmup { try await get() }
            let seconds = try await timed {
                for _ in 0..<sizes.sequentialRequests { try await get() }
            }
            return BenchResult(operations: sizes.sequentialRequests, bytes: 0, seconds: seconds)
        case .concurrent:
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
            let request = HTTPClientRequest(url: base + "/download?bytes=\(sizes.transferBytes)")
            var received = 0
            let seconds = try await timed {
                let response = try await client.execute(request, timeout: .seconds(600))
                for try await part in response.body { received += part.readableBytes }
            }
            guard received == sizes.transferBytes else { throw BenchmarkFailure("received \(received) bytes") }
            return BenchResult(operations: 1, bytes: received, seconds: seconds)
        case .upload:
            var request = HTTPClientRequest(url: base + "/upload")
            request.method = .PUT
            let parts = RepeatedParts(total: sizes.transferBytes, partSize: sizes.uploadPartSize)
            request.body = .stream(parts, length: .known(Int64(sizes.transferBytes)))
            var answer = ""
            let seconds = try await timed {
                let response = try await client.execute(request, timeout: .seconds(600))
                answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
            }
            guard answer == String(sizes.transferBytes) else { throw BenchmarkFailure("server got \(answer)") }
            return BenchResult(operations: 1, bytes: sizes.transferBytes, seconds: seconds)
        }
    }
}
