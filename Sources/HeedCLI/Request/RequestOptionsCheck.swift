import ArgumentParser
import HeedCore

/// Usage checks for the options `heed request` has beyond the first ones, kept apart from the command so the
/// command's option list stays a list.
enum RequestOptionsCheck {
    /// Throws a one-line `ValidationError` for options that contradict each other.
    static func validate(command: RequestCommand) throws {
        if command.output != nil && !command.moreURLs.isEmpty {
            throw ValidationError("-o/--output writes one body; give one URL with it.")
        }
        if let output = command.output, output.isEmpty {
            throw ValidationError("-o/--output needs a file name.")
        }
        if let report = command.reportJSON, report.isEmpty {
            throw ValidationError("--report-json needs a file name.")
        }
        let hasBody = !command.data.isEmpty || !command.dataBinary.isEmpty || command.json != nil
        if command.head, command.method == nil, hasBody {
            // curl refuses it too: "You can only select one HTTP request method! You asked for both HEAD and POST."
            throw ValidationError(
                "-I/--head sends HEAD, and -d/--data-binary/--json a body: choose one, or name the method with -X "
                    + "(-I then only reads the response as HEAD's)."
            )
        }
        if let user = command.user, !user.contains(":") {
            throw ValidationError("-u/--user takes 'user:password'; Heed does not prompt for the password.")
        }
        for url in [command.url] + command.moreURLs {
            // Reported without the user information, so the password never reaches the terminal.
            let split = RequestOptions.splitURL(url)
            if let userInfo = split.userInfo, HTTPURL.decodedCredentials(userInfo) == nil {
                throw ValidationError(
                    "The user information of '\(split.url)' has a '%' that is not followed by two hexadecimal digits."
                )
            }
        }
    }
}
