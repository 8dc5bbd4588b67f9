import HeedCore
import Testing

@Suite struct HTTPURLResolvingTests {
    static let base = "http://a.example/b/c/d;p?q"

    /// RFC 3986 §5.4's examples, and the forms a Location field takes.
    @Test(arguments: [
        ("https://other.example/x?y", "https://other.example/x?y"),
        ("HTTP://A.example:8080/", "http://a.example:8080/"),
        ("//g.example/h", "http://g.example/h"),
        ("/g", "http://a.example/g"),
        ("g", "http://a.example/b/c/g"),
        ("./g", "http://a.example/b/c/g"),
        ("g/", "http://a.example/b/c/g/"),
        ("?y", "http://a.example/b/c/d;p?y"),
        ("g?y", "http://a.example/b/c/g?y"),
        ("#s", "http://a.example/b/c/d;p?q"),
        ("g#s", "http://a.example/b/c/g"),
        ("", "http://a.example/b/c/d;p?q"),
        (".", "http://a.example/b/c/"),
        ("./", "http://a.example/b/c/"),
        ("..", "http://a.example/b/"),
        ("../", "http://a.example/b/"),
        ("../g", "http://a.example/b/g"),
        ("../..", "http://a.example/"),
        ("../../g", "http://a.example/g"),
        ("../../../g", "http://a.example/g"),
        ("/./g", "http://a.example/g"),
        ("/../g", "http://a.example/g"),
        ("g.", "http://a.example/b/c/g."),
        ("..g", "http://a.example/b/c/..g"),
        ("./../g", "http://a.example/b/g"),
        ("g/./h", "http://a.example/b/c/g/h"),
        ("g/../h", "http://a.example/b/c/h"),
        ("  /spaced  ", "http://a.example/spaced"),
        // As browsers do: spaces, controls and non-ASCII are percent-encoded, tabs and line breaks removed.
        ("/a b.pdf", "http://a.example/a%20b.pdf"),
        ("caf\u{E9}?q=\u{20AC} 1", "http://a.example/b/c/caf%C3%A9?q=%E2%82%AC%201"),
        ("/x\ty\r\nz", "http://a.example/xyz"),
        ("/already%20encoded", "http://a.example/already%20encoded"),
    ])
    func resolves(reference: String, expected: String) throws {
        let base = try HTTPURL(parsing: Self.base)
        #expect(try base.resolving(reference).description == expected)
    }

    /// A base with a port keeps it for relative references; an absolute Location replaces everything.
    @Test func keepsPortAndScheme() throws {
        let base = try HTTPURL(parsing: "https://127.0.0.1:8443/dir/page")
        #expect(try base.resolving("next").description == "https://127.0.0.1:8443/dir/next")
        #expect(try base.resolving("//127.0.0.1:9000/x").description == "https://127.0.0.1:9000/x")
        #expect(try base.resolving("http://127.0.0.1/").port == 80)
    }

    /// A Location with another scheme cannot be followed; the error says why.
    @Test(arguments: ["ftp://a.example/x", "mailto:x@a.example"])
    func rejects(reference: String) throws {
        let base = try HTTPURL(parsing: Self.base)
        #expect(throws: HTTPURLError.self) { try base.resolving(reference) }
    }

    /// Same origin means scheme, host and port all equal.
    @Test func sameOrigin() throws {
        let url = try HTTPURL(parsing: "http://a.example/x")
        #expect(url.isSameOrigin(as: try HTTPURL(parsing: "http://A.example:80/other")))
        #expect(!url.isSameOrigin(as: try HTTPURL(parsing: "https://a.example/x")))
        #expect(!url.isSameOrigin(as: try HTTPURL(parsing: "http://a.example:8080/x")))
        #expect(!url.isSameOrigin(as: try HTTPURL(parsing: "http://b.example/x")))
    }
}
