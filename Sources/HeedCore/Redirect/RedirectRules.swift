/// Which redirects to follow and how the next request changes, as browsers and curl do it.
///
/// - 303 See Other: the next request is a `GET` without a body (a `HEAD` stays a `HEAD`).
/// - 301 and 302: a `POST` becomes a `GET` without a body; other methods are sent again as they were.
/// - 307 and 308: the method and the body are sent again unchanged; a body that cannot be produced
///   again means the redirect is not followed and the 3xx response is returned as it is.
public enum RedirectRules {
    /// What to do with a response.
    public enum Decision: Hashable, Sendable {
        /// Send the next request with `method`; `keepsBody` says whether the body goes with it.
        case follow(method: String, keepsBody: Bool)
        /// Return the response: it is not a redirect Heed follows.
        case returnResponse
    }

    /// Decides what follows a response with `status` to a request with `method`.
    /// - Parameters:
    ///   - status: the response status code.
    ///   - method: the request's method.
    ///   - hasBody: whether the request had a body.
    ///   - bodyReplayable: whether that body can be sent again.
    /// - Returns: how to follow, or that the response is the result.
    public static func responseReceived(status: Int, method: String, hasBody: Bool, bodyReplayable: Bool) -> Decision {
        switch status {
        case 303:
            return method == "HEAD"
                ? .follow(method: "HEAD", keepsBody: false) : .follow(method: "GET", keepsBody: false)
        case 301, 302:
            if method == "POST" { return .follow(method: "GET", keepsBody: false) }
            return Self.resend(method: method, hasBody: hasBody, bodyReplayable: bodyReplayable)
        case 307, 308:
            return Self.resend(method: method, hasBody: hasBody, bodyReplayable: bodyReplayable)
        default:
            return .returnResponse
        }
    }

    /// The header fields that must not follow a request to another origin: they carry credentials.
    public static let credentialFields = ["authorization", "cookie", "proxy-authorization"]

    private static func resend(method: String, hasBody: Bool, bodyReplayable: Bool) -> Decision {
        guard !hasBody || bodyReplayable else { return .returnResponse }
        return .follow(method: method, keepsBody: hasBody)
    }
}
