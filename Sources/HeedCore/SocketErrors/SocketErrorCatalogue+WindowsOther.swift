// The Windows Sockets errors about limits, permissions and using a socket the wrong way.
extension SocketErrorCatalogue {
    static let windowsOtherEntries: [SocketErrorEntry] = [
        windows(
            ["WSAEINTR"],
            code: 10004,
            message: "A blocking operation was interrupted by a call to WSACancelBlockingCall.",
            summary: "A blocking call was cancelled, usually because the socket was closed from another thread.",
            meaning: """
                A blocking socket call ended early because it was cancelled. In modern programs this mostly means \
                another thread closed the socket while this thread was blocked in recv(), accept() or connect().
                """,
            stories: [
                "A shutdown routine closes a listening socket while the accept thread is blocked; accept() returns 10004.",
                "A Java or Python program on Windows is stopped while a socket call waits, and logs WSAEINTR.",
            ],
            whatToDo: [
                "During shutdown, expect it and exit quietly; otherwise look for code closing the socket from another thread."
            ],
            twins: [SocketErrorTwin("EINTR", "POSIX EINTR (4) is the signal-interruption cousin.")]
        ),
        windows(
            ["WSAEBADF"],
            code: 10009,
            message: "The file handle supplied is not valid.",
            summary: "The handle is not a valid open socket.",
            meaning: "The handle passed to a Winsock call is not valid, typically one that was already closed.",
            stories: [
                "A program closes a socket twice.",
                "A handle value is used after closesocket() released it.",
            ],
            whatToDo: ["Give each socket one owner that closes it once; never use a handle after closesocket()."],
            twins: [SocketErrorTwin("EBADF", "Linux and Darwin 9: \"Bad file descriptor\".")]
        ),
        windows(
            ["WSAEACCES"],
            code: 10013,
            message: "An attempt was made to access a socket in a way forbidden by its access permissions.",
            summary: "Access denied: the port is reserved or held exclusively, or the operation is forbidden.",
            meaning: """
                Windows refused the socket operation for permission reasons. Binding: the port lies in a range \
                reserved by Hyper-V, WSL or Docker, or another program holds it with SO_EXCLUSIVEADDRUSE. \
                Sending: a broadcast without SO_BROADCAST, or a firewall or security product blocking the program.
                """,
            stories: [
                "A dev server cannot listen on port 50051 because Hyper-V reserved a range that includes it.",
                "Antivirus or a firewall blocks an unknown program's outgoing connections.",
            ],
            whatToDo: [
                "Check reserved ports: `netsh interface ipv4 show excludedportrange protocol=tcp`; pick a port outside them.",
                "Check which program holds the port (`netstat -ano`) and firewall or antivirus rules.",
            ],
            twins: [
                SocketErrorTwin("EACCES", "Linux and Darwin 13: \"Permission denied\"."),
                SocketErrorTwin("EADDRINUSE", "A port held by another program is usually EADDRINUSE on Linux."),
            ],
            phrasings: ["forbidden by its access permissions"]
        ),
        windows(
            ["WSAEFAULT"],
            code: 10014,
            message:
                "The system detected an invalid pointer address in attempting to use a pointer argument in a call.",
            summary: "A pointer or length argument is invalid.",
            meaning: "A buffer pointer is invalid or a length argument (such as the address length) is too small.",
            stories: [
                "A program passes sizeof(sockaddr_in) for an IPv6 address to accept().",
                "Native code passes a freed buffer to recv().",
            ],
            whatToDo: ["Check buffer pointers and the sizes passed with them."],
            twins: [SocketErrorTwin("EFAULT", "Linux and Darwin 14: \"Bad address\".")]
        ),
        windows(
            ["WSAEINVAL"],
            code: 10022,
            message: "An invalid argument was supplied.",
            summary: "An argument is invalid or the call is made in the wrong state.",
            meaning:
                "An argument is invalid, or the socket is in the wrong state (accept() before listen(), bind() twice).",
            stories: [
                "A program calls accept() on a socket that is not listening.",
                "A socket is bound a second time.",
            ],
            whatToDo: ["Check the order of calls (socket, bind, listen, accept) and each argument."],
            twins: [SocketErrorTwin("EINVAL", "Linux and Darwin 22: \"Invalid argument\".")]
        ),
        windows(
            ["WSAEMFILE"],
            code: 10024,
            message: "Too many open sockets.",
            summary: "The process or system ran out of socket handles.",
            meaning: "No more sockets can be created: too many are open, usually because connections leak.",
            stories: [
                "A service never closes abandoned connections and eventually cannot accept new ones.",
                "A load generator opens thousands of sockets at once.",
            ],
            whatToDo: ["Close sockets you no longer need; reuse connections; look for leaks."],
            twins: [SocketErrorTwin("EMFILE", "Linux and Darwin 24: \"Too many open files\".")]
        ),
        windows(
            ["WSAENOTSOCK"],
            code: 10038,
            message: "An operation was attempted on something that is not a socket.",
            summary: "The handle is not a socket (often: it was already closed).",
            meaning:
                "The handle given is not a socket, most often because the socket was closed and the handle is stale.",
            stories: [
                "A select() loop still includes a socket another thread closed.",
                "Python on Windows reports `[WinError 10038]` after a socket was closed and used again.",
            ],
            whatToDo: [
                "Remove closed sockets from every list and loop before closing them; never reuse stale handles."
            ],
            twins: [
                SocketErrorTwin("ENOTSOCK", "Linux 88 / Darwin 38."),
                SocketErrorTwin("EBADF", "A closed descriptor on POSIX is EBADF."),
            ]
        ),
        windows(
            ["WSAEDESTADDRREQ"],
            code: 10039,
            message: "A required address was omitted from an operation on a socket.",
            summary: "A destination address is needed but was not given.",
            meaning: "A send on an unconnected socket omitted the destination address.",
            stories: [
                "A UDP program calls send() without connect().",
                "sendto() is called with a null address.",
            ],
            whatToDo: ["Use sendto() with an address, or connect() first."],
            twins: [SocketErrorTwin("EDESTADDRREQ", "Linux 89 / Darwin 39.")]
        ),
        windows(
            ["WSAEMSGSIZE"],
            code: 10040,
            message: """
                A message sent on a datagram socket was larger than the internal message buffer or some other \
                network limit, or the buffer used to receive a datagram into was smaller than the datagram itself.
                """,
            summary: "A datagram is too large to send, or larger than your receive buffer.",
            meaning: """
                A datagram is too big: sending one over the limit, or (unlike POSIX) receiving one into a buffer \
                smaller than the datagram, in which case the rest is cut off.
                """,
            stories: [
                "A UDP receiver reads with a 512-byte buffer and gets 10040 for a 1,400-byte packet.",
                "A sender tries to send a 70 KB UDP datagram.",
            ],
            whatToDo: ["Use a receive buffer of 65,536 bytes for UDP; keep sent datagrams small."],
            twins: [SocketErrorTwin("EMSGSIZE", "Linux 90 / Darwin 40: \"Message too long\".")]
        ),
        windows(
            ["WSAEPROTOTYPE"],
            code: 10041,
            message: """
                A protocol was specified in the socket function call that does not support the semantics of the \
                socket type requested.
                """,
            summary: "The protocol does not fit the socket type.",
            meaning:
                "The protocol named in socket() does not support the requested socket type, such as TCP with SOCK_DGRAM.",
            stories: [
                "socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP) fails with 10041.",
                "A port from Unix passes a protocol number Windows pairs differently.",
            ],
            whatToDo: ["Pair TCP with SOCK_STREAM and UDP with SOCK_DGRAM, or pass 0."],
            twins: [SocketErrorTwin("EPROTOTYPE", "Linux 91 / Darwin 41.")]
        ),
        windows(
            ["WSAENOPROTOOPT"],
            code: 10042,
            message:
                "An unknown, invalid, or unsupported option or level was specified in a getsockopt or setsockopt call.",
            summary: "The socket option or level is not supported.",
            meaning: "getsockopt()/setsockopt() used an option Windows does not know or support at that level.",
            stories: [
                "Code sets the Linux-only TCP_KEEPIDLE on an old Windows version.",
                "SO_REUSEPORT, which Windows lacks, is set on a socket.",
            ],
            whatToDo: ["Use the Windows option (SIO_KEEPALIVE_VALS, SO_REUSEADDR) or skip it on Windows."],
            twins: [SocketErrorTwin("ENOPROTOOPT", "Linux 92 / Darwin 42.")]
        ),
        windows(
            ["WSAEPROTONOSUPPORT"],
            code: 10043,
            message:
                "The requested protocol has not been configured into the system, or no implementation for it exists.",
            summary: "The protocol is not supported or not installed.",
            meaning: "No implementation of the requested protocol exists on this system.",
            stories: [
                "A program asks for a protocol such as SCTP that Windows does not ship.",
                "IPv6 protocol support is removed from the system.",
            ],
            whatToDo: ["Use TCP or UDP, or install the protocol's provider."],
            twins: [SocketErrorTwin("EPROTONOSUPPORT", "Linux 93 / Darwin 43.")]
        ),
        windows(
            ["WSAESOCKTNOSUPPORT"],
            code: 10044,
            message: "The support for the specified socket type does not exist in this address family.",
            summary: "The socket type is not supported in the address family.",
            meaning: "The address family does not support the socket type requested.",
            stories: [
                "A program asks for SOCK_RAW without the required privileges or support.",
                "A socket type from another platform is passed to socket().",
            ],
            whatToDo: ["Use SOCK_STREAM or SOCK_DGRAM with AF_INET/AF_INET6."],
            twins: [SocketErrorTwin("ESOCKTNOSUPPORT", "Linux 94 / Darwin 44.")]
        ),
        windows(
            ["WSAEOPNOTSUPP"],
            code: 10045,
            message: "The attempted operation is not supported for the type of object referenced.",
            summary: "The operation is not supported on this socket.",
            meaning: "The socket type does not support the operation, such as listen() on a UDP socket.",
            stories: [
                "A program calls accept() on a datagram socket.",
                "MSG_OOB is used on a socket that does not support out-of-band data.",
            ],
            whatToDo: ["Use only operations that fit the socket type."],
            twins: [SocketErrorTwin("EOPNOTSUPP", "Linux 95 / Darwin 102.")]
        ),
        windows(
            ["WSAEPFNOSUPPORT"],
            code: 10046,
            message: "The protocol family has not been configured into the system or no implementation for it exists.",
            summary: "The protocol family is not supported.",
            meaning: "The protocol family requested is not installed or does not exist on this system.",
            stories: [
                "A program asks for a family like PF_IPX that modern Windows no longer provides.",
                "A misconfigured Winsock catalog hides a family.",
            ],
            whatToDo: ["Use AF_INET or AF_INET6; repair the Winsock catalog (`netsh winsock reset`) if they fail."],
            twins: [SocketErrorTwin("EPFNOSUPPORT", "Linux 96 / Darwin 46.")]
        ),
        windows(
            ["WSAEAFNOSUPPORT"],
            code: 10047,
            message: "An address incompatible with the requested protocol was used.",
            summary: "The address family does not match the socket (IPv4 vs IPv6).",
            meaning:
                "The address belongs to a family the socket does not support, such as an IPv6 address on an AF_INET socket.",
            stories: [
                "A client resolves a name to IPv6 and connects with an IPv4 socket.",
                "IPv6 is disabled and a server tries to listen on [::].",
            ],
            whatToDo: [
                "Create the socket with the family of the address (use getaddrinfo results); listen on 0.0.0.0 without IPv6."
            ],
            twins: [SocketErrorTwin("EAFNOSUPPORT", "Linux 97 / Darwin 47.")]
        ),
        windows(
            ["WSAENOBUFS"],
            code: 10055,
            message: """
                An operation on a socket could not be performed because the system lacked sufficient buffer space \
                or because a queue was full.
                """,
            summary: "The system lacked buffer space or a queue was full (often: ephemeral ports exhausted).",
            meaning: """
                Windows could not get buffer memory or queue space for the socket. In practice it very often means \
                the machine ran out of ephemeral ports or non-paged memory because of very many connections.
                """,
            stories: [
                "A service opens a new connection per request and leaves thousands in TIME_WAIT until connect() fails with 10055.",
                "A leaking program holds tens of thousands of sockets.",
            ],
            whatToDo: [
                "Reuse connections (keep-alive, pooling); check `netstat -ano` for piles of TIME_WAIT or leaked sockets.",
                "If the load is real, widen the dynamic port range (`netsh int ipv4 set dynamicport tcp`).",
            ],
            twins: [SocketErrorTwin("ENOBUFS", "Linux 105 / Darwin 55: \"No buffer space available\".")]
        ),
        windows(
            ["WSAETOOMANYREFS"],
            code: 10059,
            message: "Too many references to some kernel object.",
            summary: "Too many references to a kernel object.",
            meaning: "A kernel object has too many references; rare on Windows sockets.",
            stories: [
                "A program duplicates a socket handle (WSADuplicateSocket) many times.",
                "A layered provider leaks references to a socket.",
            ],
            whatToDo: ["Close duplicated handles you no longer need."],
            twins: [SocketErrorTwin("ETOOMANYREFS", "Linux 109 / Darwin 59.")]
        ),
        windows(
            ["WSAELOOP"],
            code: 10062,
            message: "Cannot translate name.",
            summary: "A name could not be translated.",
            meaning: "Winsock could not translate a name, a rare error from name-related calls.",
            stories: [
                "A name-service provider fails to translate a service name.",
                "A legacy call receives a name it cannot map.",
            ],
            whatToDo: ["Check the name passed to the call and the installed name-service providers."],
            twins: [SocketErrorTwin("ELOOP", "POSIX ELOOP (Linux 40 / Darwin 62) is about symbolic-link loops.")]
        ),
        windows(
            ["WSAENAMETOOLONG"],
            code: 10063,
            message: "Name component or name was too long.",
            summary: "A name or name component is too long.",
            meaning: "A host name, service name or other name passed to Winsock is longer than allowed.",
            stories: [
                "A host name longer than 255 characters is resolved.",
                "A generated service name exceeds the provider's limit.",
            ],
            whatToDo: [
                "Shorten the name; check that it was not built by mistake (for example a whole URL used as a host)."
            ],
            twins: [SocketErrorTwin("ENAMETOOLONG", "Linux 36 / Darwin 63.")]
        ),
        windows(
            ["WSAENOTEMPTY"],
            code: 10066,
            message: "Cannot remove a directory that is not empty.",
            summary: "A directory is not empty (a file-system code in the Winsock range).",
            meaning: "A file-system error that shares the Winsock numbering; socket calls do not normally return it.",
            stories: [
                "A layered service provider returns a file-system error through Winsock.",
                "Code maps a ENOTEMPTY-like error into the Winsock range.",
            ],
            whatToDo: ["Look for the file operation that failed; it is not a network problem."],
            twins: [
                SocketErrorTwin.none(
                    "Linux ENOTEMPTY (39) / Darwin ENOTEMPTY (66) are file-system errors, not socket errors."
                )
            ]
        ),
        windows(
            ["WSAEPROCLIM"],
            code: 10067,
            message:
                "A Windows Sockets implementation may have a limit on the number of applications that may use it simultaneously.",
            summary: "Too many processes use Winsock at once.",
            meaning:
                "WSAStartup failed because the Winsock implementation reached its limit of simultaneous applications.",
            stories: [
                "A system under extreme load runs out of Winsock client slots.",
                "Old Winsock implementations limited how many programs could use them.",
            ],
            whatToDo: ["Close other network programs or reboot; modern Windows rarely reports it."],
            twins: [SocketErrorTwin("EMFILE", "The nearest POSIX limit is on descriptors (EMFILE/ENFILE).")]
        ),
        windows(
            ["WSAEUSERS"],
            code: 10068,
            message: "Ran out of quota.",
            summary: "A user quota was exceeded.",
            meaning: "A quota was exceeded; not returned by normal socket calls.",
            stories: [
                "A layered provider enforces a per-user limit.",
                "A file-system style quota error passes through Winsock.",
            ],
            whatToDo: ["Find which quota applies (user, provider) and raise it or use fewer resources."],
            twins: [
                SocketErrorTwin.none(
                    "POSIX EUSERS exists on Linux (87) as \"Too many users\"; it is not a socket error."
                )
            ]
        ),
        windows(
            ["WSAEDQUOT"],
            code: 10069,
            message: "Ran out of disk quota.",
            summary: "A disk quota was exceeded.",
            meaning: "A disk quota error in the Winsock range; not returned by normal socket calls.",
            stories: [
                "A provider that writes to disk hits the user's disk quota.",
                "A file-system error is reported through Winsock.",
            ],
            whatToDo: ["Free disk space or raise the quota."],
            twins: [SocketErrorTwin.none("POSIX EDQUOT (Linux 122 / Darwin 69) is a file-system error.")]
        ),
        windows(
            ["WSAESTALE"],
            code: 10070,
            message: "File handle reference is no longer available.",
            summary: "A handle reference is stale.",
            meaning:
                "A handle refers to something that no longer exists; a file-system-style code in the Winsock range.",
            stories: [
                "A provider reports a stale handle after a network share disappeared.",
                "A handle is used after the underlying object was removed.",
            ],
            whatToDo: ["Reopen the resource; do not keep handles across reconnects."],
            twins: [SocketErrorTwin.none("POSIX ESTALE (Linux 116 / Darwin 70) is an NFS file-handle error.")]
        ),
        windows(
            ["WSAEREMOTE"],
            code: 10071,
            message: "Item is not available locally.",
            summary: "The item is remote, not local.",
            meaning: "An object is not available locally; not returned by normal socket calls.",
            stories: [
                "A provider reports that a requested path is on a remote machine.",
                "A file-system error passes through a Winsock provider.",
            ],
            whatToDo: ["Access the item through its remote path or service."],
            twins: [SocketErrorTwin.none("POSIX EREMOTE (Linux 66 / Darwin 71) is a file-system error.")]
        ),
    ]
}
