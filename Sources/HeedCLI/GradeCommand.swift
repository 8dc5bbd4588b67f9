import ArgumentParser

/// `heed grade`: Grade an HTTP client against every teardown scenario.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade an HTTP client against every teardown scenario."
    )

    func run() async throws {
        throw ValidationError("heed grade is not available yet.")
    }
}
