public import HeedCore
import NIOCore

typealias NIOCoreTimeAmount = TimeAmount

extension HTTPClient {
    /// When the client sends `Expect: 100-continue`.
    public struct ExpectContinuePolicy: Sendable, Hashable, CustomStringConvertible {
        enum Mode: Hashable, Sendable {
            case automatic(threshold: Int64)
            case always
            case never
        }

        let mode: Mode

        /// For bodies larger than `threshold` bytes, or of unknown length.
        public static func automatic(threshold: Int64 = 1024 * 1024) -> Self {
            Self(mode: .automatic(threshold: threshold))
        }
        /// For every request with a body.
        public static let always = Self(mode: .always)
        /// Never.
        public static let never = Self(mode: .never)

        /// Whether a body of `length` bytes (`nil`: unknown) gets `Expect: 100-continue`.
        public func applies(toBodyLength length: Int64?) -> Bool {
            switch self.mode {
            case .always: true
            case .never: false
            case .automatic(let threshold): length.map { $0 > threshold } ?? true
            }
        }

        public var description: String {
            switch self.mode {
            case .always: "always"
            case .never: "never"
            case .automatic(let threshold): "automatic (bodies over \(threshold) bytes)"
            }
        }
    }

    /// How a client behaves; every limit has a default and none is unbounded.
    public struct Configuration: Sendable {
        /// How long setting up a connection may take: TCP connect, proxy tunnel and TLS handshake together.
        public var connectTimeout: Duration = .seconds(10)
        /// How long a request may go without a byte read or written before it fails.
        public var readIdleTimeout: Duration? = .seconds(60)
        /// How long a whole request may take, unless the request gives its own.
        public var requestTimeout: Duration? = nil
        /// When to send `Expect: 100-continue`.
        public var expectContinue: ExpectContinuePolicy = .automatic()
        /// How long to wait for `100 Continue` before sending the body anyway (RFC 9110 §10.1.1).
        public var continueTimeout: Duration = .seconds(1)
        /// The largest response body the client collects.
        public var maxResponseBodySize: Int = 256 * 1024 * 1024
        /// How many connections may be open at once per scheme, host and port (leased, idle or being connected),
        /// at least 1. A request beyond the limit waits, first come first served, for a connection to come back or
        /// to close, until its deadline (see docs/client.md, "Connection pool").
        public var maxConnectionsPerHost: Int = 8
        /// How many idle keep-alive connections are kept per host (at most ``maxConnectionsPerHost``).
        public var maxIdleConnectionsPerHost: Int = 8
        /// How long an idle keep-alive connection is kept.
        public var idleConnectionTimeout: Duration = .seconds(60)
        /// The `User-Agent` sent when the request has none; `nil` sends none.
        public var userAgent: String? = "heed/0.1"
        /// Whether a request without a `Host` field gets one from its URL (the default). HTTP/1.1 requires the field
        /// (RFC 9112 §3.2); `false` sends such requests without it, to see how a server treats one (it should
        /// answer 400 Bad Request). A request's own `Host` field is sent either way.
        public var addsHost = true
        /// How `https://` connections verify servers; everything is checked by default.
        public var tls: TLSConfiguration = .init()
        /// Whether redirects are followed, and how many; up to 10 by default.
        public var redirects: RedirectPolicy = .follow(max: 10)
        /// Whether compressed responses are asked for and decompressed; off by default.
        public var decompression: DecompressionPolicy = .disabled
        /// The proxy to use; `nil` (the default) connects directly. The library does not read the
        /// environment by itself: pass ``ProxyConfiguration/fromEnvironment(_:)`` to follow curl's variables.
        public var proxy: ProxyConfiguration? = nil
        /// How long an event loop may spin, polling, where it would otherwise sleep until a response (or the
        /// caller's next request) arrives; `nil` (the default) never spins. Up to 1 ms; 20 to 50 µs suit a server
        /// on the same machine or a fast network.
        ///
        /// Trades CPU for latency on sequential requests: a sleeping event loop must be woken, and on a virtual
        /// machine that wake-up costs more than a small request itself. The loop spins only when nothing else of
        /// this client runs on it and the previous wait was shorter than the budget, so a slow server or a busy
        /// client costs at most one spin. A spin holds up everything else on that loop (a server's channels too,
        /// when the client shares its event loop group), for at most this long. See docs/client.md, "Busy polling".
        public var busyPoll: Duration? = nil

        public init() {}
    }
}

extension Duration {
    var timeAmount: NIOCoreTimeAmount {
        let (seconds, attoseconds) = self.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    var secondsValue: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
