/// Ranks catalogue entries against a query: names, then numbers with context, then message texts, then fragments
/// and keywords. Every step is bounded by the query length limit and the token limit.
struct SocketErrorMatcher {
    let index: SocketErrorIndex
    let entries: [SocketErrorEntry]

    typealias Score = SocketErrorMatch.Score

    /// Evidence collected for one entry.
    struct Evidence {
        var score: Int
        var reason: String
        var kinds: Set<String>
    }

    var evidence: [Int: Evidence] = [:]

    init(index: SocketErrorIndex, entries: [SocketErrorEntry]) {
        self.index = index
        self.entries = entries
    }

    // MARK: - Lookup

    func lookup(_ query: String) -> SocketErrorLookupResult {
        if let problem = Self.problem(with: query) {
            return SocketErrorLookupResult(matches: [], problem: problem)
        }
        var matcher = self
        let tokens = SocketErrorText.tokens(query)
        let words = SocketErrorText.words(query)
        matcher.matchNames(tokens)
        matcher.matchNumbers(tokens)
        matcher.matchPhrases(words)
        if matcher.evidence.isEmpty { matcher.matchFragment(words) }
        if matcher.evidence.isEmpty { matcher.matchKeywords(words) }
        let matches = matcher.rankedMatches()
        if matches.isEmpty {
            return SocketErrorLookupResult(matches: [], suggestions: self.suggestions(for: tokens))
        }
        return SocketErrorLookupResult(matches: matches)
    }

    static func problem(with query: String) -> SocketErrorQueryProblem? {
        let bytes = query.utf8.count
        if bytes > SocketErrorCatalogue.maximumQueryBytes {
            return .tooLong(bytes: bytes, limit: SocketErrorCatalogue.maximumQueryBytes)
        }
        var blank = true
        for scalar in query.unicodeScalars {
            let value = scalar.value
            if value == 0x09 || value == 0x0A || value == 0x0D || value == 0x20 { continue }
            if value < 0x20 || (0x7F...0x9F).contains(value) { return .controlCharacter(value) }
            if !scalar.properties.isWhitespace { blank = false }
        }
        return blank ? .empty : nil
    }

    // MARK: - Evidence

    mutating func add(_ position: Int, score: Int, reason: String, kind: String) {
        if var existing = self.evidence[position] {
            existing.kinds.insert(kind)
            if score > existing.score {
                existing.score = score
                existing.reason = reason
            }
            self.evidence[position] = existing
        } else {
            self.evidence[position] = Evidence(score: score, reason: reason, kinds: [kind])
        }
    }

    private func rankedMatches() -> [SocketErrorMatch] {
        let ranked = self.evidence.sorted { left, right in
            let leftScore = left.value.score + (left.value.kinds.count > 1 ? Score.corroboration : 0)
            let rightScore = right.value.score + (right.value.kinds.count > 1 ? Score.corroboration : 0)
            return leftScore != rightScore ? leftScore > rightScore : left.key < right.key
        }
        return ranked.map { position, evidence in
            let bonus = evidence.kinds.count > 1 ? Score.corroboration : 0
            return SocketErrorMatch(
                entry: self.entries[position],
                reason: evidence.reason,
                score: evidence.score + bonus
            )
        }
    }

    // MARK: - Names

    private mutating func matchNames(_ tokens: [SocketErrorText.Token]) {
        for token in tokens where token.text.count >= 3 && token.text.count <= 40 {
            let key = token.text.uppercased()
            if let positions = self.index.byName[key] {
                for position in positions {
                    let isAlias = !self.entries[position].names.contains { $0.uppercased() == key }
                    let score = isAlias ? Score.alias : Score.exactName
                    self.add(position, score: score, reason: "the name \(key)", kind: "name")
                }
            }
            let isName = self.index.byName[key] != nil
            guard isName || Self.looksLikeErrorName(token.text, isWholeQuery: tokens.count == 1) else { continue }
            // Without its prefix: `CONNRESET` finds both; `ECONNRESET` also points at `WSAECONNRESET`.
            for position in self.index.byStem[SocketErrorText.stem(ofName: key)] ?? []
            where self.evidence[position] == nil {
                let other = self.entries[position].name
                let reason = "\(key), which is \(other) on another platform"
                self.add(position, score: Score.stem, reason: reason, kind: "name")
            }
        }
    }

    /// Whether a token is written like an error name (`ECONNRESET`, `WSAEINTR`, or a lone `CONNRESET`), so that
    /// words such as `already` or `REFUSED` in a log line do not match `EALREADY` or `WSAEREFUSED`.
    private static func looksLikeErrorName(_ text: String, isWholeQuery: Bool) -> Bool {
        guard text.count >= 4 else { return false }
        if text.uppercased().hasPrefix("WSA") { return true }
        let isCapitals = text.contains(where: \.isLetter) && !text.contains(where: \.isLowercase)
        return isCapitals && (isWholeQuery || text.hasPrefix("E"))
    }
}
