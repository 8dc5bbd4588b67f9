extension SocketErrorMatcher {
    // MARK: - Numbers

    /// Words that, just before a number, say it is a Windows error code.
    private static let windowsContext: Set<String> = [
        "winerror", "wsaerror", "wsagetlasterror", "socketexception", "wsa", "win32", "getlasterror", "win32exception",
    ]

    /// Words that, just before a number, say it is an `errno` (or `EAI_*`) value.
    private static let errnoContext: Set<String> = ["errno", "err", "code", "errnum", "error", "errcode", "status"]

    mutating func matchNumbers(_ tokens: [SocketErrorText.Token]) {
        if tokens.count == 1, let number = tokens[0].integer {
            self.addEveryReading(of: number)
            return
        }
        for (position, token) in tokens.enumerated() {
            guard let number = token.integer else { continue }
            let previous = position > 0 ? tokens[position - 1].text.lowercased() : ""
            if previous == "curl" { continue }  // `curl: (55)` is curl's exit code, not an errno.
            let isWindows = Self.windowsContext.contains(previous)
            let isErrno = !isWindows && (Self.errnoContext.contains(previous) || previous.hasSuffix("error"))
            let isAddressPart = Self.isAddressSeparator(token.before) || Self.isAddressSeparator(token.after)
            if isAddressPart && !isWindows && !isErrno { continue }
            if isWindows || (10_000...11_999).contains(number) {
                self.addWindowsReading(of: number, score: Score.contextNumber)
            }
            if isErrno {
                self.addPOSIXReadings(of: number, score: Score.contextNumber)
            }
        }
    }

    /// Whether a neighbouring character makes a number part of an address, port or path (`127.0.0.1:8080`).
    private static func isAddressSeparator(_ character: Character?) -> Bool {
        guard let character else { return false }
        return character == ":" || character == "." || character == "/"
    }

    private mutating func addEveryReading(of number: Int32) {
        self.addPOSIXReadings(of: number, score: Score.bareNumber)
        self.addWindowsReading(of: number, score: Score.bareNumber)
    }

    private mutating func addWindowsReading(of number: Int32, score: Int) {
        for position in self.index.byWindowsCode[number] ?? [] {
            self.add(position, score: score, reason: "Windows code \(number)", kind: "number")
        }
    }

    private mutating func addPOSIXReadings(of number: Int32, score: Int) {
        for position in self.index.byLinuxErrno[number] ?? [] {
            self.add(position, score: score, reason: "Linux errno \(number)", kind: "number")
        }
        for position in self.index.byDarwinErrno[number] ?? [] {
            self.add(position, score: score, reason: "Darwin errno \(number)", kind: "number")
        }
        // glibc's asynchronous EAI codes (-100 and below) are rare; Node's negated errno values are common.
        let linuxAddressInfoScore = number <= -100 ? score - Score.unlikelyReading : score
        for position in self.index.byLinuxAddressInfo[number] ?? [] {
            let reason = "Linux getaddrinfo code \(number)"
            self.add(position, score: linuxAddressInfoScore, reason: reason, kind: "number")
        }
        for position in self.index.byDarwinAddressInfo[number] ?? [] {
            self.add(position, score: score, reason: "Darwin getaddrinfo code \(number)", kind: "number")
        }
        if number < 0 {
            // Node.js and libuv print errno values negated: `errno: -104` is ECONNRESET. From -1 to -12 the
            // glibc getaddrinfo codes are the likelier reading.
            let negatedScore = number > -100 ? score - Score.unlikelyReading : score
            for position in self.index.byLinuxErrno[-number] ?? [] {
                let reason = "Linux errno \(-number), negated as Node prints it"
                self.add(position, score: negatedScore, reason: reason, kind: "number")
            }
        }
    }

    // MARK: - Message texts

    mutating func matchPhrases(_ words: [String]) {
        var found: [(start: Int, end: Int, phrase: SocketErrorPhrase)] = []
        for start in words.indices {
            for phrase in self.index.phrasesByFirstWord[words[start]] ?? [] {
                let end = start + phrase.words.count
                if end <= words.count && words[start..<end].elementsEqual(phrase.words) {
                    found.append((start, end, phrase))
                }
            }
        }
        for candidate in found {
            let length = candidate.end - candidate.start
            let isSubsumed = found.contains { other in
                other.start <= candidate.start && other.end >= candidate.end && other.end - other.start > length
            }
            if isSubsumed { continue }
            let isSystemText = candidate.phrase.source != SocketErrorPhrase.librarySource
            let score = Score.fullMessage + 5 * min(length, 20) + (isSystemText ? Score.systemText : 0)
            let reason = "\(candidate.phrase.source) \"\(candidate.phrase.text)\""
            self.add(candidate.phrase.entry, score: score, reason: reason, kind: "message")
        }
    }

    mutating func matchFragment(_ words: [String]) {
        guard (1...16).contains(words.count), words.contains(where: { !SocketErrorText.stopWords.contains($0) }) else {
            return
        }
        for phrases in self.index.phrasesByFirstWord.values {
            for phrase in phrases where phrase.words.count > words.count {
                let limit = phrase.words.count - words.count
                let isInside = (0...limit).contains { offset in
                    phrase.words[offset..<(offset + words.count)].elementsEqual(words)
                }
                if isInside {
                    let score = Score.fragment + 10 * min(words.count, 16)
                    let reason = "a fragment of \(phrase.source) \"\(phrase.text)\""
                    self.add(phrase.entry, score: score, reason: reason, kind: "message")
                }
            }
        }
    }

    // MARK: - Keywords

    mutating func matchKeywords(_ words: [String]) {
        var significant: [String] = []
        for word in words where word.count >= 3 && !SocketErrorText.stopWords.contains(word) {
            let stem = SocketErrorText.stem(ofWord: word)
            if !significant.contains(stem) { significant.append(stem) }
            if significant.count >= 64 { break }
        }
        guard !significant.isEmpty else { return }
        let needed = significant.count == 1 ? 1 : 2
        var scored: [(position: Int, hits: Int)] = []
        for (position, keywords) in self.index.keywords.enumerated() {
            let hits = significant.count { keywords.contains($0) }
            if hits >= needed { scored.append((position, hits)) }
        }
        scored.sort { $0.hits != $1.hits ? $0.hits > $1.hits : $0.position < $1.position }
        for candidate in scored.prefix(5) {
            let score = Score.keywords + (100 * candidate.hits) / significant.count
            let reason = "\(candidate.hits) of \(significant.count) keywords"
            self.add(candidate.position, score: score, reason: reason, kind: "keywords")
        }
    }

    // MARK: - Suggestions

    func suggestions(for tokens: [SocketErrorText.Token]) -> [String] {
        var found: [(distance: Int, name: String)] = []
        for token in tokens.prefix(16) where (3...40).contains(token.text.count) && token.integer == nil {
            let query = token.text.uppercased()
            for name in self.index.allNames {
                let limit = max(1, min(3, name.count / 4))
                let distance = SocketErrorText.editDistance(query, name.uppercased(), limit: limit)
                if distance <= limit && !found.contains(where: { $0.name == name }) {
                    found.append((distance, name))
                }
            }
        }
        return found.sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.name < $1.name }
            .prefix(5).map(\.name)
    }
}
