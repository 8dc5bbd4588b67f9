// The POSIX errors about waiting, interruption, limits and permissions.
extension SocketErrorCatalogue {
    static let posixResourceEntries: [SocketErrorEntry] = [
        posix(
            ["EAGAIN", "EWOULDBLOCK"],
            linux: 11,
            darwin: 35,
            message: "Resource temporarily unavailable",
            summary: "The operation would have to wait; try again later (non-blocking sockets, timeouts).",
            meaning: """
                A non-blocking socket had nothing to read, or no room to write, right now. It is not a failure: it \
                says "come back when the socket is ready". A blocking socket with SO_RCVTIMEO or SO_SNDTIMEO set \
                returns it when the timeout expires. EAGAIN and EWOULDBLOCK are the same number on Linux and macOS.
                """,
            stories: [
                "An event loop reads a socket until it returns EAGAIN, then waits for the next readiness event: normal operation.",
                """
                A Python program sets a socket timeout and a read takes too long; the error surfaces as \
                "[Errno 11] Resource temporarily unavailable" (or BlockingIOError) instead of a timeout message.
                """,
            ],
            whatToDo: [
                "With non-blocking sockets, wait for readiness (poll, epoll, kqueue) and retry; do not treat it as an error.",
                "With a receive or send timeout, treat it as \"timed out\" and decide whether to retry or give up.",
            ],
            twins: [SocketErrorTwin("WSAEWOULDBLOCK", "Windows reports it as WSAEWOULDBLOCK 10035.")],
            phrasings: ["BlockingIOError", "WouldBlock", "Resource temporarily unavailable (os error 11)"]
        ),
        posix(
            ["EINTR"],
            linux: 4,
            darwin: 4,
            message: "Interrupted system call",
            summary: "A signal interrupted a blocking call before it finished.",
            meaning: """
                A blocking call (read, write, connect, accept, poll) was interrupted because the process received a \
                signal, for example SIGCHLD, SIGALRM or a debugger's. No data was lost; the call simply did not \
                finish. Most runtimes retry automatically.
                """,
            stories: [
                "A C program blocked in accept() gets SIGCHLD when a child exits, and accept() returns EINTR.",
                "Attaching a profiler or debugger sends signals that interrupt a long recv().",
            ],
            whatToDo: [
                "Retry the call (or install signal handlers with SA_RESTART); for connect(), wait for the result instead of calling again."
            ],
            twins: [
                SocketErrorTwin("WSAEINTR", "Windows reports it as WSAEINTR 10004, when a blocking call is cancelled.")
            ],
            phrasings: ["InterruptedError", "Interrupted"]
        ),
        posix(
            ["EMSGSIZE"],
            linux: 90,
            darwin: 40,
            message: "Message too long",
            summary: "A datagram is bigger than the socket (or the path) allows.",
            meaning: """
                You sent a message that is too large to go in one piece: a UDP datagram over 65,507 bytes, a \
                datagram larger than the path MTU with the don't-fragment bit set, or a Unix datagram over the \
                socket buffer size. TCP never returns it for ordinary writes.
                """,
            stories: [
                "A metrics client sends one 70 KB UDP packet and sendto() fails with EMSGSIZE.",
                "A VPN lowers the MTU; UDP with path-MTU discovery gets EMSGSIZE for packets that used to fit.",
            ],
            whatToDo: [
                "Send smaller datagrams (split the data, or stay under about 1,200 bytes for Internet UDP), or use TCP."
            ],
            twins: [SocketErrorTwin("WSAEMSGSIZE", "Windows reports it as WSAEMSGSIZE 10040.")]
        ),
        posix(
            ["ENOBUFS"],
            linux: 105,
            darwin: 55,
            message: "No buffer space available",
            summary: "The kernel ran out of buffer memory or queue space for the socket.",
            meaning: """
                The kernel could not get memory for socket buffers, or an interface queue was full. It happens \
                under very heavy load, with very many sockets, or when sending faster than the interface can \
                transmit (common with UDP on macOS).
                """,
            stories: [
                "A UDP sender on macOS blasts packets faster than Wi-Fi can send them and sendto() fails with ENOBUFS.",
                "A host with hundreds of thousands of sockets exhausts the kernel's socket memory (net.ipv4.tcp_mem).",
            ],
            whatToDo: [
                "Slow down and retry after a short pause; for UDP, pace the sender.",
                "Check for socket leaks and kernel memory limits (`ss -s`, `sysctl net.ipv4.tcp_mem`).",
            ],
            twins: [
                SocketErrorTwin(
                    "WSAENOBUFS",
                    "Windows reports it as WSAENOBUFS 10055, often when ephemeral ports run out."
                )
            ]
        ),
        posix(
            ["EMFILE"],
            linux: 24,
            darwin: 24,
            message: "Too many open files",
            summary: "Your process hit its limit on open file descriptors (every socket is one).",
            meaning: """
                Each socket, file and pipe uses a file descriptor, and your process may hold only so many (often \
                1,024 by default, `ulimit -n`). When it has that many open, socket(), accept() and open() fail with \
                this error. Usually connections are leaking (never closed) or the limit is too low for the load.
                """,
            stories: [
                "A server never closes connections that clients abandoned; after a day it cannot accept() new ones.",
                "A crawler opens 2,000 concurrent connections with the default limit of 1,024 descriptors.",
            ],
            whatToDo: [
                "Look for leaked sockets: `ls /proc/PID/fd | wc -l` or `lsof -p PID`; make sure every connection is closed.",
                "Raise the limit if the load is real (`ulimit -n`, systemd's LimitNOFILE, launchctl limit on macOS).",
            ],
            twins: [
                SocketErrorTwin("WSAEMFILE", "Windows reports it as WSAEMFILE 10024."),
                SocketErrorTwin("ENFILE", "When the whole system, not just your process, is out of descriptors."),
            ],
            phrasings: ["accept: too many open files", "Too many open files (os error 24)"]
        ),
        posix(
            ["ENFILE"],
            linux: 23,
            darwin: 23,
            message: "Too many open files in system",
            summary: "The whole system ran out of file descriptors.",
            meaning: """
                Not only your process but the whole machine reached its limit on open files (fs.file-max on \
                Linux, kern.maxfiles on macOS). Every process that tries to open a socket or file now fails.
                """,
            stories: [
                "A runaway process leaks sockets until the system-wide table is full and even ssh logins fail.",
                "Many busy services on one small machine together exceed kern.maxfiles on macOS.",
            ],
            whatToDo: [
                "Find the process holding the most descriptors (`lsof | awk '{print $2}' | sort | uniq -c | sort -n`) and fix its leak.",
                "Raise the system limit (`sysctl fs.file-max` / `kern.maxfiles`) if the load is legitimate.",
            ],
            twins: [
                SocketErrorTwin("EMFILE", "The per-process limit; far more common."),
                SocketErrorTwin("WSAEMFILE", "Windows reports running out of sockets as WSAEMFILE 10024."),
            ]
        ),
        posix(
            ["ENOMEM"],
            linux: 12,
            darwin: 12,
            message: "Cannot allocate memory",
            summary: "The kernel could not allocate memory for the operation.",
            meaning: """
                The system is short of memory (or of a specific kernel memory pool) and could not complete the \
                call. For sockets it can come from creating the socket, from large buffer sizes, or from \
                getaddrinfo when the system is starved.
                """,
            stories: [
                "A container with a tight memory limit opens many connections with large socket buffers.",
                "A machine under heavy swapping fails to create new sockets.",
            ],
            whatToDo: [
                "Reduce memory use (fewer connections, smaller buffers) or give the process or machine more memory."
            ],
            twins: [
                SocketErrorTwin("WSA_NOT_ENOUGH_MEMORY", "Windows reports it as WSA_NOT_ENOUGH_MEMORY 8 or WSAENOBUFS.")
            ],
            phrasings: ["OutOfMemory"]
        ),
        posix(
            ["EACCES"],
            linux: 13,
            darwin: 13,
            message: "Permission denied",
            summary: "You are not allowed to do this: low port, broadcast, or a security policy.",
            meaning: """
                The system refused the operation for permission reasons. For sockets that usually means binding a \
                port below 1024 without privileges, sending to a broadcast address without SO_BROADCAST, \
                connecting to a Unix socket you may not open, or a security policy (SELinux, AppArmor, macOS \
                sandbox) blocking network access.
                """,
            stories: [
                "A web server started as a normal user tries to listen on port 80 and fails with EACCES.",
                "A sandboxed macOS app without the network client entitlement cannot connect.",
            ],
            whatToDo: [
                "Use a port of 1024 or above, or grant the capability (`setcap cap_net_bind_service=+ep`), or run behind a proxy.",
                "Check Unix socket file permissions, SELinux/AppArmor denials (`journalctl`, `dmesg`) and app sandbox settings.",
            ],
            twins: [SocketErrorTwin("WSAEACCES", "Windows reports it as WSAEACCES 10013.")],
            phrasings: ["PermissionError", "PermissionDenied", "listen EACCES", "bind: permission denied"]
        ),
        posix(
            ["EPERM"],
            linux: 1,
            darwin: 1,
            message: "Operation not permitted",
            summary: "The operation is forbidden, often by a firewall rule on the local machine.",
            meaning: """
                The operation is not allowed for this process. With sockets, on Linux, it most often means a local \
                firewall rule (iptables/nftables) rejected an outgoing packet, or the process lacks a capability \
                (raw sockets need CAP_NET_RAW). On macOS, a content filter or the sandbox can cause it.
                """,
            stories: [
                "An outgoing connection is blocked by an iptables OUTPUT rule, so connect() or send() fails with EPERM.",
                "A program opens a raw socket for ping without root or CAP_NET_RAW.",
            ],
            whatToDo: [
                "Check the local firewall (`iptables -L -v`, `nft list ruleset`) and security modules.",
                "Grant the needed capability, or run the feature that needs it with the right privileges.",
            ],
            twins: [SocketErrorTwin("WSAEACCES", "Windows reports forbidden socket operations as WSAEACCES 10013.")],
            phrasings: ["Operation not permitted (os error 1)"]
        ),
        posix(
            ["ECANCELED"],
            linux: 125,
            darwin: 89,
            message: "Operation canceled",
            summary: "The operation was cancelled before it finished.",
            meaning: """
                An asynchronous operation was cancelled, by your program or a library, before it completed: an \
                asynchronous I/O request (io_uring, aio), a request whose task was cancelled, or a connection \
                closed while an operation was pending on it.
                """,
            stories: [
                "An async runtime cancels a pending read when the task that awaited it is cancelled.",
                "A client closes a connection while an io_uring send is in flight; the send completes with ECANCELED.",
            ],
            whatToDo: [
                "Usually expected during shutdown or cancellation; otherwise find who cancelled the operation and why."
            ],
            twins: [
                SocketErrorTwin(
                    "WSA_OPERATION_ABORTED",
                    "Windows reports cancelled overlapped I/O as WSA_OPERATION_ABORTED 995."
                ),
                SocketErrorTwin("WSAECANCELLED", "...and cancelled name-service lookups as WSAECANCELLED 10103."),
            ]
        ),
        posix(
            ["EPROTO"],
            linux: 71,
            darwin: 100,
            message: "Protocol error",
            summary: "The protocol layer met something it cannot handle.",
            meaning: """
                A protocol-level error happened below your program: on Linux, accept() can report EPROTO for a \
                connection that failed during setup; TLS and other layers sometimes pass it up when the peer \
                violates the protocol.
                """,
            stories: [
                "A Linux server's accept() returns EPROTO for a client that reset during the handshake.",
                "Node's TLS reports \"write EPROTO\" when the server speaks plain HTTP on an HTTPS port or an old TLS version.",
            ],
            whatToDo: [
                "In an accept loop, ignore it and accept the next connection.",
                "For TLS, check that both sides speak TLS and share a protocol version and cipher.",
            ],
            twins: [
                SocketErrorTwin(
                    "WSAECONNABORTED",
                    "Windows has no EPROTO; a failed set-up shows up as an aborted connection."
                )
            ],
            phrasings: ["write EPROTO"]
        ),
        posix(
            ["ETOOMANYREFS"],
            linux: 109,
            darwin: 59,
            message: "Too many references: cannot splice",
            darwinMessage: "Too many references: can't splice",
            summary: "Too many references to a kernel object, such as file descriptors passed over a Unix socket.",
            meaning: """
                The kernel refused because an object has too many references. With sockets you meet it when \
                passing file descriptors over Unix sockets (SCM_RIGHTS): too many descriptors are in flight.
                """,
            stories: [
                "A process passes thousands of descriptors over a Unix socket without the receiver reading them.",
                "Descriptor passing in a loop that creates cycles (a socket sent over itself) hits the kernel limit.",
            ],
            whatToDo: ["Have the receiver read passed descriptors promptly and send fewer at a time."],
            twins: [SocketErrorTwin("WSAETOOMANYREFS", "Windows reports it as WSAETOOMANYREFS 10059.")]
        ),
        posix(
            ["EQFULL"],
            linux: nil,
            darwin: 106,
            message: "Interface output queue is full",
            summary: "macOS only: the network interface's send queue is full.",
            meaning: """
                Darwin's network interface queue for outgoing packets is full, so the packet cannot be queued now. \
                It is a form of flow control, mostly seen with UDP or on slow links.
                """,
            stories: [
                "A UDP video sender on a Mac pushes faster than Wi-Fi can transmit and sendto() returns EQFULL.",
                "Heavy traffic on a cellular interface of an iPhone makes sends fail briefly.",
            ],
            whatToDo: ["Pace the sender and retry after a short pause."],
            twins: [
                SocketErrorTwin("ENOBUFS", "Linux reports a full interface queue as ENOBUFS."),
                SocketErrorTwin("WSAENOBUFS", "Windows reports it as WSAENOBUFS 10055."),
            ]
        ),
    ]
}
