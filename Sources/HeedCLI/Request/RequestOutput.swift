import Synchronization

/// Where response bodies go as they stream in: the process's standard output, or a buffer for tests.
struct RequestOutput: Sendable {
    /// Writes bytes to the output; returns when they are written, so a slow reader holds the body back.
    /// - Throws: ``DownloadFileError`` when the output cannot be written (curl's exit 23).
    let write: @Sendable ([UInt8]) async throws -> Void

    /// A buffer that collects everything written, for ``RequestRunner/Result/stdout``.
    final class Collector: Sendable {
        private let bytes = Mutex<[UInt8]>([])

        /// An output that appends to this collector.
        var output: RequestOutput { RequestOutput { piece in self.bytes.withLock { $0 += piece } } }
        /// Everything written so far.
        var collected: [UInt8] { self.bytes.withLock { $0 } }
    }
}
