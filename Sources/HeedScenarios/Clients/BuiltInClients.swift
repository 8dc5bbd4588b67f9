/// The clients that `heed repro` and `heed grade --client NAME` run in-process.
public enum BuiltInClients {
    /// Heed's own client, or `nil` in a build where it is not wired in yet.
    public static let heed: (any ClientUnderTest)? = nil

    /// The names `--client` accepts.
    public static let names = ["heed", "naive"]

    /// The built-in client called `name`, or `nil` if there is none (or it is not wired in).
    public static func named(_ name: String) -> (any ClientUnderTest)? {
        switch name {
        case "naive": NaiveClient()
        case "heed": Self.heed
        default: nil
        }
    }
}
