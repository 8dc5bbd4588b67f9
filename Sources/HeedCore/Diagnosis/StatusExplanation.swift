/// What an error status most likely means for the request that got it, and what to do.
struct StatusExplanation {
    let cause: String
    let advice: [String]

    init(status: Int, method: String) {
        switch status {
        case 400:
            self.cause = "The server considered the request malformed."
            self.advice = ["Check the request head and body against what the server expects."]
        case 401:
            self.cause = "The request lacks valid credentials."
            self.advice = ["Send valid credentials (the Authorization header)."]
        case 403:
            self.cause = "The server refuses this request with these credentials."
            self.advice = ["Check the account's permissions for this target."]
        case 404:
            self.cause = "The target does not exist on the server."
            self.advice = ["Check the URL's path."]
        case 405:
            self.cause = "The server does not allow \(method) on this target."
            self.advice = ["Check which methods the target accepts."]
        case 408:
            self.cause = "The server gave up waiting for the rest of the request."
            self.advice = ["Send the body faster, or raise the server's request timeout."]
        case 411:
            self.cause = "The server requires a Content-Length for the body."
            self.advice = ["Send the body with a known length instead of chunked."]
        case 413:
            self.cause = "The request body is larger than the server accepts."
            self.advice = [
                "Send a smaller body, or raise the server's limit (nginx: client_max_body_size)."
            ]
        case 415:
            self.cause = "The server does not accept this type of body."
            self.advice = ["Check the Content-Type."]
        case 417:
            self.cause = "The server does not support Expect: 100-continue."
            self.advice = ["Send the request without Expect: 100-continue."]
        case 429:
            self.cause = "The server is limiting how often this client may send."
            self.advice = ["Wait before retrying (see the Retry-After header)."]
        case 503:
            self.cause = "The server is overloaded or down for maintenance."
            self.advice = ["Retry later.", "Check the server's logs."]
        case 500...599:
            self.cause = "The server failed while handling the request."
            self.advice = ["Check the server's logs."]
        default:
            self.cause = "The server refused the request."
            self.advice = ["Read the response body for the server's reason."]
        }
    }
}
