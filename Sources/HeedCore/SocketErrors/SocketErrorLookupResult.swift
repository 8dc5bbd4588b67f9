/// What ``SocketErrorCatalogue/lookup(_:)`` found for a query.
public struct SocketErrorLookupResult: Sendable, Hashable {
    /// The matching entries, best first. Empty when nothing matched or the query was rejected.
    public let matches: [SocketErrorMatch]
    /// Close names to offer ("did you mean"), when nothing matched.
    public let suggestions: [String]
    /// Why the query could not be looked up at all (empty, too long, control characters), if it could not.
    public let problem: SocketErrorQueryProblem?

    /// Creates a result.
    public init(matches: [SocketErrorMatch], suggestions: [String] = [], problem: SocketErrorQueryProblem? = nil) {
        self.matches = matches
        self.suggestions = suggestions
        self.problem = problem
    }

    /// The matches as strong as the best one: every reading of an ambiguous number, or the one entry a name names.
    public var bestMatches: [SocketErrorMatch] {
        guard let top = self.matches.first?.score else { return [] }
        return self.matches.filter { $0.score >= top - SocketErrorMatch.Score.tieMargin }
    }

    /// The weaker matches that follow ``bestMatches``.
    public var otherMatches: [SocketErrorMatch] {
        Array(self.matches.dropFirst(self.bestMatches.count))
    }
}

/// One entry that matched a query, with the reason it matched.
public struct SocketErrorMatch: Sendable, Hashable {
    /// The entry.
    public let entry: SocketErrorEntry
    /// How the query matched, in words (`Linux errno 104`, `the Windows message text`).
    public let reason: String
    /// How strong the match is; higher is better. Only the order is meaningful.
    public let score: Int

    /// Creates a match.
    public init(entry: SocketErrorEntry, reason: String, score: Int) {
        self.entry = entry
        self.reason = reason
        self.score = score
    }

    enum Score {
        static let exactName = 1000
        static let alias = 950
        static let contextNumber = 800
        static let bareNumber = 800
        static let stem = 700
        static let fullMessage = 600
        /// Added when the text matched is a system's own message rather than a library's wording.
        static let systemText = 40
        static let fragment = 300
        static let keywords = 100
        /// Added when a second, independent kind of evidence points to the same entry.
        static let corroboration = 60
        /// Taken off a number's reading that is possible but rarely meant.
        static let unlikelyReading = 40
        /// Matches within this distance of the best one count as equally good.
        static let tieMargin = 30
    }
}

/// Why a query could not be looked up.
public struct SocketErrorQueryProblem: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case empty
        case tooLong(bytes: Int, limit: Int)
        case controlCharacter(UInt32)
    }
    private let code: Code
    private init(_ code: Code) { self.code = code }

    /// The query was empty or only white space.
    public static let empty = Self(.empty)

    /// The query was longer than the lookup accepts.
    public static func tooLong(bytes: Int, limit: Int) -> Self { Self(.tooLong(bytes: bytes, limit: limit)) }

    /// The query contained a control character other than tab or line breaks.
    public static func controlCharacter(_ scalar: UInt32) -> Self { Self(.controlCharacter(scalar)) }

    public var description: String {
        switch self.code {
        case .empty:
            "The query is empty. Give an error name (ECONNRESET), a number (10054) or a message text."
        case .tooLong(let bytes, let limit):
            "The query is \(bytes) bytes long; paste at most \(limit) bytes, such as the one log line with the error."
        case .controlCharacter(let scalar):
            "The query contains the control character U+\(Self.hex(scalar)); paste plain text."
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
