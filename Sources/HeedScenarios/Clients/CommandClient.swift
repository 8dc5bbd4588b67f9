/// Any HTTP client that can be run as a command: curl, wget, a Python or Node one-liner, a Java program.
///
/// The command's arguments may contain the placeholders `{url}`, `{method}` and `{body}` (the path of a file
/// holding the request body). The command prints the status it received (the first three-digit number on
/// stdout counts; `000` means none) and exits non-zero when the request failed. It is killed, with everything it
/// started, at the scenario's time limit.
public struct CommandClient: ClientUnderTest {
    /// The name shown in reports (the command's first word, unless given).
    public var name: String
    /// The command and its arguments, with placeholders.
    public var arguments: [String]

    /// Creates a command client.
    /// - Parameters:
    ///   - arguments: The command and its arguments, with `{url}`, `{method}` and `{body}` placeholders.
    ///   - name: The name for reports; defaults to the command's file name.
    public init(arguments: [String], name: String? = nil) {
        self.arguments = arguments
        self.name = name ?? arguments.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? "command"
    }

    /// The arguments with the placeholders replaced for `request`.
    public func expandedArguments(for request: ScenarioRequest) -> [String] {
        self.arguments.map {
            $0.replacingAll("{url}", with: request.url)
                .replacingAll("{method}", with: request.method)
                .replacingAll("{body}", with: request.bodyFile ?? "/dev/null")
        }
    }

    public func execute(_ request: ScenarioRequest) async -> ClientOutcome {
        let result: ChildProcess.Result
        do {
            result = try await ChildProcess.run(self.expandedArguments(for: request), deadline: request.deadline)
        } catch {
            return ClientOutcome(status: nil, succeeded: false, report: error.description)
        }
        let status = Self.status(in: result.standardOutput)
        if result.killedAtDeadline {
            return ClientOutcome(
                status: status,
                succeeded: false,
                hung: true,
                report: "killed at the time limit",
                exitStatus: result.exitStatus
            )
        }
        var report = Self.lastLine(of: result.standardError) ?? Self.lastLine(of: result.standardOutput) ?? ""
        if let signal = result.signal {
            report = "killed by signal \(signal)" + (report.isEmpty ? "" : ": \(report)")
        } else if let exit = result.exitStatus, exit != 0 {
            report = "exit \(exit)" + (report.isEmpty ? "" : ": \(report)")
        }
        return ClientOutcome(
            status: status,
            succeeded: result.exitStatus == 0,
            report: report.isEmpty ? "exit 0, printed nothing" : report,
            exitStatus: result.exitStatus
        )
    }

    // MARK: - Output parsing

    /// The first standalone three-digit number in `output` that is a valid status (100–599).
    public static func status(in output: String) -> Int? {
        var digits = ""
        for character in output + " " {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if digits.count == 3, let value = Int(digits) {
                return (100...599).contains(value) ? value : nil
            }
            digits = ""
        }
        return nil
    }

    private static func lastLine(of text: String) -> String? {
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else {
            return nil
        }
        let trimmed = String(line.drop(while: \.isWhitespace))
        return trimmed.count > 160 ? String(trimmed.prefix(157)) + "..." : trimmed
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
