import Foundation
import Hummingbird
import Logging
import TicketPulseSlack

/// `POST /slack/events` (and Socket Mode's `events_api` envelopes, through `accept`):
/// verify, answer url_verification, de-duplicate on event_id (the ledger, kept in the
/// store), journal and enqueue, and acknowledge in milliseconds.
struct SlackEventsController: Sendable {
    let reader: SlackRequestReader
    let ledger: SlackEventLedger
    let worker: SlackWorker
    let metrics: ServerMetrics
    let botUserID: String?

    func handle(_ request: Request) async throws -> Response {
        switch await reader.read(request, as: SlackEnvelope.self) {
        case .refused(let response): return response
        case .payload(let envelope): return await accept(envelope).response
        }
    }

    /// An envelope from either transport (HTTP, or a Socket Mode `events_api` envelope's
    /// payload) to its acknowledgement: de-duplicated on event_id, journaled, queued.
    func accept(_ envelope: SlackEnvelope) async -> SlackAck {
        switch envelope.kind {
        case .urlVerification(let challenge):
            return .reply(["challenge": challenge])
        case .other:
            metrics.ignoredEvents.increment()
            return .accepted
        case .eventCallback(let event):
            guard let job = job(for: event, botUserID: botUserID ?? envelope.botUserID) else {
                metrics.ignoredEvents.increment()
                return .accepted
            }
            let eventID = envelope.eventID ?? "\(event.channel ?? "")/\(event.eventTS ?? event.ts ?? "")"
            guard ledger.reserve(eventID) else {
                metrics.duplicateEvents.increment()
                return .accepted
            }
            // In the journal before the 200: acknowledged means answered, even across a crash.
            switch await worker.accept(job, id: eventID) {
            case .accepted:
                ledger.journaled(eventID)
                metrics.eventsReceived.increment()
                return .accepted
            case .duplicate:
                metrics.duplicateEvents.increment()
                return .accepted
            case .refused:
                // Let the id go so Slack's retry is processed once the queue drains (or the store is back).
                ledger.release(eventID)
                metrics.queueFull.increment()
                return .retryLater(code: "busy", message: "cannot take the event now; retry later")
            }
        }
    }

    /// What to do with an event, or nil to ignore it (bots, edits, deletes, other types).
    func job(for event: SlackEvent, botUserID: String?) -> SlackJob? {
        switch event.type {
        case "app_home_opened":
            guard let user = event.user, event.tab == nil || event.tab == "home" else { return nil }
            return .homeOpened(user: user)
        case "app_mention", "message":
            guard !event.shouldIgnore(botUserID: botUserID), let user = event.user, let channel = event.channel else { return nil }
            // In channels the bot answers mentions only; every DM is for it.
            if event.type == "message" && !event.isDirectMessage { return nil }
            return .question(user: user, channel: channel, threadTS: event.replyThreadTS, text: event.question(botUserID: botUserID))
        default:
            return nil
        }
    }
}
