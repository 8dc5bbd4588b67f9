public import HTTPTypes

/// What the application decides on seeing a request head, before any of the body is read.
///
/// Return ``respond(_:)`` to answer at once (a rejection such as 401 or 413, or any response that needs no
/// body); the server never waits for a body it has not asked for: it discards a short declared body to
/// keep the connection, and otherwise answers with `Connection: close` and closes with a lingering close.
/// Return ``accept(_:)`` to have the body streamed to an async handler; a client that sent
/// `Expect: 100-continue` gets 100 Continue only then.
public struct RequestDecision: Sendable {
    /// The async work of an accepted request: it reads the body and returns the response.
    public typealias BodyHandler = @Sendable (HTTPRequest, RequestBody) async throws -> ServerResponse

    enum Kind: Sendable {
        case respond(ServerResponse)
        case accept(BodyHandler)
    }

    let kind: Kind

    /// Answers on the head alone, without reading the body.
    /// - Parameter response: The response.
    public static func respond(_ response: ServerResponse) -> Self {
        Self(kind: .respond(response))
    }

    /// Accepts the request: its body streams to `handler`, whose response the server then writes.
    ///
    /// If `handler` throws, the client gets 500 Internal Server Error.
    /// - Parameter handler: The async handler of the request.
    public static func accept(_ handler: @escaping BodyHandler) -> Self {
        Self(kind: .accept(handler))
    }
}

/// Decides on each request head. It runs on the connection's event loop, so it must not block:
/// do slow work in the handler of ``RequestDecision/accept(_:)``.
public typealias HeadResponder = @Sendable (HTTPRequest) -> RequestDecision
