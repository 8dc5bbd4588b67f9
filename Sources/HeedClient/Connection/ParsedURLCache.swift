import HeedCore
import Synchronization

/// The last URL a client parsed, so a client that sends many requests to one URL parses it once.
final class ParsedURLCache: Sendable {
    /// A parsed URL, its text as the timeline and errors show it, and the key of its connections.
    struct Entry: Sendable {
        var scheme: String
        var authority: String
        var path: String
        var url: HTTPURL
        var description: String
        var connectionKey: ConnectionKey
    }

    private let last = Mutex<Entry?>(nil)

    /// The parsed form of `scheme://authority path`, from the cache (compared part by part, with no string
    /// built) or from `parse`.
    func url(
        scheme: String,
        authority: String,
        path: String,
        parse: (String) throws -> HTTPURL
    ) throws -> Entry {
        if let entry = self.last.withLock({ $0 }), entry.path == path, entry.authority == authority,
            entry.scheme == scheme
        {
            return entry
        }
        let url = try parse("\(scheme)://\(authority)\(path)")
        let entry = Entry(
            scheme: scheme,
            authority: authority,
            path: path,
            url: url,
            description: url.description,
            connectionKey: ConnectionKey(scheme: url.scheme, host: url.host, port: url.port)
        )
        self.last.withLock { $0 = entry }
        return entry
    }
}
