import HeedCore
import NIOHTTP1

extension HTTPClient {
    /// What a new connection to `url` needs: TLS, a proxy, decompression.
    func connectionSetup(for url: HTTPURL) throws -> ConnectionSetup {
        let proxy = self.configuration.proxy?.proxy(for: url)
        if url.isTLS, proxy != nil, ConnectionSetup.isIPAddress(url.host),
            self.configuration.tls.certificateVerification == .fullVerification
        {
            // NIOSSL checks an IP address against the socket's peer, which is the proxy here.
            throw HTTPClientError.invalidRequest(
                "https:// to an IP address through a proxy cannot have the certificate's address checked yet; use a host name, or .noHostnameVerification"
            )
        }
        return ConnectionSetup(
            tlsContext: url.isTLS ? try self.tlsContexts.context(for: self.configuration.tls) : nil,
            proxy: proxy,
            decompression: self.configuration.decompression,
            busyPollers: self.busyPollers
        )
    }

    /// The head as sent: through a proxy, an `http://` request names the whole URL (absolute form,
    /// RFC 9112 §3.2.2) and carries the proxy's credentials. `https://` goes through a tunnel and
    /// is sent as it is.
    func routed(_ head: HTTPRequestHead, url: HTTPURL) -> HTTPRequestHead {
        guard !url.isTLS, let proxy = self.configuration.proxy?.proxy(for: url) else { return head }
        var head = head
        head.uri = url.description
        if let credentials = proxy.credentials, !head.headers.contains(name: "Proxy-Authorization") {
            head.headers.add(
                name: "Proxy-Authorization",
                value: BasicAuthorization.fieldValue(credentials: credentials)
            )
        }
        return head
    }
}
