public import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory of uploaded files: the storage behind `heed serve`.
///
/// Names are checked (``isValidName(_:)``), so no request can reach outside the directory. A file is
/// written to a hidden temporary file beside its final place and renamed over it only when the whole
/// body has arrived, so an aborted upload leaves nothing behind and readers never see a partial file.
/// The file I/O is blocking and meant for experiments and tests, not for production traffic.
public struct UploadStore: Sendable {
    /// The directory the files live in.
    public let directory: String

    /// Creates a store over an existing directory.
    /// - Parameter directory: The directory's path.
    public init(directory: String) {
        self.directory = directory
    }

    /// Whether `name` is a safe file name: 1 to 255 characters from `A-Z a-z 0-9 . _ -`, not starting with a dot.
    /// - Parameter name: The name from the request target.
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 255, first != UInt8(ascii: ".") else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// Stores a body under `name`, atomically.
    /// - Parameters:
    ///   - name: A name for which ``isValidName(_:)`` holds.
    ///   - body: The parts of the body.
    /// - Returns: The number of bytes stored.
    /// - Throws: ``UploadStoreError`` if the file cannot be written, or the body's error; nothing is left behind.
    public func store<Body: AsyncSequence>(name: String, body: Body) async throws -> Int
    where Body.Element == ByteBuffer {
        guard Self.isValidName(name) else { throw UploadStoreError.invalidName(name) }
        let finalPath = self.directory + "/" + name
        let temporaryPath =
            self.directory + "/." + name + ".upload-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw UploadStoreError.cannotWrite(name: name, errno: errno) }
        var written = 0
        do {
            for try await part in body {
                try Self.writeAll(part, to: fd, name: name)
                written += part.readableBytes
            }
            guard fsync(fd) == 0 else { throw UploadStoreError.cannotWrite(name: name, errno: errno) }
            close(fd)
            guard rename(temporaryPath, finalPath) == 0 else {
                throw UploadStoreError.cannotWrite(name: name, errno: errno)
            }
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        return written
    }

    /// Reads the file stored under `name`.
    /// - Parameters:
    ///   - name: A name for which ``isValidName(_:)`` holds.
    ///   - maxBytes: The largest file to read.
    /// - Returns: The file's bytes, or nil if there is no such file.
    /// - Throws: ``UploadStoreError`` if the file cannot be read or is larger than `maxBytes`.
    public func load(name: String, maxBytes: Int) throws -> ByteBuffer? {
        guard Self.isValidName(name) else { throw UploadStoreError.invalidName(name) }
        let fd = open(self.directory + "/" + name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw UploadStoreError.cannotRead(name: name, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw UploadStoreError.cannotRead(name: name, errno: errno)
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else { throw UploadStoreError.tooLarge(name: name, limit: maxBytes) }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(size)
        while buffer.readableBytes < size {
            let wanted = size - buffer.readableBytes
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) {
                max(0, read(fd, $0.baseAddress, wanted))
            }
            guard count > 0 else { break }
        }
        return buffer
    }

    private static func writeAll(_ part: ByteBuffer, to fd: CInt, name: String) throws {
        try part.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw UploadStoreError.cannotWrite(name: name, errno: errno)
                }
                offset += count
            }
        }
    }
}

/// Why an ``UploadStore`` operation failed.
public struct UploadStoreError: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case invalidName(String)
        case cannotWrite(name: String, errno: Int32)
        case cannotRead(name: String, errno: Int32)
        case tooLarge(name: String, limit: Int)
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The name is not a safe file name.
    public static func invalidName(_ name: String) -> Self { Self(.invalidName(name)) }
    /// Writing the file failed with `errno`.
    public static func cannotWrite(name: String, errno: Int32) -> Self { Self(.cannotWrite(name: name, errno: errno)) }
    /// Reading the file failed with `errno`.
    public static func cannotRead(name: String, errno: Int32) -> Self { Self(.cannotRead(name: name, errno: errno)) }
    /// The file is larger than the limit.
    public static func tooLarge(name: String, limit: Int) -> Self { Self(.tooLarge(name: name, limit: limit)) }

    public var description: String {
        switch self.code {
        case .invalidName(let name):
            "'\(name)' is not a valid file name: use 1 to 255 of A-Z a-z 0-9 . _ -, not starting with a dot."
        case .cannotWrite(let name, let errno):
            "Could not write '\(name)' (errno \(errno))."
        case .cannotRead(let name, let errno):
            "Could not read '\(name)' (errno \(errno))."
        case .tooLarge(let name, let limit):
            "'\(name)' is larger than the limit of \(limit) bytes."
        }
    }
}
