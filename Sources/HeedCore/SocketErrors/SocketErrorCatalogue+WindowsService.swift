// The Windows Sockets start-up, name-service and overlapped-I/O errors.
extension SocketErrorCatalogue {
    static let windowsServiceEntries: [SocketErrorEntry] = [
        windows(
            ["WSAHOST_NOT_FOUND"],
            code: 11001,
            message: "No such host is known.",
            summary: "The host name does not exist (DNS says no such name).",
            meaning: """
                The name could not be resolved to an address: the DNS server answered that the name does not \
                exist, or it is not in the hosts file. Usually a typo, a missing domain suffix, or an internal \
                name used outside its network or VPN.
                """,
            stories: [
                "A .NET client calls `https://api.exmaple.com` (typo) and gets \"No such host is known.\"",
                "A laptop off the company VPN cannot resolve `build.internal.corp`.",
            ],
            whatToDo: [
                "Check the spelling; test with `nslookup NAME` or `Resolve-DnsName NAME`.",
                "Connect the VPN or use the right DNS server for internal names.",
            ],
            twins: [
                SocketErrorTwin(
                    "EAI_NONAME",
                    "getaddrinfo's EAI_NONAME (Linux -2, Darwin 8); Windows defines EAI_NONAME as 11001."
                )
            ],
            phrasings: ["No such host is known"]
        ),
        windows(
            ["WSATRY_AGAIN"],
            code: 11002,
            message: """
                This is usually a temporary error during hostname resolution and means that the local server did \
                not receive a response from an authoritative server.
                """,
            summary: "Name resolution failed temporarily (no answer from DNS).",
            meaning:
                "The DNS server did not get an authoritative answer in time; the name may exist, but resolution failed for now.",
            stories: [
                "The network is up but the DNS server is unreachable, so every lookup fails with 11002.",
                "A corporate DNS forwarder times out talking to the Internet.",
            ],
            whatToDo: ["Retry after a moment; check the DNS server settings (`ipconfig /all`) and `nslookup`."],
            twins: [
                SocketErrorTwin(
                    "EAI_AGAIN",
                    "getaddrinfo's EAI_AGAIN (Linux -3, Darwin 2): \"Temporary failure in name resolution\"."
                )
            ]
        ),
        windows(
            ["WSANO_RECOVERY"],
            code: 11003,
            message: "A non-recoverable error occurred during a database lookup.",
            summary: "Name resolution failed with a non-recoverable error.",
            meaning: "The DNS server refused the query or returned a fatal error; retrying will not help.",
            stories: [
                "The DNS server answers REFUSED for queries from your network.",
                "A broken hosts or services database makes the lookup fail.",
            ],
            whatToDo: ["Check the DNS server configuration and whether it serves your network; try another resolver."],
            twins: [SocketErrorTwin("EAI_FAIL", "getaddrinfo's EAI_FAIL (Linux -4, Darwin 4).")]
        ),
        windows(
            ["WSANO_DATA"],
            code: 11004,
            message: "The requested name is valid, but no data of the requested type was found.",
            summary: "The name exists but has no address of the requested kind.",
            meaning: "DNS knows the name but has no record of the requested type (for example no A/AAAA address).",
            stories: [
                "A name has only an MX record and a client tries to connect to it.",
                "An IPv4-only lookup of a name that has only an IPv6 address.",
            ],
            whatToDo: [
                "Check the name's records (`nslookup -type=A NAME`); use the right host name or address family."
            ],
            twins: [
                SocketErrorTwin("EAI_NODATA", "getaddrinfo's EAI_NODATA (Linux -5, Darwin 7)."),
                SocketErrorTwin("EAI_NONAME", "Newer systems often report EAI_NONAME instead."),
            ]
        ),
        windows(
            ["WSASYSNOTREADY"],
            code: 10091,
            message: """
                WSAStartup cannot function at this time because the underlying system it uses to provide network \
                services is currently unavailable.
                """,
            summary: "The network subsystem is not ready.",
            meaning: "WSAStartup failed because the Windows network subsystem is unavailable or broken.",
            stories: [
                "A service starts at boot before networking is up.",
                "A corrupted Winsock catalog (after malware removal or a broken VPN client) stops all networking.",
            ],
            whatToDo: ["Retry later; if it persists, run `netsh winsock reset` as administrator and reboot."],
            twins: [SocketErrorTwin("ENETDOWN", "POSIX has no start-up call; the nearest is ENETDOWN.")]
        ),
        windows(
            ["WSAVERNOTSUPPORTED"],
            code: 10092,
            message: "The Windows Sockets version requested is not supported.",
            summary: "The requested Winsock version is not supported.",
            meaning: "WSAStartup was asked for a Winsock version this system does not provide.",
            stories: [
                "A program requests Winsock 3.0, which does not exist.",
                "An old build asks for a version the compatibility layer lacks.",
            ],
            whatToDo: ["Request Winsock 2.2 (MAKEWORD(2, 2)) in WSAStartup."],
            twins: [SocketErrorTwin.none("POSIX sockets need no start-up call or version, so there is no twin.")]
        ),
        windows(
            ["WSANOTINITIALISED"],
            code: 10093,
            message: "Either the application has not called WSAStartup, or WSAStartup failed.",
            summary: "WSAStartup was not called (or failed, or WSACleanup ran too early).",
            meaning: """
                A Winsock function was called before a successful WSAStartup, or after WSACleanup. Every Windows \
                program must initialise Winsock once before using sockets.
                """,
            stories: [
                "A C program ported from Linux calls socket() without calling WSAStartup first.",
                "A library's cleanup calls WSACleanup while another thread still uses sockets.",
            ],
            whatToDo: ["Call WSAStartup(MAKEWORD(2, 2), &data) once at start and WSACleanup once at exit."],
            twins: [SocketErrorTwin.none("POSIX sockets need no initialisation, so there is no twin.")]
        ),
        windows(
            ["WSAENOMORE"],
            code: 10102,
            message: "No more results can be returned by WSALookupServiceNext.",
            summary: "A name-service lookup has no more results.",
            meaning: "WSALookupServiceNext has returned everything; it marks the end of the results, not a failure.",
            stories: [
                "A loop over WSALookupServiceNext reaches the last result.",
                "A Bluetooth device enumeration finishes.",
            ],
            whatToDo: ["End the loop and call WSALookupServiceEnd."],
            twins: [SocketErrorTwin("WSA_E_NO_MORE", "The newer code for the same condition, 10110.")]
        ),
        windows(
            ["WSAECANCELLED"],
            code: 10103,
            message:
                "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled.",
            summary: "A name-service lookup was cancelled.",
            meaning:
                "WSALookupServiceEnd was called while a WSALookupServiceNext call was still running, so that call was cancelled.",
            stories: [
                "One thread ends a lookup while another thread is still reading its results.",
                "An app cancels a slow device discovery.",
            ],
            whatToDo: ["Expected if you cancelled; otherwise end lookups only after the reader is done."],
            twins: [
                SocketErrorTwin("ECANCELED", "POSIX ECANCELED (Linux 125 / Darwin 89)."),
                SocketErrorTwin("WSA_E_CANCELLED", "The newer code for the same condition, 10111."),
            ]
        ),
        windows(
            ["WSAEINVALIDPROCTABLE"],
            code: 10104,
            message: "The procedure call table is invalid.",
            summary: "A Winsock service provider's procedure table is invalid.",
            meaning: "A service provider returned a bogus procedure table to Winsock; the provider is broken.",
            stories: [
                "A buggy layered service provider (old VPN or antivirus) is installed.",
                "A partial uninstall leaves a damaged provider behind.",
            ],
            whatToDo: ["Remove or update the faulty provider; `netsh winsock reset` restores the default catalog."],
            twins: [SocketErrorTwin.none("POSIX has no pluggable socket providers, so there is no twin.")]
        ),
        windows(
            ["WSAEINVALIDPROVIDER"],
            code: 10105,
            message: "The requested service provider is invalid.",
            summary: "A Winsock service provider is invalid.",
            meaning: "A service provider returned a version other than 2.2 or is otherwise invalid.",
            stories: [
                "An outdated layered provider is still registered.",
                "Catalog corruption points at a wrong provider DLL.",
            ],
            whatToDo: ["Update or remove the provider; run `netsh winsock reset` and reboot."],
            twins: [SocketErrorTwin.none("POSIX has no pluggable socket providers, so there is no twin.")]
        ),
        windows(
            ["WSAEPROVIDERFAILEDINIT"],
            code: 10106,
            message: "The requested service provider could not be loaded or initialized.",
            summary: "A Winsock service provider could not be loaded.",
            meaning: "A service provider DLL failed to load or initialise, so sockets cannot be created.",
            stories: [
                "After an antivirus uninstall, every program fails to create sockets with 10106.",
                "A service runs with a stripped environment (no SystemRoot) and providers fail to load.",
            ],
            whatToDo: [
                "Run `netsh winsock reset` as administrator and reboot; make sure SystemRoot is set for services."
            ],
            twins: [SocketErrorTwin.none("POSIX has no pluggable socket providers, so there is no twin.")]
        ),
        windows(
            ["WSASYSCALLFAILURE"],
            code: 10107,
            message: "A system call that should never fail has failed.",
            summary: "A system call inside Winsock failed unexpectedly.",
            meaning: "An internal system call failed where it should not; often a damaged Winsock catalog or provider.",
            stories: [
                "A corrupted network stack makes socket creation fail.",
                "A layered provider misbehaves under load.",
            ],
            whatToDo: ["Run `netsh winsock reset` and reboot; update network drivers and security software."],
            twins: [SocketErrorTwin.none("POSIX has no equivalent; such failures there surface as EIO or ENOMEM.")]
        ),
        windows(
            ["WSASERVICE_NOT_FOUND"],
            code: 10108,
            message: "No such service is known. The service cannot be found in the specified name space.",
            summary: "The service is unknown in the name space.",
            meaning: "A service lookup (such as a named service or port) found nothing in the name space.",
            stories: [
                "getaddrinfo is asked for the service name \"htpp\" (typo) instead of a port number.",
                "A Bluetooth service lookup finds no such service.",
            ],
            whatToDo: ["Pass a numeric port or a service name listed in the services file."],
            twins: [SocketErrorTwin("EAI_SERVICE", "getaddrinfo's EAI_SERVICE (Linux -8, Darwin 9).")]
        ),
        windows(
            ["WSATYPE_NOT_FOUND"],
            code: 10109,
            message: "The specified class was not found.",
            summary: "The service type (class) was not found; getaddrinfo's EAI_SERVICE on Windows.",
            meaning:
                "The requested service class or type is unknown; getaddrinfo uses it when the service is not supported for the socket type.",
            stories: [
                "getaddrinfo is asked for a UDP-only service with a TCP socket type.",
                "A name-space query names a service class that is not registered.",
            ],
            whatToDo: ["Use a numeric port, or a service and socket type that go together."],
            twins: [SocketErrorTwin("EAI_SERVICE", "Windows defines EAI_SERVICE as WSATYPE_NOT_FOUND.")]
        ),
        windows(
            ["WSA_E_NO_MORE"],
            code: 10110,
            message: "No more results can be returned by WSALookupServiceNext.",
            summary: "A name-service lookup has no more results.",
            meaning: "The end of a WSALookupServiceNext enumeration (the Winsock 2 code for WSAENOMORE).",
            stories: [
                "A DNS or Bluetooth enumeration returns its last result.",
                "An empty lookup returns no results at all.",
            ],
            whatToDo: ["End the loop and call WSALookupServiceEnd."],
            twins: [SocketErrorTwin("WSAENOMORE", "The older code for the same condition, 10102.")]
        ),
        windows(
            ["WSA_E_CANCELLED"],
            code: 10111,
            message:
                "A call to WSALookupServiceEnd was made while this call was still processing. The call has been canceled.",
            summary: "A name-service lookup was cancelled.",
            meaning: "The Winsock 2 code for a lookup cancelled by WSALookupServiceEnd.",
            stories: [
                "A discovery is cancelled from another thread.",
                "An app shuts down during a lookup.",
            ],
            whatToDo: ["Expected if you cancelled; otherwise finish reading before ending the lookup."],
            twins: [SocketErrorTwin("WSAECANCELLED", "The older code for the same condition, 10103.")]
        ),
        windows(
            ["WSAEREFUSED"],
            code: 10112,
            message: "A database query failed because it was actively refused.",
            summary: "A name-service query was refused.",
            meaning: "The name service (for example DNS) actively refused the query.",
            stories: [
                "A DNS server refuses recursive queries from your network.",
                "A policy blocks the lookup.",
            ],
            whatToDo: ["Use a DNS server that serves your network; check DNS policies."],
            twins: [SocketErrorTwin("EAI_FAIL", "A refused DNS query shows up as EAI_FAIL on POSIX.")]
        ),
        windows(
            ["WSA_INVALID_HANDLE"],
            code: 6,
            message: "The handle is invalid.",
            summary: "An event or socket handle passed to Winsock is invalid.",
            meaning: "An application-supplied handle, typically a WSAEVENT, is not valid (Win32 ERROR_INVALID_HANDLE).",
            stories: [
                "WSAWaitForMultipleEvents is given an event that was already closed.",
                "A socket handle is used after closesocket().",
            ],
            whatToDo: ["Keep handles alive while in use and close each one exactly once."],
            twins: [SocketErrorTwin("EBADF", "POSIX reports invalid descriptors as EBADF.")]
        ),
        windows(
            ["WSA_NOT_ENOUGH_MEMORY"],
            code: 8,
            message: "Not enough memory resources are available to process this command.",
            summary: "Not enough memory.",
            meaning:
                "Windows could not allocate memory for the operation (Win32 ERROR_NOT_ENOUGH_MEMORY); getaddrinfo's EAI_MEMORY on Windows.",
            stories: [
                "A process with a huge memory footprint fails to resolve a name.",
                "A system under memory pressure fails to create sockets.",
            ],
            whatToDo: ["Reduce memory use or add memory; look for leaks."],
            twins: [
                SocketErrorTwin("ENOMEM", "POSIX ENOMEM: \"Cannot allocate memory\"."),
                SocketErrorTwin("EAI_MEMORY", "getaddrinfo's EAI_MEMORY."),
            ]
        ),
        windows(
            ["WSA_INVALID_PARAMETER"],
            code: 87,
            message: "The parameter is incorrect.",
            summary: "A parameter is incorrect.",
            meaning: "One or more parameters passed to a Winsock 2 call are invalid (Win32 ERROR_INVALID_PARAMETER).",
            stories: [
                "WSAWaitForMultipleEvents is called with too many events.",
                "A WSABUF array with a bad length is passed to WSASend.",
            ],
            whatToDo: ["Check the parameters against the function's documentation."],
            twins: [SocketErrorTwin("EINVAL", "POSIX EINVAL: \"Invalid argument\".")]
        ),
        windows(
            ["WSA_OPERATION_ABORTED"],
            code: 995,
            message: "The I/O operation has been aborted because of either a thread exit or an application request.",
            summary: "Overlapped I/O was cancelled because the socket was closed or the thread exited.",
            meaning: """
                A pending asynchronous (overlapped) operation was cancelled: the socket was closed, CancelIo was \
                called, or the thread that started it exited. .NET and Node report it when you close a socket with \
                a read still pending.
                """,
            stories: [
                "A .NET server stops; pending ReceiveAsync calls complete with 995 as their sockets are closed.",
                "A thread that issued an overlapped read exits, and Windows cancels the read.",
            ],
            whatToDo: ["Expected during shutdown; otherwise find who closed the socket while I/O was pending."],
            twins: [SocketErrorTwin("ECANCELED", "POSIX ECANCELED (Linux 125 / Darwin 89).")],
            phrasings: ["The I/O operation has been aborted"]
        ),
        windows(
            ["WSA_IO_INCOMPLETE"],
            code: 996,
            message: "Overlapped I/O event is not in a signaled state.",
            summary: "Overlapped I/O has not finished yet.",
            meaning:
                "WSAGetOverlappedResult was asked for a result with fWait false, and the operation is still running.",
            stories: [
                "A program polls an overlapped receive before it completes.",
                "Code checks the result of an asynchronous send too early.",
            ],
            whatToDo: ["Wait for the completion (event or completion port), then ask for the result."],
            twins: [SocketErrorTwin("EAGAIN", "The POSIX way to say \"not ready yet\" is EAGAIN.")]
        ),
        windows(
            ["WSA_IO_PENDING"],
            code: 997,
            message: "Overlapped I/O operation is in progress.",
            summary: "Overlapped I/O has started and will complete later (not an error).",
            meaning:
                "An overlapped operation was queued and will finish later; it is the normal answer of asynchronous calls.",
            stories: [
                "WSARecv with an OVERLAPPED returns 997; the data arrives through the completion port later.",
                "A program treats 997 as failure and closes the socket.",
            ],
            whatToDo: ["Wait for the completion notification; do not treat it as an error."],
            twins: [SocketErrorTwin("EINPROGRESS", "POSIX's \"started, finishes later\" is EINPROGRESS.")]
        ),
    ]
}
