import HeedCore
import Synchronization

/// The last URL a client parsed, so a client that sends many requests to one URL parses it once.
final class ParsedURLCache: Sendable {
    /// A parsed URL and its text as the timeline and errors show it.
    struct Entry: Sendable {
        var key: String
        var url: HTTPURL
        var description: String
    }

    private let last = Mutex<Entry?>(nil)

    /// The parsed form of `key`, from the cache or from `parse`.
    func url(for key: String, parse: (String) throws -> HTTPURL) throws -> Entry {
        if let entry = self.last.withLock({ $0 }), entry.key == key { return entry }
        let url = try parse(key)
        let entry = Entry(key: key, url: url, description: url.description)
        self.last.withLock { $0 = entry }
        return entry
    }
}
