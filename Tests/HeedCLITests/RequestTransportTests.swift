import ArgumentParser
import Foundation
import HeedClient
import HeedTestSupport
import Testing

@testable import HeedCLI

@Suite struct RequestTransportTests {
    /// curl's names for TLS, redirects, compression and proxies parse into the same meanings.
    @Test func parsesCurlOptions() throws {
        let command = try #require(
            try HeedCommand.parseAsRoot([
                "request", "-L", "--max-redirs", "3", "--compressed", "--cacert", "/tmp/ca.pem", "-k",
                "--cert", "c.pem", "--key", "k.pem", "-x", "127.0.0.1:3128", "--noproxy", "localhost",
                "https://127.0.0.1:1/",
            ]) as? RequestCommand
        )
        let options = RequestOptions(command: command).transport
        #expect(options.followRedirects && options.maxRedirects == 3 && options.compressed && options.insecure)
        #expect(options.caCertificate == "/tmp/ca.pem")
        #expect(options.clientCertificate == "c.pem" && options.clientKey == "k.pem")
        #expect(options.proxy == "127.0.0.1:3128" && options.noProxy == "localhost")

        let plain = try #require(try HeedCommand.parseAsRoot(["request", "http://127.0.0.1/"]) as? RequestCommand)
        let defaults = RequestOptions(command: plain).transport
        #expect(!defaults.followRedirects && defaults.maxRedirects == 50 && !defaults.compressed && !defaults.insecure)
    }

    /// Unbounded redirects and half a client identity are usage errors.
    @Test(arguments: [
        ["request", "--max-redirs", "-1", "http://127.0.0.1/"],
        ["request", "--cert", "c.pem", "http://127.0.0.1/"],
    ])
    func rejectsBadUsage(arguments: [String]) {
        #expect(throws: (any Error).self) { try HeedCommand.parseAsRoot(arguments) }
    }

    /// Without -L a redirect is the result (as curl); with -L it is followed, and -w tells where it ended.
    @Test func followsOnlyWithLocation() async throws {
        let server = try await HTTPTestServer { request in
            request.uri == "/old"
                ? .init(status: 302, headers: [("Location", "/new")], text: "moved") : .init(text: "new")
        }
        defer { server.close() }
        var options = RequestOptions(url: server.url("/old"))
        options.writeOut = " %{http_code} %{num_redirects}"
        let unfollowed = await RequestRunner.run(options)
        #expect(String(decoding: unfollowed.stdout, as: UTF8.self) == "moved 302 0")

        options.transport.followRedirects = true
        options.writeOut = " %{http_code} %{num_redirects} %{url_effective}"
        let followed = await RequestRunner.run(options)
        #expect(String(decoding: followed.stdout, as: UTF8.self) == "new 200 1 \(server.url("/new"))")

        options.transport.maxRedirects = 0
        let limited = await RequestRunner.run(options)
        #expect(limited.exitCode == 47)
    }

    /// With -L and -o the body streams to the file from the final response of the chain.
    @Test func followsWhileStreamingToAFile() async throws {
        let server = try await HTTPTestServer { request in
            request.uri == "/old"
                ? .init(status: 301, headers: [("Location", "/new")], text: "moved") : .init(text: "new")
        }
        defer { server.close() }
        let path = "/tmp/heed-redirect-test-\(server.port).txt"
        defer { unlink(path) }
        var options = RequestOptions(url: server.url("/old"))
        options.transport.followRedirects = true
        options.output = path
        options.writeOut = "%{http_code} %{num_redirects} %{url_effective}"
        let result = await RequestRunner.run(options)
        #expect(result.exitCode == 0)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "200 1 \(server.url("/new"))")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
    }

    /// https:// with --cacert works; without it the certificate is not trusted (exit 60); -k warns and goes on.
    @Test func https() async throws {
        let certificates = try TestCertificates.shared()
        let server = try await HTTPTestServer(tls: .init(identity: certificates.leaf)) { _ in .init(text: "secure") }
        defer { server.close() }
        var options = RequestOptions(url: server.url("/"))
        let untrusted = await RequestRunner.run(options)
        #expect(untrusted.exitCode == 60)
        #expect(untrusted.stderr.contains("The server's certificate for 127.0.0.1 is not trusted"))

        options.transport.caCertificate = try TestCertificates.writeTemporary(certificates.caPEM, name: "cli-ca.pem")
        let trusted = await RequestRunner.run(options)
        #expect(trusted.exitCode == 0 && String(decoding: trusted.stdout, as: UTF8.self) == "secure")
        #expect(trusted.stderr.isEmpty)

        var insecure = RequestOptions(url: server.url("/"))
        insecure.transport.insecure = true
        let result = await RequestRunner.run(insecure)
        #expect(result.exitCode == 0 && String(decoding: result.stdout, as: UTF8.self) == "secure")
        #expect(result.stderr.contains("warning: --insecure"))
    }

    /// --compressed asks for gzip/deflate and prints the decompressed body.
    @Test func compressed() async throws {
        let text = String(repeating: "compress me ", count: 500)
        let server = try await HTTPTestServer(compress: true) { _ in .init(text: text) }
        defer { server.close() }
        var options = RequestOptions(url: server.url("/"))
        options.transport.compressed = true
        options.writeOut = "|%{size_download}"
        let result = await RequestRunner.run(options)
        #expect(String(decoding: result.stdout, as: UTF8.self) == text + "|\(text.utf8.count)")
        #expect(server.requests.first?.header("Accept-Encoding") != nil)
    }

    /// http_proxy from the environment is used; --noproxy sends the host directly.
    @Test func proxyFromEnvironment() async throws {
        let origin = try await HTTPTestServer { request in .init(text: "origin \(request.uri)") }
        let proxy = try await TestProxy()
        defer {
            Task {
                await origin.shutdown()
                await proxy.shutdown()
            }
        }
        var options = RequestOptions(url: origin.url("/p"))
        options.transport.environment = ["http_proxy": "http://127.0.0.1:\(proxy.port)"]
        let proxied = await RequestRunner.run(options)
        #expect(String(decoding: proxied.stdout, as: UTF8.self) == "origin /p")
        #expect(proxy.receivedHeads.count == 1)

        options.transport.noProxy = "127.0.0.1"
        let direct = await RequestRunner.run(options)
        #expect(String(decoding: direct.stdout, as: UTF8.self) == "origin /p")
        #expect(proxy.receivedHeads.count == 1)

        options.transport.environment = ["https_proxy": "socks5://127.0.0.1:1"]
        options.url = "https://127.0.0.1:1/"
        let unusable = await RequestRunner.run(options)
        #expect(unusable.exitCode == 5)
        #expect(unusable.stderr.contains("https_proxy"))
    }
}
