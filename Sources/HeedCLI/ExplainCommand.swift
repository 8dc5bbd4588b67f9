import ArgumentParser
import HeedCore

/// `heed explain QUERY`: explains a socket, connection or name-resolution error.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a socket error by name, number or message text."
    )

    @Argument(help: "An error name (WSAECONNABORTED), a number (10053) or a message text.")
    var query: [String] = []

    func run() async throws {
        throw ValidationError("heed explain is not available yet.")
    }
}
