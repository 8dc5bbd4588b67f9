import HeedCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file with `pread` on NIO's blocking-I/O thread pool, so request bodies stream from
/// disk without blocking an event loop or loading the file into memory.
struct FileReader: Sendable {
    /// A read that failed while the body was being sent; the exchange fails with this description.
    struct ReadError: Error, CustomStringConvertible {
        var path: String
        var error: SystemErrorInfo

        var description: String { "could not read the body file '\(self.path)': \(self.error)" }
    }

    private let descriptor: Int32
    /// The file's name, for errors.
    private let path: String

    /// The size of the file at `path`.
    static func size(of path: String) async throws -> Int64 {
        let reader = try await Self.open(path)
        defer { reader.close() }
        return try await NIOThreadPool.singleton.runIfActive {
            var info = stat()
            guard fstat(reader.descriptor, &info) == 0 else { throw Self.error(path: path, "read the size of", errno) }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw HTTPClientError.invalidRequest("'\(path)' is not a regular file")
            }
            return Int64(info.st_size)
        }
    }

    /// Opens `path` for reading.
    static func open(_ path: String) async throws -> Self {
        try await NIOThreadPool.singleton.runIfActive {
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Self.error(path: path, "open", errno) }
            return Self(descriptor: descriptor, path: path)
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    /// - Throws: ``ReadError`` naming the file and the system's error.
    func read(at offset: Int64, count: Int) async throws -> ByteBuffer {
        let descriptor = self.descriptor
        let path = self.path
        return try await NIOThreadPool.singleton.runIfActive {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var total = 0
            var attempts = 0
            while total < count && attempts < 1000 {
                attempts += 1
                var failure: Int32 = 0
                let result = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - total) { pointer in
                    let got = pread(descriptor, pointer.baseAddress, count - total, off_t(offset) + off_t(total))
                    if got < 0 { failure = errno }
                    return max(got, 0)
                }
                if failure == EINTR { continue }
                if failure != 0 { throw ReadError(path: path, error: SystemErrorInfo(linuxErrno: failure)) }
                if result == 0 { break }
                total += result
            }
            return buffer
        }
    }

    func close() {
        _ = Glibc.close(self.descriptor)
    }

    /// `could not open the body file 'PATH': ENOENT (No such file or directory)`: the system's error by name and
    /// text, as ``ReadError`` gives it.
    private static func error(path: String, _ verb: String, _ number: Int32) -> HTTPClientError {
        .invalidRequest("could not \(verb) the body file '\(path)': \(SystemErrorInfo(linuxErrno: number))")
    }
}
