/// One way to read a bare error number: as a Linux errno, a Darwin errno, a Windows code or a `getaddrinfo` code.
public struct SocketErrorReading: Sendable, Hashable, CustomStringConvertible {
    /// The numbering, such as `Linux errno` or `Windows code`.
    public let numbering: String
    /// The number read.
    public let number: Int32
    /// The entries with that number in that numbering; empty if the catalogue has none.
    public let entries: [SocketErrorEntry]

    /// Creates a reading.
    public init(numbering: String, number: Int32, entries: [SocketErrorEntry]) {
        self.numbering = numbering
        self.number = number
        self.entries = entries
    }

    public var description: String {
        let names = self.entries.map(\.name).joined(separator: " or ")
        return "\(self.numbering) \(self.number): \(names.isEmpty ? "no socket error" : names)"
    }
}

extension SocketErrorCatalogue {
    /// Every reading of a bare number, whether or not the catalogue has an entry for it.
    ///
    /// A number of zero or more is read as a Linux errno, a Darwin errno, a Windows code and a Darwin
    /// `getaddrinfo` code. A negative number is read as a Linux (glibc) `getaddrinfo` code and as a Linux errno
    /// negated the way Node.js and libuv print it (`errno: -104`).
    ///
    /// - Parameter number: A number as it appeared in a log, such as 104 or -2.
    /// - Returns: The readings in that order; a reading's ``SocketErrorReading/entries`` is empty if that
    ///   platform has no socket error with the number.
    public static func readings(of number: Int32) -> [SocketErrorReading] {
        let index = Self.index
        func entries(_ positions: [Int]?) -> [SocketErrorEntry] { (positions ?? []).map { Self.entries[$0] } }
        if number < 0 {
            return [
                SocketErrorReading(
                    numbering: "Linux getaddrinfo code",
                    number: number,
                    entries: entries(index.byLinuxAddressInfo[number])
                ),
                SocketErrorReading(
                    numbering: "Node.js errno (a negated Linux errno)",
                    number: number,
                    entries: number == Int32.min ? [] : entries(index.byLinuxErrno[-number])
                ),
            ]
        }
        return [
            SocketErrorReading(numbering: "Linux errno", number: number, entries: entries(index.byLinuxErrno[number])),
            SocketErrorReading(
                numbering: "Darwin errno",
                number: number,
                entries: entries(index.byDarwinErrno[number])
            ),
            SocketErrorReading(
                numbering: "Windows code",
                number: number,
                entries: entries(index.byWindowsCode[number])
            ),
            SocketErrorReading(
                numbering: "Darwin getaddrinfo code",
                number: number,
                entries: entries(index.byDarwinAddressInfo[number])
            ),
        ]
    }
}
