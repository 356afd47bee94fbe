import Foundation
import Hummingbird

/// What Slack gets back at once for an event, a command or an interaction, whichever way
/// it came: the body of the HTTP response, or the `payload` of a Socket Mode
/// acknowledgement. The controllers decide it once; each transport only writes it out.
enum SlackAck: Sendable {
    /// Taken: an empty 200, or `{"envelope_id": …}` alone.
    case accepted
    /// Taken, with a JSON object Slack reads: a slash command's immediate reply, a modal's
    /// `response_action`, the `url_verification` challenge.
    case reply(json: [UInt8])
    /// Not taken now (the queue is full): HTTP answers 503, and a socket leaves the envelope
    /// unacknowledged, so that Slack delivers it again later.
    case retryLater(code: String, message: String)

    static func reply(_ object: [String: Any]) -> SlackAck {
        .reply(json: Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)))
    }

    /// The HTTP response for the request URLs.
    var response: Response {
        switch self {
        case .accepted:
            Response(status: .ok)
        case .reply(let json):
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
        case .retryLater(let code, let message):
            JSONResponse.error(.serviceUnavailable, code: code, message: message)
        }
    }
}
