import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Standard input, output and error through `read(2)`/`write(2)`: failures come back as errors, never as the trap
/// that Foundation's non-throwing `FileHandle.write(_:)` and `readDataToEndOfFile()` turn them into.
enum StandardStreams {
    /// Writes all of `bytes` to `descriptor`, resuming after partial writes and `EINTR`.
    /// - Returns: 0, or the `errno` of the write that failed.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }

    /// Writes `bytes` to standard output on NIO's thread pool, so a slow reader holds back only this task: the
    /// caller waits for the write, which is the back-pressure on the response body.
    /// - Throws: ``DownloadFileError`` ("Failure writing output", curl's exit 23) when the write fails, such as a
    ///   full disk or a pipe whose reader has gone.
    static func writeOutput(_ bytes: [UInt8]) async throws {
        let failure: Int32 = try await NIOThreadPool.singleton.runIfActive {
            bytes.withUnsafeBytes { Self.writeAll($0, to: STDOUT_FILENO) }
        }
        if failure != 0 {
            throw DownloadFileError(message: "Failure writing output: \(String(cString: strerror(failure))).")
        }
    }

    /// Writes `text` to standard error; a failure is ignored (there is nowhere left to report it).
    static func writeError(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Self.writeAll($0, to: STDERR_FILENO) }
    }

    /// Writes `text` to standard output synchronously; a failure is ignored. For commands other than `request`,
    /// whose output is a few lines.
    static func writeOutputText(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Self.writeAll($0, to: STDOUT_FILENO) }
    }

    /// Reads standard input to its end.
    /// - Throws: ``RequestInputError`` ("Failure reading input", curl's exit 26) when it cannot be read, such as
    ///   when it is closed.
    static func readInput() throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw RequestInputError(message: "Failure reading input: \(String(cString: strerror(errno))).")
            }
            bytes += chunk[0..<count]
        }
    }
}
