public import HTTPTypes
import HeedCore
import NIOCore

extension HTTPClient {
    /// Whether the client follows redirects, and how many.
    ///
    /// Followed: 301, 302 and 303 (a `POST` after 301 or 302, and anything but `HEAD` after 303,
    /// becomes a `GET` without its body, as browsers do) and 307 and 308 (method and body unchanged;
    /// a body that cannot be sent again ends the chain: the 3xx response is returned as it is).
    /// A URL seen twice is a loop and fails; so does passing the limit. On a redirect to another
    /// origin (scheme, host or port), `Authorization`, `Cookie` and `Proxy-Authorization` are dropped.
    public struct RedirectPolicy: Sendable, Hashable, CustomStringConvertible {
        let maxRedirects: Int?

        /// Follow up to `max` redirects (the library's default is 10).
        public static func follow(max: Int) -> Self { Self(maxRedirects: Swift.max(0, max)) }
        /// Return 3xx responses as they are (curl's default, and `heed request` without `-L`).
        public static let disallow = Self(maxRedirects: nil)

        public var description: String {
            self.maxRedirects.map { "follow up to \($0) redirects" } ?? "do not follow redirects"
        }
    }

    /// Sends `request`, follows redirects as ``Configuration/redirects`` allows, and returns the
    /// final response with its whole body.
    ///
    /// Any HTTP response is a result, a 413 included; only a failure to get one throws.
    /// ``HTTPClientResponse/url`` tells which URL answered, ``HTTPClientResponse/redirectCount`` how
    /// many redirects led there.
    /// - Parameters:
    ///   - request: method, scheme, authority, path and header fields.
    ///   - body: the request body, if any.
    ///   - timeout: a limit for the whole request, redirects included; the configuration's by default.
    /// - Returns: the response, and how much of the body was sent.
    /// - Throws: ``HTTPClientError`` telling what happened in plain words.
    public func execute(
        _ request: HTTPRequest,
        body: HTTPClientRequestBody? = nil,
        timeout: Duration? = nil
    ) async throws -> HTTPClientResponse {
        let deadline = (timeout ?? self.configuration.requestTimeout).map { NIODeadline.now() + $0.timeAmount }
        let start = try self.url(of: request).url
        var response = try await self.executeOnce(request, body: body, deadline: deadline)
        response.url = start
        var hop = self.firstHop(request, body: body, start: start)
        while try hop.advance(status: response.status.code, location: response.head.headerFields[.location]) {
            response = try await self.executeOnce(hop.request, body: hop.body, deadline: deadline)
            response.url = hop.current
            response.redirectCount = hop.chain.count
        }
        return response
    }

    /// The start of a redirect chain: the request as given, following redirects as the configuration says.
    func firstHop(_ request: HTTPRequest, body: HTTPClientRequestBody?, start: HTTPURL) -> RedirectHop {
        let limit = self.configuration.redirects.maxRedirects
        return RedirectHop(
            follows: limit != nil,
            chain: RedirectChain(start: start, method: request.method.rawValue, limit: limit ?? 0),
            request: request,
            body: body,
            current: start
        )
    }

    /// Where a chain of redirects stands: the request to send, its body and URL, and the URLs seen.
    struct RedirectHop: Sendable {
        /// Whether redirects are followed at all (``RedirectPolicy/disallow``: no).
        let follows: Bool
        var chain: RedirectChain
        var request: HTTPRequest
        var body: HTTPClientRequestBody?
        var current: HTTPURL

        /// Moves to the next request if a response with `status` and `location` is a redirect to follow.
        /// - Returns: `false` when the response ends the chain (it is the result).
        /// - Throws: ``HTTPClientError`` for a bad `Location`, a loop, or too many redirects.
        mutating func advance(status: Int, location: String?) throws(HTTPClientError) -> Bool {
            guard self.follows, let location else { return false }
            let decision = RedirectRules.responseReceived(
                status: status,
                method: self.request.method.rawValue,
                hasBody: self.body != nil,
                bodyReplayable: self.body?.isReplayable ?? true
            )
            guard case .follow(let method, let keepsBody) = decision else { return false }
            let next: HTTPURL
            do {
                next = try self.current.resolving(location)
            } catch {
                throw HTTPClientError.feature(.invalidRedirect(location: location, error: error))
            }
            switch self.chain.redirectReceived(to: next, method: method) {
            case .follow: break
            case .loop(let urls): throw HTTPClientError.feature(.redirectLoop(urls))
            case .tooMany(let limit):
                throw HTTPClientError.feature(.tooManyRedirects(limit: limit, chain: self.chain.visited))
            }
            self.request = HTTPClient.redirected(
                self.request,
                from: self.current,
                to: next,
                method: method,
                keepsBody: keepsBody
            )
            if !keepsBody { self.body = nil }
            self.current = next
            return true
        }
    }

    /// The request to send to `next`: the method the rules chose, header fields carried over except
    /// credentials across origins and body fields when the body is dropped.
    static func redirected(
        _ request: HTTPRequest,
        from current: HTTPURL,
        to next: HTTPURL,
        method: String,
        keepsBody: Bool
    ) -> HTTPRequest {
        let sameOrigin = current.isSameOrigin(as: next)
        // The Fetch standard's request-body-header names, and the framing fields.
        let bodyFields = [
            "content-type", "content-length", "transfer-encoding", "content-encoding", "content-language",
            "content-location",
        ]
        var fields = HTTPFields()
        for field in request.headerFields {
            let name = field.name.canonicalName
            if name == "host" { continue }
            if !sameOrigin && RedirectRules.credentialFields.contains(name) { continue }
            if !keepsBody && bodyFields.contains(name) { continue }
            fields.append(field)
        }
        return HTTPRequest(
            method: HTTPRequest.Method(method) ?? .get,
            scheme: next.scheme,
            authority: next.authority,
            path: next.target,
            headerFields: fields
        )
    }
}
