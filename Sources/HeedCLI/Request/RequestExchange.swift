import HTTPTypes
import HeedClient
import HeedCore
import NIOCore

/// One URL of a `heed request` call, sent over the call's shared client so several URLs reuse one connection.
///
/// The response body always streams to its destination (the `-o` file or standard output) as it arrives, in
/// order, each piece written before the next is read: a download of any size never sits whole in memory, and a
/// slow reader holds the server back instead of filling memory.
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
            return await self.failure(text, message: error.description, exitCode: 3, elapsed: .zero)
        }
        guard let request = self.makeRequest(url) else {
            let message = "'\(self.options.method ?? "")' is not an HTTP method."
            return await self.failure(text, message: message, exitCode: 2, elapsed: .zero)
        }
        let body = self.upload?.makeBody(meter: self.meter)
        self.meter.exchangeStarted(hasUpload: self.upload != nil, uploadTotal: self.upload?.knownLength)
        defer { self.meter.exchangeEnded() }
        let timeout = self.options.maxTime.map { Duration.milliseconds(Int64($0 * 1000)) }
        do {
            // The streaming path follows redirects too, with -L.
            let (streamed, timeline) = try await self.client.executeWithTimeline(
                request,
                body: body,
                timeout: timeout
            ) { response in
                try await self.consume(response)
            }
            return await self.finish(
                text,
                streamed: streamed,
                timeline: timeline,
                elapsed: ContinuousClock.now - started
            )
        } catch let error as HTTPClientError {
            // The summary sentence is the first line; -v adds the whole report (timeline, TCP info) after it.
            var outcome = await self.failure(
                text,
                message: self.options.verbose ? error.report : error.description,
                exitCode: RequestRunner.exitCode(for: error),
                elapsed: ContinuousClock.now - started
            )
            outcome.entry.summary = error.description
            outcome.entry.diagnosis = error.diagnosis
            outcome.entry.notes = error.diagnosis?.notes ?? []
            outcome.entry.timeline = error.timeline
            return outcome
        } catch let error as DownloadFileError {
            return await self.failure(
                text,
                message: error.description,
                exitCode: 23,
                elapsed: ContinuousClock.now - started
            )
        } catch {
            return await self.failure(text, message: "\(error)", exitCode: 26, elapsed: ContinuousClock.now - started)
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
        // -I with -X: the response is taken as HEAD's, head only; its body, if any, is left unread.
        let readsBody = !self.options.skipsResponseBody
        if let path = self.options.output, path != "-" {
            let file = try await DownloadFile.create(path)
            do {
                if !head.isEmpty { try await file.write(ByteBuffer(bytes: head)) }
                if readsBody {
                    for try await part in response.body {
                        try await file.write(part)
                        streamed.downloaded += Int64(part.readableBytes)
                        self.meter.bodyBytesReceived(part.readableBytes)
                    }
                }
            } catch {
                file.discard()
                throw error
            }
            try await file.commit()
        } else {
            // The body goes to the terminal too: finish the progress line first so the two do not mix.
            self.meter.exchangeEnded()
            if !head.isEmpty { try await self.output.write(head) }
            guard readsBody else { return streamed }
            for try await part in response.body {
                try await self.output.write(Array(part.readableBytesView))
                streamed.downloaded += Int64(part.readableBytes)
                self.meter.bodyBytesReceived(part.readableBytes)
            }
        }
        return streamed
    }

    private func finish(
        _ url: String,
        streamed: Streamed,
        timeline: ExchangeTimeline?,
        elapsed: Duration
    ) async -> Outcome {
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
        return await self.answered(url, head: streamed.head, facts: facts, summary: summary, timeline: timeline)
    }

    /// The common ending of a response: `-w`, the early-answer sentence, `-v` notes and `--fail`.
    private func answered(
        _ url: String,
        head: HTTPResponse,
        facts: WriteOut.Facts,
        summary: String?,
        timeline: ExchangeTimeline?
    ) async -> Outcome {
        let status = head.status.code
        let diagnosis = timeline.map { DiagnosisEngine.diagnose($0) }
        let notes = diagnosis?.notes ?? []
        var outcome = Outcome(
            entry: RequestReport.Entry(
                url: url,
                outcome: "response",
                status: status,
                exitCode: 0,
                summary: summary ?? "The server answered \(status) \(head.status.reasonPhrase).",
                diagnosis: diagnosis,
                notes: notes,
                timeline: timeline
            )
        )
        if let failure = await self.writeOut(facts) {
            outcome.exitCode = 23
            outcome.entry.exitCode = 23
            if !self.options.silent || self.options.showError { outcome.stderr += "heed: \(failure)\n" }
        }
        if let summary, !self.options.silent { outcome.stderr += "heed: \(summary)\n" }
        if self.options.verbose {
            for note in notes { outcome.stderr += "heed: note: \(note)\n" }
        }
        if self.options.fail && status >= 400 && outcome.exitCode == 0 {
            outcome.exitCode = 22
            outcome.entry.exitCode = 22
            if !self.options.silent || self.options.showError {
                outcome.stderr += "heed: The server answered \(status) \(head.status.reasonPhrase) (--fail).\n"
            }
        }
        return outcome
    }

    /// A URL that got no response (or whose body could not be written): the reason on stderr, and `-w` still
    /// printed, with `%{http_code}` `000` as curl prints it.
    private func failure(_ url: String, message: String, exitCode: Int32, elapsed: Duration) async -> Outcome {
        var outcome = Outcome(
            exitCode: exitCode,
            entry: RequestReport.Entry(url: url, outcome: "failure", exitCode: exitCode, summary: message, notes: [])
        )
        if !self.options.silent || self.options.showError { outcome.stderr = "heed: \(message)\n" }
        let facts = WriteOut.Facts(
            status: 0,
            sizeDownload: 0,
            sizeUpload: 0,
            earlyResponse: false,
            elapsed: elapsed,
            urlEffective: url
        )
        // When standard output is what failed, -w fails too; the first failure is the one reported.
        _ = await self.writeOut(facts)
        return outcome
    }

    /// Writes `-w`'s text, if asked for, to standard output.
    /// - Returns: the write's failure, if it failed.
    private func writeOut(_ facts: WriteOut.Facts) async -> DownloadFileError? {
        guard let format = self.options.writeOut else { return nil }
        do {
            try await self.output.write(Array(WriteOut.render(format, facts: facts).utf8))
            return nil
        } catch let error as DownloadFileError {
            return error
        } catch {
            return DownloadFileError(message: "Failure writing output: \(error).")
        }
    }
}
