extension HTTPURL {
    /// `user:password` from a URL's user information (`userInfo`), each part percent-decoded as curl does (so `@`,
    /// `:` and `%` can be written `%40`, `%3A` and `%25`); nil when a `%` is not followed by two hexadecimal digits or
    /// the decoded text is not UTF-8.
    public static func decodedCredentials(_ userInfo: String) -> String? {
        PercentDecoding.credentials(Substring(userInfo))
    }
}
