/// HTTP Basic authentication (RFC 7617), for callers that turn `user:password` into a header field themselves.
public enum BasicAuthorization {
    /// The `Authorization` (or `Proxy-Authorization`) field value for `credentials`, `user:password`:
    /// `Basic` and their base64.
    public static func fieldValue(credentials: String) -> String {
        "Basic " + Base64.encode(Array(credentials.utf8))
    }
}
