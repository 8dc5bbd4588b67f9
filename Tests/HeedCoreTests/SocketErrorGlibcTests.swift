#if canImport(Glibc)
import Glibc
import HeedCore
import Testing

@Suite struct SocketErrorGlibcTests {
    /// The catalogue's Linux errno numbers are Glibc's constants.
    @Test func linuxErrnoNumbersMatchGlibc() {
        let glibc: [String: Int32] = [
            "EPERM": EPERM, "ENOENT": ENOENT, "EINTR": EINTR, "EIO": EIO, "EBADF": EBADF, "EAGAIN": EAGAIN,
            "EWOULDBLOCK": EWOULDBLOCK, "ENOMEM": ENOMEM, "EACCES": EACCES, "EFAULT": EFAULT, "EINVAL": EINVAL,
            "ENFILE": ENFILE, "EMFILE": EMFILE, "EPIPE": EPIPE, "ENAMETOOLONG": ENAMETOOLONG, "ELOOP": ELOOP,
            "ENOTSOCK": ENOTSOCK, "EDESTADDRREQ": EDESTADDRREQ, "EMSGSIZE": EMSGSIZE, "EPROTOTYPE": EPROTOTYPE,
            "ENOPROTOOPT": ENOPROTOOPT, "EPROTONOSUPPORT": EPROTONOSUPPORT, "ESOCKTNOSUPPORT": ESOCKTNOSUPPORT,
            "EOPNOTSUPP": EOPNOTSUPP, "ENOTSUP": ENOTSUP, "EPFNOSUPPORT": EPFNOSUPPORT, "EAFNOSUPPORT": EAFNOSUPPORT,
            "EADDRINUSE": EADDRINUSE, "EADDRNOTAVAIL": EADDRNOTAVAIL, "ENETDOWN": ENETDOWN,
            "ENETUNREACH": ENETUNREACH, "ENETRESET": ENETRESET, "ECONNABORTED": ECONNABORTED,
            "ECONNRESET": ECONNRESET, "ENOBUFS": ENOBUFS, "EISCONN": EISCONN, "ENOTCONN": ENOTCONN,
            "ESHUTDOWN": ESHUTDOWN, "ETOOMANYREFS": ETOOMANYREFS, "ETIMEDOUT": ETIMEDOUT,
            "ECONNREFUSED": ECONNREFUSED, "EHOSTDOWN": EHOSTDOWN, "EHOSTUNREACH": EHOSTUNREACH, "EALREADY": EALREADY,
            "EINPROGRESS": EINPROGRESS, "ECANCELED": ECANCELED, "EPROTO": EPROTO,
        ]
        for entry in SocketErrorCatalogue.entries where entry.family == .posix {
            guard let number = entry.linuxNumber else { continue }
            for name in entry.names {
                #expect(
                    glibc[name] == number,
                    "\(name): catalogue \(number), Glibc \(glibc[name].map(String.init) ?? "-")"
                )
            }
        }
        for (name, number) in glibc {
            #expect(SocketErrorCatalogue.entry(named: name)?.linuxNumber == number, "\(name) missing")
        }
    }

    /// The catalogue's Linux message is exactly what glibc's strerror prints.
    @Test func linuxMessagesMatchStrerror() {
        for entry in SocketErrorCatalogue.entries where entry.family == .posix {
            guard let number = entry.linuxNumber else { continue }
            let text = String(cString: strerror(number))
            #expect(entry.linuxMessage == text, "\(entry.name)")
        }
    }

    /// The EAI_* numbers are Glibc's constants (where Glibc exports them to Swift) and the messages are what
    /// gai_strerror prints; the GNU-only codes are checked through their gai_strerror text.
    @Test func addressInfoErrorsMatchGlibc() {
        let glibc: [String: Int32] = [
            "EAI_BADFLAGS": EAI_BADFLAGS, "EAI_NONAME": EAI_NONAME, "EAI_AGAIN": EAI_AGAIN, "EAI_FAIL": EAI_FAIL,
            "EAI_FAMILY": EAI_FAMILY, "EAI_SOCKTYPE": EAI_SOCKTYPE, "EAI_SERVICE": EAI_SERVICE,
            "EAI_MEMORY": EAI_MEMORY, "EAI_SYSTEM": EAI_SYSTEM, "EAI_OVERFLOW": EAI_OVERFLOW,
        ]
        for (name, number) in glibc {
            #expect(SocketErrorCatalogue.entry(named: name)?.linuxNumber == number, "\(name)")
        }
        var linuxCount = 0
        for entry in SocketErrorCatalogue.entries where entry.family == .addressInfo {
            guard let number = entry.linuxNumber else { continue }
            linuxCount += 1
            #expect(entry.linuxMessage == String(cString: gai_strerror(number)), "\(entry.name)")
        }
        #expect(linuxCount == 18)
    }
}
#endif
