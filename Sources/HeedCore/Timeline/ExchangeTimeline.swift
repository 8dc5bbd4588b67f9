/// The recorded story of one HTTP exchange: what the client did and what it saw the peer do, in order.
///
/// A client connection keeps one timeline per request and records into it as it goes. Recording is cheap enough to
/// be always on: body progress events carry cumulative totals and consecutive ones coalesce into one, so a 1 GiB
/// upload yields a handful of events, and the number of stored events is capped (``capacity``) with the newest
/// events kept. When a request is retried, a ``ExchangeEvent/Kind/retried(reason:)`` event separates the attempts.
public struct ExchangeTimeline: Sendable, Hashable, Codable {
    /// The most events a timeline stores. Past it, the oldest events after the first
    /// `capacity - ExchangeTimeline.keptTail` are dropped and counted in ``omittedEventCount``.
    public static let capacity = 256
    /// How many of the newest events are kept once the timeline is full.
    static let keptTail = 32

    /// The request method, such as `"POST"`.
    public var method: String
    /// The request target as the user gave it, such as `"http://127.0.0.1:8080/upload"`.
    public var target: String
    /// The host the client connects to.
    public var host: String
    /// The port the client connects to.
    public var port: Int
    /// Whether the connection uses TLS.
    public var usesTLS: Bool
    /// The request body length, if known in advance (`nil` for a streamed body of unknown length).
    public var requestBodyLength: Int64?
    /// Whether the request carried `Expect: 100-continue`.
    public var expectsContinue: Bool
    /// The attempt number this timeline starts with (1 unless the caller keeps one timeline per attempt).
    public var attempt: Int
    /// The recorded events, oldest first.
    public private(set) var events: [ExchangeEvent]
    /// How many events were dropped because the timeline was full.
    public private(set) var omittedEventCount: Int

    /// Creates an empty timeline for one request.
    ///
    /// - Parameters:
    ///   - method: The request method.
    ///   - target: The request target or URL string.
    ///   - host: The host the client connects to.
    ///   - port: The port the client connects to.
    ///   - usesTLS: Whether the connection uses TLS.
    ///   - requestBodyLength: The body length if known, `0` for no body, `nil` if unknown.
    ///   - expectsContinue: Whether the request carries `Expect: 100-continue`.
    ///   - attempt: The attempt number this timeline starts with.
    public init(
        method: String,
        target: String,
        host: String,
        port: Int,
        usesTLS: Bool = false,
        requestBodyLength: Int64? = nil,
        expectsContinue: Bool = false,
        attempt: Int = 1
    ) {
        self.method = method
        self.target = target
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
        self.requestBodyLength = requestBodyLength
        self.expectsContinue = expectsContinue
        self.attempt = attempt
        self.events = []
        self.events.reserveCapacity(16)
        self.omittedEventCount = 0
    }

    // MARK: - Recording

    /// Makes room for `count` events in one allocation (and makes the storage this timeline's own), so the
    /// events that follow are appended without growing or copying it.
    /// - Parameter count: how many events the timeline should hold without reallocating.
    public mutating func reserveCapacity(_ count: Int) {
        self.events.reserveCapacity(count)
    }

    /// Records that something happened.
    ///
    /// Allocation-free in the steady state: a ``ExchangeEvent/Kind/bodyBytesSent(total:)`` or
    /// ``ExchangeEvent/Kind/bodyBytesReceived(total:)`` that follows one of the same kind replaces it in place (the
    /// totals are cumulative), and while both directions make progress the pair stays two events.
    ///
    /// - Parameters:
    ///   - kind: What happened.
    ///   - at: Nanoseconds since the exchange started.
    public mutating func record(_ kind: ExchangeEvent.Kind, at: UInt64) {
        let event = ExchangeEvent(at: at, kind: kind)
        if let progress = kind.progressDirection, let last = self.events.last?.kind.progressDirection {
            if last == progress {
                self.events[self.events.count - 1] = event
                return
            }
            // Both directions progressing at once: [sent, received] + sent becomes [received, sent].
            let count = self.events.count
            if count >= 2, self.events[count - 2].kind.progressDirection == progress {
                self.events.remove(at: count - 2)
                self.events.append(event)
                return
            }
        }
        if self.events.count >= Self.capacity {
            self.events.remove(at: Self.capacity - Self.keptTail)
            self.omittedEventCount += 1
        }
        self.events.append(event)
    }
}

extension ExchangeEvent.Kind {
    /// The direction of a body-progress event, used for coalescing; `nil` for every other event.
    var progressDirection: Bool? {
        switch self {
        case .bodyBytesSent: true
        case .bodyBytesReceived: false
        default: nil
        }
    }
}
