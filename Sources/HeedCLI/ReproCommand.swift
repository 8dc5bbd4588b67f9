import ArgumentParser

/// `heed repro`: Watch a teardown failure happen on 127.0.0.1.
struct ReproCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro",
        abstract: "Watch a teardown failure happen on 127.0.0.1."
    )

    func run() async throws {
        throw ValidationError("heed repro is not available yet.")
    }
}
