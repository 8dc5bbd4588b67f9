/// Reads a proxy's answer to `CONNECT host:port` (RFC 9110 §9.3.6).
public enum ProxyConnectResponse: Hashable, Sendable {
    /// The head has not fully arrived yet.
    case incomplete
    /// A 2xx: the tunnel is open. `headLength` bytes belong to the proxy; anything after them is the origin's.
    case established(headLength: Int)
    /// Any other status: no tunnel.
    case refused(status: Int, reason: String)
    /// Not an HTTP response, or a head larger than the limit.
    case invalid(String)

    /// The longest proxy response head accepted.
    public static let maximumHeadLength = 16 * 1024

    /// Parses the bytes received so far.
    public static func bytesReceived(_ bytes: some Collection<UInt8>) -> Self {
        let bytes = Array(bytes)
        guard let end = HTTPHeadTerminator.index(in: bytes) else {
            return bytes.count > Self.maximumHeadLength
                ? .invalid("its response head is longer than \(Self.maximumHeadLength) bytes") : .incomplete
        }
        let lineEnd = bytes.firstIndex(of: 13) ?? end
        let statusLine = String(decoding: bytes[..<lineEnd], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            return .invalid("it answered '\(statusLine.prefix(80))', which is not an HTTP response")
        }
        guard (200..<300).contains(status) else {
            return .refused(status: status, reason: parts.count > 2 ? String(parts[2]) : "")
        }
        return .established(headLength: end + 4)
    }
}
