/// Text helpers for the socket-error lookup: tokenising, stemming, edit distance. Pure and bounded.
enum SocketErrorText {
    /// A piece of a query: a run of letters, digits and underscores, with the characters just around it.
    struct Token: Sendable, Hashable {
        var text: String
        var before: Character?
        var after: Character?

        /// The token as a (possibly negative) integer, if it is one; a `-` just before counts as the sign.
        var integer: Int32? {
            guard self.text.count <= 9, self.text.allSatisfy(\.isASCIIDigit), let value = Int32(self.text) else {
                return nil
            }
            return self.before == "-" ? -value : value
        }
    }

    /// Splits text into runs of ASCII letters, digits and `_`, remembering their neighbours.
    static func tokens(_ text: String, limit: Int = 1024) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var before: Character? = nil
        var previous: Character? = nil
        for character in text {
            if character.isASCIIWordCharacter {
                if current.isEmpty { before = previous }
                current.append(character)
            } else if !current.isEmpty {
                tokens.append(Token(text: current, before: before, after: character))
                current = ""
                if tokens.count >= limit { return tokens }
            }
            previous = character
        }
        if !current.isEmpty { tokens.append(Token(text: current, before: before, after: nil)) }
        return tokens
    }

    /// The lower-case words of a text: apostrophes are dropped (`can't` is `cant`), any other punctuation splits.
    static func words(_ text: String, limit: Int = 1024) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            if character == "'" || character == "\u{2019}" {
                continue
            } else if character.isASCIILetterOrDigit {
                current.append(contentsOf: character.lowercased())
            } else if !current.isEmpty {
                words.append(current)
                current = ""
                if words.count >= limit { return words }
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// A name without the `WSA` prefix and the `E` of errno names: `WSAECONNRESET` and `ECONNRESET` share `CONNRESET`.
    static func stem(ofName name: String) -> String {
        var rest = Substring(name.uppercased())
        if rest.hasPrefix("WSA_") {
            rest = rest.dropFirst(4)
        } else if rest.hasPrefix("WSA") {
            rest = rest.dropFirst(3)
        }
        if rest.hasPrefix("E"), rest.count > 3, !rest.hasPrefix("EAI_") { rest = rest.dropFirst() }
        return String(rest)
    }

    /// A crude English stem, so that `aborted` meets `abort` and `connections` meets `connection`.
    static func stem(ofWord word: String) -> String {
        for suffix in ["ing", "ed", "es", "s"] where word.count > suffix.count + 3 && word.hasSuffix(suffix) {
            return String(word.dropLast(suffix.count))
        }
        return word
    }

    /// Words too common to count as evidence on their own.
    static let stopWords: Set<String> = [
        "a", "an", "the", "of", "to", "in", "on", "by", "or", "and", "is", "was", "for", "not", "no", "be", "at",
        "error", "err", "errno", "exception", "failed", "failure", "with", "from", "this", "that", "it", "has", "had",
        "been", "can", "could", "some", "after", "while", "when", "your", "its", "as", "are", "which", "call",
    ]

    /// Message texts that would match almost any log line, and so never count as a whole-message match.
    static func isTooGeneric(_ words: [String]) -> Bool {
        words == ["unknown", "error"] || words == ["success"] || words == ["system", "error"] || words.count == 0
    }

    /// Levenshtein distance between two short strings, giving up (returning `limit + 1`) once it exceeds `limit`.
    static func editDistance(_ left: String, _ right: String, limit: Int) -> Int {
        let a = Array(left.utf8.prefix(64))
        let b = Array(right.utf8.prefix(64))
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
    fileprivate var isASCIILetterOrDigit: Bool { self.isASCII && (self.isLetter || self.isNumber) }
    fileprivate var isASCIIWordCharacter: Bool { self.isASCIILetterOrDigit || self == "_" }
}
