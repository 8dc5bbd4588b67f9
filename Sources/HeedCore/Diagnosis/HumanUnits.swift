/// Formats byte counts and durations for people: `"1.1 MB"`, `"32 MB"`, `"250 ms"`, `"1.5 s"`.
///
/// Byte counts use decimal units (1 KB = 1000 bytes) with at most one decimal, and drop a trailing `.0`.
public enum HumanUnits {
    /// Formats a byte count, such as `"512 B"`, `"64 KB"`, `"1.1 MB"` or `"32 MB"`.
    ///
    /// - Parameter count: A number of bytes; negative counts are shown as `0 B`.
    /// - Returns: The count in B, KB, MB, GB or TB.
    public static func bytes(_ count: Int64) -> String {
        let count = max(count, 0)
        if count < 1000 {
            return "\(count) B"
        }
        let units = ["KB", "MB", "GB", "TB", "PB", "EB"]
        var unitIndex = 0
        var divisor: Int64 = 1000
        var tenths = Self.roundedTenths(count, divisor: divisor)
        // 999_960 bytes rounds to 1000.0 KB: show it as 1 MB instead.
        while tenths >= 10_000, unitIndex < units.count - 1 {
            unitIndex += 1
            divisor *= 1000
            tenths = Self.roundedTenths(count, divisor: divisor)
        }
        return "\(Self.oneDecimal(tenths)) \(units[unitIndex])"
    }

    /// Formats a duration given in nanoseconds, such as `"40 µs"`, `"1.2 ms"`, `"250 ms"`, `"1.5 s"` or `"30 s"`.
    ///
    /// - Parameter nanoseconds: The duration.
    /// - Returns: The duration in whole µs below a millisecond, else in ms below a second, else in s; ms and s
    ///   have at most one decimal.
    public static func duration(nanoseconds: UInt64) -> String {
        let value = Int64(clamping: nanoseconds)
        if value < 999_500 {
            return "\((value + 500) / 1000) µs"
        }
        if value < 999_950_000 {
            return "\(Self.oneDecimal(Self.roundedTenths(value, divisor: 1_000_000))) ms"
        }
        return "\(Self.oneDecimal(Self.roundedTenths(value, divisor: 1_000_000_000))) s"
    }

    /// `count / divisor` in tenths, rounded half up, without overflow. `divisor` is a multiple of 10.
    private static func roundedTenths(_ count: Int64, divisor: Int64) -> Int64 {
        let tenth = divisor / 10
        let quotient = count / tenth
        return quotient + (count % tenth >= tenth - tenth / 2 ? 1 : 0)
    }

    /// `"1.1"` for 11 tenths, `"32"` for 320 tenths.
    private static func oneDecimal(_ tenths: Int64) -> String {
        let whole = tenths / 10
        let fraction = tenths % 10
        return fraction == 0 ? "\(whole)" : "\(whole).\(fraction)"
    }
}

extension UInt64 {
    /// `self - other`, or 0 when `other` is larger (times from a decoded timeline need not be ordered).
    func saturatingSubtract(_ other: UInt64) -> UInt64 {
        self > other ? self - other : 0
    }
}
