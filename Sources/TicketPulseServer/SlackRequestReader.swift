import Foundation
import HTTPTypes
import Hummingbird
import TicketPulseSlack

/// Reads and verifies a Slack request: the raw body (capped), then the v0 signature over it.
struct SlackRequestReader: Sendable {
    /// Slack's payloads are small; anything larger is refused before it is read whole.
    static let maximumBodySize = 1_048_576

    let verifier: SlackSignatureVerifier?
    let metrics: ServerMetrics

    static let timestampField = HTTPField.Name(SlackSignatureVerifier.timestampHeader)!
    static let signatureField = HTTPField.Name(SlackSignatureVerifier.signatureHeader)!

    enum Outcome {
        case body(ByteBuffer)
        case refused(Response)
    }

    func read(_ request: Request) async -> Outcome {
        guard let verifier else {
            return .refused(JSONResponse.error(.serviceUnavailable, code: "slack_not_configured", message: "SLACK_SIGNING_SECRET is not set on this server"))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodySize)
        } catch {
            metrics.badRequests.increment()
            return .refused(JSONResponse.error(.contentTooLarge, code: "body_too_large", message: "Slack request bodies are at most 1 MB"))
        }
        let timestamp = request.headers[Self.timestampField]
        let signature = request.headers[Self.signatureField]
        if case .invalid(let failure) = verifier.verify(body: body.readableBytesView, timestamp: timestamp, signature: signature) {
            metrics.signatureFailures.increment()
            return .refused(JSONResponse.error(.unauthorized, code: "invalid_signature", message: "Slack signature check failed: \(failure.rawValue)"))
        }
        return .body(body)
    }

    enum Decoded<Payload> {
        case payload(Payload)
        case refused(Response)
    }

    /// `read`, then decode the verified body; a payload that does not decode is a 400 with
    /// a JSON error.
    func read<Payload: SlackPayload>(_ request: Request, as _: Payload.Type) async -> Decoded<Payload> {
        switch await read(request) {
        case .refused(let response):
            return .refused(response)
        case .body(let body):
            do {
                return .payload(try Payload.decode(body.readableBytesView))
            } catch {
                return .refused(Self.badRequest(error, metrics: metrics))
            }
        }
    }

    static func badRequest(_ error: SlackDecodingError, metrics: ServerMetrics) -> Response {
        metrics.badRequests.increment()
        return JSONResponse.error(.badRequest, code: error.code, message: error.message)
    }
}
