extension Scenario {
    /// `Expect: 100-continue` answered with a final 401.
    public static let expectReject = Scenario(
        name: "expect-reject",
        summary: "answers 401 to the head, never sends 100 Continue",
        story: """
            An upload that needs credentials: the server answers "401 Unauthorized" to the head without a \
            "100 Continue". A client that asked with "Expect: 100-continue" never sends its 8 MiB; a client that \
            did not ask has sent it all for nothing, or runs into the close.
            """,
        request: RequestShape(bodySize: Self.uploadSize, asksToContinue: true),
        peer: PeerScript(steps: [
            .readHead, .respond(ScriptedResponse(status: 401, reason: "Unauthorized", bodySize: 39)), .halfClose,
            .drain(maxBytes: 64 << 20, maxDuration: .seconds(2)), .close,
        ]),
        correctClient: "sends Expect: 100-continue, returns the 401 and sends no body",
        expectation: .response(status: 401, bodyBytes: 39, mustAskBeforeSending: true),
        timeLimit: .seconds(4)
    )

    /// A server (or proxy) that ignores `Expect: 100-continue`.
    public static let expectIgnored = Scenario(
        name: "expect-ignored",
        summary: "never answers Expect: 100-continue, waits for the body, answers 200",
        story: """
            Many servers and proxies ignore "Expect: 100-continue": no 100, no final answer, just silence until \
            the body arrives. RFC 9110 §10.1.1 tells a client that asked to send the body anyway after a short \
            wait; one that waits forever for the 100 hangs.
            """,
        request: RequestShape(bodySize: Self.uploadSize, asksToContinue: true),
        peer: PeerScript(steps: [
            .readHead, .readWholeBody, .respond(ScriptedResponse(status: 200, reason: "OK", bodySize: 3)), .close,
        ]),
        correctClient: "sends the body after a short wait for 100 Continue and returns the 200",
        expectation: .response(status: 200, bodyBytes: 3),
        timeLimit: .seconds(4)
    )

    /// A 2xx that arrives while the client is still uploading.
    public static let earlySuccess = Scenario(
        name: "early-success",
        summary: "answers 200 after the head, then reads the whole body",
        story: """
            Some servers answer before the upload is finished (a proxy that accepted the request, a handler that \
            does not care about the body) and then keep reading. A client that only expects an answer after its \
            last byte may treat the early response as an error.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [
            .readHead, .respond(ScriptedResponse(status: 200, reason: "OK", bodySize: 3)), .readWholeBody, .close,
        ]),
        correctClient: "returns the 200",
        expectation: .response(status: 200, bodyBytes: 3),
        timeLimit: .seconds(4)
    )

    /// A reset in the middle of the upload, with no response.
    public static let resetMidBody = Scenario(
        name: "reset-mid-body",
        summary: "reads 1 MiB of the body, then resets without a response",
        story: """
            A load balancer or a crashing worker kills the connection in the middle of an upload: the server reads \
            part of the body and resets (RST) without a word. There is no response to deliver; the client must \
            fail, and say it was a reset after so many bytes, not hang or invent a status.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [.readHead, .readBody(bytes: 1 << 20), .reset]),
        correctClient: "fails with a clear error naming the reset and the bytes sent",
        expectation: .failure,
        timeLimit: .seconds(4)
    )

    /// The whole request read, then a close without a byte.
    public static let noResponseClose = Scenario(
        name: "no-response-close",
        summary: "reads the whole request, closes without a byte (FIN)",
        story: """
            The server reads the whole request and closes cleanly without answering: a worker that crashed after \
            reading, a keep-alive timeout racing the request. The client cannot know whether the request was \
            processed, so it must not silently send a POST again.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [.readHead, .readWholeBody, .close]),
        correctClient: "fails with a clear error; retries only an idempotent request (never this POST)",
        expectation: .failure,
        timeLimit: .seconds(4)
    )

    /// A response whose body ends before its `Content-Length`.
    public static let truncatedBody = Scenario(
        name: "truncated-body",
        summary: "answers 200 declaring 1 MiB, writes 64 KiB, closes",
        story: """
            The server promises a 1 MiB body in Content-Length and closes after 64 KiB (a crash, a proxy timeout). \
            A client that returns what it got as a success hands the caller a corrupt file.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [
            .readHead, .readWholeBody,
            .respond(ScriptedResponse(status: 200, reason: "OK", bodySize: 1 << 20, bodyBytesWritten: 64 << 10)),
            .close,
        ]),
        correctClient: "fails: the body ended 983040 bytes short of its Content-Length",
        expectation: .failure,
        timeLimit: .seconds(4)
    )

    /// A complete response followed at once by a reset.
    public static let responseThenReset = Scenario(
        name: "response-then-reset",
        summary: "reads the request, answers 200 in full, then resets",
        story: """
            The server reads everything, answers in full, and closes with SO_LINGER 0, so an RST follows the \
            response at once (some load balancers and servers do this to skip TIME_WAIT). The response arrived \
            whole before the reset; a client that lets the reset win throws away a good answer.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [
            .readHead, .readWholeBody, .respond(ScriptedResponse(status: 200, reason: "OK", bodySize: 3)), .reset,
        ]),
        correctClient: "returns the 200: it arrived whole before the reset",
        expectation: .response(status: 200, bodyBytes: 3),
        timeLimit: .seconds(4)
    )
}
