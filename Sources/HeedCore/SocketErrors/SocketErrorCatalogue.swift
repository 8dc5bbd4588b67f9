/// Every socket, connection and name-resolution error users meet, explained for a newcomer.
///
/// The catalogue holds the POSIX `errno` values (with their Linux and Darwin numbers), the Windows Sockets codes and
/// the `getaddrinfo` `EAI_*` codes. Look an error up by name, by number, or by pasting the message or the whole log
/// line that carried it:
///
/// ```swift
/// let result = SocketErrorCatalogue.lookup("OSError: [WinError 10054] An existing connection was forcibly closed")
/// print(result.bestMatches.first?.entry.meaning ?? "unknown")
/// ```
public enum SocketErrorCatalogue {
    /// Every entry: POSIX errors, then Windows Sockets errors, then `getaddrinfo` errors.
    public static let entries: [SocketErrorEntry] =
        Self.posixConnectionEntries + Self.posixResourceEntries + Self.posixProgrammingEntries
        + Self.windowsConnectionEntries + Self.windowsOtherEntries + Self.windowsServiceEntries
        + Self.windowsQualityOfServiceEntries + Self.addressInfoEntries

    /// The entry with the given name or library code, case-insensitively (`econnreset`, `WSAECONNABORTED`,
    /// `EAI_NONAME`, Node's `ENOTFOUND`).
    ///
    /// - Parameter name: An error name.
    /// - Returns: The entry, or `nil` if no entry has that name.
    public static func entry(named name: String) -> SocketErrorEntry? {
        guard name.utf8.count <= 64, let index = Self.index.byName[name.uppercased()]?.first else { return nil }
        return Self.entries[index]
    }

    /// The POSIX entries that have the given `errno` value on Linux. Linux gives some values two names that
    /// Darwin keeps apart (95 is both `EOPNOTSUPP` and `ENOTSUP`), so there can be more than one.
    ///
    /// - Parameter errno: A Linux `errno` value.
    /// - Returns: The entries, canonical first; empty if the catalogue has none.
    public static func entries(forLinuxErrno errno: Int32) -> [SocketErrorEntry] {
        (Self.index.byLinuxErrno[errno] ?? []).map { Self.entries[$0] }
    }

    /// The POSIX entry that has the given `errno` value on Linux.
    ///
    /// - Parameter errno: A Linux `errno` value, such as 104.
    /// - Returns: The canonical entry (`ECONNRESET` for 104), or `nil`.
    public static func entry(linuxErrno errno: Int32) -> SocketErrorEntry? {
        Self.entries(forLinuxErrno: errno).first
    }

    /// The POSIX entry that has the given `errno` value on Darwin (macOS, iOS).
    ///
    /// - Parameter errno: A Darwin `errno` value, such as 54.
    /// - Returns: The entry (`ECONNRESET` for 54), or `nil`.
    public static func entry(darwinErrno errno: Int32) -> SocketErrorEntry? {
        Self.index.byDarwinErrno[errno].flatMap { $0.first }.map { Self.entries[$0] }
    }

    /// The entry for a Windows Sockets (or Win32) error code.
    ///
    /// - Parameter code: A Windows error code, such as 10053.
    /// - Returns: The entry (`WSAECONNABORTED` for 10053), or `nil`.
    public static func entry(windowsCode code: Int32) -> SocketErrorEntry? {
        Self.index.byWindowsCode[code].flatMap { $0.first }.map { Self.entries[$0] }
    }

    /// The `getaddrinfo` entry for a Linux (glibc) `EAI_*` value, which is negative.
    ///
    /// - Parameter code: A glibc `EAI_*` value, such as -2.
    /// - Returns: The entry (`EAI_NONAME` for -2), or `nil`.
    public static func entry(linuxAddressInfoError code: Int32) -> SocketErrorEntry? {
        Self.index.byLinuxAddressInfo[code].flatMap { $0.first }.map { Self.entries[$0] }
    }

    /// The `getaddrinfo` entry for a Darwin `EAI_*` value.
    ///
    /// - Parameter code: A Darwin `EAI_*` value, such as 8.
    /// - Returns: The entry (`EAI_NONAME` for 8), or `nil`.
    public static func entry(darwinAddressInfoError code: Int32) -> SocketErrorEntry? {
        Self.index.byDarwinAddressInfo[code].flatMap { $0.first }.map { Self.entries[$0] }
    }

    /// Looks up an error by name, number, message text or a whole log line.
    ///
    /// The strongest evidence wins: an exact name (`ECONNRESET`, `Errno::EPIPE`), then a number with context
    /// (`[Errno 104]`, `WinError 10054`, `(10054)`; a bare number lists every platform's reading), then a whole
    /// message text (`Connection reset by peer`), then a fragment of one, then shared keywords. Matching ignores
    /// case and punctuation. The work is bounded: queries longer than
    /// ``maximumQueryBytes`` are refused, as are queries with control characters.
    ///
    /// - Parameter query: What the user typed or pasted.
    /// - Returns: The ranked matches, or suggestions, or the problem with the query.
    public static func lookup(_ query: String) -> SocketErrorLookupResult {
        SocketErrorMatcher(index: Self.index, entries: Self.entries).lookup(query)
    }

    /// The longest query ``lookup(_:)`` accepts, in UTF-8 bytes.
    public static let maximumQueryBytes = 4096

    static let index = SocketErrorIndex(entries: Self.entries)
}

/// Lookup tables over the catalogue, built once.
struct SocketErrorIndex: Sendable {
    var byName: [String: [Int]] = [:]
    var byStem: [String: [Int]] = [:]
    var byLinuxErrno: [Int32: [Int]] = [:]
    var byDarwinErrno: [Int32: [Int]] = [:]
    var byWindowsCode: [Int32: [Int]] = [:]
    var byLinuxAddressInfo: [Int32: [Int]] = [:]
    var byDarwinAddressInfo: [Int32: [Int]] = [:]
    /// Every message text and phrasing as lower-case words, indexed by its first word.
    var phrasesByFirstWord: [String: [SocketErrorPhrase]] = [:]
    /// Every word of each entry's texts, stemmed, for keyword scoring.
    var keywords: [Set<String>] = []
    /// Every name and alias, for suggestions.
    var allNames: [String] = []

    init(entries: [SocketErrorEntry]) {
        for (position, entry) in entries.enumerated() {
            for name in entry.names + entry.aliases {
                let key = name.uppercased()
                self.byName[key, default: []].append(position)
                self.byStem[SocketErrorText.stem(ofName: key), default: []].append(position)
                self.allNames.append(name)
            }
            if entry.family == .posix {
                if let number = entry.linuxNumber { self.byLinuxErrno[number, default: []].append(position) }
                if let number = entry.darwinNumber { self.byDarwinErrno[number, default: []].append(position) }
            } else if entry.family == .addressInfo {
                if let number = entry.linuxNumber { self.byLinuxAddressInfo[number, default: []].append(position) }
                if let number = entry.darwinNumber { self.byDarwinAddressInfo[number, default: []].append(position) }
            }
            if let number = entry.windowsNumber { self.byWindowsCode[number, default: []].append(position) }
            var phrases: [(String, String)] = []
            if let text = entry.linuxMessage { phrases.append((text, "the Linux message")) }
            if let text = entry.darwinMessage { phrases.append((text, "the Darwin message")) }
            if let text = entry.windowsMessage { phrases.append((text, "the Windows message")) }
            phrases += entry.phrasings.map { ($0, SocketErrorPhrase.librarySource) }
            var words: Set<String> = []
            for (text, source) in phrases {
                let tokens = SocketErrorText.words(text)
                words.formUnion(tokens.map(SocketErrorText.stem(ofWord:)))
                guard let first = tokens.first, !SocketErrorText.isTooGeneric(tokens) else { continue }
                let phrase = SocketErrorPhrase(entry: position, words: tokens, text: text, source: source)
                self.phrasesByFirstWord[first, default: []].append(phrase)
            }
            self.keywords.append(words.filter { !SocketErrorText.stopWords.contains($0) })
        }
    }
}

/// One message text or phrasing of an entry, split into lower-case words.
struct SocketErrorPhrase: Sendable {
    var entry: Int
    var words: [String]
    var text: String
    var source: String

    /// The source of phrasings that are not a system's own message text.
    static let librarySource = "a library's wording"
}
