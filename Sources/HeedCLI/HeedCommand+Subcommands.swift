import ArgumentParser

extension HeedCommand {
    /// Every subcommand, in the order `heed --help` lists them.
    static let allSubcommands: [any ParsableCommand.Type] = [
        ReproCommand.self,
        GradeCommand.self,
        RequestCommand.self,
        GetCommand.self,
        PostCommand.self,
        PutCommand.self,
        ProbeCommand.self,
        ServeCommand.self,
        ExplainCommand.self,
    ]
}
