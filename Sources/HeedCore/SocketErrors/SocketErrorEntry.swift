/// One socket, connection or name-resolution error, explained for a newcomer.
///
/// An entry describes one error as one operating-system family knows it: a POSIX `errno` value (with its Linux and
/// Darwin numbers), a Windows Sockets code, or a `getaddrinfo` `EAI_*` code. The same failure seen on another
/// platform is a separate entry, linked through ``twins``.
public struct SocketErrorEntry: Sendable, Hashable, CustomStringConvertible {
    /// Every name of the error, the canonical one first (`["EAGAIN", "EWOULDBLOCK"]`).
    public let names: [String]
    /// Which numbering the entry belongs to.
    public internal(set) var family: SocketErrorFamily
    /// The number on Linux (glibc): the `errno` value, or the negative `EAI_*` value. `nil` if Linux has none.
    public let linuxNumber: Int32?
    /// The number on Darwin (macOS, iOS): the `errno` value or the `EAI_*` value. `nil` if Darwin has none.
    public let darwinNumber: Int32?
    /// The Windows Sockets (or Win32) error code. `nil` if Windows has none.
    public let windowsNumber: Int32?
    /// The text Linux prints: glibc `strerror`, or `gai_strerror` for `EAI_*`.
    public let linuxMessage: String?
    /// The text Darwin prints: `strerror`, or `gai_strerror` for `EAI_*`.
    public let darwinMessage: String?
    /// The text Windows prints: `FormatMessage` for the code.
    public let windowsMessage: String?
    /// One line: what the error means.
    public let summary: String
    /// What the error means, in plain words.
    public let meaning: String
    /// One or two concrete stories that produce the error.
    public let stories: [String]
    /// What to do about it, one step per element.
    public let whatToDo: [String]
    /// The same failure as other platforms report it.
    public let twins: [SocketErrorTwin]
    /// Wordings that libraries and tools print for this error instead of the system text
    /// (curl's `Send failure: Broken pipe`, Node's `socket hang up`).
    public let phrasings: [String]
    /// Codes that libraries use for this error besides its system names (Node's `ENOTFOUND`).
    public let aliases: [String]

    /// Creates an entry. The catalogue is the only place that needs to.
    public init(
        names: [String],
        family: SocketErrorFamily,
        linuxNumber: Int32? = nil,
        darwinNumber: Int32? = nil,
        windowsNumber: Int32? = nil,
        linuxMessage: String? = nil,
        darwinMessage: String? = nil,
        windowsMessage: String? = nil,
        summary: String,
        meaning: String,
        stories: [String],
        whatToDo: [String],
        twins: [SocketErrorTwin],
        phrasings: [String] = [],
        aliases: [String] = []
    ) {
        self.names = names
        self.family = family
        self.linuxNumber = linuxNumber
        self.darwinNumber = darwinNumber
        self.windowsNumber = windowsNumber
        self.linuxMessage = linuxMessage
        self.darwinMessage = darwinMessage
        self.windowsMessage = windowsMessage
        self.summary = summary
        self.meaning = meaning
        self.stories = stories
        self.whatToDo = whatToDo
        self.twins = twins
        self.phrasings = phrasings
        self.aliases = aliases
    }

    /// The canonical name, such as `ECONNRESET`.
    public var name: String { self.names.first ?? "" }

    /// Every system message text of the entry, without repeats.
    public var messages: [String] {
        var seen: [String] = []
        for text in [self.linuxMessage, self.darwinMessage, self.windowsMessage] {
            if let text, !seen.contains(text) { seen.append(text) }
        }
        return seen
    }

    /// The names joined with slashes and the numbers per platform, as in
    /// `ECONNRESET (Linux 104, Darwin 54)` or `WSAECONNABORTED (Windows 10053)`.
    public var title: String {
        "\(self.names.joined(separator: " / ")) (\(self.numbersDescription))"
    }

    /// The numbers per platform, as in `Linux 104, Darwin 54`.
    public var numbersDescription: String {
        var parts: [String] = []
        if let number = self.linuxNumber, let darwin = self.darwinNumber, number == darwin {
            parts.append("Linux and Darwin \(number)")
        } else {
            if let number = self.linuxNumber { parts.append("Linux \(number)") }
            if let number = self.darwinNumber { parts.append("Darwin \(number)") }
        }
        if let number = self.windowsNumber { parts.append("Windows \(number)") }
        return parts.joined(separator: ", ")
    }

    public var description: String { "\(self.title): \(self.summary)" }
}

/// The numbering an error belongs to.
public struct SocketErrorFamily: Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable { case posix, windowsSockets, addressInfo }
    private let code: Code
    private init(_ code: Code) { self.code = code }

    /// A POSIX `errno` value, as `strerror` prints it.
    public static let posix = Self(.posix)
    /// A Windows Sockets code (`WSAGetLastError`), or a Win32 code that Winsock returns.
    public static let windowsSockets = Self(.windowsSockets)
    /// A `getaddrinfo` error (`EAI_*`), as `gai_strerror` prints it.
    public static let addressInfo = Self(.addressInfo)

    public var description: String {
        switch self.code {
        case .posix: "POSIX errno"
        case .windowsSockets: "Windows Sockets error"
        case .addressInfo: "getaddrinfo error"
        }
    }
}

/// The same failure as another platform, or another part of the same story, reports it.
public struct SocketErrorTwin: Sendable, Hashable {
    /// The canonical name of the twin entry (`ECONNRESET`).
    public let name: String
    /// How the twin relates to the entry.
    public let note: String

    /// Creates a twin link.
    public init(_ name: String, _ note: String) {
        self.name = name
        self.note = note
    }
}

extension SocketErrorTwin {
    /// A twin entry that says the error has no counterpart elsewhere, and why.
    public static func none(_ note: String) -> Self { Self("", note) }
}
