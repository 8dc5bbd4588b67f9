public import NIOCore

/// A task executor that runs a task's jobs on one event loop.
///
/// NIO's event loops are serial executors but not task executors (as of 2.101), so a task cannot
/// prefer one without this adapter.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}

extension HTTPClient {
    /// Runs `body` on one of the client's event loops, so that its requests cost no thread hop.
    ///
    /// Normally a request crosses threads twice: from the calling task to the connection's event
    /// loop, and back with the response. Inside `body`, the task itself runs on an event loop, the
    /// connections it opens stay on that loop, and a pooled connection on that loop is preferred: the
    /// request is written and its response read on the thread that asked for it. In the client benchmark
    /// this gave 1.1 to 2.5 times the plain API's request rate on one keep-alive connection, depending on
    /// how dear a thread wake-up is on the machine (docs/performance.md). Request bodies are still produced
    /// off the loop, so that the loop keeps reading while it sends and hears an early answer at once.
    ///
    /// Child tasks that `body` creates inherit the loop. To spread concurrent work over every loop,
    /// call this once per worker task:
    ///
    /// ```swift
    /// try await withThrowingTaskGroup(of: Void.self) { group in
    ///     for _ in 0..<8 {
    ///         group.addTask { try await client.withEventLoopAffinity { try await work(client) } }
    ///     }
    ///     try await group.waitForAll()
    /// }
    /// ```
    ///
    /// Keep blocking calls out of `body`: on an event loop they stall every connection of that loop.
    /// - Parameters:
    ///   - eventLoop: the loop to run on; by default the next loop of the client's group. A loop of
    ///     another group works too (a server channel's loop, say), but connections then open on the
    ///     client's group as usual and the exchanges hop to them.
    ///   - body: the work to run on the loop.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func withEventLoopAffinity<Result, Failure: Error>(
        on eventLoop: (any EventLoop)? = nil,
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let executor = EventLoopTaskExecutor(eventLoop ?? self.eventLoopGroup.next())
        return try await withTaskExecutorPreference(executor, operation: body)
    }
}
