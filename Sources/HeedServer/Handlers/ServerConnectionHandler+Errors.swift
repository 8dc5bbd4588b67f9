import HeedCore
import NIOCore
import NIOHTTP1

extension ServerConnectionHandler {
    /// How the request decoder failed, or nil if `error` is not a decoding error.
    static func decodingFailure(_ error: any Error) -> ServerConnectionStateMachine.DecodingFailure? {
        switch error {
        case is RequestTargetTooLongError:
            .targetTooLong
        case let parserError as HTTPParserError:
            switch parserError {
            case .headerOverflow: .headTooLarge
            case .closedConnection: .afterClosingRequest
            default: .malformed
            }
        case ByteToMessageDecoderError.dataReceivedInErrorState(let firstError, _):
            // The decoder repeats its refusal for each later read; only bytes after a closing request are
            // expected to keep coming (until reading stops).
            Self.decodingFailure(firstError) == .afterClosingRequest ? .afterClosingRequest : nil
        default:
            nil
        }
    }

    static func error(for rejection: ServerRejection, maxBodySize: Int) -> ServerError {
        switch rejection {
        case .contentTooLarge: .bodyTooLarge(limit: maxBodySize)
        case .requestTimeout: .requestTimedOut
        case .badRequest, .expectationFailed, .headerFieldsTooLarge, .notImplemented, .uriTooLong: .requestAborted
        case .serviceUnavailable: .connectionClosed
        }
    }
}
