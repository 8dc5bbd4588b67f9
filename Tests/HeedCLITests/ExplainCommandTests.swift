import Foundation
import HeedCLI
import HeedCore
import Testing

@Suite struct ExplainCommandTests {
    /// The main command explains WSAECONNABORTED with the early-response story, advice and twins.
    @Test func explainsWSAECONNABORTED() async {
        let outcome = await HeedCLIHarness.run(["explain", "WSAECONNABORTED"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.output.hasPrefix("WSAECONNABORTED (Windows 10053)\n"))
        for text in [
            "An established connection was aborted by the software in your host machine.", "What it means",
            "413 Payload Too Large", "receive buffer", "What to do", "read the response anyway",
            "ECONNABORTED (Linux 103, Darwin 53)", "EPIPE (Linux and Darwin 32)", "ECONNRESET (Linux 104, Darwin 54)",
        ] {
            #expect(outcome.output.contains(text), "missing: \(text)")
        }
        #expect(outcome.error.isEmpty)
    }

    /// The other headline errors get the same full page: messages, meaning, stories, advice, twins.
    @Test(arguments: [
        ("10054", "WSAECONNRESET (Windows 10054)", "An existing connection was forcibly closed by the remote host."),
        ("ECONNRESET", "ECONNRESET (Linux 104, Darwin 54)", "Connection reset by peer"),
        ("EPIPE", "EPIPE (Linux and Darwin 32)", "Broken pipe"),
        ("ETIMEDOUT", "ETIMEDOUT (Linux 110, Darwin 60)", "Operation timed out"),
        ("ECONNREFUSED", "ECONNREFUSED (Linux 111, Darwin 61)", "Connection refused"),
        ("EAI_NONAME", "EAI_NONAME (Linux -2, Darwin 8)", "nodename nor servname provided, or not known"),
    ])
    func explainsHeadlineErrors(query: String, title: String, message: String) async {
        let outcome = await HeedCLIHarness.run(["explain", query])
        #expect(outcome.exitCode == 0)
        #expect(outcome.output.contains(title))
        #expect(outcome.output.contains(message))
        for section in ["What the system prints", "What it means", "How it happens", "What to do", "Twins"] {
            #expect(outcome.output.contains(section), "\(query): missing \(section)")
        }
    }

    /// Several arguments are joined into one query, so an unquoted log line works.
    @Test func joinsArguments() async {
        let outcome = await HeedCLIHarness.run(["explain", "[Errno", "104]", "Connection", "reset", "by", "peer"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.output.hasPrefix("ECONNRESET (Linux 104, Darwin 54)"))
        #expect(outcome.output.contains("matched by Linux errno 104"))
    }

    /// A negative number is a query, not an option: `heed explain -2` explains glibc's EAI_NONAME.
    @Test func negativeNumberIsAQuery() async {
        let outcome = await HeedCLIHarness.run(["explain", "-2"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.output.contains("Linux getaddrinfo code -2:"))
        #expect(outcome.output.contains("EAI_NONAME (Linux -2, Darwin 8)"))
        let json = await HeedCLIHarness.run(["explain", "-104", "--json"])
        #expect(json.output.contains("\"name\": \"ECONNRESET\""))
    }

    /// A bare number prints each platform's reading, including the ones where it means nothing.
    @Test func bareNumberListsEveryReading() async {
        let outcome = await HeedCLIHarness.run(["explain", "8"])
        #expect(outcome.exitCode == 0)
        #expect(outcome.output.contains("Windows code 8:"))
        #expect(outcome.output.contains("WSA_NOT_ENOUGH_MEMORY"))
        #expect(outcome.output.contains("Darwin getaddrinfo code 8:"))
        #expect(outcome.output.contains("EAI_NONAME (Linux -2, Darwin 8)"))
        #expect(outcome.output.contains("Linux errno 8:"))
        #expect(outcome.output.contains("none (no socket error has this number)"))
    }

    /// `--json` prints valid JSON with the matched entries for scripts.
    @Test func jsonOutput() async throws {
        let outcome = await HeedCLIHarness.run(["explain", "--json", "10053"])
        #expect(outcome.exitCode == 0)
        let object = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any]
        let matches = object?["matches"] as? [[String: Any]]
        #expect(matches?.count == 1)
        #expect(matches?.first?["name"] as? String == "WSAECONNABORTED")
        #expect(matches?.first?["windowsNumber"] as? Int == 10053)
        #expect((matches?.first?["stories"] as? [String])?.first?.contains("413") == true)
        #expect(matches?.first?["linuxNumber"] is NSNull)
    }

    /// The query is echoed in the JSON with quotes, backslashes and tabs escaped.
    @Test func jsonEscapesTheQuery() async throws {
        let query = "read: \"connection\treset\" by peer \\ ok"
        let outcome = await HeedCLIHarness.run(["explain", "--json", query])
        let object = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any]
        #expect(object?["query"] as? String == query)
        #expect((object?["matches"] as? [[String: Any]])?.first?["name"] as? String == "ECONNRESET")
    }

    /// `--list` prints one line per entry and `--list --json` an array of every entry.
    @Test func listsTheCatalogue() async throws {
        let outcome = await HeedCLIHarness.run(["explain", "--list"])
        #expect(outcome.exitCode == 0)
        let lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == SocketErrorCatalogue.entries.count + 3)
        for (line, entry) in zip(lines, SocketErrorCatalogue.entries) {
            #expect(line.hasPrefix(entry.names.joined(separator: "/")) && line.contains(entry.summary))
        }
        let json = await HeedCLIHarness.run(["explain", "--list", "--json"])
        let array = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(array?.count == SocketErrorCatalogue.entries.count)
    }

    /// An unknown query exits with 1 and offers close names.
    @Test func unknownQuerySuggests() async {
        let outcome = await HeedCLIHarness.run(["explain", "ECONNRESETT"])
        #expect(outcome.exitCode == 1)
        #expect(outcome.output.isEmpty)
        #expect(outcome.error.contains("No socket error matches \"ECONNRESETT\"."))
        #expect(outcome.error.contains("Did you mean: ECONNRESET"))
    }

    /// Empty, huge and control-character queries, and a missing query, are usage errors, not crashes.
    @Test(arguments: [
        (["explain", ""], "The query is empty"),
        (["explain", String(repeating: "x", count: 10_240)], "10240 bytes long"),
        (["explain", "ECONN\u{7}RESET"], "control character U+0007"),
        (["explain"], "Give an error name"),
        (["explain", "--list", "EPIPE"], "--list takes no query"),
    ])
    func badInputIsAUsageError(arguments: [String], message: String) async {
        let outcome = await HeedCLIHarness.run(arguments)
        #expect(outcome.exitCode != 0)
        #expect(outcome.thrownMessage.contains(message), "\(outcome.thrownMessage)")
        #expect(outcome.output.isEmpty)
    }
}
