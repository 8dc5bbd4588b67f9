import HTTPTypes
import HeedClient
import HeedCore
import NIOCore

/// One URL of a `heed request` call, sent over the call's shared client so several URLs reuse one connection.
///
/// With `-o` or a progress bar the response body streams (to the file or to standard output) as it arrives, so a
/// download never sits whole in memory; otherwise the body is collected, which keeps the client's notes for `-v`.
struct RequestExchange {
    /// How one URL ended.
    struct Outcome {
        var stderr = ""
        var exitCode: Int32 = 0
        var entry: RequestReport.Entry
    }

    /// What a streamed response leaves behind for `-w`, `--fail` and the early-answer sentence.
    private struct Streamed: Sendable {
        var head: HTTPResponse
        var sentAtResponse: Int64
        var downloaded: Int64 = 0
        /// The URL that answered, and how many redirects led there.
        var url: String = ""
        var redirects = 0
    }

    let options: RequestOptions
    let client: HTTPClient
    let upload: UploadSource?
    let meter: ProgressMeter
    let output: RequestOutput

    /// Sends the request to `text` and writes the body where the options say.
    func run(url text: String) async -> Outcome {
        let started = ContinuousClock.now
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: text)
        } catch {
            return self.failure(text, message: error.description, exitCode: 3)
        }
        guard let request = self.makeRequest(url) else {
            return self.failure(text, message: "'\(self.options.method ?? "")' is not an HTTP method.", exitCode: 2)
        }
        let body = self.upload?.makeBody(meter: self.meter)
        self.meter.exchangeStarted(hasUpload: self.upload != nil, uploadTotal: self.upload?.knownLength)
        defer { self.meter.exchangeEnded() }
        let timeout = self.options.maxTime.map { Duration.milliseconds(Int64($0 * 1000)) }
        do {
            // Stream to the file or the terminal (the streaming path follows redirects too, with -L).
            if self.options.output != nil || self.meter.isEnabled {
                let streamed = try await self.client.execute(request, body: body, timeout: timeout) { response in
                    try await self.consume(response)
                }
                return self.finish(text, streamed: streamed, elapsed: ContinuousClock.now - started)
            }
            let response = try await self.client.execute(request, body: body, timeout: timeout)
            return self.finish(text, response: response, elapsed: ContinuousClock.now - started)
        } catch let error as HTTPClientError {
            // The summary sentence is the first line; -v adds the whole report (timeline, TCP info) after it.
            var outcome = self.failure(
                text,
                message: self.options.verbose ? error.report : error.description,
                exitCode: RequestRunner.exitCode(for: error)
            )
            outcome.entry.summary = error.description
            outcome.entry.diagnosis = error.diagnosis
            outcome.entry.notes = error.diagnosis?.notes ?? []
            outcome.entry.timeline = error.timeline
            return outcome
        } catch let error as DownloadFileError {
            return self.failure(text, message: error.description, exitCode: 23)
        } catch {
            return self.failure(text, message: "\(error)", exitCode: 26)
        }
    }

    // MARK: - Helpers

    private func makeRequest(_ url: HTTPURL) -> HTTPRequest? {
        guard let method = HTTPRequest.Method(self.options.method ?? (self.upload == nil ? "GET" : "POST")) else {
            return nil
        }
        var request = HTTPRequest(method: method, scheme: url.scheme, authority: url.authority, path: url.target)
        request.headerFields = self.options.headerFields(for: url)
        return request
    }

    /// Reads a streamed response into the output file or standard output, counting for the progress bar.
    private func consume(_ response: HTTPClientStreamingResponse) async throws -> Streamed {
        let length = response.head.headerFields[.contentLength].flatMap { Int64($0) }
        let sentAtResponse = response.requestBodyBytesSentAtResponse
        let early = self.upload.map { sentAtResponse < $0.length } ?? false
        self.meter.responseArrived(
            status: response.status.code,
            length: length,
            earlyAfter: early ? sentAtResponse : nil
        )
        var streamed = Streamed(head: response.head, sentAtResponse: response.requestBodyBytesSentAtResponse)
        streamed.url = response.url?.description ?? ""
        streamed.redirects = response.redirectCount
        // --fail prints no body; returning without reading it closes the connection.
        if self.options.fail && response.status.code >= 400 { return streamed }
        let head = self.options.include ? Array(RequestRunner.headText(response.head).utf8) : []
        if let path = self.options.output, path != "-" {
            let file = try await DownloadFile.create(path)
            do {
                if !head.isEmpty { try await file.write(ByteBuffer(bytes: head)) }
                for try await part in response.body {
                    try await file.write(part)
                    streamed.downloaded += Int64(part.readableBytes)
                    self.meter.bodyBytesReceived(part.readableBytes)
                }
            } catch {
                file.discard()
                throw error
            }
            try await file.commit()
        } else {
            // The body goes to the terminal too: finish the progress line first so the two do not mix.
            self.meter.exchangeEnded()
            if !head.isEmpty { self.output.write(head) }
            for try await part in response.body {
                self.output.write(Array(part.readableBytesView))
                streamed.downloaded += Int64(part.readableBytes)
                self.meter.bodyBytesReceived(part.readableBytes)
            }
        }
        return streamed
    }

    private func finish(_ url: String, streamed: Streamed, elapsed: Duration) -> Outcome {
        let sent = max(self.meter.snapshot.uploaded, streamed.sentAtResponse)
        let early = self.upload.map { streamed.sentAtResponse < $0.length } ?? false
        let facts = WriteOut.Facts(
            status: streamed.head.status.code,
            sizeDownload: streamed.downloaded,
            sizeUpload: sent,
            earlyResponse: early,
            elapsed: elapsed,
            urlEffective: streamed.url,
            redirects: streamed.redirects
        )
        var summary: String?
        if early, let upload = self.upload {
            summary =
                "The server answered \(streamed.head.status.code) after \(HumanUnits.bytes(streamed.sentAtResponse)) "
                + "of \(HumanUnits.bytes(upload.length)) of the request body; the rest was not sent."
        }
        return self.answered(url, head: streamed.head, facts: facts, summary: summary, notes: [], timeline: nil)
    }

    private func finish(_ url: String, response: HTTPClientResponse, elapsed: Duration) -> Outcome {
        let failing = self.options.fail && response.status.code >= 400
        if !failing {
            if self.options.include { self.output.write(Array(RequestRunner.headText(response.head).utf8)) }
            if self.options.output == "-" || self.options.output == nil {
                self.output.write(Array(response.body.readableBytesView))
            }
        }
        let facts = WriteOut.Facts(
            status: response.status.code,
            sizeDownload: Int64(response.body.readableBytes),
            sizeUpload: response.requestBodyBytesSent,
            earlyResponse: response.requestBodyStoppedEarly,
            elapsed: elapsed,
            urlEffective: response.url?.description ?? "",
            redirects: response.redirectCount
        )
        return self.answered(
            url,
            head: response.head,
            facts: facts,
            summary: response.earlyResponseSummary,
            notes: response.notes,
            timeline: response.timeline
        )
    }

    /// The common ending of a response: `-w`, the early-answer sentence, `-v` notes and `--fail`.
    private func answered(
        _ url: String,
        head: HTTPResponse,
        facts: WriteOut.Facts,
        summary: String?,
        notes: [String],
        timeline: ExchangeTimeline?
    ) -> Outcome {
        let status = head.status.code
        var outcome = Outcome(
            entry: RequestReport.Entry(
                url: url,
                outcome: "response",
                status: status,
                exitCode: 0,
                summary: summary ?? "The server answered \(status) \(head.status.reasonPhrase).",
                diagnosis: timeline.map { DiagnosisEngine.diagnose($0) },
                notes: notes,
                timeline: timeline
            )
        )
        if let format = self.options.writeOut { self.output.write(Array(WriteOut.render(format, facts: facts).utf8)) }
        if let summary, !self.options.silent { outcome.stderr += "heed: \(summary)\n" }
        if self.options.verbose {
            for note in notes { outcome.stderr += "heed: note: \(note)\n" }
        }
        if self.options.fail && status >= 400 {
            outcome.exitCode = 22
            outcome.entry.exitCode = 22
            if !self.options.silent || self.options.showError {
                outcome.stderr += "heed: The server answered \(status) \(head.status.reasonPhrase) (--fail).\n"
            }
        }
        return outcome
    }

    private func failure(_ url: String, message: String, exitCode: Int32) -> Outcome {
        var outcome = Outcome(
            exitCode: exitCode,
            entry: RequestReport.Entry(url: url, outcome: "failure", exitCode: exitCode, summary: message, notes: [])
        )
        if !self.options.silent || self.options.showError { outcome.stderr = "heed: \(message)\n" }
        return outcome
    }
}
