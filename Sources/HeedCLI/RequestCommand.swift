import ArgumentParser

/// `heed request`: Send an HTTP request that never loses an early response.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Send an HTTP request that never loses an early response."
    )

    func run() async throws {
        throw ValidationError("heed request is not available yet.")
    }
}
