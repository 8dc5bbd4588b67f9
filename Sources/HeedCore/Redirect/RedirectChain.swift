/// The URLs a request has visited while following redirects, with its limit and loop detection.
///
/// A loop is the same request twice: the same method to the same URL. Post/Redirect/Get to the same URL
/// (`POST /form`, 303, `GET /form`) is therefore not a loop, while `GET /a` → `GET /b` → `GET /a` is.
///
/// ```swift
/// var chain = RedirectChain(start: url, method: "POST", limit: 10)
/// switch chain.redirectReceived(to: next, method: "GET") { case .follow: ...; case .loop, .tooMany: ... }
/// ```
public struct RedirectChain: Hashable, Sendable, CustomStringConvertible {
    /// What the chain says about the next URL.
    public enum Decision: Hashable, Sendable {
        /// Follow it.
        case follow
        /// The URL was visited before: following would go round forever. Carries the whole chain, the repeat included.
        case loop([HTTPURL])
        /// Following would pass the limit.
        case tooMany(limit: Int)
    }

    /// The URLs visited, the first request's included.
    public private(set) var visited: [HTTPURL]
    /// The method sent to each URL in ``visited``.
    private var methods: [String]
    /// How many redirects may be followed.
    public let limit: Int

    /// How many redirects were followed.
    public var count: Int { self.visited.count - 1 }

    /// Starts a chain at the first request's URL and method.
    public init(start: HTTPURL, method: String = "GET", limit: Int) {
        self.visited = [start]
        self.methods = [method]
        self.limit = max(0, limit)
    }

    /// A redirect to `url`, to be requested with `method`, arrived: decides whether to follow it, and records it
    /// if so.
    public mutating func redirectReceived(to url: HTTPURL, method: String = "GET") -> Decision {
        let seen = zip(self.visited, self.methods).contains { $0.0 == url && $0.1 == method }
        if seen { return .loop(self.visited + [url]) }
        guard self.count < self.limit else { return .tooMany(limit: self.limit) }
        self.visited.append(url)
        self.methods.append(method)
        return .follow
    }

    public var description: String { self.visited.map(\.description).joined(separator: " → ") }
}
