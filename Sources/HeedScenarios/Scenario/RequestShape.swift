/// The request a scenario's client sends.
public struct RequestShape: Sendable, Hashable {
    /// The method (`POST`).
    public var method: String
    /// The request target (`/upload`).
    public var path: String
    /// The size of the request body in bytes.
    public var bodySize: Int
    /// Whether a client that can should send `Expect: 100-continue`.
    public var asksToContinue: Bool

    /// Creates a request shape.
    public init(method: String = "POST", path: String = "/upload", bodySize: Int, asksToContinue: Bool = false) {
        self.method = method
        self.path = path
        self.bodySize = bodySize
        self.asksToContinue = asksToContinue
    }
}
