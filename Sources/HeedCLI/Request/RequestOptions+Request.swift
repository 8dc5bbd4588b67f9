import Foundation
import HTTPTypes
import HeedClient
import HeedCore

/// How the options become a request: curl's reading of URLs and `-H`, credentials, and the client settings.
extension RequestOptions {
    /// One `-H` argument.
    enum HeaderArgument: Equatable {
        /// `Name: value`, or `Name;` for an empty value.
        case field(name: String, value: String)
        /// `Name:`: send no such field, not even Heed's default.
        case remove(name: String)

        /// Reads `Name: value`, `Name:` or `Name;`; nil if `text` is none of them.
        init?(parsing text: String) {
            let colon = text.firstIndex(of: ":")
            if colon == nil, text.last == ";" {
                let name = String(text.dropLast().trimmingOptionalWhitespace)
                guard !name.isEmpty, HTTPField.Name(name) != nil else { return nil }
                self = .field(name: name, value: "")
                return
            }
            guard let colon else { return nil }
            let name = String(text[..<colon].trimmingOptionalWhitespace)
            let value = String(text[text.index(after: colon)...].trimmingOptionalWhitespace)
            guard !name.isEmpty, HTTPField.Name(name) != nil, !value.contains(where: { $0 == "\r" || $0 == "\n" })
            else { return nil }
            self = value.isEmpty ? .remove(name: name) : .field(name: name, value: value)
        }
    }

    /// curl's reading of a URL argument: without `://` it is `http://`; the user information (`user:password@`)
    /// moves out of the URL, so that no error, timeline or report can show the password.
    static func splitURL(_ text: String) -> (url: String, userInfo: String?) {
        let full = text.contains("://") ? text : "http://" + text
        guard let separator = full.range(of: "://") else { return (full, nil) }
        let rest = full[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return (full, nil) }
        let userInfo = String(rest[..<at])
        return (String(full[..<separator.upperBound]) + rest[rest.index(after: at)...], userInfo)
    }

    /// Rewrites every URL as ``splitURL(_:)`` reads it and keeps the credentials apart.
    mutating func takeCredentials() {
        var credentials: [HTTPURL: String] = [:]
        func take(_ text: String) -> String {
            let split = Self.splitURL(text)
            if let userInfo = split.userInfo, let url = try? HTTPURL(parsing: split.url),
                let decoded = HTTPURL.decodedCredentials(userInfo)
            {
                credentials[url] = decoded
            }
            return split.url
        }
        self.url = take(self.url)
        self.moreURLs = self.moreURLs.map(take)
        self.urlCredentials = credentials
    }

    /// Reads the `-H` arguments: later `Name:` removes earlier and later fields of that name.
    mutating func takeHeaders(_ arguments: [String]) {
        var fields: [(name: String, value: String)] = []
        for argument in arguments {
            switch HeaderArgument(parsing: argument) {
            case .field(let name, let value): fields.append((name, value))
            case .remove(let name): self.removedHeaders.insert(name.lowercased())
            case nil: continue
            }
        }
        self.headers = fields.filter { !self.removedHeaders.contains($0.name.lowercased()) }
    }

    /// The header fields of the request to `url`: the `-H` fields, then the defaults each option adds unless a `-H`
    /// gave or removed that field (so an explicit `Authorization` wins over `-u` and the URL's credentials).
    func headerFields(for url: HTTPURL) -> HTTPFields {
        var fields = HTTPFields()
        for header in self.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        func addDefault(_ name: HTTPField.Name, _ value: String) {
            guard fields[name] == nil, !self.removedHeaders.contains(name.canonicalName) else { return }
            fields[name] = value
        }
        if let credentials = self.user ?? self.urlCredentials[url] {
            addDefault(.authorization, BasicAuthorization.fieldValue(credentials: credentials))
        }
        if let referer = self.referer, !referer.isEmpty { addDefault(.referer, referer) }
        if self.isFormData { addDefault(.contentType, "application/x-www-form-urlencoded") }
        if self.isJSON {
            addDefault(.contentType, "application/json")
            addDefault(.accept, "application/json")
        }
        return fields
    }

    /// Sets the client configuration the request options ask for. The CLI has no read-idle timeout, as curl: the
    /// whole exchange is bounded by `--max-time` only (the connect timeout stays).
    func apply(to configuration: inout HTTPClient.Configuration) {
        configuration.expectContinue = self.removedHeaders.contains("expect") ? .never : self.expect
        if let seconds = self.connectTimeout { configuration.connectTimeout = .milliseconds(Int64(seconds * 1000)) }
        configuration.readIdleTimeout = nil
        if let userAgent = self.userAgent { configuration.userAgent = userAgent.isEmpty ? nil : userAgent }
        if self.removedHeaders.contains("user-agent") { configuration.userAgent = nil }
        // curl's -H 'Host:' sends no Host at all: an invalid HTTP/1.1 request, asked for to test a server.
        if self.removedHeaders.contains("host") { configuration.addsHost = false }
    }
}
