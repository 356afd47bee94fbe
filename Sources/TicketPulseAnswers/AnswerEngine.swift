import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStore

/// A question's answer, with what was understood.
public struct Answer: Sendable {
    public var parsed: ParsedMessage
    public var reply: Reply
    public var customersShown: [String]
}

/// Answers a message for an asker: parse, dispatch to the intent's handler within the
/// asker's scope, and write the audit log.
public struct AnswerEngine: Sendable {
    public var store: TicketStore
    public var parser: IntentParser
    public var settings: AnswerSettings

    public init(store: TicketStore, parser: IntentParser, settings: AnswerSettings = AnswerSettings()) {
        self.store = store
        self.parser = parser
        self.settings = settings
    }

    public func answer(_ message: String, asker: CSM, now: Date) throws -> Answer {
        try answer(parsed: parser.parse(message, now: now), text: message, asker: asker, now: now)
    }

    public func answer(parsed: ParsedMessage, text: String, asker: CSM, now: Date) throws -> Answer {
        let context = AnswerContext(parsed: parsed, text: text, asker: asker, scope: try .of(asker, in: store), store: store, now: now, settings: settings)
        let result: HandlerResult
        do {
            result = try Self.handler(for: parsed.intent).answer(context)
        } catch let early as EarlyAnswer {
            result = early.result
        }
        try store.audit(AuditEntry(at: now, actor: asker.email, action: "ask:\(parsed.intent.rawValue)", detail: text, customerIDs: result.customersShown))
        return Answer(parsed: parsed, reply: result.reply, customersShown: result.customersShown)
    }

    static func handler(for intent: IntentName) -> any IntentHandler {
        switch intent {
        case .listTickets: ListTicketsHandler()
        case .ticketDetail: TicketDetailHandler()
        case .supportMetrics: SupportMetricsHandler()
        case .supportHealth: SupportHealthHandler()
        case .escalatedTickets: EscalatedTicketsHandler()
        case .lowCSATCustomers: LowCSATCustomersHandler()
        case .csatTrend: CSATTrendHandler()
        case .topIssues: TopIssuesHandler()
        case .ticketSpikes: TicketSpikesHandler()
        case .slaBreaches: SLABreachesHandler()
        case .portfolioSummary: PortfolioSummaryHandler()
        case .subscribe: SubscribeHandler()
        case .unsubscribe: UnsubscribeHandler()
        case .listSubscriptions: ListSubscriptionsHandler()
        case .notificationSettings: NotificationSettingsHandler()
        case .addNote: AddNoteHandler()
        case .requestEscalation: RequestEscalationHandler()
        case .draftOutreach: DraftOutreachHandler()
        case .compareCustomers: CompareCustomersHandler()
        case .supportCorrelation: SupportCorrelationHandler()
        case .help: HelpHandler()
        case .outOfScope: OutOfScopeHandler()
        }
    }
}
