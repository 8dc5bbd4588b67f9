import HeedCore
import NIOCore
import NIOHTTP1

extension ServerConnectionHandler {
    /// Whether `error` is the decoder's refusal of bytes after a request that closes the connection, first
    /// reported or repeated for a later read.
    static func isDataAfterClosingRequest(_ error: any Error) -> Bool {
        switch error {
        case let parserError as HTTPParserError:
            return parserError == .closedConnection
        case ByteToMessageDecoderError.dataReceivedInErrorState(let firstError, _):
            return Self.isDataAfterClosingRequest(firstError)
        default:
            return false
        }
    }

    /// How the request decoder failed, or nil if `error` is not a decoding error.
    static func decodingFailure(_ error: any Error) -> ServerConnectionStateMachine.DecodingFailure? {
        switch error {
        case is RequestTargetTooLongError:
            .targetTooLong
        case let parserError as HTTPParserError:
            parserError == .headerOverflow ? .headTooLarge : .malformed
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
