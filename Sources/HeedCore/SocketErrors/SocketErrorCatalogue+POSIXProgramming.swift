// The POSIX errors that mostly mean a program used a socket the wrong way, or asked for something unsupported.
extension SocketErrorCatalogue {
    static let posixProgrammingEntries: [SocketErrorEntry] = [
        posix(
            ["EBADF"],
            linux: 9,
            darwin: 9,
            message: "Bad file descriptor",
            summary: "The socket handle is not open (closed already, or never valid).",
            meaning: """
                The number your program passed as a socket is not an open descriptor: the socket was already \
                closed (often by another thread or a double close), or the number was never valid. Data may have \
                gone to the wrong place if the number was reused by a newer file.
                """,
            stories: [
                "Two parts of a program both close the same connection; the second close() or a later read() gets EBADF.",
                "Go reports a read on a connection that your code closed as \"use of closed network connection\".",
            ],
            whatToDo: [
                "Make one owner responsible for closing each socket; never use it after close.",
                "Look for races between a reader thread and a thread that closes the connection.",
            ],
            twins: [
                SocketErrorTwin("WSAEBADF", "Windows: WSAEBADF 10009."),
                SocketErrorTwin("WSAENOTSOCK", "Windows usually reports a closed socket handle as WSAENOTSOCK 10038."),
            ],
            phrasings: ["use of closed network connection", "Bad file descriptor (os error 9)"]
        ),
        posix(
            ["ENOTSOCK"],
            linux: 88,
            darwin: 38,
            message: "Socket operation on non-socket",
            summary: "A socket call was given a descriptor that is not a socket.",
            meaning: """
                The descriptor is open but refers to a file, pipe or terminal, not a socket, so socket calls \
                (send, recv, setsockopt) cannot work on it. Usually a descriptor number was mixed up or reused.
                """,
            stories: [
                "A program closes a socket, opens a log file that gets the same number, then calls send() on it.",
                "A service manager passes the wrong descriptor to a program expecting a listening socket.",
            ],
            whatToDo: ["Check where the descriptor came from; avoid keeping descriptor numbers after closing them."],
            twins: [SocketErrorTwin("WSAENOTSOCK", "Windows reports it as WSAENOTSOCK 10038.")]
        ),
        posix(
            ["EDESTADDRREQ"],
            linux: 89,
            darwin: 39,
            message: "Destination address required",
            summary: "You sent on an unconnected socket without saying where to.",
            meaning: """
                A send on a socket that has no connected peer needs a destination address (sendto), and none was \
                given. Typical for UDP sockets used with send() before connect().
                """,
            stories: [
                "A UDP client calls send() instead of sendto() without first calling connect().",
                "A program uses a TCP socket whose connect() failed unnoticed.",
            ],
            whatToDo: ["Use sendto() with an address, or connect() the socket first."],
            twins: [SocketErrorTwin("WSAEDESTADDRREQ", "Windows reports it as WSAEDESTADDRREQ 10039.")]
        ),
        posix(
            ["EPROTOTYPE"],
            linux: 91,
            darwin: 41,
            message: "Protocol wrong type for socket",
            summary: "The protocol does not fit the socket type (for example TCP on a datagram socket).",
            meaning: """
                The protocol you named does not support the kind of socket you asked for, such as IPPROTO_TCP with \
                SOCK_DGRAM, or connecting a Unix stream socket to a datagram socket path.
                """,
            stories: [
                "A program calls socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP).",
                "A client connects a SOCK_STREAM Unix socket to a server that listens with SOCK_DGRAM.",
            ],
            whatToDo: ["Match the protocol to the socket type (TCP with SOCK_STREAM, UDP with SOCK_DGRAM), or pass 0."],
            twins: [SocketErrorTwin("WSAEPROTOTYPE", "Windows reports it as WSAEPROTOTYPE 10041.")]
        ),
        posix(
            ["ENOPROTOOPT"],
            linux: 92,
            darwin: 42,
            message: "Protocol not available",
            summary: "The socket option is unknown or not supported at that level.",
            meaning: """
                getsockopt() or setsockopt() was asked for an option the protocol does not know, or at the wrong \
                level (a TCP option at SOL_SOCKET), or one this kernel does not support.
                """,
            stories: [
                "Code written for Linux sets TCP_KEEPIDLE on macOS, which calls it TCP_KEEPALIVE.",
                "A program sets TCP_NODELAY on a UDP or Unix socket.",
            ],
            whatToDo: ["Check the option name and level for this platform; skip options the platform does not have."],
            twins: [SocketErrorTwin("WSAENOPROTOOPT", "Windows reports it as WSAENOPROTOOPT 10042.")]
        ),
        posix(
            ["EPROTONOSUPPORT"],
            linux: 93,
            darwin: 43,
            message: "Protocol not supported",
            summary: "The requested protocol is not supported (or not built into the kernel).",
            meaning: """
                The system has no implementation of the protocol you asked for, for example SCTP or MPTCP on a \
                kernel without it, or an unknown protocol number.
                """,
            stories: [
                "A program asks for IPPROTO_SCTP on a Linux machine without the sctp module.",
                "A container's seccomp profile hides a protocol family's protocols.",
            ],
            whatToDo: ["Use a supported protocol, or load the kernel module that provides it."],
            twins: [SocketErrorTwin("WSAEPROTONOSUPPORT", "Windows reports it as WSAEPROTONOSUPPORT 10043.")]
        ),
        posix(
            ["ESOCKTNOSUPPORT"],
            linux: 94,
            darwin: 44,
            message: "Socket type not supported",
            summary: "The socket type is not supported in this address family.",
            meaning:
                "The address family has no support for the socket type requested, such as SOCK_SEQPACKET where only streams exist.",
            stories: [
                "A program asks for SOCK_SEQPACKET over AF_INET on a system without SCTP.",
                "A portable library passes a socket type that only another operating system knows.",
            ],
            whatToDo: ["Use SOCK_STREAM or SOCK_DGRAM, or a family that supports the type you need."],
            twins: [SocketErrorTwin("WSAESOCKTNOSUPPORT", "Windows reports it as WSAESOCKTNOSUPPORT 10044.")]
        ),
        posix(
            ["EOPNOTSUPP"],
            linux: 95,
            darwin: 102,
            message: "Operation not supported",
            darwinMessage: "Operation not supported on socket",
            summary: "The operation is not supported on this kind of socket.",
            meaning: """
                The socket does not support what you asked: listen() or accept() on a UDP socket, MSG_OOB where \
                out-of-band data does not exist, or a feature the protocol lacks. On Linux EOPNOTSUPP and ENOTSUP \
                are the same number (95); on Darwin they differ.
                """,
            stories: [
                "A program calls listen() on a SOCK_DGRAM socket.",
                "Code sends with a flag (MSG_OOB, MSG_FASTOPEN) the socket type or kernel does not support.",
            ],
            whatToDo: ["Use only operations that fit the socket type; check platform support for special flags."],
            twins: [
                SocketErrorTwin("WSAEOPNOTSUPP", "Windows reports it as WSAEOPNOTSUPP 10045."),
                SocketErrorTwin("ENOTSUP", "The same number on Linux; a separate value on Darwin."),
            ]
        ),
        posix(
            ["ENOTSUP"],
            linux: 95,
            darwin: 45,
            message: "Operation not supported",
            summary: "The operation or feature is not supported here.",
            meaning: """
                The requested feature is not supported by this object or system. On Linux it is the same number as \
                EOPNOTSUPP (95); on Darwin it is 45 and used for more general \"not supported\" cases.
                """,
            stories: [
                "A program asks macOS for a socket option or file feature that Darwin does not implement.",
                "Code enables TCP Fast Open on a system where it is off.",
            ],
            whatToDo: ["Check whether the platform supports the feature; fall back to a supported path."],
            twins: [
                SocketErrorTwin("EOPNOTSUPP", "Same number on Linux."),
                SocketErrorTwin("WSAEOPNOTSUPP", "Windows reports it as WSAEOPNOTSUPP 10045."),
            ]
        ),
        posix(
            ["EPFNOSUPPORT"],
            linux: 96,
            darwin: 46,
            message: "Protocol family not supported",
            summary: "The protocol family is not supported by the system.",
            meaning: "The protocol family (PF_*) you asked for is not configured in the system or does not exist.",
            stories: [
                "A program asks for a family like PF_APPLETALK on a kernel without it.",
                "A sandbox or container profile disables a protocol family.",
            ],
            whatToDo: ["Use PF_INET/PF_INET6 (or AF_*) families that the system supports."],
            twins: [SocketErrorTwin("WSAEPFNOSUPPORT", "Windows reports it as WSAEPFNOSUPPORT 10046.")]
        ),
        posix(
            ["EAFNOSUPPORT"],
            linux: 97,
            darwin: 47,
            message: "Address family not supported by protocol",
            darwinMessage: "Address family not supported by protocol family",
            summary: "The address family is not supported, typically IPv6 on a host without IPv6.",
            meaning: """
                The address you used belongs to a family the socket or system does not support, most often an IPv6 \
                address on a system (or container) where IPv6 is disabled, or an IPv4 address on an IPv6-only socket.
                """,
            stories: [
                "A server tries to listen on [::]:8080 in a Docker container with IPv6 disabled and fails with EAFNOSUPPORT.",
                "A client passes an IPv6 address to a socket created with AF_INET.",
            ],
            whatToDo: [
                "Listen on 0.0.0.0 instead of ::, or enable IPv6 in the system or container.",
                "Create the socket with the family of the address you connect to (use getaddrinfo's results).",
            ],
            twins: [SocketErrorTwin("WSAEAFNOSUPPORT", "Windows reports it as WSAEAFNOSUPPORT 10047.")]
        ),
        posix(
            ["ELOOP"],
            linux: 40,
            darwin: 62,
            message: "Too many levels of symbolic links",
            summary: "A Unix socket path loops through symbolic links.",
            meaning: """
                Resolving a path (for example a Unix domain socket path) went through too many symbolic links, \
                usually because they form a loop.
                """,
            stories: [
                "A Unix socket path points through a symlink that points back to itself.",
                "A deployment script replaces a directory with a link to itself, breaking the socket path.",
            ],
            whatToDo: ["Check the socket path with `ls -l` / `readlink -f` and fix the link loop."],
            twins: [SocketErrorTwin("WSAELOOP", "Windows' WSAELOOP 10062 means a name could not be translated.")]
        ),
        posix(
            ["ENAMETOOLONG"],
            linux: 36,
            darwin: 63,
            message: "File name too long",
            summary: "A name, often a Unix socket path, is too long.",
            meaning: """
                A path or name exceeds the system's limit. Unix domain socket paths are limited to about 108 bytes \
                on Linux and 104 on macOS, far less than normal paths, so deep temporary directories hit it.
                """,
            stories: [
                "A test creates a Unix socket inside a long macOS temporary directory and bind() fails.",
                "A host name longer than 255 bytes is passed to a resolver call.",
            ],
            whatToDo: [
                "Use a shorter path for Unix sockets (for example under /tmp), or connect relative to a short working directory."
            ],
            twins: [SocketErrorTwin("WSAENAMETOOLONG", "Windows reports it as WSAENAMETOOLONG 10063.")]
        ),
        posix(
            ["EINVAL"],
            linux: 22,
            darwin: 22,
            message: "Invalid argument",
            summary: "A socket call got an argument that makes no sense in this state.",
            meaning: """
                One of the arguments was invalid: a wrong address length, a bad option value, listen() on an \
                unbound or connected socket, accept() on a socket that is not listening, or a call made in the \
                wrong order. On macOS, setsockopt() on a socket whose connection was already reset also returns it.
                """,
            stories: [
                "A program calls accept() on a socket it forgot to listen() on.",
                "On macOS, setting an option on an accepted socket the client already reset fails with EINVAL.",
            ],
            whatToDo: ["Check the order of calls (socket, bind, listen, accept) and each argument's size and value."],
            twins: [SocketErrorTwin("WSAEINVAL", "Windows reports it as WSAEINVAL 10022.")],
            phrasings: ["InvalidInput"]
        ),
        posix(
            ["EFAULT"],
            linux: 14,
            darwin: 14,
            message: "Bad address",
            summary: "A pointer passed to a socket call points outside the program's memory.",
            meaning: """
                A buffer or address pointer given to the kernel is invalid. It is a memory bug in the program (or \
                in native code it uses), not a network problem.
                """,
            stories: [
                "Native code passes a freed buffer to recv().",
                "A wrong length makes the kernel read past the end of an address structure.",
            ],
            whatToDo: ["Debug the memory handling around the call (AddressSanitizer, Valgrind)."],
            twins: [SocketErrorTwin("WSAEFAULT", "Windows reports it as WSAEFAULT 10014.")]
        ),
        posix(
            ["ENOENT"],
            linux: 2,
            darwin: 2,
            message: "No such file or directory",
            summary: "The Unix socket path (or a configuration file the resolver needs) does not exist.",
            meaning: """
                A path does not exist. For networking you meet it when connecting to a Unix domain socket whose \
                file is missing, because the server is not running or uses another path.
                """,
            stories: [
                "A client connects to /var/run/docker.sock while the Docker daemon is stopped.",
                "PostgreSQL clients fail with \"No such file or directory\" when the server listens on a different socket directory.",
            ],
            whatToDo: ["Start the server, or point the client to the socket path the server actually uses."],
            twins: [
                SocketErrorTwin(
                    "WSAECONNREFUSED",
                    "On Windows the nearest case (nobody listening) is WSAECONNREFUSED 10061."
                )
            ]
        ),
        posix(
            ["EIO"],
            linux: 5,
            darwin: 5,
            message: "Input/output error",
            summary: "A low-level I/O error in the device or driver.",
            meaning: """
                A device or driver reported a hardware-level I/O failure. With networking it is rare: a failing \
                network driver, a TUN/TAP device that went away, or a network file system.
                """,
            stories: [
                "A VPN's TUN device is removed while a program still reads from it.",
                "A failing network card makes the driver return I/O errors.",
            ],
            whatToDo: ["Check the kernel log (`dmesg`) for driver or device errors; reconnect or restart the device."],
            twins: [
                SocketErrorTwin("WSAENETDOWN", "Windows usually reports a failed network device as WSAENETDOWN 10050.")
            ]
        ),
    ]
}
