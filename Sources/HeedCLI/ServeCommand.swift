import ArgumentParser

/// `heed serve`: Run an upload server that closes the way RFC 9112 asks.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an upload server that closes the way RFC 9112 asks."
    )

    func run() async throws {
        throw ValidationError("heed serve is not available yet.")
    }
}
