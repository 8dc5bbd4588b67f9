extension HTTPClient {
    /// Whether the client asks for compressed responses and decompresses them.
    ///
    /// When enabled, requests without an `Accept-Encoding` field get `Accept-Encoding: deflate, gzip`,
    /// and `gzip` (or its old name `x-gzip`, RFC 9110 §8.4.1.3) or `deflate` response bodies are
    /// returned decompressed (the response's header fields are left as the server sent them). Both
    /// limits guard against decompression bombs: a small body that inflates to gigabytes.
    public struct DecompressionPolicy: Sendable, Hashable, CustomStringConvertible {
        /// How far a response body may inflate.
        public struct Limit: Sendable, Hashable {
            /// The largest decompressed body, in bytes.
            public var maxSize: Int
            /// The largest ratio of decompressed to compressed bytes.
            public var maxRatio: Int

            /// At most `maxSize` bytes decompressed, and at most `maxRatio` times the compressed size.
            public init(maxSize: Int = 64 * 1024 * 1024, maxRatio: Int = 100) {
                self.maxSize = max(0, maxSize)
                self.maxRatio = max(1, maxRatio)
            }
        }

        let limit: Limit?

        /// Responses are returned as they arrive, compressed or not (the default).
        public static let disabled = Self(limit: nil)
        /// Ask for gzip or deflate and decompress within `limit`.
        public static func enabled(limit: Limit = Limit()) -> Self { Self(limit: limit) }

        public var description: String {
            guard let limit = self.limit else { return "disabled" }
            return "enabled (at most \(limit.maxSize) bytes, \(limit.maxRatio):1)"
        }
    }
}
