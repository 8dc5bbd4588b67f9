import Foundation
import Synchronization

/// The progress bar of `heed request`: counts bytes as they move and redraws one line on standard error, at most
/// ten times a second, with a carriage return before each drawing (as curl's meter does).
///
/// It draws only when both standard output and standard error are terminals and `-s` is not given, so piped
/// output stays clean. The counting is cheap and always on; ``ProgressRenderer`` turns it into text.
final class ProgressMeter: Sendable {
    private struct State {
        var snapshot = ProgressRenderer.Snapshot()
        var uploadStarted: ContinuousClock.Instant?
        var uploadEnded: ContinuousClock.Instant?
        var downloadStarted: ContinuousClock.Instant?
        var lastDraw: ContinuousClock.Instant?
        /// Whether the current exchange's line is still being drawn.
        var isDrawing = false
    }

    /// Whether the meter draws at all.
    let isEnabled: Bool
    private let state = Mutex(State())
    private let draw: @Sendable (String) -> Void
    private let interval: Duration

    /// A meter that writes its drawings with `draw`.
    init(isEnabled: Bool, interval: Duration = .milliseconds(100), draw: @escaping @Sendable (String) -> Void) {
        self.isEnabled = isEnabled
        self.interval = interval
        self.draw = draw
    }

    /// Whether the terminal calls for a progress bar: stdout and stderr are terminals and not silent.
    static func wantsProgress(silent: Bool, override: Bool?) -> Bool {
        if let override { return override }
        return !silent && isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    }

    // MARK: - Events

    /// A new exchange begins, with a request body of `uploadTotal` bytes if `hasUpload`.
    func exchangeStarted(hasUpload: Bool, uploadTotal: Int64?) {
        self.state.withLock { state in
            state = State()
            state.isDrawing = true
            state.snapshot.hasUpload = hasUpload
            state.snapshot.uploadTotal = uploadTotal
            state.uploadStarted = .now
        }
    }

    /// The connection accepted `count` more request body bytes.
    func bodyBytesSent(_ count: Int) {
        self.update { state, now in
            guard !state.snapshot.answeredEarly else { return }
            state.snapshot.uploaded += Int64(count)
            if let total = state.snapshot.uploadTotal, state.snapshot.uploaded >= total { state.uploadEnded = now }
        }
    }

    /// The response head arrived with `status`; `length` is its Content-Length. `earlyAfter` is the request body
    /// bytes sent when it arrived, if the server answered before the body was complete (the client's count, which
    /// is exact where this meter's may lag by a piece).
    func responseArrived(status: Int, length: Int64?, earlyAfter: Int64? = nil) {
        self.update(force: true) { state, now in
            state.snapshot.status = status
            state.snapshot.downloadTotal = length
            state.downloadStarted = now
            if let earlyAfter {
                state.snapshot.answeredEarly = true
                state.snapshot.uploaded = earlyAfter
                state.uploadEnded = now
            }
        }
    }

    /// `count` more response body bytes arrived.
    func bodyBytesReceived(_ count: Int) {
        self.update { state, _ in state.snapshot.downloaded += Int64(count) }
    }

    /// The exchange ended, or its body is about to be printed on the terminal: draw the last state, end the line
    /// and draw no more until the next exchange.
    func exchangeEnded() {
        guard self.isEnabled else { return }
        let text: String? = self.state.withLock { state in
            guard state.isDrawing else { return nil }
            Self.stamp(&state, now: .now)
            state.isDrawing = false
            return "\r" + ProgressRenderer.line(state.snapshot) + "\u{1B}[K\n"
        }
        if let text { self.draw(text) }
    }

    /// The current snapshot, for tests.
    var snapshot: ProgressRenderer.Snapshot { self.state.withLock { $0.snapshot } }

    // MARK: - Helpers

    private func update(force: Bool = false, _ change: (inout State, ContinuousClock.Instant) -> Void) {
        let now = ContinuousClock.now
        let text: String? = self.state.withLock { state in
            change(&state, now)
            guard self.isEnabled, state.isDrawing else { return nil }
            if !force, let last = state.lastDraw, now - last < self.interval { return nil }
            state.lastDraw = now
            Self.stamp(&state, now: now)
            return "\r" + ProgressRenderer.line(state.snapshot) + "\u{1B}[K"
        }
        if let text { self.draw(text) }
    }

    private static func stamp(_ state: inout State, now: ContinuousClock.Instant) {
        if let started = state.uploadStarted { state.snapshot.uploadElapsed = (state.uploadEnded ?? now) - started }
        if let started = state.downloadStarted { state.snapshot.downloadElapsed = now - started }
    }
}
