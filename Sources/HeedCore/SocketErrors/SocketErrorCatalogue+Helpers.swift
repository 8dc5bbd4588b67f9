extension SocketErrorCatalogue {
    /// A POSIX entry; Darwin prints the Linux text unless `darwinMessage` says otherwise.
    static func posix(
        _ names: [String],
        linux: Int32?,
        darwin: Int32?,
        message: String?,
        darwinMessage: String? = nil,
        summary: String,
        meaning: String,
        stories: [String],
        whatToDo: [String],
        twins: [SocketErrorTwin],
        phrasings: [String] = [],
        aliases: [String] = []
    ) -> SocketErrorEntry {
        SocketErrorEntry(
            names: names,
            family: .posix,
            linuxNumber: linux,
            darwinNumber: darwin,
            linuxMessage: linux == nil ? nil : message,
            darwinMessage: darwin == nil ? nil : (darwinMessage ?? message),
            summary: summary,
            meaning: meaning,
            stories: stories,
            whatToDo: whatToDo,
            twins: twins,
            phrasings: phrasings,
            aliases: aliases
        )
    }

    /// A Windows Sockets (or Win32) entry.
    static func windows(
        _ names: [String],
        code: Int32,
        message: String,
        summary: String,
        meaning: String,
        stories: [String],
        whatToDo: [String],
        twins: [SocketErrorTwin],
        phrasings: [String] = []
    ) -> SocketErrorEntry {
        SocketErrorEntry(
            names: names,
            family: .windowsSockets,
            windowsNumber: code,
            windowsMessage: message,
            summary: summary,
            meaning: meaning,
            stories: stories,
            whatToDo: whatToDo,
            twins: twins,
            phrasings: phrasings
        )
    }

    /// A `getaddrinfo` entry; Darwin prints the Linux text unless `darwinMessage` says otherwise.
    static func addressInfo(
        _ names: [String],
        linux: Int32?,
        darwin: Int32?,
        message: String?,
        darwinMessage: String? = nil,
        summary: String,
        meaning: String,
        stories: [String],
        whatToDo: [String],
        twins: [SocketErrorTwin],
        phrasings: [String] = [],
        aliases: [String] = []
    ) -> SocketErrorEntry {
        var entry = Self.posix(
            names,
            linux: linux,
            darwin: darwin,
            message: message,
            darwinMessage: darwinMessage,
            summary: summary,
            meaning: meaning,
            stories: stories,
            whatToDo: whatToDo,
            twins: twins,
            phrasings: phrasings,
            aliases: aliases
        )
        entry.family = .addressInfo
        return entry
    }
}
