/// Where an HTTP/1.1 head ends in raw bytes: the first `\r\n\r\n`.
public enum HTTPHeadTerminator {
    /// The index of the first `\r\n\r\n` in `bytes`, if there is one; the head is `bytes[..<index]` and the body
    /// starts at `index + 4`.
    public static func index(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
