/// The clients that `heed repro` and `heed grade --client NAME` run in-process.
public enum BuiltInClients {
    /// The names `--client` accepts.
    public static let names = ["heed", "naive"]

    /// The built-in client called `name` (`heed` with its default configuration), or `nil` if there is none.
    public static func named(_ name: String) -> (any ClientUnderTest)? {
        switch name {
        case "naive": NaiveClient()
        case "heed": HeedClientUnderTest()
        default: nil
        }
    }
}
