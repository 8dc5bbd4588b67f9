#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether exchanges record their timeline. Always on; `HEED_TIMELINE=off` in the environment (read once)
/// switches it off, so the benchmark can measure what recording costs.
enum TimelineRecording {
    static let isEnabled: Bool = {
        guard let value = getenv("HEED_TIMELINE") else { return true }
        return String(cString: value) != "off"
    }()
}
