// The Windows Sockets errors of a connection's life.
extension SocketErrorCatalogue {
    static let windowsConnectionEntries: [SocketErrorEntry] = [
        windows(
            ["WSAECONNABORTED"],
            code: 10053,
            message: "An established connection was aborted by the software in your host machine.",
            summary:
                "Windows tore the connection down locally, usually because the peer reset it while you were sending.",
            meaning: """
                Despite the wording, this rarely means that some other software on your machine interfered. \
                Windows' own TCP stack gave up on the connection and aborted it: most often because the peer sent \
                a reset (RST) while you were still sending, or because data you sent was never acknowledged after \
                repeated retransmissions. The connection is gone; but data the peer sent before it went away may \
                already be in your receive buffer.
                """,
            stories: [
                """
                You POST a 50 MB upload. The server reads the request head, decides the upload is not allowed \
                (413 Payload Too Large, 401 Unauthorized, 400), writes its response and closes the socket without \
                reading the rest of your body. Its kernel answers your further data with a reset, and your next \
                send() fails with WSAECONNABORTED 10053. The server's response arrived before the reset and sits \
                in your receive buffer, but your client gave up on the send error and never read it: you see \
                "An established connection was aborted" instead of "413 Payload Too Large".
                """,
                """
                A long-lived connection (a database or WebSocket connection) crosses a network that silently \
                drops it; Windows retransmits, gets no acknowledgement, and aborts the connection. The next call \
                reports 10053.
                """,
            ],
            whatToDo: [
                "If you were uploading, read the response anyway: the server most likely answered early (look for 413, 401, 400).",
                "Use a client that monitors the response while sending (RFC 9112 §9.6), or send `Expect: 100-continue` for big bodies.",
                "Check the server's limits (maximum body size, authentication) and its logs for the request.",
                "For idle long-lived connections, enable keep-alive or reconnect on this error and retry idempotent requests.",
            ],
            twins: [
                SocketErrorTwin(
                    "ECONNABORTED",
                    "The POSIX name (Linux 103, Darwin 53), which on Linux means something rarer (accept-time aborts)."
                ),
                SocketErrorTwin(
                    "EPIPE",
                    "A Linux or macOS client in the same upload story gets EPIPE (\"Broken pipe\")..."
                ),
                SocketErrorTwin("ECONNRESET", "...or ECONNRESET (\"Connection reset by peer\")."),
                SocketErrorTwin(
                    "WSAECONNRESET",
                    "The same story on Windows can also end with 10054, depending on timing."
                ),
            ],
            phrasings: [
                "Software caused connection abort: socket write error",
                "Software caused connection abort: recv failed",
                "An established connection was aborted by the software in your host machine",
                "established connection was aborted",
            ]
        ),
        windows(
            ["WSAECONNRESET"],
            code: 10054,
            message: "An existing connection was forcibly closed by the remote host.",
            summary: "The other side reset the connection (TCP RST).",
            meaning: """
                The peer's system sent a TCP reset: it dropped the connection at once instead of closing it \
                normally. Data still in flight is lost. Causes: the server closed with unread data (an early \
                response to an upload), the peer process crashed or was killed, or a firewall, proxy or load \
                balancer cut the connection. On UDP sockets Windows also reports it when an earlier datagram got \
                an ICMP "port unreachable" back.
                """,
            stories: [
                """
                An upload is rejected early: the server answers 413 and closes without reading the rest of your \
                body, so its kernel resets the connection. Your next send() or recv() fails with 10054; the 413 \
                may already be in your receive buffer, unread. .NET shows "System.Net.Sockets.SocketException \
                (10054): An existing connection was forcibly closed by the remote host".
                """,
                """
                A pooled keep-alive connection was closed by the server (or an Azure/AWS load balancer after its \
                idle timeout); the next request on it fails with 10054.
                """,
            ],
            whatToDo: [
                "If you were uploading, read the response: the server probably answered early.",
                "Retry idempotent requests once on a fresh connection; keep the client's idle timeout below the server's.",
                "Check the server side (crash, restart, limits) and any proxy between you at that moment.",
            ],
            twins: [
                SocketErrorTwin("ECONNRESET", "Linux 104 / Darwin 54: \"Connection reset by peer\"."),
                SocketErrorTwin("WSAECONNABORTED", "In the upload story Windows often reports 10053 instead."),
                SocketErrorTwin("EPIPE", "A Linux client writing after the reset may see EPIPE."),
            ],
            phrasings: [
                "Connection reset by peer: socket write error", "An existing connection was forcibly closed",
                "forcibly closed by the remote host",
                "wsarecv: An existing connection was forcibly closed by the remote host",
            ]
        ),
        windows(
            ["WSAETIMEDOUT"],
            code: 10060,
            message: """
                A connection attempt failed because the connected party did not properly respond after a period \
                of time, or established connection failed because connected host has failed to respond.
                """,
            summary: "The peer did not answer in time: connect timed out, or an open connection stopped responding.",
            meaning: """
                Windows sent packets and heard nothing back. For a new connection the SYNs went unanswered (about \
                21 seconds by default); for an open connection, data or keep-alive probes were never \
                acknowledged. Silence usually means a firewall dropping packets, a wrong address, or a host that \
                is off.
                """,
            stories: [
                "You connect to a server port that a cloud firewall silently drops; after ~21 s the connect fails with 10060.",
                "A VPN drops while a download runs; retransmissions go unanswered and the connection times out.",
            ],
            whatToDo: [
                "Check the address, that the host is up, and that every firewall allows the port.",
                "Set a client connect timeout; enable keep-alive for long idle connections.",
            ],
            twins: [
                SocketErrorTwin(
                    "ETIMEDOUT",
                    "Linux 110 / Darwin 60: \"Connection timed out\" / \"Operation timed out\"."
                )
            ],
            phrasings: ["did not properly respond after a period of time"]
        ),
        windows(
            ["WSAECONNREFUSED"],
            code: 10061,
            message: "No connection could be made because the target machine actively refused it.",
            summary: "Nothing is listening on that port; the host refused the connection.",
            meaning: """
                The host answered your connection attempt with a reset: nothing listens on that address and port, \
                or a firewall rejects it. The machine is reachable; the service is not there.
                """,
            stories: [
                "You run a client against localhost:5000 before the dev server has started (or after it crashed).",
                "The server listens on 127.0.0.1 only and you connect via the machine's LAN address.",
            ],
            whatToDo: [
                "Check that the server runs and listens: `netstat -ano | findstr :5000`.",
                "Check the port and the address it listens on; wait for the server to be ready before connecting.",
            ],
            twins: [SocketErrorTwin("ECONNREFUSED", "Linux 111 / Darwin 61: \"Connection refused\".")],
            phrasings: ["actively refused it", "connectex: No connection could be made"]
        ),
        windows(
            ["WSAEHOSTUNREACH"],
            code: 10065,
            message: "A socket operation was attempted to an unreachable host.",
            summary: "No route to the host.",
            meaning:
                "Windows or a router could not deliver packets to the host: it is off, not on the network, or a router says it is unreachable.",
            stories: [
                "You connect to a LAN machine that is switched off.",
                "A VPN route is missing, so the host behind the VPN is unreachable.",
            ],
            whatToDo: ["Check the address, that the host is on, and the routing (`route print`, `tracert`)."],
            twins: [SocketErrorTwin("EHOSTUNREACH", "Linux 113 / Darwin 65: \"No route to host\".")]
        ),
        windows(
            ["WSAENETUNREACH"],
            code: 10051,
            message: "A socket operation was attempted to an unreachable network.",
            summary: "No route to that network.",
            meaning:
                "Windows has no route to the destination network: no default gateway, or an IPv6 destination without IPv6 connectivity.",
            stories: [
                "The laptop lost its network connection and has no default gateway.",
                "A name resolved to an IPv6 address on a machine without IPv6 routing.",
            ],
            whatToDo: ["Check the network connection and routes (`ipconfig`, `route print`); try the IPv4 address."],
            twins: [SocketErrorTwin("ENETUNREACH", "Linux 101 / Darwin 51: \"Network is unreachable\".")]
        ),
        windows(
            ["WSAENETDOWN"],
            code: 10050,
            message: "A socket operation encountered a dead network.",
            summary: "The network subsystem or interface is down.",
            meaning:
                "The network the socket uses is down: the adapter was disabled, the cable pulled, Wi-Fi or a VPN disconnected.",
            stories: [
                "A VPN disconnects during a transfer.",
                "The network adapter is disabled while connections are open.",
            ],
            whatToDo: ["Check the adapter and connection (`ipconfig /all`), reconnect, and retry."],
            twins: [SocketErrorTwin("ENETDOWN", "Linux 100 / Darwin 50: \"Network is down\".")]
        ),
        windows(
            ["WSAENETRESET"],
            code: 10052,
            message: """
                The connection has been broken due to keep-alive activity detecting a failure while the operation \
                was in progress.
                """,
            summary: "Keep-alive found the connection dead.",
            meaning:
                "Windows' keep-alive probes detected that the peer or the path failed, so the connection was broken.",
            stories: [
                "An idle database connection's keep-alive probes get no answer after the server host rebooted.",
                "A UDP socket receives an ICMP \"TTL expired\" for an earlier datagram.",
            ],
            whatToDo: ["Reconnect; retry requests that are safe to repeat; check the network path if it recurs."],
            twins: [SocketErrorTwin("ENETRESET", "Linux 102 / Darwin 52: \"Network dropped connection on reset\".")]
        ),
        windows(
            ["WSAEHOSTDOWN"],
            code: 10064,
            message: "A socket operation failed because the destination host was down.",
            summary: "The destination host is down.",
            meaning: "The destination host is known to be down (no response at the network level).",
            stories: [
                "A client connects to a NAS that is powered off.",
                "A host on the LAN stopped answering, and the next send fails.",
            ],
            whatToDo: ["Check that the host is on and on the network, and that the address is current."],
            twins: [SocketErrorTwin("EHOSTDOWN", "Linux 112 / Darwin 64: \"Host is down\".")]
        ),
        windows(
            ["WSAENOTCONN"],
            code: 10057,
            message: """
                A request to send or receive data was disallowed because the socket is not connected and (when \
                sending on a datagram socket using a sendto call) no address was supplied.
                """,
            summary: "The socket is not connected.",
            meaning:
                "You sent, received or shut down on a socket that has no connection (never connected, or the connection already ended).",
            stories: [
                "A program calls shutdown() after the peer already reset the connection.",
                "A UDP socket calls send() without connect() or an address.",
            ],
            whatToDo: ["Treat it as \"connection gone\" after errors; otherwise connect (or use sendto) first."],
            twins: [SocketErrorTwin("ENOTCONN", "Linux 107 / Darwin 57.")]
        ),
        windows(
            ["WSAESHUTDOWN"],
            code: 10058,
            message: """
                A request to send or receive data was disallowed because the socket had already been shut down in \
                that direction with a previous shutdown call.
                """,
            summary: "That direction of the socket was already shut down.",
            meaning:
                "The program shut down sending (or receiving) with shutdown() and then tried to use that direction again.",
            stories: [
                "A server half-closes after its response and a later code path writes again.",
                "A program reads after calling shutdown(SD_RECEIVE).",
            ],
            whatToDo: ["Find the call after shutdown() and remove it; fix the order of shutdown and I/O."],
            twins: [SocketErrorTwin("ESHUTDOWN", "Linux 108 / Darwin 58.")]
        ),
        windows(
            ["WSAEISCONN"],
            code: 10056,
            message: "A connect request was made on an already connected socket.",
            summary: "The socket is already connected.",
            meaning: "connect() was called on a socket that already has a connection.",
            stories: [
                "A non-blocking client calls connect() again to check progress after it finished.",
                "A retry loop reuses a connected socket for another connect().",
            ],
            whatToDo: ["Use a new socket per attempt; after a non-blocking connect, treat it as success."],
            twins: [SocketErrorTwin("EISCONN", "Linux 106 / Darwin 56.")]
        ),
        windows(
            ["WSAEALREADY"],
            code: 10037,
            message: "An operation was attempted on a non-blocking socket that already had an operation in progress.",
            summary: "A non-blocking operation (usually connect) is still in progress.",
            meaning:
                "A second connect() (or similar) was issued while the first on this non-blocking socket had not finished.",
            stories: [
                "A client calls connect() twice on the same non-blocking socket.",
                "A library retries a pending asynchronous call before it completes.",
            ],
            whatToDo: ["Wait for completion (select/WSAPoll writability), then check SO_ERROR."],
            twins: [SocketErrorTwin("EALREADY", "Linux 114 / Darwin 37.")]
        ),
        windows(
            ["WSAEINPROGRESS"],
            code: 10036,
            message: "A blocking operation is currently executing.",
            summary: "A blocking Winsock call is already running in this thread.",
            meaning: """
                Old Winsock 1.1 allowed only one blocking call per thread at a time; this reports a second call \
                during the first. Unlike POSIX EINPROGRESS it is not the non-blocking connect result (that is \
                WSAEWOULDBLOCK on Windows).
                """,
            stories: [
                "A legacy Winsock 1.1 program calls a socket function from a blocking hook while another call is running.",
                "Code ported from Unix checks for WSAEINPROGRESS after connect() and misses WSAEWOULDBLOCK.",
            ],
            whatToDo: ["Avoid nested blocking calls; for non-blocking connect, check for WSAEWOULDBLOCK instead."],
            twins: [
                SocketErrorTwin(
                    "EINPROGRESS",
                    "POSIX uses EINPROGRESS (Linux 115 / Darwin 36) for the unfinished non-blocking connect."
                )
            ]
        ),
        windows(
            ["WSAEWOULDBLOCK"],
            code: 10035,
            message: "A non-blocking socket operation could not be completed immediately.",
            summary: "The operation would have to wait; try again when the socket is ready.",
            meaning: """
                A non-blocking socket cannot complete the call right now: no data to read, no buffer room to \
                write, or a connect still in progress. It is normal flow control, not a failure.
                """,
            stories: [
                "A non-blocking connect() returns 10035; the connection completes later.",
                "A game server's non-blocking recv() has no data yet and returns 10035.",
            ],
            whatToDo: ["Wait for readiness (select, WSAPoll, IOCP) and retry; do not close the socket."],
            twins: [
                SocketErrorTwin("EAGAIN", "Linux 11 / Darwin 35: EAGAIN / EWOULDBLOCK."),
                SocketErrorTwin("EINPROGRESS", "For connect(), POSIX reports EINPROGRESS."),
            ]
        ),
        windows(
            ["WSAEADDRINUSE"],
            code: 10048,
            message: "Only one usage of each socket address (protocol/network address/port) is normally permitted.",
            summary: "The address and port are already in use.",
            meaning: """
                Another socket already holds the address and port you tried to bind or listen on: another program, \
                another instance of yours, or a reserved port range (Hyper-V and WSL reserve ranges). It also \
                appears on connect when the machine runs out of ephemeral ports.
                """,
            stories: [
                "A second copy of your dev server cannot listen on port 3000.",
                "Many short-lived outgoing connections exhaust ephemeral ports (TIME_WAIT) and connect() fails with 10048.",
            ],
            whatToDo: [
                "Find the owner: `netstat -ano | findstr :3000`, then stop it or use another port.",
                "Check reserved ranges with `netsh interface ipv4 show excludedportrange protocol=tcp`.",
                "Reuse connections (keep-alive) instead of opening many short ones.",
            ],
            twins: [SocketErrorTwin("EADDRINUSE", "Linux 98 / Darwin 48: \"Address already in use\".")]
        ),
        windows(
            ["WSAEADDRNOTAVAIL"],
            code: 10049,
            message: "The requested address is not valid in its context.",
            summary: "The address is not valid here (not local, or 0.0.0.0 as a destination).",
            meaning:
                "The address is not available: binding to an address this machine does not have, or connecting to 0.0.0.0 or port 0.",
            stories: [
                "A client copies the server's listen address 0.0.0.0 into its connect URL.",
                "A server binds to an IP address the machine lost after a network change.",
            ],
            whatToDo: [
                "Connect to 127.0.0.1 or the real host, not 0.0.0.0; bind only to addresses shown by `ipconfig`."
            ],
            twins: [SocketErrorTwin("EADDRNOTAVAIL", "Linux 99 / Darwin 49: \"Cannot assign requested address\".")]
        ),
        windows(
            ["WSAEDISCON"],
            code: 10101,
            message:
                "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a graceful shutdown sequence.",
            summary: "The peer closed gracefully (message-oriented protocols).",
            meaning: """
                For message-oriented protocols WSARecv reports that the peer started a graceful close. It is the \
                orderly end of the conversation, like reading 0 bytes (EOF) on TCP.
                """,
            stories: [
                "A program using a message-oriented transport sees the peer finish and close.",
                "A layered service provider reports a graceful disconnect as 10101.",
            ],
            whatToDo: ["Treat it as end of data: finish processing and close the socket."],
            twins: [
                SocketErrorTwin.none("POSIX has no error for it: a graceful close is read() returning 0 (end of file).")
            ]
        ),
    ]
}
