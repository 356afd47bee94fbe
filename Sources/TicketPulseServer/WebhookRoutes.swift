import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseStorage

/// Inbound support-system webhooks:
/// - `POST /webhooks/zendesk/{connection}`: verified with the Zendesk signature, then the
///   ticket is fetched from the API and stored;
///   The same at `POST /api/integrations/zendesk/webhook` (PRD-184's path), the
///   connection by `?connection=` when there are several;
/// - `POST /webhooks/intercom/{connection}`: verified with `X-Hub-Signature`, the
///   conversation in the body is stored;
/// - `POST /api/webhooks/support/ticket`: the PRD-087 body, signed
///   `X-TicketPulse-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body>` (the old
///   `sha256=` and bearer forms only with `legacy_signature: true`); with several generic
///   connections, `?connection=NAME` (or `X-TicketPulse-Connection`) picks one.
///
/// A bad, stale or replayed signature is 401 and a malformed body 400, both with a JSON
/// error and nothing stored; an unknown connection is 404. A delivery id
/// (`X-TicketPulse-Delivery`) seen before is 200 `duplicate`, so the sender stops retrying,
/// and changes nothing.
struct WebhookRoutes: Sendable {
    /// Ticket webhooks are small; anything larger is refused before it is read whole.
    static let maximumBodySize = 1_048_576

    let connectors: ConnectorRuntime
    let logger: Logger
    /// Runs the detectors for the stored ticket's customer, so a webhook alerts in seconds.
    var afterIngest: @Sendable (UpsertResult) async -> Void = { _ in }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.post("/webhooks/zendesk/:connection") { request, context in
            await handle(request, system: .zendesk, name: context.parameters.get("connection"))
        }
        router.post("/webhooks/intercom/:connection") { request, context in
            await handle(request, system: .intercom, name: context.parameters.get("connection"))
        }
        // PRD-184's path for the same signed Zendesk webhook: `?connection=NAME` (or
        // `X-TicketPulse-Connection`) when several Zendesk connections have one.
        router.post("/api/integrations/zendesk/webhook") { request, _ in
            await handle(request, system: .zendesk, name: connectionName(request))
        }
        router.post("/api/webhooks/support/ticket") { request, _ in
            await handle(request, system: .webhook, name: connectionName(request))
        }
    }

    /// An empty name is none: the single connection of the system, if there is one.
    func connectionName(_ request: Request) -> String? {
        (request.uri.queryParameters.get("connection") ?? request.headers[HTTPField.Name("X-TicketPulse-Connection")!]).flatMap { $0.isEmpty ? nil : $0 }
    }

    func handle(_ request: Request, system: SourceSystem, name: String?) async -> Response {
        guard let connection = connectors.connection(system: system, named: name) else {
            let what = name.map { "no \(system.rawValue) connection named '\($0)'" } ?? "no single \(system.rawValue) connection is configured; name one with ?connection="
            return JSONResponse.error(.notFound, code: "unknown_connection", message: what)
        }
        if let setupError = connection.setupError {
            return JSONResponse.error(.serviceUnavailable, code: "connection_unavailable", message: "connection '\(connection.name)': \(setupError)")
        }
        guard let ingestor = connection.ingestor else {
            return JSONResponse.error(.notFound, code: "webhook_not_enabled", message: "connection '\(connection.name)' has no webhook_secret_env")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodySize)
        } catch {
            return JSONResponse.error(.contentTooLarge, code: "body_too_large", message: "webhook bodies are at most 1 MB")
        }
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName.lowercased()] == nil {
            headers[field.name.canonicalName.lowercased()] = field.value
        }
        do {
            let outcome = try await ingestor.ingest(headers: headers, body: Array(body.readableBytesView))
            if let result = outcome.result, result.inserted || !result.events.isEmpty { await afterIngest(result) }
            let status = switch outcome.result {
            case nil where outcome.duplicate: "duplicate"
            case nil: "not_found_at_source"
            case let result? where result.inserted: "created"
            case let result? where !result.events.isEmpty: "updated"
            default: "unchanged"
            }
            return JSONResponse.ok(["status": status, "ticket": outcome.externalID, "connection": connection.name])
        } catch let error as WebhookError {
            logger.notice("webhook refused", metadata: ["connection": "\(connection.name)", "reason": "\(error)"])
            switch error {
            case .unauthorized(let reason): return JSONResponse.error(.unauthorized, code: "invalid_signature", message: reason)
            case .malformed(let reason): return JSONResponse.error(.badRequest, code: "malformed_payload", message: reason)
            }
        } catch let error as StoreUnavailable {
            logger.warning("webhook not stored: the store is unavailable", metadata: ["connection": "\(connection.name)", "error": "\(error)"])
            return JSONResponse.storeUnavailable(error)
        } catch let error as ConnectorError {
            // Verified, but the ticket could not be fetched: the sender retries, the next poll catches up anyway.
            logger.warning("webhook fetch failed", metadata: ["connection": "\(connection.name)", "error": "\(error)"])
            return JSONResponse.error(.serviceUnavailable, code: "source_unavailable", message: error.description, headers: [.retryAfter: "60"])
        } catch {
            logger.error("webhook failed", metadata: ["connection": "\(connection.name)", "error": "\(error)"])
            return JSONResponse.error(.internalServerError, code: "internal_error", message: "the ticket could not be stored")
        }
    }
}
