extension Scenario {
    /// The size of the upload in every scenario: large enough to outgrow loopback socket buffers.
    public static let uploadSize = 8 << 20

    /// Every scenario, in the order `heed repro --list` and `heed grade` show them.
    public static let all: [Scenario] = [
        .earlyRejectRST, .earlyRejectLinger, .earlyRejectLarge, .stalledUploadReject, .expectReject, .expectIgnored,
        .earlySuccess, .resetMidBody, .noResponseClose, .truncatedBody, .responseThenReset,
    ]

    /// The scenario called `name`, if there is one.
    public static func named(_ name: String) -> Scenario? {
        Self.all.first { $0.name == name }
    }

    private static let linger = PeerStep.drain(maxBytes: 64 << 20, maxDuration: .seconds(2))
    private static let tooLarge = ScriptedResponse(status: 413, reason: "Payload Too Large", bodySize: 44)

    /// The original story: 413 written, then a close with the body unread, so the kernel resets.
    public static let earlyRejectRST = Scenario(
        name: "early-reject-rst",
        summary: "answers 413 after the head, then closes at once (RST)",
        story: """
            A client uploads 8 MiB. The server reads only the request head, decides the upload is too large, writes \
            "413 Payload Too Large" and closes the socket with the body still unread, as many frameworks do on an \
            early error. With unread bytes in its receive buffer the server's kernel answers with RST instead of FIN. \
            The client is still writing: its next write fails with EPIPE or ECONNRESET (WSAECONNABORTED or \
            WSAECONNRESET on Windows), although the 413 already sits in its receive buffer.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [.readHead, .respond(Self.tooLarge), .reset]),
        correctClient: "reads while it sends, stops sending when the 413 arrives, and returns the 413 with its body",
        expectation: .response(status: 413, bodyBytes: 44),
        timeLimit: .seconds(4)
    )

    /// The server closes the right way: response, FIN, then read and discard.
    public static let earlyRejectLinger = Scenario(
        name: "early-reject-linger",
        summary: "answers 413 after the head, half-closes, keeps reading (lingering close)",
        story: """
            The same early 413, from a server that closes the way RFC 9112 §9.6 asks (nginx, Apache and Go's \
            server do a form of this): it writes the response, shuts down its write side (FIN) and keeps reading \
            and discarding the body for a while before closing, so the client sees the response and not a reset.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(steps: [.readHead, .respond(Self.tooLarge), .halfClose, Self.linger, .close]),
        correctClient: "returns the 413; stops sending soon after it arrives",
        expectation: .response(status: 413, bodyBytes: 44),
        timeLimit: .seconds(4)
    )

    /// A multi-megabyte error page written to a client that is not reading: both sides block.
    public static let earlyRejectLarge = Scenario(
        name: "early-reject-large",
        summary: "answers 413 with a 4 MiB error body without reading the upload",
        story: """
            The server rejects the upload with a large error page (4 MiB) and never reads the body. A client that \
            writes its whole body before it reads anything fills the server's receive buffer, while the server \
            fills the client's: both block on full buffers, a deadlock that lasts until some timeout fires.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(
            receiveBufferSize: 16_384,
            sendBufferSize: 16_384,
            steps: [
                .readHead, .respond(ScriptedResponse(status: 413, reason: "Payload Too Large", bodySize: 4 << 20)),
                .halfClose, Self.linger, .close,
            ]
        ),
        correctClient: "reads while it sends: returns the 413 with its whole 4 MiB body, no deadlock",
        expectation: .response(status: 413, bodyBytes: 4 << 20),
        timeLimit: .seconds(4)
    )

    /// A server that stops reading, makes the client block, and rejects later.
    public static let stalledUploadReject = Scenario(
        name: "stalled-upload-reject",
        summary: "stops reading with a tiny receive buffer, answers 413 later, resets",
        story: """
            The server reads the head, then stops reading for a while (a slow quota check, a full disk) with a \
            tiny receive buffer, so the client blocks in write. Then it answers 413 and closes with the body \
            unread: the client's blocked write wakes up with ECONNRESET, and the 413 is in its receive buffer.
            """,
        request: RequestShape(bodySize: Self.uploadSize),
        peer: PeerScript(
            receiveBufferSize: 4096,
            steps: [.readHead, .pause(.milliseconds(300)), .respond(Self.tooLarge), .reset]
        ),
        correctClient: "notices the 413 while blocked on a full send buffer and returns it",
        expectation: .response(status: 413, bodyBytes: 44),
        timeLimit: .seconds(4)
    )
}
