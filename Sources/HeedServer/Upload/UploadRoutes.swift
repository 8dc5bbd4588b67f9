public import HTTPTypes
import NIOCore

/// The routes of `heed serve`: `PUT`/`POST /NAME` stores the body as NAME, `GET`/`HEAD /NAME` serves it.
///
/// A missing token (401), a bad name (400) or a wrong method (405) is answered on the head alone, without
/// reading the body. With `hello`, `GET /` answers "Hello, world!" on the event loop (the benchmark route).
public struct UploadRoutes: Sendable {
    private let store: UploadStore
    private let token: String?
    private let maxBody: Int
    private let hello: Bool
    private let helloResponse = ServerResponse(
        head: HTTPResponse(status: .ok, headerFields: [.contentType: "text/plain"]),
        body: ByteBuffer(string: "Hello, world!")
    )

    /// Creates the routes.
    /// - Parameters:
    ///   - store: Where files are stored.
    ///   - token: If set, every request needs `Authorization: Bearer TOKEN`.
    ///   - maxBody: The largest body stored, and the largest file served.
    ///   - hello: Whether `GET /` answers "Hello, world!".
    public init(store: UploadStore, token: String?, maxBody: Int, hello: Bool) {
        self.store = store
        self.token = token
        self.maxBody = maxBody
        self.hello = hello
    }

    /// Decides on a request head; pass it as the server's ``HeadResponder``.
    /// - Parameter request: The request head.
    /// - Returns: The decision.
    public func decide(_ request: HTTPRequest) -> RequestDecision {
        let target = request.path ?? ""
        let path = target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
        if self.hello && path == "/" && request.method == .get {
            return .respond(self.helloResponse)
        }
        if let token = self.token, request.headerFields[.authorization] != "Bearer \(token)" {
            var response = ServerResponse(
                status: .unauthorized,
                text: "401 Unauthorized: send 'Authorization: Bearer TOKEN'.\n"
            )
            response.head.headerFields[.wwwAuthenticate] = "Bearer"
            return .respond(response)
        }
        let name = String(path.dropFirst())
        guard path.hasPrefix("/"), UploadStore.isValidName(name) else {
            return .respond(
                ServerResponse(status: .badRequest, text: "400 Bad Request: use /NAME with NAME of A-Z a-z 0-9 . _ -\n")
            )
        }
        switch request.method {
        case .put, .post:
            let store = self.store
            return .accept { _, body in
                let count = try await store.store(name: name, body: body)
                return ServerResponse(status: .created, text: "stored \(name) (\(count) bytes)\n")
            }
        case .get, .head:
            let store = self.store
            let maxBody = self.maxBody
            return .accept { _, _ in
                guard let bytes = try store.load(name: name, maxBytes: max(maxBody, 1 << 30)) else {
                    return ServerResponse(status: .notFound, text: "404 Not Found: no file '\(name)'.\n")
                }
                var fields = HTTPFields()
                fields[.contentType] = "application/octet-stream"
                return ServerResponse(head: HTTPResponse(status: .ok, headerFields: fields), body: bytes)
            }
        default:
            var response = ServerResponse(status: .methodNotAllowed, text: "405 Method Not Allowed\n")
            response.head.headerFields[.allow] = "GET, HEAD, PUT, POST"
            return .respond(response)
        }
    }
}
