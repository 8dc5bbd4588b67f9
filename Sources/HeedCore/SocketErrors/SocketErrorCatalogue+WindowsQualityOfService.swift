// The Windows Sockets quality-of-service (RSVP) codes, 11005 to 11031.
extension SocketErrorCatalogue {
    static let windowsQualityOfServiceEntries: [SocketErrorEntry] = [
        qos(
            "WSA_QOS_RECEIVERS",
            11005,
            "At least one reserve has arrived.",
            "An RSVP reservation message arrived; a status notice, not a failure."
        ),
        qos(
            "WSA_QOS_SENDERS",
            11006,
            "At least one path has arrived.",
            "An RSVP path message arrived; a status notice, not a failure."
        ),
        qos("WSA_QOS_NO_SENDERS", 11007, "There are no senders.", "No RSVP senders exist for the flow."),
        qos("WSA_QOS_NO_RECEIVERS", 11008, "There are no receivers.", "No RSVP receivers exist for the flow."),
        qos(
            "WSA_QOS_REQUEST_CONFIRMED",
            11009,
            "Reserve has been confirmed.",
            "The reservation was confirmed; a status notice."
        ),
        qos(
            "WSA_QOS_ADMISSION_FAILURE",
            11010,
            "Error due to lack of resources.",
            "The network lacked the resources to admit the requested reservation."
        ),
        qos(
            "WSA_QOS_POLICY_FAILURE",
            11011,
            "Rejected for administrative reasons - bad credentials.",
            "Policy rejected the reservation (bad credentials or not allowed)."
        ),
        qos(
            "WSA_QOS_BAD_STYLE",
            11012,
            "Unknown or conflicting style.",
            "The reservation style is unknown or conflicts with existing ones."
        ),
        qos(
            "WSA_QOS_BAD_OBJECT",
            11013,
            "Problem with some part of the filterspec or providerspecific buffer in general.",
            "Part of the filter spec or provider-specific buffer is invalid."
        ),
        qos(
            "WSA_QOS_TRAFFIC_CTRL_ERROR",
            11014,
            "Problem with some part of the flowspec.",
            "The traffic-control layer rejected part of the flow spec."
        ),
        qos(
            "WSA_QOS_GENERIC_ERROR",
            11015,
            "General QOS error.",
            "A general quality-of-service error without more detail."
        ),
        qos(
            "WSA_QOS_ESERVICETYPE",
            11016,
            "An invalid or unrecognized service type was found in the flowspec.",
            "The flow spec names a service type that is not recognised."
        ),
        qos(
            "WSA_QOS_EFLOWSPEC",
            11017,
            "An invalid or inconsistent flowspec was found in the QOS structure.",
            "The QOS structure holds an invalid or inconsistent flow spec."
        ),
        qos(
            "WSA_QOS_EPROVSPECBUF",
            11018,
            "Invalid QOS provider-specific buffer.",
            "The provider-specific buffer is invalid."
        ),
        qos("WSA_QOS_EFILTERSTYLE", 11019, "An invalid QOS filter style was used.", "The filter style is invalid."),
        qos("WSA_QOS_EFILTERTYPE", 11020, "An invalid QOS filter type was used.", "The filter type is invalid."),
        qos(
            "WSA_QOS_EFILTERCOUNT",
            11021,
            "An incorrect number of QOS FILTERSPECs were specified in the FLOWDESCRIPTOR.",
            "The flow descriptor holds the wrong number of filter specs."
        ),
        qos(
            "WSA_QOS_EOBJLENGTH",
            11022,
            "An object with an invalid ObjectLength field was specified in the QOS provider-specific buffer.",
            "An object in the provider-specific buffer has a wrong length field."
        ),
        qos(
            "WSA_QOS_EFLOWCOUNT",
            11023,
            "An incorrect number of flow descriptors was specified in the QOS structure.",
            "The QOS structure holds the wrong number of flow descriptors."
        ),
        qos(
            "WSA_QOS_EUNKOWNPSOBJ",
            11024,
            "An unrecognized object was found in the QOS provider-specific buffer.",
            "The provider-specific buffer holds an object type that is not recognised (the misspelling is Microsoft's)."
        ),
        qos(
            "WSA_QOS_EPOLICYOBJ",
            11025,
            "An invalid policy object was found in the QOS provider-specific buffer.",
            "A policy object in the provider-specific buffer is invalid."
        ),
        qos(
            "WSA_QOS_EFLOWDESC",
            11026,
            "An invalid QOS flow descriptor was found in the flow descriptor list.",
            "A flow descriptor in the list is invalid."
        ),
        qos(
            "WSA_QOS_EPSFLOWSPEC",
            11027,
            "An invalid or inconsistent flowspec was found in the QOS provider specific buffer.",
            "A flow spec in the provider-specific buffer is invalid or inconsistent."
        ),
        qos(
            "WSA_QOS_EPSFILTERSPEC",
            11028,
            "An invalid FILTERSPEC was found in the QOS provider-specific buffer.",
            "A filter spec in the provider-specific buffer is invalid."
        ),
        qos(
            "WSA_QOS_ESDMODEOBJ",
            11029,
            "An invalid shape discard mode object was found in the QOS provider specific buffer.",
            "The shape-discard-mode object in the provider-specific buffer is invalid."
        ),
        qos(
            "WSA_QOS_ESHAPERATEOBJ",
            11030,
            "An invalid shaping rate object was found in the QOS provider-specific buffer.",
            "The shaping-rate object in the provider-specific buffer is invalid."
        ),
        qos(
            "WSA_QOS_RESERVED_PETYPE",
            11031,
            "A reserved policy element was found in the QOS provider-specific buffer.",
            "The provider-specific buffer uses a reserved policy element type."
        ),
    ]

    /// A quality-of-service entry: these share their story, advice and (missing) twins.
    private static func qos(_ name: String, _ code: Int32, _ message: String, _ meaning: String) -> SocketErrorEntry {
        windows(
            [name],
            code: code,
            message: message,
            summary: meaning,
            meaning: """
                \(meaning) It comes from Windows' Generic QoS / RSVP interface (WSAIoctl with SIO_SET_QOS, or the \
                QOS fields of WSAConnect), which asks the network to reserve bandwidth for a flow. Ordinary TCP and \
                UDP programs never see it.
                """,
            stories: [
                "A video-conferencing or VoIP program asks Windows to reserve bandwidth for its stream and the request is answered with this code.",
                "Legacy software written for RSVP networks runs on a network without RSVP support.",
            ],
            whatToDo: [
                "Check the QOS structure the program passes (flow spec, filter specs, provider buffer) against the Generic QoS documentation.",
                "If you do not need reserved bandwidth, stop requesting QoS; the connection itself works without it.",
            ],
            twins: [
                SocketErrorTwin.none("Linux and macOS have no RSVP/Generic QoS socket API, so there is no errno twin.")
            ]
        )
    }
}
