import BenchSupport
import Glibc
import HTTPTypes
import HeedClient
import NIOCore

/// Heed's client, through its public async API.
enum HeedRunner {
    static func run(_ workload: Workload, sizes: Sizes, port: Int) async throws -> BenchResult {
        var configuration = HTTPClient.Configuration()
        configuration.maxConnectionsPerHost = sizes.connections
        configuration.maxIdleConnectionsPerHost = sizes.connections
        configuration.expectContinue = .never
        // HEED_BENCH_BUSY_POLL_US=N: Configuration.busyPoll of N microseconds.
        if let text = getenv("HEED_BENCH_BUSY_POLL_US"), let micros = Int(String(cString: text)), micros > 0 {
            configuration.busyPoll = .microseconds(micros)
        }
        let onLoop = getenv("HEED_BENCH_ON_LOOP") != nil
        let authority = "127.0.0.1:\(port)"
        let small = HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/small")
        return try await HTTPClient.withClient(configuration: configuration) { client in
            func get() async throws {
                let response = try await client.execute(small)
                guard response.status == .ok, response.body.readableBytes == 13 else {
                    throw BenchmarkFailure("unexpected response \(response.status)")
                }
            }
            // HEED_BENCH_ON_LOOP=1: each worker runs on an event loop (HTTPClient.withEventLoopAffinity).
            func worker(_ work: () async throws -> Void) async throws {
                if onLoop { try await client.withEventLoopAffinity(work) } else { try await work() }
            }
            switch workload {
            case .sequential:
                var seconds = 0.0
                try await worker {
                    for _ in 0..<sizes.warmup { try await get() }
                    seconds = try await timed {
                        for _ in 0..<sizes.sequentialRequests { try await get() }
                    }
                }
                return BenchResult(operations: sizes.sequentialRequests, bytes: 0, seconds: seconds)
            case .concurrent:
                let seconds = try await timed {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<sizes.connections {
                            let count = share(of: sizes.concurrentRequests, worker: index, workers: sizes.connections)
                            group.addTask { try await worker { for _ in 0..<count { try await get() } } }
                        }
                        try await group.waitForAll()
                    }
                }
                return BenchResult(operations: sizes.concurrentRequests, bytes: 0, seconds: seconds)
            case .download:
                let request = HTTPRequest(
                    method: .get,
                    scheme: "http",
                    authority: authority,
                    path: "/download?bytes=\(sizes.transferBytes)"
                )
                var received = 0
                var seconds = 0.0
                try await worker {
                    seconds = try await timed {
                        received = try await client.execute(request) { response in
                            var total = 0
                            for try await part in response.body { total += part.readableBytes }
                            return total
                        }
                    }
                }
                guard received == sizes.transferBytes else { throw BenchmarkFailure("received \(received) bytes") }
                return BenchResult(operations: 1, bytes: received, seconds: seconds)
            case .upload:
                let request = HTTPRequest(method: .put, scheme: "http", authority: authority, path: "/upload")
                let parts = RepeatedParts(total: sizes.transferBytes, partSize: sizes.uploadPartSize)
                let body = HTTPClientRequestBody.stream(parts, length: Int64(sizes.transferBytes))
                var answer = ""
                var seconds = 0.0
                try await worker {
                    seconds = try await timed {
                        let response = try await client.execute(request, body: body)
                        answer = String(buffer: response.body)
                    }
                }
                guard answer == String(sizes.transferBytes) else { throw BenchmarkFailure("server got \(answer)") }
                return BenchResult(operations: 1, bytes: sizes.transferBytes, seconds: seconds)
            }
        }
    }
}
