import HTTPTypes
import HeedServer
import NIOCore
import NIOHTTP1
import Vapor

/// Translates between Heed's server and a Vapor application: Heed's request heads and collected bodies
/// become Vapor requests for the application's responder, and Vapor responses become Heed responses.
struct VaporBridge: Sendable {
    let application: Application
    let responder: any Responder
    let eventLoopGroup: any EventLoopGroup
    let maxBodySize: Int
    let headResponder: HeedVaporHeadResponder?

    /// Decides on a request head, on the connection's event loop.
    func decide(_ head: HTTPRequest) -> RequestDecision {
        if let headResponder = self.headResponder {
            let request = self.makeRequest(head, body: nil)
            if let response = headResponder(request) {
                if let early = Self.bufferedResponse(response) {
                    return .respond(early)
                }
                // A streamed body: collect it off the event loop, still without reading the request body.
                return .accept { _, _ in await Self.collectedResponse(response, on: request.eventLoop) }
            }
        }
        return .accept { head, body in try await self.serve(head, body: body) }
    }

    /// Collects an accepted request's body and asks the application for the response.
    private func serve(_ head: HTTPRequest, body: RequestBody) async throws -> ServerResponse {
        let bytes = try await body.collect(upTo: self.maxBodySize)
        let request = self.makeRequest(head, body: bytes.readableBytes > 0 ? bytes : nil)
        let response: Response
        do {
            response = try await self.responder.respond(to: request).get()
        } catch {
            request.logger.report(error: error)
            return ServerResponse(status: .internalServerError, text: "500 Internal Server Error\n")
        }
        return await Self.collectedResponse(response, on: request.eventLoop)
    }

    // MARK: - Requests

    private func makeRequest(_ head: HTTPRequest, body: ByteBuffer?) -> Request {
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headerFields.count + 1)
        if let authority = head.authority {
            headers.add(name: "Host", value: authority)
        }
        for field in head.headerFields {
            headers.add(name: field.name.rawName, value: field.value)
        }
        return Request(
            application: self.application,
            method: HTTPMethod(rawValue: head.method.rawValue),
            url: URI(string: head.path ?? "/"),
            version: .http1_1,
            headersNoUpdate: headers,
            collectedBody: body,
            remoteAddress: nil,
            logger: self.application.logger,
            on: self.eventLoopGroup.any()
        )
    }

    // MARK: - Responses

    /// Converts a response whose body is in memory, or returns nil for a streamed body.
    static func bufferedResponse(_ response: Response) -> ServerResponse? {
        if let buffer = response.body.buffer {
            return Self.serverResponse(response, body: buffer)
        }
        // No body at all (or a stream that declared zero bytes); any other stream must be collected.
        guard response.body.count == 0 else { return nil }
        return Self.serverResponse(response, body: ByteBuffer())
    }

    /// Converts a response, collecting a streamed body in memory first.
    static func collectedResponse(_ response: Response, on eventLoop: any EventLoop) async -> ServerResponse {
        if let buffered = Self.bufferedResponse(response) {
            return buffered
        }
        do {
            let body = try await response.body.collect(on: eventLoop).get()
            return Self.serverResponse(response, body: body ?? ByteBuffer())
        } catch {
            return ServerResponse(status: .internalServerError, text: "500 Internal Server Error\n")
        }
    }

    private static func serverResponse(_ response: Response, body: ByteBuffer) -> ServerResponse {
        let code = Int(response.status.code)
        guard (200...999).contains(code) else {
            // 1xx (a WebSocket upgrade's 101, say) needs a protocol switch this server does not do.
            return ServerResponse(
                status: .notImplemented,
                text: "501 Not Implemented: HeedVapor does not support status \(code) (upgrades)\n"
            )
        }
        var fields = HTTPFields()
        fields.reserveCapacity(response.headers.count)
        for (name, value) in response.headers {
            // The server writes the framing fields itself; a name that is not a token cannot be sent.
            guard let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        let status = HTTPResponse.Status(code: code, reasonPhrase: response.status.reasonPhrase)
        return ServerResponse(head: HTTPResponse(status: status, headerFields: fields), body: body)
    }
}
