import ArgumentParser

/// `heed get`, `heed post` and `heed put`: `heed request` with the method preset. They take every option of
/// `heed request` (see `heed request --help`); an `-X` still wins, and `heed get -I` sends `HEAD`, as
/// `heed request -I` does.
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
        try await Self.requestCommand(self.arguments).run()
    }

    /// The `heed request` that `arguments` stand for: the preset method unless `-X` names one. `-I` turns the preset
    /// `GET` into `HEAD`; a preset `POST` or `PUT` stays in the request line, as an `-X` would (see
    /// ``RequestOptions/headOnly``).
    ///
    /// A preset `POST` or `PUT` goes in front of the arguments as an `-X` of its own, so that a later `-X` wins and
    /// the usage checks see the method (`heed post -I -d x` is `-X POST -I -d x`, not a HEAD with a body).
    static func requestCommand(_ arguments: [String]) throws -> RequestCommand {
        let preset = Self.method == "GET" ? [] : ["-X", Self.method]
        var command = try RequestCommand.parse(preset + arguments)
        if command.method == nil, !command.head { command.method = Self.method }
        return command
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
