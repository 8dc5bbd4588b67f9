import NIOPosix

/// A raw client that could not connect.
public struct RawClientCouldNotConnect: Error {
    public init() {}
}

/// Runs `count` raw clients, at most `threads` at a time, on threads of their own (they block in `poll`), and
/// returns their outcomes.
public func runRawClients(
    _ client: ServerRawClient,
    count: Int,
    threads: Int = 8
) async throws -> [ServerRawClient.Outcome] {
    let pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
    defer { pool.shutdownGracefully { _ in } }
    return try await withThrowingTaskGroup(of: ServerRawClient.Outcome?.self) { group in
        var outcomes: [ServerRawClient.Outcome] = []
        var started = 0
        while started < min(threads, count) {
            group.addTask { try await pool.runIfActive { client.run() } }
            started += 1
        }
        while let outcome = try await group.next() {
            guard let outcome else { throw RawClientCouldNotConnect() }
            outcomes.append(outcome)
            if started < count {
                group.addTask { try await pool.runIfActive { client.run() } }
                started += 1
            }
        }
        return outcomes
    }
}
