import HeedCore
import Testing

@Suite struct SocketErrorCatalogueTests {
    /// Every entry has every field filled: names, numbers, messages, prose, advice and twins.
    @Test(arguments: SocketErrorCatalogue.entries)
    func entryIsComplete(_ entry: SocketErrorEntry) {
        #expect(!entry.names.isEmpty)
        #expect(entry.names.allSatisfy { !$0.isEmpty && $0 == $0.uppercased() })
        #expect(!entry.summary.isEmpty && !entry.summary.contains("\n"), "\(entry.name): summary must be one line")
        #expect(entry.meaning.count >= 40, "\(entry.name): meaning too short")
        #expect(!entry.stories.isEmpty && entry.stories.allSatisfy { $0.count >= 20 }, "\(entry.name): stories")
        #expect(!entry.whatToDo.isEmpty && entry.whatToDo.allSatisfy { $0.count >= 10 }, "\(entry.name): advice")
        #expect(!entry.twins.isEmpty && entry.twins.allSatisfy { $0.note.count >= 10 }, "\(entry.name): twins")
        let numbers = [entry.linuxNumber, entry.darwinNumber, entry.windowsNumber].compactMap { $0 }
        #expect(!numbers.isEmpty, "\(entry.name) has no number")
        #expect((entry.linuxNumber == nil) == (entry.linuxMessage == nil), "\(entry.name): Linux number/message")
        #expect((entry.darwinNumber == nil) == (entry.darwinMessage == nil), "\(entry.name): Darwin number/message")
        #expect((entry.windowsNumber == nil) == (entry.windowsMessage == nil), "\(entry.name): Windows number/message")
        for text in [entry.summary, entry.meaning] + entry.stories + entry.whatToDo {
            #expect(!text.contains("  "), "\(entry.name): doubled space in \(text)")
        }
    }

    /// Each entry's prefix fits its family, and names are unique across the catalogue.
    @Test func namesAreUniqueAndFitTheirFamily() {
        var seen: Set<String> = []
        for entry in SocketErrorCatalogue.entries {
            for name in entry.names + entry.aliases {
                #expect(seen.insert(name).inserted, "\(name) appears twice")
            }
            switch entry.family {
            case .posix: #expect(entry.name.hasPrefix("E") && entry.windowsNumber == nil)
            case .windowsSockets: #expect(entry.name.hasPrefix("WSA") && entry.windowsNumber != nil)
            default: #expect(entry.name.hasPrefix("EAI_") && entry.windowsNumber == nil)
            }
        }
    }

    /// Every twin names an entry of the catalogue (or is an explained "none").
    @Test func twinsResolve() {
        for entry in SocketErrorCatalogue.entries {
            for twin in entry.twins where !twin.name.isEmpty {
                #expect(SocketErrorCatalogue.entry(named: twin.name) != nil, "\(entry.name) -> \(twin.name)")
                #expect(twin.name != entry.name, "\(entry.name) is its own twin")
            }
        }
    }

    /// The errors the brief lists by name are all in the catalogue.
    @Test func requiredErrorsArePresent() {
        let required = [
            "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH",
            "ENETDOWN", "ENETRESET", "EADDRINUSE", "EADDRNOTAVAIL", "ENOTCONN", "ESHUTDOWN", "EISCONN", "EALREADY",
            "EINPROGRESS", "EAGAIN", "EWOULDBLOCK", "EMSGSIZE", "ENOBUFS", "EMFILE", "ENFILE", "EPROTOTYPE", "EACCES",
            "EPERM", "EINTR", "EBADF", "ENOTSOCK", "EDESTADDRREQ", "EPROTONOSUPPORT", "ENOPROTOOPT", "EOPNOTSUPP",
            "EAFNOSUPPORT", "EPFNOSUPPORT", "ESOCKTNOSUPPORT", "EHOSTDOWN", "ETOOMANYREFS", "ELOOP", "ENAMETOOLONG",
            "EPROTO", "ENOMEM", "EINVAL", "EFAULT", "ECANCELED", "WSASYSNOTREADY", "WSAVERNOTSUPPORTED",
            "WSANOTINITIALISED", "WSAEDISCON", "WSAENOMORE", "WSAECANCELLED", "WSA_INVALID_HANDLE", "WSAHOST_NOT_FOUND",
            "WSATRY_AGAIN", "WSANO_RECOVERY", "WSANO_DATA", "EAI_NONAME", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA",
        ]
        for name in required {
            #expect(SocketErrorCatalogue.entry(named: name) != nil, "\(name) is missing")
        }
    }

    /// Darwin's errno and EAI numbers match <sys/errno.h> and <netdb.h> of macOS.
    @Test func darwinNumbersMatchTheDarwinHeaders() {
        let darwin: [String: Int32] = [
            "EPERM": 1, "ENOENT": 2, "EINTR": 4, "EIO": 5, "EBADF": 9, "ENOMEM": 12, "EACCES": 13, "EFAULT": 14,
            "EINVAL": 22, "ENFILE": 23, "EMFILE": 24, "EPIPE": 32, "EAGAIN": 35, "EINPROGRESS": 36, "EALREADY": 37,
            "ENOTSOCK": 38, "EDESTADDRREQ": 39, "EMSGSIZE": 40, "EPROTOTYPE": 41, "ENOPROTOOPT": 42,
            "EPROTONOSUPPORT": 43, "ESOCKTNOSUPPORT": 44, "ENOTSUP": 45, "EPFNOSUPPORT": 46, "EAFNOSUPPORT": 47,
            "EADDRINUSE": 48, "EADDRNOTAVAIL": 49, "ENETDOWN": 50, "ENETUNREACH": 51, "ENETRESET": 52,
            "ECONNABORTED": 53, "ECONNRESET": 54, "ENOBUFS": 55, "EISCONN": 56, "ENOTCONN": 57, "ESHUTDOWN": 58,
            "ETOOMANYREFS": 59, "ETIMEDOUT": 60, "ECONNREFUSED": 61, "ELOOP": 62, "ENAMETOOLONG": 63, "EHOSTDOWN": 64,
            "EHOSTUNREACH": 65, "ECANCELED": 89, "EPROTO": 100, "EOPNOTSUPP": 102, "EQFULL": 106,
            "EAI_ADDRFAMILY": 1, "EAI_AGAIN": 2, "EAI_BADFLAGS": 3, "EAI_FAIL": 4, "EAI_FAMILY": 5, "EAI_MEMORY": 6,
            "EAI_NODATA": 7, "EAI_NONAME": 8, "EAI_SERVICE": 9, "EAI_SOCKTYPE": 10, "EAI_SYSTEM": 11,
            "EAI_BADHINTS": 12, "EAI_PROTOCOL": 13, "EAI_OVERFLOW": 14,
        ]
        for entry in SocketErrorCatalogue.entries where entry.family != .windowsSockets {
            #expect(entry.darwinNumber == darwin[entry.name], "\(entry.name) on Darwin")
        }
        for (name, number) in darwin {
            #expect(SocketErrorCatalogue.entry(named: name)?.darwinNumber == number, "\(name) missing")
        }
    }

    /// Windows Sockets codes match the Windows Sockets error-code list, and every code in the list is present.
    @Test func windowsCodesMatchTheWindowsSocketsList() {
        var expected: [String: Int32] = [
            "WSA_INVALID_HANDLE": 6, "WSA_NOT_ENOUGH_MEMORY": 8, "WSA_INVALID_PARAMETER": 87,
            "WSA_OPERATION_ABORTED": 995, "WSA_IO_INCOMPLETE": 996, "WSA_IO_PENDING": 997, "WSAEINTR": 10004,
            "WSAEBADF": 10009, "WSAEACCES": 10013, "WSAEFAULT": 10014, "WSAEINVAL": 10022, "WSAEMFILE": 10024,
            "WSAEWOULDBLOCK": 10035, "WSAEINPROGRESS": 10036, "WSAEALREADY": 10037, "WSAENOTSOCK": 10038,
            "WSAEDESTADDRREQ": 10039, "WSAEMSGSIZE": 10040, "WSAEPROTOTYPE": 10041, "WSAENOPROTOOPT": 10042,
            "WSAEPROTONOSUPPORT": 10043, "WSAESOCKTNOSUPPORT": 10044, "WSAEOPNOTSUPP": 10045, "WSAEPFNOSUPPORT": 10046,
            "WSAEAFNOSUPPORT": 10047, "WSAEADDRINUSE": 10048, "WSAEADDRNOTAVAIL": 10049, "WSAENETDOWN": 10050,
            "WSAENETUNREACH": 10051, "WSAENETRESET": 10052, "WSAECONNABORTED": 10053, "WSAECONNRESET": 10054,
            "WSAENOBUFS": 10055, "WSAEISCONN": 10056, "WSAENOTCONN": 10057, "WSAESHUTDOWN": 10058,
            "WSAETOOMANYREFS": 10059, "WSAETIMEDOUT": 10060, "WSAECONNREFUSED": 10061, "WSAELOOP": 10062,
            "WSAENAMETOOLONG": 10063, "WSAEHOSTDOWN": 10064, "WSAEHOSTUNREACH": 10065, "WSAENOTEMPTY": 10066,
            "WSAEPROCLIM": 10067, "WSAEUSERS": 10068, "WSAEDQUOT": 10069, "WSAESTALE": 10070, "WSAEREMOTE": 10071,
            "WSASYSNOTREADY": 10091, "WSAVERNOTSUPPORTED": 10092, "WSANOTINITIALISED": 10093, "WSAEDISCON": 10101,
            "WSAENOMORE": 10102, "WSAECANCELLED": 10103, "WSAEINVALIDPROCTABLE": 10104, "WSAEINVALIDPROVIDER": 10105,
            "WSAEPROVIDERFAILEDINIT": 10106, "WSASYSCALLFAILURE": 10107, "WSASERVICE_NOT_FOUND": 10108,
            "WSATYPE_NOT_FOUND": 10109, "WSA_E_NO_MORE": 10110, "WSA_E_CANCELLED": 10111, "WSAEREFUSED": 10112,
            "WSAHOST_NOT_FOUND": 11001, "WSATRY_AGAIN": 11002, "WSANO_RECOVERY": 11003, "WSANO_DATA": 11004,
        ]
        let qualityOfService = [
            "RECEIVERS", "SENDERS", "NO_SENDERS", "NO_RECEIVERS", "REQUEST_CONFIRMED", "ADMISSION_FAILURE",
            "POLICY_FAILURE", "BAD_STYLE", "BAD_OBJECT", "TRAFFIC_CTRL_ERROR", "GENERIC_ERROR", "ESERVICETYPE",
            "EFLOWSPEC", "EPROVSPECBUF", "EFILTERSTYLE", "EFILTERTYPE", "EFILTERCOUNT", "EOBJLENGTH", "EFLOWCOUNT",
            "EUNKOWNPSOBJ", "EPOLICYOBJ", "EFLOWDESC", "EPSFLOWSPEC", "EPSFILTERSPEC", "ESDMODEOBJ", "ESHAPERATEOBJ",
            "RESERVED_PETYPE",
        ]
        for (offset, suffix) in qualityOfService.enumerated() {
            expected["WSA_QOS_" + suffix] = 11005 + Int32(offset)
        }
        let windowsEntries = SocketErrorCatalogue.entries.filter { $0.family == .windowsSockets }
        #expect(windowsEntries.count == expected.count)
        for entry in windowsEntries {
            #expect(entry.windowsNumber == expected[entry.name], "\(entry.name)")
            #expect(SocketErrorCatalogue.entry(windowsCode: expected[entry.name] ?? 0) == entry)
        }
        #expect(
            SocketErrorCatalogue.entry(windowsCode: 10053)?.windowsMessage
                == "An established connection was aborted by the software in your host machine."
        )
        #expect(
            SocketErrorCatalogue.entry(windowsCode: 10054)?.windowsMessage
                == "An existing connection was forcibly closed by the remote host."
        )
    }

    /// The number accessors find entries by each platform's numbering, and keep errno and EAI numbers apart.
    @Test func numberAccessors() {
        #expect(SocketErrorCatalogue.entry(linuxErrno: 104)?.name == "ECONNRESET")
        #expect(SocketErrorCatalogue.entry(darwinErrno: 54)?.name == "ECONNRESET")
        #expect(SocketErrorCatalogue.entry(darwinErrno: 104) == nil)
        #expect(SocketErrorCatalogue.entries(forLinuxErrno: 95).map(\.name) == ["EOPNOTSUPP", "ENOTSUP"])
        #expect(SocketErrorCatalogue.entry(linuxErrno: 11)?.names == ["EAGAIN", "EWOULDBLOCK"])
        #expect(SocketErrorCatalogue.entry(linuxAddressInfoError: -2)?.name == "EAI_NONAME")
        #expect(SocketErrorCatalogue.entry(darwinAddressInfoError: 8)?.name == "EAI_NONAME")
        #expect(SocketErrorCatalogue.entry(darwinErrno: 8) == nil)
        #expect(SocketErrorCatalogue.entry(windowsCode: 10053)?.name == "WSAECONNABORTED")
        #expect(SocketErrorCatalogue.entry(named: "ewouldblock")?.name == "EAGAIN")
        #expect(SocketErrorCatalogue.entry(named: "ENOTFOUND")?.name == "EAI_NONAME")
        #expect(SocketErrorCatalogue.entry(named: "NOPE") == nil)
    }

    /// A bare number is read on every platform, including the platforms where it means nothing.
    @Test func readingsOfABareNumber() {
        let readings = SocketErrorCatalogue.readings(of: 104)
        #expect(
            readings.map(\.numbering) == ["Linux errno", "Darwin errno", "Windows code", "Darwin getaddrinfo code"]
        )
        #expect(readings[0].entries.map(\.name) == ["ECONNRESET"])
        #expect(readings[1].entries.isEmpty)
        let negative = SocketErrorCatalogue.readings(of: -2)
        #expect(negative[0].entries.map(\.name) == ["EAI_NONAME"])
        #expect(SocketErrorCatalogue.readings(of: Int32.min).allSatisfy { $0.entries.isEmpty })
    }
}
