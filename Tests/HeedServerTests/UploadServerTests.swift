import HTTPTypes
import HeedCore
import HeedServer
import HeedTestSupport
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct UploadServerTests {
    private static func makeDirectory() throws -> String {
        var template = Array("/tmp/heed-upload-test-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw ServerTestFailure.serverDidNotStart }
        return String(cString: path)
    }

    private static func fileNames(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// An upload with Expect: 100-continue gets 100 Continue, is stored whole, and can be read back.
    @Test func acceptedUploadGetsContinueAndIsStored() async throws {
        let directory = try Self.makeDirectory()
        let store = UploadStore(directory: directory)
        let routes = UploadRoutes(store: store, token: "secret", maxBody: 1 << 20, hello: false)
        let (put, get) = try await withTestServer(responder: routes.decide) { port in
            let putClient = ServerRawClient(
                port: port,
                head: "PUT /data.bin HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer secret\r\n"
                    + "Content-Length: 300000\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
                bodyBytes: 300_000
            )
            let getClient = ServerRawClient(
                port: port,
                head: "GET /data.bin HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer secret\r\nConnection: close\r\n\r\n",
                bodyBytes: 0
            )
            let put = try await runRawClients(putClient, count: 1).first
            let get = try await runRawClients(getClient, count: 1).first
            return (put, get)
        }
        #expect(put?.sawContinue == true)
        #expect(put?.statusCode == 201)
        #expect(get?.statusCode == 200)
        #expect(get?.contentLength == 300_000 && get?.receivedWholeResponse == true)
        let stored = try store.load(name: "data.bin", maxBytes: 1 << 20)
        #expect(stored == ByteBuffer(repeating: UInt8(ascii: "x"), count: 300_000))
        #expect(Self.fileNames(in: directory) == ["data.bin"])
    }

    /// Without the token the upload gets 401 with no 100 Continue, and nothing is stored.
    @Test func missingTokenIsRejectedOnTheHead() async throws {
        let directory = try Self.makeDirectory()
        let routes = UploadRoutes(
            store: UploadStore(directory: directory),
            token: "secret",
            maxBody: 1 << 20,
            hello: false
        )
        let outcome = try await withTestServer(responder: routes.decide) { port in
            let client = ServerRawClient(
                port: port,
                head: uploadHead(length: 500_000, expectContinue: true),
                bodyBytes: 500_000
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.statusCode == 401)
        #expect(outcome?.sawContinue == false)
        #expect(outcome?.ending == .fin)
        #expect(Self.fileNames(in: directory).isEmpty)
    }

    /// Names that could leave the directory are refused.
    @Test(arguments: ["/../etc/passwd", "/.hidden", "/a/b", "/%2e%2e", "/"])
    func unsafeNamesAreRefused(path: String) async throws {
        let directory = try Self.makeDirectory()
        let routes = UploadRoutes(store: UploadStore(directory: directory), token: nil, maxBody: 1 << 20, hello: false)
        let outcome = try await withTestServer(responder: routes.decide) { port in
            let client = ServerRawClient(
                port: port,
                head: "PUT \(path) HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: close\r\n\r\n",
                bodyBytes: 10
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.statusCode == 400)
        #expect(Self.fileNames(in: directory).isEmpty)
    }

    /// An upload cut off mid-body leaves no file and no temporary file behind.
    @Test func abortedUploadLeavesNothing() async throws {
        let directory = try Self.makeDirectory()
        let routes = UploadRoutes(store: UploadStore(directory: directory), token: nil, maxBody: 1 << 20, hello: false)
        let outcome = try await withTestServer(responder: routes.decide) { port in
            let client = ServerRawClient(
                port: port,
                head: "PUT /partial HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n",
                bodyBytes: 50_000,
                timeoutMilliseconds: 300
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.statusCode == nil)
        #expect(outcome?.bytesSent == 50_000)
        // The server has stopped and awaited every request's work before withTestServer returned.
        #expect(Self.fileNames(in: directory).isEmpty)
    }

    /// File names are checked character by character.
    @Test func nameValidation() {
        #expect(UploadStore.isValidName("report-1.final_v2.txt"))
        #expect(!UploadStore.isValidName(""))
        #expect(!UploadStore.isValidName(".."))
        #expect(!UploadStore.isValidName("a/b"))
        #expect(!UploadStore.isValidName("a\u{0}b"))
        #expect(!UploadStore.isValidName(String(repeating: "a", count: 256)))
    }

    /// A large accepted body streams to a consumer that yields on every part, with back-pressure, and arrives whole.
    @Test func largeAcceptedBodyStreamsWhole() async throws {
        let bodyBytes = 8 * 1024 * 1024
        let limits = ServerLimits(maxBodySize: bodyBytes)
        let responder: HeadResponder = { _ in
            .accept { _, body in
                var total = 0
                for try await part in body {
                    total += part.readableBytes
                    await Task.yield()
                }
                return ServerResponse(status: .ok, text: "\(total)")
            }
        }
        let outcome = try await withTestServer(HeedServerConfiguration(limits: limits), responder: responder) { port in
            let client = ServerRawClient(
                port: port,
                head: "PUT /big HTTP/1.1\r\nHost: a\r\nContent-Length: \(bodyBytes)\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n",
                bodyBytes: bodyBytes
            )
            return try await runRawClients(client, count: 1).first
        }
        #expect(outcome?.sawContinue == true)
        #expect(outcome?.statusCode == 200)
        #expect(outcome?.contentLength == String(bodyBytes).utf8.count)
        #expect(outcome?.bytesSent == bodyBytes)
        #expect(outcome?.ending == .fin)
    }
}
