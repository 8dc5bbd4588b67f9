public import HTTPTypes
public import HeedCore
public import NIOCore

/// A response and what happened to the request on the way.
public struct HTTPClientResponse: Sendable {
    /// The status and header fields.
    public var head: HTTPResponse
    /// The whole response body.
    public var body: ByteBuffer
    /// Request body bytes the connection accepted before the exchange ended.
    public var requestBodyBytesSent: Int64
    /// Request body bytes the connection accepted after the response head had arrived (writes
    /// already queued when the client stopped).
    public var requestBodyBytesSentAfterResponse: Int64
    /// The request body's length, if it was known.
    public var requestBodyLength: Int64?
    /// Whether the client stopped sending the body because the server had already answered.
    public var requestBodyStoppedEarly: Bool
    /// Whether `100 Continue` arrived before the body was sent.
    public var receivedContinue: Bool
    /// What happened, event by event (including retries on other connections).
    public var timeline: ExchangeTimeline?

    /// Notes on how the exchange went (a retried stale connection, a write error recovered from),
    /// for verbose output.
    public var notes: [String] {
        guard let timeline = self.timeline else { return [] }
        return DiagnosisEngine.diagnose(timeline).notes
    }
    /// The URL that answered: the request's own, or the last redirect's target.
    public var url: HTTPURL? = nil
    /// How many redirects were followed to get this response.
    public var redirectCount: Int = 0

    /// The status code.
    public var status: HTTPResponse.Status { self.head.status }

    /// A sentence such as "The server answered 413 after 1.2 MB of 32.0 MB.", when the answer came early.
    public var earlyResponseSummary: String? {
        guard self.requestBodyStoppedEarly else { return nil }
        let total = self.requestBodyLength.map { " of \(HumanUnits.bytes($0))" } ?? ""
        return
            "The server answered \(self.head.status.code) after \(HumanUnits.bytes(self.requestBodyBytesSent))\(total) of the request body; the rest was not sent."
    }
}
