import HeedCore
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ConnectionSetup {
    /// How long the whole setup may take: TCP connect, proxy tunnel and TLS handshake.
    struct Limit: Sendable {
        /// When setup must be done: the connect timeout counted from the start of the TCP connect, or the
        /// request's deadline if that comes first.
        var deadline: NIODeadline
        /// The time from the start of the connect to ``deadline``, for the error's sentence.
        var allowed: TimeAmount
        /// Whether the request's deadline comes before the connect timeout's end.
        var byDeadline: Bool

        init(start: NIODeadline, timeout: TimeAmount, requestDeadline: NIODeadline?) {
            self.deadline = start + timeout
            self.byDeadline = false
            if let requestDeadline, requestDeadline < self.deadline {
                self.deadline = requestDeadline
                self.byDeadline = true
            }
            self.allowed = max(.milliseconds(1), self.deadline - start)
        }
    }

    /// Where the wait for the tunnel and the handshake stands. The timer, the task's cancellation handler and the
    /// waiting task each move it once: whichever comes first decides, so a timer that fires as the handshake
    /// completes either closes the channel and fails the setup, or does nothing to a connection already handed out.
    enum WaitState: Sendable {
        /// The tunnel or the handshake is under way.
        case waiting
        /// The setup deadline passed, or the calling task was cancelled: the channel is being closed.
        case interrupted(Interruption)
        /// The waiting task took the outcome; a late timer or cancellation leaves the channel alone.
        case finished

        /// What ended the setup before its steps did.
        enum Interruption: Sendable {
            case timedOut
            case cancelled
        }

        /// The timer fired or the task was cancelled; returns whether the channel must now be closed.
        mutating func interrupt(_ interruption: Interruption) -> Bool {
            guard case .waiting = self else { return false }
            self = .interrupted(interruption)
            return true
        }

        /// The waiting task has its outcome; returns the interruption that came first, if one did.
        mutating func finish() -> Interruption? {
            if case .interrupted(let interruption) = self { return interruption }
            self = .finished
            return nil
        }
    }

    /// The step the wait is in.
    private enum Step {
        case tunnel
        case handshake
    }

    /// Waits for the tunnel and the handshake, turning their failures into ``HTTPClientError``s.
    ///
    /// Both end by `limit.deadline`, and when the calling task is cancelled: either closes the channel, which fails
    /// the step under way (`EventLoopFuture.get()` itself sees no cancellation), and the error says which step it
    /// was and why it ended. The timer lives here rather than in each handler: the budget is the connect timeout
    /// counted from the start of the TCP connect, one for both handlers' steps, and the task's cancellation can
    /// only be seen here. The caller closes the channel when this throws.
    func waitUntilReady(_ readiness: Readiness, channel: any Channel, url: HTTPURL, limit: Limit) async throws {
        guard readiness.tunnel != nil || readiness.handshake != nil else { return }
        let state = NIOLockedValueBox(WaitState.waiting)
        let timer = channel.eventLoop.scheduleTask(deadline: limit.deadline) {
            if state.withLockedValue({ $0.interrupt(.timedOut) }) { channel.close(promise: nil) }
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            var step = Step.tunnel
            do {
                try await readiness.tunnel?.get()
                step = .handshake
                try await readiness.handshake?.get()
            } catch {
                if let interruption = state.withLockedValue({ $0.finish() }) {
                    throw self.interrupted(interruption, step: step, url: url, limit: limit)
                }
                throw self.failed(error, url: url)
            }
            if let interruption = state.withLockedValue({ $0.finish() }) {
                throw self.interrupted(interruption, step: step, url: url, limit: limit)
            }
        } onCancel: {
            if state.withLockedValue({ $0.interrupt(.cancelled) }) { channel.close(promise: nil) }
        }
    }

    // MARK: - Errors

    /// The error for a setup that the deadline or the caller ended during `step`.
    private func interrupted(
        _ interruption: WaitState.Interruption,
        step: Step,
        url: HTTPURL,
        limit: Limit
    ) -> HTTPClientError {
        switch (interruption, step) {
        case (.cancelled, .tunnel):
            return .cancelled(during: .connecting, url: url.description)
        case (.cancelled, .handshake):
            return .cancelled(during: .tlsHandshake, url: url.description)
        case (.timedOut, .tunnel):
            let proxy = self.proxy ?? ProxyConfiguration.Endpoint(host: url.host, port: url.port)
            return .connectTimeout(
                host: proxy.host,
                port: proxy.port,
                seconds: Self.seconds(limit.allowed),
                step: .proxyTunnel(target: Self.hostAndPort(url)),
                byDeadline: limit.byDeadline
            )
        case (.timedOut, .handshake):
            return .connectTimeout(
                host: url.host,
                port: url.port,
                seconds: Self.seconds(limit.allowed),
                step: .tlsHandshake,
                byDeadline: limit.byDeadline
            )
        }
    }

    /// The error for a tunnel or a handshake that failed by itself.
    private func failed(_ error: any Error, url: HTTPURL) -> any Error {
        let proxy = self.proxy?.description ?? "?"
        let target = Self.hostAndPort(url)
        switch error {
        case ProxyConnectHandler.Failure.refused(let status, let reason):
            return HTTPClientError.feature(
                .proxyRefused(proxy: proxy, target: target, status: status, reason: reason)
            )
        case ProxyConnectHandler.Failure.invalid(let problem):
            return HTTPClientError.feature(.proxyFailed(proxy: proxy, target: target, reason: problem))
        case ProxyConnectHandler.Failure.closed(let error):
            let reason =
                "the connection to the proxy ended (\(HTTPClientError.describe(SystemErrors.info(for: error))))"
            return HTTPClientError.feature(.proxyFailed(proxy: proxy, target: target, reason: reason))
        case let failure as TLSEventHandler.HandshakeFailure:
            return TLSFailures.explain(failure, host: url.host, port: url.port, now: Int64(time(nil)))
        default:
            return error
        }
    }

    static func seconds(_ amount: TimeAmount) -> Double {
        Double(amount.nanoseconds) / 1e9
    }
}
