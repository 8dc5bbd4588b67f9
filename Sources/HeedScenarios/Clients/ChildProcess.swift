import Glibc
import Synchronization

/// Runs an external command in its own process group with a hard deadline, capturing its output.
///
/// The process is spawned with `posix_spawnp`; a thread waits for it with `waitid(WNOWAIT)`, so the process is
/// reaped only after the kill switch knows it exited and a recycled pid can never be killed by mistake. At the
/// deadline the whole process group (the command and anything it started) gets SIGKILL.
enum ChildProcess {
    struct Result: Sendable {
        var exitStatus: Int32?
        var signal: Int32?
        var killedAtDeadline: Bool
        var standardOutput: String
        var standardError: String
    }

    struct SpawnError: Error, CustomStringConvertible {
        var command: String
        var errno: Int32
        var description: String { "Could not start '\(self.command)': \(ErrnoInfo(code: self.errno).message)." }
    }

    /// Runs `arguments` (the first is looked up in `PATH`) until it exits or `deadline` passes.
    static func run(_ arguments: [String], deadline: ContinuousClock.Instant) async throws(SpawnError) -> Result {
        guard let command = arguments.first else { throw SpawnError(command: "", errno: ENOENT) }
        let output = try Self.capture(command)
        let errors = try Self.capture(command)
        defer {
            close(output)
            close(errors)
        }
        let pid = try Self.spawn(arguments, output: output, errors: errors)
        let state = KillSwitch()
        let timer = Task {
            do {
                try await Task.sleep(until: deadline, clock: .continuous)
                state.killIfRunning(group: pid)
            } catch {
                return
            }
        }
        let status = await BlockingThread.run(name: "heed-wait-\(pid)") { () -> Int32 in
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            state.markExited()
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return status
        }
        timer.cancel()
        let exited = status & 0x7f == 0
        return Result(
            exitStatus: exited ? (status >> 8) & 0xff : nil,
            signal: exited ? nil : status & 0x7f,
            killedAtDeadline: state.killed,
            standardOutput: Self.read(output),
            standardError: Self.read(errors)
        )
    }

    // MARK: - Helpers

    private static func spawn(_ arguments: [String], output: Int32, errors: Int32) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, errors, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        )
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer {
            for argument in argv { free(argument) }
        }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard result == 0 else { throw SpawnError(command: arguments[0], errno: result) }
        return pid
    }

    /// An unlinked temporary file to hold one output stream.
    private static func capture(_ command: String) throws(SpawnError) -> Int32 {
        var template = Array("/tmp/heed-grade-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { throw SpawnError(command: command, errno: errno) }
        template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
        return fd
    }

    /// The first 1 MiB of a captured stream.
    private static func read(_ fd: Int32) -> String {
        _ = lseek(fd, 0, SEEK_SET)
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                buffer.baseAddress.map { Glibc.read(fd, $0 + total, buffer.count - total) } ?? -1
            }
            guard count > 0 else { break }
            total += count
        }
        return String(decoding: bytes[0..<total], as: UTF8.self)
    }
}

/// Kills a process group at the deadline unless the process has already exited (but not yet been reaped).
private final class KillSwitch: Sendable {
    private struct State {
        var exited = false
        var killed = false
    }

    private let state = Mutex(State())

    var killed: Bool { self.state.withLock { $0.killed } }

    func markExited() {
        self.state.withLock { $0.exited = true }
    }

    func killIfRunning(group: pid_t) {
        self.state.withLock { state in
            guard !state.exited else { return }
            state.killed = true
            _ = kill(-group, SIGKILL)
        }
    }
}
