import ArgumentParser
import HeedCore

/// `heed explain QUERY`: explains a socket, connection or name-resolution error.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a socket error by name, number or message text.",
        discussion: """
            Give an error name (WSAECONNABORTED, econnreset, EAI_NONAME), a number (10053, 104, -2), a message \
            ("Connection reset by peer") or a whole log line ("[Errno 104] Connection reset by peer"). A number \
            that means different things on Linux, Darwin and Windows is explained for each reading.
            """
    )

    @Flag(help: "Print the matching entries as JSON.")
    var json = false

    @Flag(help: "List every error in the catalogue, one per line.")
    var list = false

    /// Unrecognized dash-words are kept, so that negative numbers such as `-2` are queries, not options.
    @Argument(
        parsing: .allUnrecognized,
        help: "An error name (WSAECONNABORTED), a number (10053) or a message text; words are joined with spaces."
    )
    var query: [String] = []

    func validate() throws {
        if self.list && !self.query.isEmpty {
            throw ValidationError("--list takes no query; use either `heed explain --list` or `heed explain QUERY`.")
        }
        if !self.list && self.query.isEmpty {
            throw ValidationError("Give an error name (ECONNRESET), a number (10054) or a message text to explain.")
        }
    }

    func run() async throws {
        let console = HeedConsole.current
        if self.list {
            self.printList(to: console)
            return
        }
        let text = self.query.joined(separator: " ")
        let result = SocketErrorCatalogue.lookup(text)
        if let problem = result.problem {
            throw ValidationError(problem.description)
        }
        if self.json {
            self.printJSON(result, query: text, to: console)
        } else {
            self.printPages(result, query: text, to: console)
        }
        if result.matches.isEmpty {
            throw ExitCode(1)
        }
    }

    // MARK: - Output

    private func printList(to console: HeedConsole) {
        if self.json {
            let entries = SocketErrorCatalogue.entries.map { SocketErrorPage.json(for: $0) }
            console.line(JSONValue.array(entries).rendered())
            return
        }
        for entry in SocketErrorCatalogue.entries {
            console.line(SocketErrorPage.listLine(for: entry))
        }
        console.line()
        console.line("\(SocketErrorCatalogue.entries.count) errors. Explain one with `heed explain NAME`.")
    }

    private func printJSON(_ result: SocketErrorLookupResult, query: String, to console: HeedConsole) {
        let matches = result.bestMatches.map { SocketErrorPage.json(for: $0.entry, reason: $0.reason) }
        let others = result.otherMatches.prefix(5).map { JSONValue.string($0.entry.name) }
        let object = JSONValue.object([
            ("query", .string(query)),
            ("matches", .array(matches)),
            ("otherMatches", .array(Array(others))),
            ("suggestions", .strings(result.suggestions)),
        ])
        console.line(object.rendered())
    }

    private func printPages(_ result: SocketErrorLookupResult, query: String, to console: HeedConsole) {
        let best = result.bestMatches
        guard !best.isEmpty else {
            console.errorLine("No socket error matches \"\(Self.shortened(query))\".")
            if !result.suggestions.isEmpty {
                console.errorLine("Did you mean: \(result.suggestions.joined(separator: ", "))?")
            }
            console.errorLine("Try a name (ECONNRESET), a number (10054), a message text, or `heed explain --list`.")
            return
        }
        if let number = Self.bareNumber(query) {
            console.line("\(number) read on each platform:")
            for reading in SocketErrorCatalogue.readings(of: number) {
                let names = reading.entries.map(\.name).joined(separator: " or ")
                let label = "  \(reading.numbering) \(number):"
                console.line(label.padding(to: 44) + (names.isEmpty ? "none (no socket error has this number)" : names))
            }
            console.line()
        } else if best.count > 1 {
            console.line("\"\(Self.shortened(query))\" has \(best.count) readings:")
            for match in best {
                console.line("  - \(match.entry.title), by \(match.reason)")
            }
            console.line()
        }
        for (position, match) in best.enumerated() {
            if position > 0 {
                console.line()
                console.line(String(repeating: "-", count: SocketErrorPage.width))
                console.line()
            }
            for line in SocketErrorPage.text(for: match.entry, reason: match.reason) {
                console.line(line)
            }
        }
        let others = result.otherMatches.prefix(5)
        if !others.isEmpty {
            console.line()
            console.line("See also: " + others.map { "\($0.entry.name) (\($0.reason))" }.joined(separator: "; "))
        }
    }

    /// The query as a number, if it is nothing but one (`104`, `-2`, `(10054)`).
    private static func bareNumber(_ query: String) -> Int32? {
        let trimmed = query.filter { !$0.isWhitespace && $0 != "(" && $0 != ")" && $0 != "[" && $0 != "]" }
        guard trimmed.count <= 11 else { return nil }
        return Int32(trimmed)
    }

    /// The query cut to one short line for messages.
    private static func shortened(_ query: String) -> String {
        let flat = query.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 80 ? String(flat.prefix(77)) + "..." : flat
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        self.count >= width ? self + " " : self + String(repeating: " ", count: width - self.count)
    }
}
