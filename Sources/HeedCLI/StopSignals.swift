import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT (Ctrl-C) and SIGTERM, caught so that `heed serve` can stop gracefully instead of dying at once.
///
/// The handler does only async-signal-safe work: it writes the signal's number to a pipe, which ``next()`` reads on
/// a thread of its own. The handler is installed synchronously (``startCatching()``), so a signal that arrives
/// as soon as the server's URL is out is never lost. The pipe is created once and never closed: a handler may
/// still be running on another thread.
enum StopSignals {
    private static let numbers = [SIGINT, SIGTERM]
    /// The pipe: read end in the high 32 bits, write end in the low ones; 0 before the first ``startCatching()``.
    private static let pipeEnds = Atomic<UInt64>(0)

    /// Catches the signals from now on: they no longer end the process, they end ``next()``.
    /// - Throws: `IOError` if the pipe cannot be created.
    static func startCatching() throws {
        if Self.pipeEnds.load(ordering: .acquiring) == 0 {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else { throw IOError(errnoCode: errno, reason: "pipe") }
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            }
            // Never blocks the handler: with the pipe full, a signal is dropped, and one is already waiting.
            _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
            Self.pipeEnds.store(
                UInt64(UInt32(bitPattern: ends[0])) << 32 | UInt64(UInt32(bitPattern: ends[1])),
                ordering: .releasing
            )
        }
        for number in Self.numbers {
            _ = signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(StopSignals.writeEnd, &byte, 1)
            }
        }
    }

    /// Gives the signals their default action back: a second Ctrl-C then ends the process at once.
    static func stopCatching() {
        for number in Self.numbers {
            _ = signal(number, SIG_DFL)
        }
    }

    /// Waits for the next caught signal.
    /// - Returns: The signal's number, or nil if the task was cancelled first (or ``startCatching()`` was not called).
    static func next() async -> Int32? {
        guard Self.pipeEnds.load(ordering: .acquiring) != 0 else { return nil }
        let readEnd = Int32(bitPattern: UInt32(truncatingIfNeeded: Self.pipeEnds.load(ordering: .acquiring) >> 32))
        let cancelled = CancellationFlag()
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let number = await withTaskCancellationHandler {
            try? await thread.runIfActive { () -> Int32? in
                var byte: UInt8 = 0
                while true {
                    let count = read(readEnd, &byte, 1)
                    if count < 0 && errno == EINTR { continue }
                    guard count == 1 else { return nil }
                    // A zero byte wakes the thread on cancellation; one left from an earlier wait is skipped.
                    if byte != 0 { return Int32(byte) }
                    if cancelled.isSet { return nil }
                }
            }
        } onCancel: {
            cancelled.set()
            var zero: UInt8 = 0
            _ = write(Self.writeEnd, &zero, 1)
        }
        try? await thread.shutdownGracefully()
        return number ?? nil
    }

    /// The signal's name, for the log.
    static func name(_ number: Int32) -> String {
        number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
    }

    // MARK: - Helpers

    private static var writeEnd: Int32 {
        Int32(bitPattern: UInt32(truncatingIfNeeded: Self.pipeEnds.load(ordering: .acquiring)))
    }
}

/// Set once a wait for a signal is cancelled.
private final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { self.value.load(ordering: .acquiring) }

    func set() { self.value.store(true, ordering: .releasing) }
}
