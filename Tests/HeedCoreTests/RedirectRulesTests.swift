import HeedCore
import Testing

@Suite struct RedirectRulesTests {
    /// 303 turns everything but HEAD into a body-less GET.
    @Test func seeOther() {
        #expect(
            RedirectRules.responseReceived(status: 303, method: "POST", hasBody: true, bodyReplayable: false)
                == .follow(method: "GET", keepsBody: false)
        )
        #expect(
            RedirectRules.responseReceived(status: 303, method: "PUT", hasBody: true, bodyReplayable: true)
                == .follow(method: "GET", keepsBody: false)
        )
        #expect(
            RedirectRules.responseReceived(status: 303, method: "HEAD", hasBody: false, bodyReplayable: true)
                == .follow(method: "HEAD", keepsBody: false)
        )
    }

    /// 301 and 302 turn a POST into a GET, and resend other methods as they were.
    @Test(arguments: [301, 302])
    func movedAndFound(status: Int) {
        #expect(
            RedirectRules.responseReceived(status: status, method: "POST", hasBody: true, bodyReplayable: false)
                == .follow(method: "GET", keepsBody: false)
        )
        #expect(
            RedirectRules.responseReceived(status: status, method: "GET", hasBody: false, bodyReplayable: true)
                == .follow(method: "GET", keepsBody: false)
        )
        #expect(
            RedirectRules.responseReceived(status: status, method: "PUT", hasBody: true, bodyReplayable: true)
                == .follow(method: "PUT", keepsBody: true)
        )
        #expect(
            RedirectRules.responseReceived(status: status, method: "PUT", hasBody: true, bodyReplayable: false)
                == .returnResponse
        )
    }

    /// 307 and 308 keep method and body; a body that cannot be replayed stops the chain.
    @Test(arguments: [307, 308])
    func temporaryAndPermanent(status: Int) {
        #expect(
            RedirectRules.responseReceived(status: status, method: "POST", hasBody: true, bodyReplayable: true)
                == .follow(method: "POST", keepsBody: true)
        )
        #expect(
            RedirectRules.responseReceived(status: status, method: "POST", hasBody: true, bodyReplayable: false)
                == .returnResponse
        )
        #expect(
            RedirectRules.responseReceived(status: status, method: "DELETE", hasBody: false, bodyReplayable: false)
                == .follow(method: "DELETE", keepsBody: false)
        )
    }

    /// Other statuses are never followed, 300 and 304 included.
    @Test(arguments: [200, 300, 304, 305, 306, 404])
    func others(status: Int) {
        #expect(
            RedirectRules.responseReceived(status: status, method: "GET", hasBody: false, bodyReplayable: true)
                == .returnResponse
        )
    }

    /// The chain follows up to its limit, then refuses; a URL seen before is a loop.
    @Test func chain() throws {
        let a = try HTTPURL(parsing: "http://127.0.0.1/a")
        let b = try HTTPURL(parsing: "http://127.0.0.1/b")
        let c = try HTTPURL(parsing: "http://127.0.0.1/c")
        var chain = RedirectChain(start: a, limit: 2)
        #expect(chain.redirectReceived(to: b) == .follow)
        #expect(chain.count == 1)
        #expect(chain.redirectReceived(to: a) == .loop([a, b, a]))
        #expect(chain.redirectReceived(to: c) == .follow)
        #expect(chain.redirectReceived(to: try HTTPURL(parsing: "http://127.0.0.1/d")) == .tooMany(limit: 2))
        #expect(chain.description == "http://127.0.0.1/a → http://127.0.0.1/b → http://127.0.0.1/c")

        var none = RedirectChain(start: a, limit: 0)
        #expect(none.redirectReceived(to: b) == .tooMany(limit: 0))
    }

    /// A loop is the same method to the same URL: Post/Redirect/Get to the form's own URL is followed, a GET that
    /// comes back to it is a loop.
    @Test func postRedirectGetToTheSameURLIsNoLoop() throws {
        let form = try HTTPURL(parsing: "http://127.0.0.1/form")
        var chain = RedirectChain(start: form, method: "POST", limit: 5)
        #expect(chain.redirectReceived(to: form, method: "GET") == .follow)
        #expect(chain.redirectReceived(to: form, method: "GET") == .loop([form, form, form]))
    }
}
