import Foundation

/// Helpers for the commands that print scenario results.
public enum OutputFormat {
    /// Whether standard output should get ANSI colours: it is a terminal and `NO_COLOR` is unset.
    public static var standardOutputWantsColour: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    /// `value` as pretty-printed JSON with sorted keys.
    public static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
