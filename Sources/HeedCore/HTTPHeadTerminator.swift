/// Where an HTTP/1.1 head ends in raw bytes: the first `\r\n\r\n`.
public enum HTTPHeadTerminator {
    /// The index of the first `\r\n\r\n` in `bytes`, if there is one; the head is `bytes[..<index]` and the body
    /// starts at `index + 4`.
    public static func index(in bytes: [UInt8]) -> Int? {
        Self.index(in: bytes[...])
    }

    /// The index (in the array it slices) of the first `\r\n\r\n` in `bytes`, if there is one: the search can
    /// start past responses already read.
    public static func index(in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in bytes.startIndex...(bytes.endIndex - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
