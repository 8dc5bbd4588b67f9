import Foundation

/// Runs blocking socket work on a thread of its own, so that it never occupies the cooperative thread pool.
enum BlockingThread {
    /// Runs `body` on a new thread and returns its result.
    static func run<Result: Sendable>(name: String, _ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = name
            thread.start()
        }
    }
}
