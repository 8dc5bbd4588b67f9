import Foundation
import HeedClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A request body prepared once per `heed request` call and sent once per URL, counting the bytes the connection
/// accepts so the progress bar can show them.
///
/// Text, stdin (`@-`) and `-d @file` are read into memory (curl does the same); `--data-binary @file` and
/// `--json @file` stream from disk in pieces.
enum UploadSource: Sendable {
    case bytes([UInt8])
    case file(path: String, size: Int64)

    /// Reads what `body` names. `readStdin` is how `@-` reads standard input (a parameter for tests).
    /// - Throws: ``RequestInputError`` naming the file that could not be read.
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
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? NSNumber,
                FileManager.default.isReadableFile(atPath: path)
            else {
                throw RequestInputError(message: "Could not read the body file '\(path)'.")
            }
            return .file(path: path, size: size.int64Value)
        }
    }

    /// The body's length in bytes.
    var length: Int64 {
        switch self {
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, let size): size
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
                let descriptor = try await NIOThreadPool.singleton.runIfActive {
                    Glibc.open(path, O_RDONLY | O_CLOEXEC)
                }
                guard descriptor >= 0 else {
                    throw RequestInputError(message: "Could not open the body file '\(path)'.")
                }
                defer { Glibc.close(descriptor) }
                var offset: Int64 = 0
                while offset < size {
                    let piece = try await Self.readPiece(
                        descriptor,
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
        }
    }

    private static func readPiece(_ descriptor: Int32, at offset: Int64, count: Int) async throws -> ByteBuffer {
        try await NIOThreadPool.singleton.runIfActive {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { pointer in
                var got = -1
                repeat {
                    got = pread(descriptor, pointer.baseAddress, count, off_t(offset))
                } while got < 0 && errno == EINTR
                return max(got, 0)
            }
            return buffer
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RequestInputError(message: "Could not read the body file '\(path)'.")
        }
        return Array(data)
    }
}
