// The POSIX errors of a connection's life: resets, refusals, timeouts, unreachable peers, addresses.
extension SocketErrorCatalogue {
    static let posixConnectionEntries: [SocketErrorEntry] = [
        posix(
            ["ECONNRESET"],
            linux: 104,
            darwin: 54,
            message: "Connection reset by peer",
            summary: "The other side reset the connection (it sent a TCP RST): the connection is gone at once.",
            meaning: """
                The peer's operating system sent a TCP reset (RST) instead of the normal goodbye (FIN). A reset \
                means "forget this connection now": anything still in flight is thrown away, and your next read or \
                write fails with this error. Peers send a reset when they close a socket that still has unread data \
                in it, when a process crashes or is killed, when a load balancer or firewall drops an idle \
                connection, or when a packet arrives for a connection the peer no longer knows about.
                """,
            stories: [
                """
                You POST a 50 MB file. The server reads only the request head, decides the upload is not allowed \
                (413 Payload Too Large, 401, 400), writes that answer and closes the socket without reading the \
                rest of your body. Closing with unread bytes makes the server's kernel send a RST. Your next \
                write() or read() fails with ECONNRESET, yet the 413 response is often already sitting in your \
                receive buffer: a client that reads it would show "413 Payload Too Large" instead of this error.
                """,
                """
                Your pooled keep-alive connection sat idle for a few minutes; the server (or a NAT, load balancer \
                or firewall in between) forgot it. The next request on it gets a reset. Node.js reports this as \
                "socket hang up", Java as "Connection reset".
                """,
            ],
            whatToDo: [
                "If you were uploading, read the response anyway: the server probably answered early (look for 413, 401 or 400).",
                "Use a client that reads responses while it sends, or send `Expect: 100-continue` before large bodies.",
                "If it happens on reused idle connections, retry idempotent requests once and set the client's idle timeout below the server's.",
                "Check the server's logs at the same moment: a crash, restart or an upload limit there explains the reset.",
            ],
            twins: [
                SocketErrorTwin("WSAECONNRESET", "Windows reports the same reset as WSAECONNRESET 10054."),
                SocketErrorTwin(
                    "EPIPE",
                    "In the early-response story a Linux or macOS client may get EPIPE on write instead."
                ),
                SocketErrorTwin(
                    "WSAECONNABORTED",
                    "A Windows client in the same upload story often sees WSAECONNABORTED 10053."
                ),
            ],
            phrasings: [
                "socket hang up", "Connection reset", "Recv failure: Connection reset by peer",
                "Send failure: Connection reset by peer", "connection reset by peer", "ConnectionResetError",
                "ConnectionReset", "The network connection was lost", "Connection reset by peer (os error 104)",
            ]
        ),
        posix(
            ["EPIPE"],
            linux: 32,
            darwin: 32,
            message: "Broken pipe",
            summary: "You wrote to a connection the other side has already closed.",
            meaning: """
                You tried to send on a connection whose other end is closed: the peer closed its socket (or reset \
                it) and your kernel already knows. Nothing you write can arrive any more. The name comes from Unix \
                pipes; on sockets it means "the reader has gone". Programs that do not ignore SIGPIPE are killed \
                by the signal instead of seeing this error.
                """,
            stories: [
                """
                You upload a large file. The server answers "413 Payload Too Large" after reading only the \
                headers and closes. Your client keeps writing the body; the first write after the server's \
                reset fails with EPIPE (sometimes ECONNRESET). The 413 is waiting in your receive buffer, but a \
                client that stops at the write error never reads it: curl prints \
                "Send failure: Broken pipe", Go "write: broken pipe", Node "Error: write EPIPE".
                """,
                """
                A web server writes a long response to a browser that navigated away; the browser closed the \
                connection, so the server's next write fails with EPIPE and it logs "Broken pipe".
                """,
            ],
            whatToDo: [
                "If you were sending a request body, read the response anyway: the server likely answered and closed early.",
                "Let the client watch for a response while it sends, or use `Expect: 100-continue` for large uploads.",
                "On a server, treat it as the client leaving: log it quietly and free the connection.",
                "Ignore SIGPIPE (or use MSG_NOSIGNAL / SO_NOSIGPIPE) so the error reaches your code instead of killing the process.",
            ],
            twins: [
                SocketErrorTwin("ECONNRESET", "The same story often ends with ECONNRESET, depending on timing."),
                SocketErrorTwin(
                    "WSAECONNABORTED",
                    "Windows has no EPIPE; a Windows client sees WSAECONNABORTED 10053 here."
                ),
                SocketErrorTwin("WSAECONNRESET", "...or WSAECONNRESET 10054."),
            ],
            phrasings: [
                "Send failure: Broken pipe", "write: broken pipe", "write EPIPE", "BrokenPipeError", "BrokenPipe",
                "Broken pipe (os error 32)", "java.net.SocketException: Broken pipe",
            ]
        ),
        posix(
            ["ECONNABORTED"],
            linux: 103,
            darwin: 53,
            message: "Software caused connection abort",
            summary: "Your own system's network stack aborted the connection.",
            meaning: """
                The connection was ended by software on your own machine, not by a clean close from the peer. On \
                Linux you mostly see it from accept(): a client connected and reset before your server picked the \
                connection up. On macOS and in Java it also appears when the local stack gives up on a connection, \
                for example after a reset from the peer or when the network interface goes away.
                """,
            stories: [
                """
                A busy server's listen queue holds a connection the client has already given up on (it sent a \
                RST); when the server calls accept(), it gets ECONNABORTED for that one. The server should simply \
                accept the next connection.
                """,
                """
                On a Mac, an app uploading over Wi-Fi loses the network (laptop lid closed, network switched); the \
                system aborts its sockets and the app reports "Software caused connection abort".
                """,
            ],
            whatToDo: [
                "In a server's accept loop: ignore it and keep accepting, it concerns only that one connection.",
                "In a client: treat it like a reset; reconnect, and retry only if the request is idempotent.",
                "If you were uploading, check whether the server answered early (see WSAECONNABORTED).",
            ],
            twins: [
                SocketErrorTwin(
                    "WSAECONNABORTED",
                    "Windows' 10053, which clients see far more often (the early-response story)."
                ),
                SocketErrorTwin("ECONNRESET", "A reset from the peer; on Linux the usual client-side error."),
            ],
            phrasings: [
                "ConnectionAbortedError", "ConnectionAborted", "Software caused connection abort (os error 53)",
            ]
        ),
        posix(
            ["ETIMEDOUT"],
            linux: 110,
            darwin: 60,
            message: "Connection timed out",
            darwinMessage: "Operation timed out",
            summary: "The peer did not answer in time: the connection attempt or the connection itself timed out.",
            meaning: """
                Your kernel kept sending packets and never heard back. For connect() it sent SYN packets for about \
                two minutes (Linux default) without a SYN-ACK or a refusal; on an open connection it retransmitted \
                data, or sent keep-alive probes, until it gave up. Nothing said "no": the packets, or the answers, \
                were lost, usually because a firewall silently drops them or the host is off.
                """,
            stories: [
                """
                You connect to port 8080 on a cloud server whose firewall (security group) does not allow it. The \
                firewall drops your SYN silently, so after two minutes connect() fails with ETIMEDOUT. curl shows \
                "curl: (28) Failed to connect ... Connection timed out".
                """,
                """
                A long download stalls because a NAT device between you and the server forgot the connection; \
                your kernel retransmits until it gives up and the read fails with ETIMEDOUT.
                """,
            ],
            whatToDo: [
                "Check that the host is up and the port is open in every firewall on the way (try from a machine nearer the server).",
                "Check the address: a wrong IP that nobody answers for times out instead of being refused.",
                "Set a connect timeout in your client so you learn in seconds, not minutes.",
                "For long idle connections, enable TCP keep-alive or application pings shorter than the NAT's timeout.",
            ],
            twins: [
                SocketErrorTwin("WSAETIMEDOUT", "Windows reports it as WSAETIMEDOUT 10060."),
                SocketErrorTwin("ECONNREFUSED", "If the host answers but nothing listens, you get a refusal instead."),
            ],
            phrasings: [
                "i/o timeout", "connect timed out", "Read timed out", "TimeoutError",
                "TimedOut", "SocketTimeoutException", "Connection timed out (os error 110)", "timed out",
            ]
        ),
        posix(
            ["ECONNREFUSED"],
            linux: 111,
            darwin: 61,
            message: "Connection refused",
            summary: "Nothing is listening on that port: the host answered the connection attempt with a reset.",
            meaning: """
                Your SYN reached the host, and the host said "no" straight away with a TCP reset, because no \
                program is listening on that address and port (or a firewall rejects instead of dropping). It is \
                fast and certain: the machine is there, the service is not.
                """,
            stories: [
                """
                You start your client before the server has finished starting, or the server crashed: connecting \
                to 127.0.0.1:8080 fails with ECONNREFUSED. Node prints "connect ECONNREFUSED 127.0.0.1:8080", curl \
                "curl: (7) Failed to connect to localhost port 8080: Connection refused".
                """,
                """
                The server listens on 127.0.0.1 only, and you connect to the machine's public address, or it \
                listens on IPv4 and "localhost" resolved to ::1 first: the other address has no listener.
                """,
            ],
            whatToDo: [
                "Check that the server is running and listening: `ss -ltnp` (Linux) or `lsof -iTCP -sTCP:LISTEN` (macOS).",
                "Check the port and the address it listens on (127.0.0.1 vs 0.0.0.0, IPv4 vs IPv6 for `localhost`).",
                "If the server starts alongside you, wait until it is ready (retry with back-off) instead of connecting once.",
            ],
            twins: [
                SocketErrorTwin("WSAECONNREFUSED", "Windows reports it as WSAECONNREFUSED 10061."),
                SocketErrorTwin(
                    "ETIMEDOUT",
                    "If a firewall drops the SYN instead of refusing, you wait for a timeout instead."
                ),
            ],
            phrasings: [
                "ConnectionRefusedError", "ConnectionRefused", "Couldn't connect to server",
                "Could not connect to server", "java.net.ConnectException: Connection refused",
                "Connection refused (os error 111)", "connect: connection refused",
            ]
        ),
        posix(
            ["EHOSTUNREACH"],
            linux: 113,
            darwin: 65,
            message: "No route to host",
            summary: "Your machine, or a router, knows no way to reach that host.",
            meaning: """
                The packet could not be delivered to the host: a router (or your own machine) reported that the \
                host is unreachable, typically with an ICMP "host unreachable" message. Often the host is on your \
                local network but does not answer ARP, or a firewall rejects with "host unreachable".
                """,
            stories: [
                """
                You connect to 192.168.1.50, a machine on your LAN that is switched off. Your machine asks "who \
                has 192.168.1.50?" (ARP), nobody answers, and connect() fails with "No route to host".
                """,
                """
                A Linux server's firewall rejects your port with `icmp-host-prohibited` (the default on some \
                distributions), so your client sees EHOSTUNREACH although the host is up.
                """,
            ],
            whatToDo: [
                "Check the address and that the host is on and connected (`ping` it, check `ip route` / `netstat -rn`).",
                "Check firewalls: a REJECT rule can produce this error for a host that is up.",
                "On a VPN or container network, check that the route to that network exists.",
            ],
            twins: [
                SocketErrorTwin("WSAEHOSTUNREACH", "Windows reports it as WSAEHOSTUNREACH 10065."),
                SocketErrorTwin("ENETUNREACH", "When not even the network has a route, you get ENETUNREACH instead."),
            ],
            phrasings: ["NoRouteToHostException", "HostUnreachable", "no route to host"]
        ),
        posix(
            ["ENETUNREACH"],
            linux: 101,
            darwin: 51,
            message: "Network is unreachable",
            summary: "Your machine has no route to that network at all.",
            meaning: """
                Your own machine's routing table has no entry that covers the destination, so the packet cannot \
                even leave: there is no default gateway, or no route for that address family. A common case is an \
                IPv6 address on a machine without IPv6 connectivity.
                """,
            stories: [
                """
                "localhost" or a host name resolves to an IPv6 address first, your machine has no IPv6 route, and \
                connect() fails at once with "Network is unreachable" (a good client then tries the IPv4 address).
                """,
                "Your laptop lost Wi-Fi, so there is no default route, and every connection attempt fails this way.",
            ],
            whatToDo: [
                "Check the network connection and the default route (`ip route`, `netstat -rn`).",
                "If the address is IPv6 and you have no IPv6, use the IPv4 address or a client that tries both (Happy Eyeballs).",
            ],
            twins: [
                SocketErrorTwin("WSAENETUNREACH", "Windows reports it as WSAENETUNREACH 10051."),
                SocketErrorTwin("EHOSTUNREACH", "A route exists but the host itself cannot be reached."),
            ],
            phrasings: ["NetworkUnreachable", "network is unreachable"]
        ),
        posix(
            ["ENETDOWN"],
            linux: 100,
            darwin: 50,
            message: "Network is down",
            summary: "The network interface the connection uses is down.",
            meaning: """
                The local network interface needed for this operation is down or gone: the cable was unplugged, \
                Wi-Fi turned off, the VPN disconnected, or the interface was reconfigured.
                """,
            stories: [
                "A VPN disconnects while your client is uploading through it; the next send fails with ENETDOWN.",
                "A container's network namespace is torn down while a process inside still uses its sockets.",
            ],
            whatToDo: [
                "Check the network interface (`ip link`, `ifconfig`) and reconnect the network or VPN.",
                "Reconnect and retry; sockets on a vanished interface will not recover by themselves.",
            ],
            twins: [SocketErrorTwin("WSAENETDOWN", "Windows reports it as WSAENETDOWN 10050.")],
            phrasings: ["NetworkDown"]
        ),
        posix(
            ["ENETRESET"],
            linux: 102,
            darwin: 52,
            message: "Network dropped connection on reset",
            summary: "The connection was dropped because the network (or keep-alive) detected a failure.",
            meaning: """
                The connection broke because of a failure in the network rather than a close by the peer: \
                keep-alive probes found the path dead, or the host's networking was reset. It is rare on Linux \
                and macOS; Windows uses its twin more often.
                """,
            stories: [
                "Keep-alive probes on an idle connection get no answer after a router restart, so the connection is dropped.",
                "A datagram socket with a connected peer receives an ICMP message saying the path expired.",
            ],
            whatToDo: [
                "Reconnect; retry the request if it is safe to repeat.",
                "If it repeats, look at the network path (routers, NAT, VPN) between the two hosts.",
            ],
            twins: [SocketErrorTwin("WSAENETRESET", "Windows reports it as WSAENETRESET 10052.")]
        ),
        posix(
            ["EHOSTDOWN"],
            linux: 112,
            darwin: 64,
            message: "Host is down",
            summary: "The destination host is known to be down.",
            meaning: """
                The system has learned (for example from ICMP or a failed neighbour lookup) that the destination \
                host is down. It is close to "No route to host" and mostly seen on BSD and macOS.
                """,
            stories: [
                "On a Mac you connect to a printer or NAS on the local network that is switched off and get \"Host is down\".",
                "A peer on the same subnet stopped answering ARP, and the next send to it fails with EHOSTDOWN.",
            ],
            whatToDo: [
                "Check that the host is switched on and on the network.",
                "Check the address; a stale DNS or DHCP address may point at a machine that is gone.",
            ],
            twins: [SocketErrorTwin("WSAEHOSTDOWN", "Windows reports it as WSAEHOSTDOWN 10064.")]
        ),
        posix(
            ["ENOTCONN"],
            linux: 107,
            darwin: 57,
            message: "Transport endpoint is not connected",
            darwinMessage: "Socket is not connected",
            summary: "You used a socket that is not (or no longer) connected.",
            meaning: """
                You asked a socket to send, receive or report its peer, but it has no connection: it was never \
                connected, the connect has not finished, or the connection has already ended. Calling \
                getpeername() or shutdown() on a socket the peer already reset also gives it.
                """,
            stories: [
                "A program calls shutdown() on a socket after the peer reset the connection and logs ENOTCONN.",
                "A non-blocking client calls send() before its connect() has completed.",
            ],
            whatToDo: [
                "Treat it as \"the connection is gone\" if it happens during shutdown or after an error; close the socket.",
                "Otherwise, wait until connect() completes (the socket turns writable) before sending.",
            ],
            twins: [SocketErrorTwin("WSAENOTCONN", "Windows reports it as WSAENOTCONN 10057.")],
            phrasings: ["NotConnected"]
        ),
        posix(
            ["ESHUTDOWN"],
            linux: 108,
            darwin: 58,
            message: "Cannot send after transport endpoint shutdown",
            darwinMessage: "Can't send after socket shutdown",
            summary: "You wrote after shutting down the sending side of the socket.",
            meaning: """
                The sending direction of this socket was closed with shutdown(SHUT_WR) (or SHUT_RDWR), so no more \
                data may be sent on it. It is a bug in the program that owns the socket, not a network problem.
                """,
            stories: [
                "A server half-closes a connection after its response (a lingering close) and a later code path still tries to write.",
                "A TLS library closes its side while the application still queues data.",
            ],
            whatToDo: [
                "Find the write that happens after shutdown() and stop it; check the order of close and write in your code."
            ],
            twins: [SocketErrorTwin("WSAESHUTDOWN", "Windows reports it as WSAESHUTDOWN 10058.")]
        ),
        posix(
            ["EISCONN"],
            linux: 106,
            darwin: 56,
            message: "Transport endpoint is already connected",
            darwinMessage: "Socket is already connected",
            summary: "You called connect() on a socket that is already connected.",
            meaning: """
                The socket already has a connection, so connecting it again is refused. With non-blocking sockets \
                some programs call connect() a second time to learn whether the first finished; EISCONN then means \
                "yes, you are connected".
                """,
            stories: [
                "A non-blocking client polls by calling connect() again; the second call returns EISCONN once connected.",
                "A retry loop reuses the same socket for a second connect() after the first one succeeded.",
            ],
            whatToDo: [
                "Create a new socket for each connection attempt; treat EISCONN after a non-blocking connect as success."
            ],
            twins: [SocketErrorTwin("WSAEISCONN", "Windows reports it as WSAEISCONN 10056.")]
        ),
        posix(
            ["EALREADY"],
            linux: 114,
            darwin: 37,
            message: "Operation already in progress",
            summary: "A non-blocking connect() on this socket is still in progress.",
            meaning: """
                You started a non-blocking connect() and called connect() again before the first attempt finished. \
                The first attempt is still running; nothing is wrong yet.
                """,
            stories: [
                "An event loop calls connect() twice on the same non-blocking socket, the second time too early.",
                "A library retries connect() on EINTR although the first attempt continues in the background.",
            ],
            whatToDo: ["Wait for the socket to become writable, then read SO_ERROR to learn how the connect ended."],
            twins: [SocketErrorTwin("WSAEALREADY", "Windows reports it as WSAEALREADY 10037.")]
        ),
        posix(
            ["EINPROGRESS"],
            linux: 115,
            darwin: 36,
            message: "Operation now in progress",
            summary: "A non-blocking connect() has started and will finish later (not a failure).",
            meaning: """
                A non-blocking socket cannot finish connecting at once, so connect() returns this and keeps going \
                in the background. It is the normal first answer of every non-blocking connect; it only appears \
                as an error when a program forgets to wait for the result.
                """,
            stories: [
                "An event-loop client calls connect(); it returns EINPROGRESS and the loop waits for writability.",
                "A hand-written client treats EINPROGRESS as failure and never connects.",
            ],
            whatToDo: [
                "Wait until the socket is writable (poll/select/epoll/kqueue), then read SO_ERROR for the real outcome."
            ],
            twins: [
                SocketErrorTwin(
                    "WSAEWOULDBLOCK",
                    "Windows reports an unfinished non-blocking connect as WSAEWOULDBLOCK 10035."
                )
            ]
        ),
        posix(
            ["EADDRINUSE"],
            linux: 98,
            darwin: 48,
            message: "Address already in use",
            summary: "Another socket already uses that address and port.",
            meaning: """
                You asked to bind (or listen on) an address and port that another socket already holds: another \
                program, another copy of your own program, or an old connection of yours still in TIME_WAIT.
                """,
            stories: [
                "You start your server twice, or an old instance still runs, and the second one cannot listen on port 8080.",
                """
                You restart a server immediately after stopping it; its old connections are in TIME_WAIT and, \
                without SO_REUSEADDR, bind() fails for a minute or two.
                """,
            ],
            whatToDo: [
                "Find who holds the port: `ss -ltnp 'sport = :8080'` (Linux) or `lsof -i :8080` (macOS), and stop it or pick another port.",
                "Set SO_REUSEADDR on listening sockets so a restart is not blocked by TIME_WAIT.",
                "In tests, bind to port 0 and ask the system which port it chose.",
            ],
            twins: [SocketErrorTwin("WSAEADDRINUSE", "Windows reports it as WSAEADDRINUSE 10048.")],
            phrasings: ["AddrInUse", "BindException", "bind: address already in use", "listen EADDRINUSE"]
        ),
        posix(
            ["EADDRNOTAVAIL"],
            linux: 99,
            darwin: 49,
            message: "Cannot assign requested address",
            darwinMessage: "Can't assign requested address",
            summary: "The address is not one of this machine's, or no local port is left.",
            meaning: """
                The local address you asked for does not belong to this machine, or (on connect) the system ran \
                out of local ports to use for a new outgoing connection to that destination.
                """,
            stories: [
                "A server configured to listen on 10.0.0.5 starts on a machine that no longer has that address.",
                """
                A load test opens tens of thousands of short connections to one server; closed ones linger in \
                TIME_WAIT, the ephemeral ports run out, and connect() fails with EADDRNOTAVAIL.
                """,
            ],
            whatToDo: [
                "Check the listen address against `ip addr` / `ifconfig`; use 0.0.0.0 or :: to listen on all addresses.",
                "For many outgoing connections, reuse connections (keep-alive, pooling) instead of opening new ones.",
            ],
            twins: [SocketErrorTwin("WSAEADDRNOTAVAIL", "Windows reports it as WSAEADDRNOTAVAIL 10049.")],
            phrasings: ["AddrNotAvailable"]
        ),
    ]
}
