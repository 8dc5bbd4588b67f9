extension Diagnosis {
    /// The long form of the diagnosis, for logs and `heed -v`.
    ///
    /// The summary, then the timeline in two columns (what we did | what the peer did), the kernel's TCP view if
    /// recorded, the likely causes with their evidence, the advice, the notes and the catalogue entry:
    ///
    ///     The server reset the connection while the request body was being sent (...) ...
    ///
    ///     Timeline: POST http://127.0.0.1:8080/upload (127.0.0.1:8080), attempt 1
    ///          time | what we did                     | what the peer did
    ///      0.000 ms | connecting to 127.0.0.1:8080    |
    ///      0.180 ms | connected 127.0.0.1:50412 -> …  | accepted the connection
    ///
    /// - Parameter timeline: The timeline this diagnosis was made from.
    /// - Returns: Several lines of text, ending in a newline.
    public func report(timeline: ExchangeTimeline) -> String {
        var lines = [self.summary, ""]
        let via = timeline.usesTLS ? "TLS, " : ""
        let last = timeline.attempt + timeline.attemptCount - 1
        let attempts = last == timeline.attempt ? "attempt \(last)" : "attempts \(timeline.attempt)-\(last)"
        lines.append(
            "Timeline: \(timeline.method) \(timeline.target) (\(via)\(timeline.host):\(timeline.port)), \(attempts)"
        )
        lines += Self.timelineTable(timeline)
        if let info = timeline.tcpInfo {
            lines.append("")
            lines.append("Kernel view (TCP_INFO, last snapshot):")
            lines += info.reportLines.map { "  \($0)" }
        }
        if !self.causes.isEmpty {
            lines.append("")
            lines.append("Likely causes, most likely first:")
            for (index, cause) in self.causes.enumerated() {
                lines.append("  \(index + 1). \(cause.explanation)")
                lines += cause.evidence.map { "     - \($0)" }
            }
        }
        if !self.advice.isEmpty {
            lines.append("")
            lines.append("What to do:")
            lines += self.advice.map { "  - \($0)" }
        }
        if !self.notes.isEmpty {
            lines.append("")
            lines.append("Notes:")
            lines += self.notes.map { "  - \($0)" }
        }
        lines.append("")
        if let name = self.catalogueName {
            lines.append("More about \(name): heed explain \(name)")
        }
        lines.append("Phase: \(self.phase); peer: \(self.peerAction); rule: \(self.rule)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The timeline as aligned rows: `time | what we did | what the peer did`.
    static func timelineTable(_ timeline: ExchangeTimeline) -> [String] {
        var rows: [(time: String, ours: String, peer: String)] = []
        let omittedAfter = ExchangeTimeline.capacity - ExchangeTimeline.keptTail
        for (index, event) in timeline.events.enumerated() {
            if index == omittedAfter, timeline.omittedEventCount > 0 {
                rows.append(("", "... \(timeline.omittedEventCount) events omitted ...", ""))
            }
            let (ours, peer) = event.kind.columns(bodyLength: timeline.requestBodyLength)
            rows.append((Self.milliseconds(event.at), ours, peer))
        }
        let header = (time: "time", ours: "what we did", peer: "what the peer did")
        let all = [header] + rows
        let timeWidth = all.map(\.time.count).max() ?? 0
        let oursWidth = all.map(\.ours.count).max() ?? 0
        return all.map { row in
            let time = String(repeating: " ", count: timeWidth - row.time.count) + row.time
            let ours = row.ours + String(repeating: " ", count: oursWidth - row.ours.count)
            let line = "  \(time) | \(ours) | \(row.peer)"
            return row.peer.isEmpty ? String(line.dropLast()) : line
        }
    }

    /// `"12.345 ms"` for 12_345_000 nanoseconds.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micros = nanoseconds / 1000
        let fraction = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
    }
}

extension ExchangeEvent.Kind {
    /// The event in the report's two columns: what we did, and what the peer did.
    func columns(bodyLength: Int64?) -> (ours: String, peer: String) {
        func ofTotal(_ bytes: Int64) -> String {
            bodyLength.map { "\(HumanUnits.bytes(bytes)) of \(HumanUnits.bytes($0))" } ?? HumanUnits.bytes(bytes)
        }
        switch self {
        case .resolved(let addresses): return ("resolved to \(addresses.joined(separator: ", "))", "")
        case .resolutionFailed(let info): return ("name lookup failed: \(info)", "")
        case .waitingForConnection(let limit):
            let busy =
                limit == 1
                ? "the one connection allowed to this host is" : "all \(limit) connections allowed to this host are"
            return ("waiting for a connection: \(busy) busy", "")
        case .connecting(let address): return ("connecting to \(address)", "")
        case .connectFailed(let info) where info.name == "ECONNREFUSED": return ("", "refused the connection (RST)")
        case .connectFailed(let info): return ("connect failed: \(info)", "")
        case .connected(let local, let remote): return ("connected \(local) -> \(remote)", "accepted the connection")
        case .reusedConnection(let local, let remote, let previous):
            return ("reused \(local) -> \(remote) (\(previous) request\(previous == 1 ? "" : "s") before)", "")
        case .tlsEstablished(let version): return ("TLS established\(version.map { " (\($0))" } ?? "")", "")
        case .tlsFailed(let reason): return ("TLS handshake failed: \(reason)", "")
        case .requestHeadSent(let bytes): return ("sent the request head (\(HumanUnits.bytes(Int64(bytes))))", "")
        case .bodyBytesSent(let total): return ("sent body bytes: \(ofTotal(total))", "")
        case .requestBodyFinished(let total): return ("finished the body (\(HumanUnits.bytes(total)))", "")
        case .requestBodyStopped(let total): return ("stopped sending the body at \(ofTotal(total))", "")
        case .continueReceived: return ("", "100 Continue")
        case .continueTimeoutExpired: return ("no 100 Continue in time: sending the body", "")
        case .responseHeadReceived(let status, let reason, let close, let length):
            var details: [String] = []
            if let length {
                details.append("Content-Length \(HumanUnits.bytes(length))")
            }
            if close {
                details.append("Connection: close")
            }
            let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
            return ("", "answered \(status) \(reason)\(suffix)")
        case .bodyBytesReceived(let total): return ("", "sent response body bytes: \(HumanUnits.bytes(total))")
        case .responseFinished(let total): return ("", "finished the response (\(HumanUnits.bytes(total)))")
        case .finReceived: return ("", "closed its side (FIN)")
        case .resetReceived: return ("", "reset the connection (RST)")
        case .writeFailed(let info): return ("write failed: \(info)", "")
        case .readFailed(let info): return ("read failed: \(info)", "")
        case .timeoutFired(let kind): return (kind.firedPhrase, "")
        case .closedByUs(let reason): return ("closed the connection: \(reason)", "")
        case .retried(let reason): return ("retrying on a new connection: \(reason)", "")
        case .tcpInfo(let info):
            let acked = info.bytesAcked.map { ", \(HumanUnits.bytes(Int64(clamping: $0))) acknowledged" } ?? ""
            return ("read TCP_INFO: \(info.state)\(acked)", "")
        }
    }
}

extension TimeoutKind {
    /// `"read-idle timeout fired"` and the like.
    var firedPhrase: String {
        switch self {
        case .connect: "connect timeout fired"
        case .proxyConnect: "connect timeout fired waiting for the proxy's CONNECT answer"
        case .tlsHandshake: "connect timeout fired in the TLS handshake"
        case .readIdle: "read-idle timeout fired"
        case .request: "request deadline expired"
        case .continueWait: "100-continue wait expired"
        }
    }
}

extension TCPInfoSnapshot {
    /// The snapshot as `name  value` lines for the report.
    var reportLines: [String] {
        func bytes(_ value: UInt64?) -> String {
            guard let value else {
                return "not reported"
            }
            return value < 1000 ? "\(value) B" : "\(HumanUnits.bytes(Int64(clamping: value))) (\(value) B)"
        }
        let rtt = HumanUnits.duration(nanoseconds: UInt64(self.rttMicros) * 1000)
        let rttVar = HumanUnits.duration(nanoseconds: UInt64(self.rttVarMicros) * 1000)
        let rows = [
            ("state", self.state),
            ("bytes acknowledged", bytes(self.bytesAcked)),
            ("bytes sent", bytes(self.bytesSent)),
            ("unacknowledged", "\(self.unacked) segments"),
            ("retransmits", "\(self.retransmits) now, \(self.totalRetransmits) in total"),
            ("round trip", "\(rtt) (variation \(rttVar))"),
            ("congestion window", "\(self.sndCwnd) segments"),
            ("not yet sent", self.notSentBytes.map { bytes(UInt64($0)) } ?? "not reported"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "\($0.0)\(String(repeating: " ", count: width - $0.0.count))  \($0.1)" }
    }
}
