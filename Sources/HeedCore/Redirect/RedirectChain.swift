/// The URLs a request has visited while following redirects, with its limit and loop detection.
///
/// ```swift
/// var chain = RedirectChain(start: url, limit: 10)
/// switch chain.redirectReceived(to: next) { case .follow: ...; case .loop, .tooMany: ... }
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
    /// How many redirects may be followed.
    public let limit: Int

    /// How many redirects were followed.
    public var count: Int { self.visited.count - 1 }

    /// Starts a chain at the first request's URL.
    public init(start: HTTPURL, limit: Int) {
        self.visited = [start]
        self.limit = max(0, limit)
    }

    /// A redirect to `url` arrived: decides whether to follow it, and records it if so.
    public mutating func redirectReceived(to url: HTTPURL) -> Decision {
        if self.visited.contains(url) { return .loop(self.visited + [url]) }
        guard self.count < self.limit else { return .tooMany(limit: self.limit) }
        self.visited.append(url)
        return .follow
    }

    public var description: String { self.visited.map(\.description).joined(separator: " → ") }
}
