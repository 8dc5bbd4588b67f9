extension StringProtocol {
    /// The text without its leading and trailing characters for which `isTrimmed` is true.
    package func trimming(while isTrimmed: (Character) -> Bool) -> SubSequence {
        guard let first = self.firstIndex(where: { !isTrimmed($0) }),
            let last = self.lastIndex(where: { !isTrimmed($0) })
        else { return self[self.endIndex...] }
        return self[first...last]
    }

    /// The text without its leading and trailing spaces and tabs: a field value without its optional whitespace
    /// (RFC 9110 §5.5).
    package var trimmingOptionalWhitespace: SubSequence { self.trimming { $0 == " " || $0 == "\t" } }
}
