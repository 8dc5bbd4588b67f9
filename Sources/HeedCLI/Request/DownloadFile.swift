import Foundation
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A download written atomically: the body goes to `.NAME.heed-tmp-PID` beside the target, is synced to disk and
/// renamed over the target only when complete. A failed download leaves no file under the final name.
struct DownloadFile: Sendable {
    /// The file name the download ends up under.
    let path: String
    /// The temporary file it is written to first.
    let temporaryPath: String
    private let descriptor: Int32
    /// Whether the target is a device or pipe (such as `/dev/null`), written directly with no rename.
    private var isDirect: Bool { self.temporaryPath == self.path }

    /// `.NAME.heed-tmp-PID` in the same directory as `path`, so the rename stays within one file system.
    static func temporaryPath(for path: String, pid: Int32 = getpid()) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        return directory + "/." + url.lastPathComponent + ".heed-tmp-\(pid)"
    }

    /// Creates the temporary file.
    /// - Throws: ``RequestInputError`` when it cannot be created.
    static func create(_ path: String) async throws -> Self {
        var info = stat()
        let isSpecial = stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
        let temporary = isSpecial ? path : Self.temporaryPath(for: path)
        // Registered before it exists, so an interrupt at any moment after the open removes it.
        if !isSpecial { TemporaryFiles.register(temporary) }
        let descriptor = try await NIOThreadPool.singleton.runIfActive {
            Glibc.open(temporary, isSpecial ? O_WRONLY | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else {
            if !isSpecial { TemporaryFiles.unregister(temporary) }
            throw DownloadFileError(message: "Could not create '\(temporary)': \(String(cString: strerror(errno))).")
        }
        return Self(path: path, temporaryPath: temporary, descriptor: descriptor)
    }

    /// Appends `piece` to the temporary file.
    func write(_ piece: ByteBuffer) async throws {
        let descriptor = self.descriptor
        let failure: Int32 = try await NIOThreadPool.singleton.runIfActive {
            piece.withUnsafeReadableBytes { StandardStreams.writeAll($0, to: descriptor) }
        }
        if failure != 0 {
            throw DownloadFileError(message: "Could not write '\(self.path)': \(String(cString: strerror(failure))).")
        }
    }

    /// Syncs and closes the temporary file and renames it to the final name; on failure deletes it. Call it once,
    /// instead of ``discard()``.
    func commit() async throws {
        let (descriptor, temporary, path, isDirect) = (self.descriptor, self.temporaryPath, self.path, self.isDirect)
        let failure: Int32 = try await NIOThreadPool.singleton.runIfActive {
            // The descriptor is closed here exactly once, whatever fails.
            let synced: Int32 = isDirect || fsync(descriptor) == 0 ? 0 : errno
            let closed: Int32 = Glibc.close(descriptor) == 0 ? 0 : errno
            if synced != 0 { return synced }
            if closed != 0 { return closed }
            if !isDirect && rename(temporary, path) != 0 { return errno }
            return 0
        }
        defer { if !isDirect { TemporaryFiles.unregister(temporary) } }
        if failure != 0 {
            if !isDirect { _ = unlink(temporary) }
            throw DownloadFileError(message: "Could not write '\(path)': \(String(cString: strerror(failure))).")
        }
    }

    /// Closes and deletes the temporary file, leaving the final name untouched. Call it once, instead of
    /// ``commit()``.
    func discard() {
        _ = Glibc.close(self.descriptor)
        if !self.isDirect {
            _ = unlink(self.temporaryPath)
            TemporaryFiles.unregister(self.temporaryPath)
        }
    }
}

/// The temporary file of the download under way, deleted when Ctrl-C (SIGINT) or SIGTERM stops the process, so an
/// interrupted `-o FILE` leaves neither `FILE` nor its `.FILE.heed-tmp-PID` behind.
///
/// The handler does only async-signal-safe work: it loads the path (a C string kept in an atomic), `unlink`s it,
/// restores the default action and raises the signal again, so the process dies by it as curl does (a shell sees
/// 130 for Ctrl-C). `-o` takes one URL, so one slot is enough. A registered path's C string is never freed: the
/// handler may be reading it on another thread.
enum TemporaryFiles {
    /// The address of the path's C string, 0 for none (an address, because a pointer is not `Sendable`).
    private static let slot = Atomic<UInt>(0)

    /// Installs the SIGINT and SIGTERM handler.
    static func removeOnInterrupt() {
        for number in [SIGINT, SIGTERM] {
            _ = signal(number) { number in
                if let path = UnsafePointer<CChar>(bitPattern: TemporaryFiles.slot.load(ordering: .acquiring)) {
                    _ = unlink(path)
                }
                _ = signal(number, SIG_DFL)
                _ = raise(number)
            }
        }
    }

    /// Marks `path` for deletion on an interrupt.
    static func register(_ path: String) {
        Self.slot.store(UInt(bitPattern: strdup(path)), ordering: .releasing)
    }

    /// The file at `path` is renamed or deleted: an interrupt leaves it alone.
    static func unregister(_ path: String) {
        Self.slot.store(0, ordering: .releasing)
    }
}

/// The output file could not be written (curl's exit 23).
struct DownloadFileError: Error, CustomStringConvertible {
    var message: String
    var description: String { self.message }
}
