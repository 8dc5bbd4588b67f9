import HeedClient
import HeedCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A request body prepared once per `heed request` call and sent once per URL, counting the bytes the connection
/// accepts so the progress bar can show them.
///
/// Text, stdin (`@-`), `-d @file` and repeated `-d`/`--data-binary` pieces are read into memory (curl does the
/// same); `--data-binary @file` and `--json @file` stream from disk in pieces. A name that leads (through symbolic
/// links) to something other than a regular file, such as a pipe, `/dev/stdin` or `<(command)`, streams as a body of
/// unknown length (chunked).
enum UploadSource: Sendable {
    case bytes([UInt8])
    case file(path: String, size: Int64)
    /// A pipe or device, read to its end once.
    case stream(path: String)

    /// Reads what `body` names. `readStdin` is how `@-` reads standard input (a parameter for tests).
    /// - Throws: ``RequestInputError`` naming the file that could not be opened or read and the system's error.
    static func prepare(_ body: RequestOptions.Body, readStdin: () throws -> [UInt8]) throws -> Self {
        switch body {
        case .inline(let bytes):
            return .bytes(bytes)
        case .textFile("-"):
            return .bytes(try readStdin().filter { $0 != 10 && $0 != 13 })
        case .file("-"):
            return .bytes(try readStdin())
        case .textFile(let path):
            return .bytes(try Self.read(path).filter { $0 != 10 && $0 != 13 })
        case .file(let path):
            // stat, not lstat: a symbolic link stands for what it points to. The file is opened when it is sent
            // (opening a pipe waits for its writer); access tells now whether that open will be allowed.
            var info = stat()
            guard stat(path, &info) == 0 else { throw Self.openFailure(path, errno: errno) }
            guard info.st_mode & S_IFMT != S_IFDIR else { throw Self.openFailure(path, errno: EISDIR) }
            guard access(path, R_OK) == 0 else { throw Self.openFailure(path, errno: errno) }
            if info.st_mode & S_IFMT == S_IFREG { return .file(path: path, size: Int64(info.st_size)) }
            return .stream(path: path)
        case .joined(let pieces):
            var joined: [UInt8] = []
            for (index, piece) in pieces.enumerated() {
                if index > 0 { joined.append(UInt8(ascii: "&")) }
                switch try Self.prepare(piece, readStdin: readStdin) {
                case .bytes(let bytes): joined += bytes
                case .file(let path, _), .stream(let path): joined += try Self.read(path)
                }
            }
            return .bytes(joined)
        }
    }

    /// The body's length in bytes; 0 for a stream, whose length is unknown until its end.
    var length: Int64 { self.knownLength ?? 0 }

    /// The body's length in bytes, nil for a stream.
    var knownLength: Int64? {
        switch self {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, let size): size
        case .stream: nil
        }
    }

    /// A client body that reports every piece the connection accepts to `meter`.
    func makeBody(meter: ProgressMeter) -> HTTPClientRequestBody {
        switch self {
        case .bytes(let bytes):
            let buffer = ByteBuffer(bytes: bytes)
            return HTTPClientRequestBody(length: self.length, isReplayable: true) { writer in
                var rest = buffer
                while rest.readableBytes > 0, let piece = rest.readSlice(length: min(64 * 1024, rest.readableBytes)) {
                    guard try await writer.write(piece) else { return }
                    meter.bodyBytesSent(piece.readableBytes)
                }
            }
        case .file(let path, let size):
            return HTTPClientRequestBody(length: size, isReplayable: true) { writer in
                let descriptor = try await Self.open(path)
                defer { Glibc.close(descriptor) }
                var offset: Int64 = 0
                while offset < size {
                    let piece = try await Self.readPiece(
                        descriptor,
                        path: path,
                        at: offset,
                        count: Int(min(256 * 1024, size - offset))
                    )
                    guard piece.readableBytes > 0 else {
                        throw RequestInputError(message: "Could not read the body file '\(path)' to its end.")
                    }
                    offset += Int64(piece.readableBytes)
                    guard try await writer.write(piece) else { return }
                    meter.bodyBytesSent(piece.readableBytes)
                }
            }
        case .stream(let path):
            return HTTPClientRequestBody(length: nil, isReplayable: false) { writer in
                let descriptor = try await Self.open(path)
                defer { Glibc.close(descriptor) }
                while true {
                    let piece = try await Self.readPiece(descriptor, path: path, at: nil, count: 256 * 1024)
                    guard piece.readableBytes > 0 else { return }
                    guard try await writer.write(piece) else { return }
                    meter.bodyBytesSent(piece.readableBytes)
                }
            }
        }
    }

    /// Opens `path` for reading off the event loop (opening a pipe waits for its writer).
    /// - Throws: ``RequestInputError`` naming `path` and the system's error.
    private static func open(_ path: String) async throws -> Int32 {
        try await NIOThreadPool.singleton.runIfActive {
            let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw Self.openFailure(path, errno: errno) }
            return descriptor
        }
    }

    /// The error for a body file that cannot be opened: `could not open the body file 'PATH': ENOENT (No such file
    /// or directory)`, in lower case as the read failure's.
    static func openFailure(_ path: String, errno number: Int32) -> RequestInputError {
        RequestInputError(message: "could not open the body file '\(path)': \(SystemErrorInfo(linuxErrno: number))")
    }

    /// The error for a body file whose read fails, naming the system's error.
    static func readFailure(_ path: String, errno number: Int32) -> RequestInputError {
        RequestInputError(message: "could not read the body file '\(path)': \(SystemErrorInfo(linuxErrno: number))")
    }

    /// Reads up to `count` bytes at `offset`, or from the current position of a stream when `offset` is nil.
    /// - Throws: ``RequestInputError`` naming `path` and the system's error when the read fails (an empty buffer is
    ///   the end).
    private static func readPiece(
        _ descriptor: Int32,
        path: String,
        at offset: Int64?,
        count: Int
    ) async throws -> ByteBuffer {
        try await NIOThreadPool.singleton.runIfActive {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var failure: Int32 = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
                var got = -1
                repeat {
                    if let offset {
                        got = pread(descriptor, pointer.baseAddress, count, off_t(offset))
                    } else {
                        got = Glibc.read(descriptor, pointer.baseAddress, count)
                    }
                } while got < 0 && errno == EINTR
                if got < 0 { failure = errno }
                return max(got, 0)
            }
            // Lower case: the client's sentence about the failed body ends with it.
            guard failure == 0 else { throw Self.readFailure(path, errno: failure) }
            return buffer
        }
    }

    /// The whole of `path`, which may be a pipe.
    /// - Throws: ``RequestInputError`` naming `path` and the system's error when it cannot be opened or read.
    private static func read(_ path: String) throws -> [UInt8] {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.openFailure(path, errno: errno) }
        defer { Glibc.close(descriptor) }
        var bytes: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let got = piece.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                let failure = errno
                if failure == EINTR { continue }
                throw Self.readFailure(path, errno: failure)
            }
            if got == 0 { return bytes }
            bytes += piece[..<got]
        }
    }
}
