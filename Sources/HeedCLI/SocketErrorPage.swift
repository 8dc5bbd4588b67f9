import HeedCore

/// Renders catalogue entries as text pages and JSON for `heed explain`.
enum SocketErrorPage {
    /// The width text paragraphs are wrapped to.
    static let width = 100

    // MARK: - Text

    /// The full page for one entry: title, system messages, meaning, stories, advice and twins.
    static func text(for entry: SocketErrorEntry, reason: String?) -> [String] {
        var lines: [String] = [entry.title]
        var subtitle = "\(entry.family)"
        if let reason { subtitle += ", matched by \(reason)" }
        lines.append(subtitle)
        lines.append("")
        lines.append("What the system prints")
        lines += self.messageLines(for: entry)
        lines.append("")
        lines += self.wrap(entry.summary, indent: "", width: self.width)
        lines.append("")
        lines.append("What it means")
        lines += self.wrap(entry.meaning, indent: "  ", width: self.width)
        lines.append("")
        lines.append(entry.stories.count == 1 ? "How it happens" : "How it happens, for example")
        for (number, story) in entry.stories.enumerated() {
            lines += self.wrap(story, indent: "  \(number + 1). ", hanging: "     ", width: self.width)
        }
        lines.append("")
        lines.append("What to do")
        for step in entry.whatToDo {
            lines += self.wrap(step, indent: "  - ", hanging: "    ", width: self.width)
        }
        lines.append("")
        lines.append("Twins on other platforms")
        for twin in entry.twins {
            let label: String
            if twin.name.isEmpty {
                label = "none: "
            } else if let other = SocketErrorCatalogue.entry(named: twin.name) {
                label = "\(other.title): "
            } else {
                label = "\(twin.name): "
            }
            lines += self.wrap(label + twin.note, indent: "  - ", hanging: "    ", width: self.width)
        }
        return lines
    }

    /// The system texts, each on one line and unwrapped so that it can be searched for as printed.
    private static func messageLines(for entry: SocketErrorEntry) -> [String] {
        let isAddressInfo = entry.family == .addressInfo
        var lines: [String] = []
        if let text = entry.linuxMessage {
            let source = isAddressInfo ? "Linux (glibc gai_strerror)" : "Linux (glibc strerror)"
            lines.append("  \(source): \"\(text)\"")
        }
        if let text = entry.darwinMessage, text != entry.linuxMessage || entry.linuxMessage == nil {
            let source = isAddressInfo ? "Darwin (gai_strerror)" : "Darwin (strerror)"
            lines.append("  \(source): \"\(text)\"")
        } else if entry.darwinMessage != nil {
            lines.append("  Darwin prints the same text.")
        }
        if let text = entry.windowsMessage {
            lines.append("  Windows (FormatMessage): \"\(text)\"")
        }
        return lines
    }

    /// One line of `heed explain --list`.
    static func listLine(for entry: SocketErrorEntry) -> String {
        let names = entry.names.joined(separator: "/")
        return self.padded(names, to: 27) + " " + self.padded(entry.numbersDescription, to: 27) + " " + entry.summary
    }

    /// Wraps a paragraph to `width` columns; the first line starts with `indent`, the others with `hanging`.
    static func wrap(_ text: String, indent: String, hanging: String? = nil, width: Int) -> [String] {
        let hanging = hanging ?? indent
        var lines: [String] = []
        var current = indent
        var isFirstWord = true
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if !isFirstWord && current.count + 1 + word.count > width {
                lines.append(current)
                current = hanging + word
            } else {
                current += (isFirstWord ? "" : " ") + word
            }
            isFirstWord = false
        }
        lines.append(current)
        return lines
    }

    private static func padded(_ text: String, to width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    // MARK: - JSON

    /// The entry as a JSON object, with the reason it matched if there is one.
    static func json(for entry: SocketErrorEntry, reason: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(entry.name)),
            ("names", .strings(entry.names)),
            ("family", .string(entry.family.description)),
            ("linuxNumber", .optional(entry.linuxNumber)),
            ("darwinNumber", .optional(entry.darwinNumber)),
            ("windowsNumber", .optional(entry.windowsNumber)),
            ("linuxMessage", .optional(entry.linuxMessage)),
            ("darwinMessage", .optional(entry.darwinMessage)),
            ("windowsMessage", .optional(entry.windowsMessage)),
            ("summary", .string(entry.summary)),
            ("meaning", .string(entry.meaning)),
            ("stories", .strings(entry.stories)),
            ("whatToDo", .strings(entry.whatToDo)),
            (
                "twins",
                .array(entry.twins.map { .object([("name", .string($0.name)), ("note", .string($0.note))]) })
            ),
            ("phrasings", .strings(entry.phrasings)),
            ("aliases", .strings(entry.aliases)),
        ]
        if let reason { members.append(("matchedBy", .string(reason))) }
        return .object(members)
    }
}
