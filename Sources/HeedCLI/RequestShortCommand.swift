import ArgumentParser

/// `heed get`, `heed post` and `heed put`: `heed request` with the method preset. They take every option of
/// `heed request` (see `heed request --help`); a later `-X` still wins.
protocol RequestShortCommand: AsyncParsableCommand {
    /// The method the command presets.
    static var method: String { get }
    /// The URL(s) and options, handed to `heed request` as they are.
    var arguments: [String] { get }
}

extension RequestShortCommand {
    func run() async throws {
        if self.arguments.contains("--help") || self.arguments.contains("-h") {
            HeedConsole.current.line(
                "'heed \(Self.configuration.commandName ?? "")' is 'heed request -X \(Self.method)'.\n"
            )
            HeedConsole.current.line(RequestCommand.helpMessage())
            return
        }
        let command = try RequestCommand.parse(["-X", Self.method] + self.arguments)
        try await command.run()
    }

    static func shortConfiguration(_ name: String) -> CommandConfiguration {
        CommandConfiguration(
            commandName: name,
            abstract: "heed request -X \(name.uppercased()): the same options (see 'heed request --help').",
            discussion: "Example: heed \(name) http://127.0.0.1:8080/upload -d @file.json --fail"
        )
    }
}

/// `heed get URL...`: `heed request` with GET.
struct GetCommand: RequestShortCommand {
    static let configuration = Self.shortConfiguration("get")
    static let method = "GET"

    @Argument(parsing: .captureForPassthrough, help: "URL(s) and 'heed request' options.")
    var arguments: [String] = []
}

/// `heed post URL -d ...`: `heed request` with POST.
struct PostCommand: RequestShortCommand {
    static let configuration = Self.shortConfiguration("post")
    static let method = "POST"

    @Argument(parsing: .captureForPassthrough, help: "URL(s) and 'heed request' options.")
    var arguments: [String] = []
}

/// `heed put URL -d ...`: `heed request` with PUT.
struct PutCommand: RequestShortCommand {
    static let configuration = Self.shortConfiguration("put")
    static let method = "PUT"

    @Argument(parsing: .captureForPassthrough, help: "URL(s) and 'heed request' options.")
    var arguments: [String] = []
}
