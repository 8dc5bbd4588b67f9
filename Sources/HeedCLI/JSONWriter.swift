/// A tiny JSON encoder for the CLI's `--json` output: values are built from this enum and printed with their keys
/// in the order given.
enum JSONValue: Sendable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// The value as pretty-printed JSON, indented with two spaces.
    func rendered(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .string(let text):
            return Self.quoted(text)
        case .number(let value):
            return String(value)
        case .bool(let value):
            return value ? "true" : "false"
        case .null:
            return "null"
        case .array(let values):
            if values.isEmpty { return "[]" }
            let items = values.map { inner + $0.rendered(indent: indent + 1) }
            return "[\n" + items.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let items = members.map { key, value in
                inner + Self.quoted(key) + ": " + value.rendered(indent: indent + 1)
            }
            return "{\n" + items.joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    /// A JSON string literal, escaping quotes, backslashes and control characters.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension JSONValue {
    /// A string, or `null` when absent.
    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// A number, or `null` when absent.
    static func optional(_ number: Int32?) -> JSONValue { number.map { .number(Int($0)) } ?? .null }

    /// An array of strings.
    static func strings(_ texts: [String]) -> JSONValue { .array(texts.map(JSONValue.string)) }
}
