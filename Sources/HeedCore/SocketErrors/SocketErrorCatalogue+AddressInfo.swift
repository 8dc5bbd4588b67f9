// The getaddrinfo (name resolution) errors, EAI_*.
extension SocketErrorCatalogue {
    static let addressInfoEntries: [SocketErrorEntry] = [
        addressInfo(
            ["EAI_NONAME"],
            linux: -2,
            darwin: 8,
            message: "Name or service not known",
            darwinMessage: "nodename nor servname provided, or not known",
            summary: "The host name could not be resolved: DNS says there is no such name.",
            meaning: """
                getaddrinfo could not turn the host name (or service name) into an address. The name does not \
                exist in DNS or the hosts file, or it is misspelt, or it is an internal name your resolver cannot \
                see from here. The request never left your machine: no connection was even attempted.
                """,
            stories: [
                """
                A typo in the URL (`http://locahost:8080`, `api.exmaple.com`) or a made-up name: Python prints \
                "socket.gaierror: [Errno -2] Name or service not known", Node "getaddrinfo ENOTFOUND \
                example.invalid", curl "curl: (6) Could not resolve host", Go "no such host".
                """,
                """
                Inside Docker, a service calls another container by name (`db`) but they are not on the same \
                Docker network, so the name does not resolve.
                """,
            ],
            whatToDo: [
                "Check the spelling of the host name, and that it has no scheme, path or port glued on (`host`, not `http://host/`).",
                "Test resolution directly: `getent hosts NAME` (Linux), `dscacheutil -q host -a name NAME` (macOS), `nslookup NAME`.",
                "For internal names, connect the VPN or use the right DNS server; in Docker, put the containers on one network.",
            ],
            twins: [
                SocketErrorTwin(
                    "WSAHOST_NOT_FOUND",
                    "Windows reports it as WSAHOST_NOT_FOUND 11001, \"No such host is known.\""
                ),
                SocketErrorTwin("EAI_AGAIN", "When DNS could not be asked at all, you get EAI_AGAIN instead."),
            ],
            phrasings: [
                "Could not resolve host", "Could not resolve hostname", "no such host", "Name does not resolve",
                "UnknownHostException", "A server with the specified hostname could not be found",
                "failed to lookup address information", "getaddrinfo ENOTFOUND", "nodename nor servname provided",
            ],
            aliases: ["ENOTFOUND"]
        ),
        addressInfo(
            ["EAI_AGAIN"],
            linux: -3,
            darwin: 2,
            message: "Temporary failure in name resolution",
            summary: "Name resolution failed for now: the DNS server could not be reached or did not answer.",
            meaning: """
                getaddrinfo could not get an answer: the DNS server did not respond, or answered "try again". \
                Unlike EAI_NONAME this does not say the name is wrong, only that resolution failed this time.
                """,
            stories: [
                "The machine is offline or its DNS server is down: every lookup fails with \"Temporary failure in name resolution\".",
                "In a container, /etc/resolv.conf points to a DNS server that is unreachable from inside; Node logs \"getaddrinfo EAI_AGAIN\".",
            ],
            whatToDo: [
                "Check the network and the DNS servers in /etc/resolv.conf (or `scutil --dns` on macOS).",
                "Retry with back-off; it is often transient.",
            ],
            twins: [SocketErrorTwin("WSATRY_AGAIN", "Windows reports it as WSATRY_AGAIN 11002.")],
            phrasings: ["server misbehaving", "getaddrinfo EAI_AGAIN"]
        ),
        addressInfo(
            ["EAI_FAIL"],
            linux: -4,
            darwin: 4,
            message: "Non-recoverable failure in name resolution",
            summary: "Name resolution failed with a permanent error.",
            meaning:
                "The DNS server returned a fatal error (such as REFUSED or a malformed reply); trying again will not help.",
            stories: [
                "The configured DNS server refuses queries from your network.",
                "A broken DNS server returns malformed answers for a domain.",
            ],
            whatToDo: ["Try another DNS server (`dig @1.1.1.1 NAME`), and fix the resolver configuration."],
            twins: [SocketErrorTwin("WSANO_RECOVERY", "Windows reports it as WSANO_RECOVERY 11003.")]
        ),
        addressInfo(
            ["EAI_NODATA"],
            linux: -5,
            darwin: 7,
            message: "No address associated with hostname",
            darwinMessage: "No address associated with nodename",
            summary: "The name exists but has no address records.",
            meaning:
                "DNS knows the name but it has no address of the requested kind (for example only MX or TXT records).",
            stories: [
                "A client connects to the bare domain `example.org` that has mail records but no A record.",
                "An IPv6-only lookup of a name that only has an IPv4 address.",
            ],
            whatToDo: [
                "Check the records (`dig NAME A`, `dig NAME AAAA`); use the host name that actually has an address."
            ],
            twins: [SocketErrorTwin("WSANO_DATA", "Windows reports it as WSANO_DATA 11004.")]
        ),
        addressInfo(
            ["EAI_ADDRFAMILY"],
            linux: -9,
            darwin: 1,
            message: "Address family for hostname not supported",
            darwinMessage: "Address family for nodename not supported",
            summary: "The name has no address in the requested family.",
            meaning: "The host has no addresses in the address family you asked for (AF_INET or AF_INET6).",
            stories: [
                "A program asks for AF_INET6 addresses of a host that has only IPv4.",
                "A resolver with IPv6 disabled is asked for an IPv6-only name.",
            ],
            whatToDo: ["Ask for AF_UNSPEC so either family is accepted."],
            twins: [SocketErrorTwin("WSANO_DATA", "Windows reports a missing record type as WSANO_DATA 11004.")]
        ),
        addressInfo(
            ["EAI_BADFLAGS"],
            linux: -1,
            darwin: 3,
            message: "Bad value for ai_flags",
            darwinMessage: "Invalid value for ai_flags",
            summary: "The ai_flags passed to getaddrinfo are invalid.",
            meaning: "The hints passed to getaddrinfo contain flags that are invalid or do not go together.",
            stories: [
                "A program passes AI_CANONNAME without a host name.",
                "Flags from another platform (AI_DEFAULT on Linux) are passed.",
            ],
            whatToDo: ["Pass only flags the platform documents, in valid combinations."],
            twins: [SocketErrorTwin("WSAEINVAL", "Windows defines EAI_BADFLAGS as WSAEINVAL 10022.")]
        ),
        addressInfo(
            ["EAI_FAMILY"],
            linux: -6,
            darwin: 5,
            message: "ai_family not supported",
            summary: "The address family in the hints is not supported.",
            meaning: "The ai_family field of the hints is not a family getaddrinfo supports.",
            stories: [
                "A program passes AF_UNIX to getaddrinfo.",
                "A hint structure is left uninitialised and holds garbage.",
            ],
            whatToDo: ["Use AF_UNSPEC, AF_INET or AF_INET6, and zero the hints before filling them."],
            twins: [SocketErrorTwin("WSAEAFNOSUPPORT", "Windows defines EAI_FAMILY as WSAEAFNOSUPPORT 10047.")]
        ),
        addressInfo(
            ["EAI_SOCKTYPE"],
            linux: -7,
            darwin: 10,
            message: "ai_socktype not supported",
            summary: "The socket type in the hints is not supported.",
            meaning: "The ai_socktype field of the hints is not supported.",
            stories: [
                "A program passes SOCK_RAW with a service name.",
                "Uninitialised hints hold a random socket type.",
            ],
            whatToDo: ["Use SOCK_STREAM, SOCK_DGRAM or 0, and zero the hints first."],
            twins: [SocketErrorTwin("WSAESOCKTNOSUPPORT", "Windows defines EAI_SOCKTYPE as WSAESOCKTNOSUPPORT 10044.")]
        ),
        addressInfo(
            ["EAI_SERVICE"],
            linux: -8,
            darwin: 9,
            message: "Servname not supported for ai_socktype",
            darwinMessage: "servname not supported for ai_socktype",
            summary: "The service (port) name is unknown or does not fit the socket type.",
            meaning:
                "The service argument is a name that is not in the services database, or is not available for the socket type.",
            stories: [
                "A program passes \"htpp\" (typo) as the service instead of \"http\" or \"80\".",
                "A minimal container lacks /etc/services, so \"https\" is unknown.",
            ],
            whatToDo: ["Pass the port as a number (\"443\")."],
            twins: [SocketErrorTwin("WSATYPE_NOT_FOUND", "Windows defines EAI_SERVICE as WSATYPE_NOT_FOUND 10109.")]
        ),
        addressInfo(
            ["EAI_MEMORY"],
            linux: -10,
            darwin: 6,
            message: "Memory allocation failure",
            summary: "getaddrinfo ran out of memory.",
            meaning: "The resolver could not allocate memory for its work or results.",
            stories: [
                "A process near its memory limit resolves a name.",
                "A leak elsewhere exhausts memory and lookups start failing.",
            ],
            whatToDo: ["Free memory or raise the limit; look for leaks."],
            twins: [SocketErrorTwin("WSA_NOT_ENOUGH_MEMORY", "Windows defines EAI_MEMORY as WSA_NOT_ENOUGH_MEMORY 8.")]
        ),
        addressInfo(
            ["EAI_SYSTEM"],
            linux: -11,
            darwin: 11,
            message: "System error",
            darwinMessage: "System error returned in errno",
            summary: "A system error happened; the real cause is in errno.",
            meaning:
                "getaddrinfo failed because of a system call error, and errno holds the real reason (for example EMFILE).",
            stories: [
                "A process out of file descriptors cannot open the resolver's socket; errno is EMFILE.",
                "/etc/resolv.conf or /etc/hosts cannot be read (errno EACCES).",
            ],
            whatToDo: ["Read errno right after the call and look that error up (`heed explain EMFILE`)."],
            twins: [SocketErrorTwin("EMFILE", "A frequent underlying errno.")]
        ),
        addressInfo(
            ["EAI_OVERFLOW"],
            linux: -12,
            darwin: 14,
            message: "Unknown error",
            darwinMessage: "Argument buffer overflow",
            summary: "A buffer passed to getnameinfo is too small.",
            meaning: """
                A buffer for the host or service name in getnameinfo is too small for the result. (glibc's \
                gai_strerror has no text for it and prints "Unknown error".)
                """,
            stories: [
                "A program passes a 16-byte host buffer to getnameinfo for a long host name.",
                "An IPv6 numeric address does not fit a buffer sized for IPv4.",
            ],
            whatToDo: ["Use NI_MAXHOST (1025) and NI_MAXSERV (32) sized buffers."],
            twins: [SocketErrorTwin("WSAEFAULT", "Windows reports a too-small buffer as WSAEFAULT 10014.")]
        ),
        addressInfo(
            ["EAI_BADHINTS"],
            linux: nil,
            darwin: 12,
            message: "Invalid value for hints",
            summary: "Darwin only: the hints structure is invalid.",
            meaning: "The hints passed to getaddrinfo are invalid (fields set that must be zero).",
            stories: [
                "A program fills ai_addr in the hints, which must be empty.",
                "Uninitialised hints hold garbage.",
            ],
            whatToDo: ["Zero the hints structure and set only flags, family, socket type and protocol."],
            twins: [SocketErrorTwin("EAI_BADFLAGS", "Linux reports invalid hints as EAI_BADFLAGS.")]
        ),
        addressInfo(
            ["EAI_PROTOCOL"],
            linux: nil,
            darwin: 13,
            message: "Resolved protocol is unknown",
            summary: "Darwin only: the protocol in the hints is unknown.",
            meaning: "The ai_protocol in the hints is unknown or does not fit the socket type.",
            stories: [
                "A program sets IPPROTO_UDP with SOCK_STREAM in the hints.",
                "Hints carry a protocol number from another system.",
            ],
            whatToDo: ["Set ai_protocol to 0, or to the protocol that matches the socket type."],
            twins: [SocketErrorTwin("EAI_SOCKTYPE", "Linux reports mismatched hints as EAI_SOCKTYPE or EAI_SERVICE.")]
        ),
        addressInfo(
            ["EAI_INPROGRESS"],
            linux: -100,
            darwin: nil,
            message: "Processing request in progress",
            summary: "glibc only: an asynchronous lookup (getaddrinfo_a) is still running.",
            meaning: "gai_error() reports that an asynchronous lookup started with getaddrinfo_a has not finished.",
            stories: [
                "A program polls gai_error() right after getaddrinfo_a.",
                "A lookup to a slow DNS server is still running.",
            ],
            whatToDo: ["Wait (gai_suspend) and check again."],
            twins: [SocketErrorTwin("WSA_IO_PENDING", "Windows' asynchronous lookups report 997, pending.")]
        ),
        addressInfo(
            ["EAI_CANCELED"],
            linux: -101,
            darwin: nil,
            message: "Request canceled",
            summary: "glibc only: an asynchronous lookup was cancelled.",
            meaning: "An asynchronous lookup started with getaddrinfo_a was cancelled with gai_cancel.",
            stories: [
                "A program cancels a slow lookup when the user gives up.",
                "Shutdown cancels pending lookups.",
            ],
            whatToDo: ["Expected if you cancelled; otherwise find who called gai_cancel."],
            twins: [SocketErrorTwin("WSAECANCELLED", "Windows reports a cancelled lookup as WSAECANCELLED 10103.")]
        ),
        addressInfo(
            ["EAI_NOTCANCELED"],
            linux: -102,
            darwin: nil,
            message: "Request not canceled",
            summary: "glibc only: gai_cancel could not cancel the lookup.",
            meaning: "The asynchronous lookup could not be cancelled, because it is already being processed.",
            stories: [
                "A program tries to cancel a lookup that is already talking to the DNS server.",
                "Cancellation races with completion.",
            ],
            whatToDo: ["Wait for the lookup to complete and discard its result."],
            twins: [SocketErrorTwin.none("Darwin and Windows have no getaddrinfo_a, so there is no twin.")]
        ),
        addressInfo(
            ["EAI_ALLDONE"],
            linux: -103,
            darwin: nil,
            message: "All requests done",
            summary: "glibc only: the lookup had already finished when you cancelled it.",
            meaning: "gai_cancel found the request already completed; nothing was cancelled.",
            stories: [
                "A program cancels a lookup that finished a moment earlier.",
                "A cleanup path cancels every lookup, including completed ones.",
            ],
            whatToDo: ["Use the result, or free it with freeaddrinfo."],
            twins: [SocketErrorTwin.none("Darwin and Windows have no getaddrinfo_a, so there is no twin.")]
        ),
        addressInfo(
            ["EAI_INTR"],
            linux: -104,
            darwin: nil,
            message: "Interrupted by a signal",
            summary: "glibc only: waiting for a lookup was interrupted by a signal.",
            meaning: "gai_suspend returned because a signal arrived before any lookup finished.",
            stories: [
                "A program waits in gai_suspend and receives SIGCHLD.",
                "A timer signal interrupts the wait.",
            ],
            whatToDo: ["Call gai_suspend again."],
            twins: [SocketErrorTwin("EINTR", "The errno equivalent: \"Interrupted system call\".")]
        ),
        addressInfo(
            ["EAI_IDN_ENCODE"],
            linux: -105,
            darwin: nil,
            message: "Parameter string not correctly encoded",
            summary: "glibc only: an internationalised host name could not be encoded.",
            meaning:
                "With AI_IDN, the host name contains characters that cannot be converted to the ASCII (punycode) form DNS needs.",
            stories: [
                "A host name with invalid Unicode is looked up with AI_IDN.",
                "A name in the wrong character encoding (not the locale's) is passed.",
            ],
            whatToDo: ["Check the host name's characters and encoding; convert it to punycode yourself if needed."],
            twins: [
                SocketErrorTwin("WSAHOST_NOT_FOUND", "Windows reports unresolvable names as WSAHOST_NOT_FOUND 11001.")
            ]
        ),
    ]
}
