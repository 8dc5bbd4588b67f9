/// The file-system errors that the socket-error catalogue leaves out, so that a failed read of a request body file
/// names its error (`EISDIR (Is a directory)`) instead of "Unknown error". Linux numbering, glibc's texts.
extension SystemErrorInfo {
    /// Name and message of each error number, for the numbers the catalogue has no entry for.
    static let fileErrors: [Int32: (name: String, message: String)] = [
        6: ("ENXIO", "No such device or address"),
        16: ("EBUSY", "Device or resource busy"),
        19: ("ENODEV", "No such device"),
        20: ("ENOTDIR", "Not a directory"),
        21: ("EISDIR", "Is a directory"),
        26: ("ETXTBSY", "Text file busy"),
        27: ("EFBIG", "File too large"),
        28: ("ENOSPC", "No space left on device"),
        29: ("ESPIPE", "Illegal seek"),
        30: ("EROFS", "Read-only file system"),
        75: ("EOVERFLOW", "Value too large for defined data type"),
        116: ("ESTALE", "Stale file handle"),
        122: ("EDQUOT", "Disk quota exceeded"),
    ]
}
