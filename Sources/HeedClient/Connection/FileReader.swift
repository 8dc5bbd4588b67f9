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
    private let descriptor: Int32

    /// The size of the file at `path`.
    static func size(of path: String) async throws -> Int64 {
        let reader = try await Self.open(path)
        defer { reader.close() }
        return try await NIOThreadPool.singleton.runIfActive {
            var info = stat()
            guard fstat(reader.descriptor, &info) == 0 else { throw Self.error(path: path, "read the size of") }
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
            guard descriptor >= 0 else { throw Self.error(path: path, "open") }
            return Self(descriptor: descriptor)
        }
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func read(at offset: Int64, count: Int) async throws -> ByteBuffer {
        let descriptor = self.descriptor
        return try await NIOThreadPool.singleton.runIfActive {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var total = 0
            while total < count {
                let result = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - total) { pointer in
                    let got = pread(descriptor, pointer.baseAddress, count - total, off_t(offset) + off_t(total))
                    return max(got, 0)
                }
                if result == 0 { break }
                total += result
            }
            return buffer
        }
    }

    func close() {
        _ = Glibc.close(self.descriptor)
    }

    private static func error(path: String, _ verb: String) -> HTTPClientError {
        let number = errno
        return .invalidRequest("could not \(verb) '\(path)': \(SystemErrors.message(of: number))")
    }
}
