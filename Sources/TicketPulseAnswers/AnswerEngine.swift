import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// A question's answer, with what was understood.
public struct Answer: Sendable {
    public var parsed: ParsedMessage
    public var reply: Reply
    public var customersShown: [String]
    /// A write asked for and not yet done: what [Confirm] (or `ask --yes`) carries out.
    public var pendingConfirmation: AnswerRequest?
}

/// Answers a message for an asker: parse, decide whether to answer, ask which reading was
/// meant, or refuse; dispatch to the intent's handler within the asker's scope; and write
/// the audit log (and, for the questions the parser was unsure of, the learning loop).
public struct AnswerEngine: Sendable {
    public var store: any Store
    public var parser: IntentParser
    public var settings: AnswerSettings
    public var conversation: ConversationSettings

    public init(store: any Store, parser: IntentParser, settings: AnswerSettings = AnswerSettings(), conversation: ConversationSettings = ConversationSettings()) {
        self.store = store
        self.parser = parser
        self.settings = settings
        self.conversation = conversation
    }

    /// A message in free text: answered when a reading is confident, a "Did you mean…?" when
    /// some in-scope readings are plausible, "outside what I know" only when none is.
    public func answer(_ message: String, asker: CSM, now: Date) async throws -> Answer {
        let scope = try await AccessScope.of(asker, in: store)
        let reader = scopedParser(for: scope)
        let parsed = try await parseWithinScope(message, scope: scope, asker: asker, now: now)
        if parsed.intent != .outOfScope {
            // A near tie is asked about; a reading that stands alone is answered.
            if needsClarification(parsed) {
                let plausible = conversation.plausible(reader.readings(message, now: now, limit: conversation.maximumChoices))
                if plausible.count > 1 { return try await clarify(message, plausible, parsed: parsed, asker: asker, now: now) }
            }
            let answer = try await answer(parsed: parsed, text: message, asker: asker, now: now, confirmed: false, scope: scope)
            if parsed.confidence < conversation.reviewBelow {
                try await keep(.lowConfidence, message, asker: asker, intent: parsed.intent, confidence: parsed.confidence, slots: parsed.slots, now: now)
            }
            return answer
        }
        let readings = reader.readings(message, now: now, limit: conversation.maximumChoices)
        let plausible = conversation.plausible(readings)
        guard !plausible.isEmpty else {
            let answer = try await answer(parsed: parsed, text: message, asker: asker, now: now, confirmed: false, scope: scope)
            try await keep(.refused, message, asker: asker, intent: .outOfScope, confidence: parsed.confidence, slots: IntentSlots(), now: now)
            return answer
        }
        return try await clarify(message, plausible, parsed: parsed, asker: asker, now: now)
    }

    /// The parser a question is read with: over the asker's customers only, so that a
    /// customer outside their scope reads exactly as a name the roster does not have (the
    /// same reply, the same readings offered), and whether it exists cannot be told.
    func scopedParser(for scope: AccessScope) -> IntentParser {
        guard let ids = scope.customerIDs else { return parser }
        return parser.restricted(toCustomers: ids)
    }

    /// The message read over the asker's customers only (`scopedParser`). One naming
    /// customers outside the asker's scope is answered as if they did not exist, and the
    /// attempt is audited as refused, with the customers it named.
    func parseWithinScope(_ message: String, scope: AccessScope, asker: CSM, now: Date) async throws -> ParsedMessage {
        guard let ids = scope.customerIDs else { return parser.parse(message, now: now) }
        let (parsed, outside) = parser.parse(message, now: now, within: ids)
        if !outside.isEmpty {
            try await store.audit(AuditEntry(at: now, actor: asker.email, action: "ask:customer", detail: message, customerIDs: outside.sorted(),
                                       outcome: .refused(reason: "out_of_scope")))
        }
        return parsed
    }

    /// "Did you mean…?" with a button per reading; a click answers that reading.
    func clarify(_ message: String, _ plausible: [ParsedMessage], parsed: ParsedMessage, asker: CSM, now: Date) async throws -> Answer {
        let result = Clarification.reply(plausible, question: message)
        try await store.audit(AuditEntry(at: now, actor: asker.email, action: "ask:clarify", detail: message))
        try await keep(.clarificationOffered, message, asker: asker, intent: plausible[0].intent, confidence: plausible[0].confidence,
                 slots: plausible[0].slots, readings: plausible.map(\.intent), now: now)
        return Answer(parsed: parsed, reply: result.reply, customersShown: [], pendingConfirmation: nil)
    }

    /// One intent with its slots, answered as asked: a write asks for confirmation first.
    public func answer(parsed: ParsedMessage, text: String, asker: CSM, now: Date) async throws -> Answer {
        try await answer(parsed: parsed, text: text, asker: asker, now: now, confirmed: false)
    }

    /// `scope`: the asker's, when the caller has already read it.
    func answer(parsed: ParsedMessage, text: String, asker: CSM, now: Date, confirmed: Bool, scope: AccessScope? = nil) async throws -> Answer {
        let result = try await handlerResult(parsed: parsed, text: text, asker: asker, scope: scope, now: now, confirmed: confirmed)
        let action = result.pendingConfirmation == nil ? "ask:\(parsed.intent.rawValue)" : "ask-confirm:\(parsed.intent.rawValue)"
        try await store.audit(AuditEntry(at: now, actor: asker.email, action: action, detail: text, customerIDs: result.customersShown,
                                   outcome: result.refusal.map { .refused(reason: $0) }))
        return Answer(parsed: parsed, reply: result.reply, customersShown: result.customersShown, pendingConfirmation: result.pendingConfirmation)
    }

    /// The intent's handler run within the asker's scope; nothing is recorded here.
    func handlerResult(parsed: ParsedMessage, text: String, asker: CSM, scope: AccessScope? = nil, now: Date, confirmed: Bool) async throws -> HandlerResult {
        let scope = if let scope { scope } else { try await AccessScope.of(asker, in: store) }
        let context = AnswerContext(parsed: parsed, text: text, asker: asker, scope: scope, store: store, now: now,
                                    settings: settings, confirmed: confirmed)
        do {
            return try await Self.handler(for: parsed.intent).answer(context)
        } catch let early as EarlyAnswer {
            return early.result
        }
    }

    /// When the best reading is too close to the next one to pick: ask rather than guess.
    func needsClarification(_ parsed: ParsedMessage) -> Bool {
        guard parsed.confidence < conversation.confidentAt, let second = parsed.alternatives.first(where: { $0.intent != .outOfScope }) else { return false }
        return second.confidence >= parsed.confidence * conversation.closeRatio
    }

    /// Keeps a question for `ticketpulse nlu review`.
    func keep(_ outcome: NLUFeedback.Outcome, _ question: String, asker: CSM, intent: IntentName, confidence: Double, slots: IntentSlots,
              readings: [IntentName] = [], now: Date) async throws {
        try await store.recordNLUFeedback(NLUFeedback(at: now, asker: asker.email, question: question, outcome: outcome, intent: intent.rawValue,
                                                confidence: confidence, readings: readings.map(\.rawValue),
                                                utterance: UtteranceMarking.mark(question, slots: slots)))
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

/// When to answer, when to ask which reading was meant, and when to refuse. Probabilities
/// are the classifier's; the defaults sit above the parser's own cut-off (0.30), so what
/// it answered before it still answers unless two readings are nearly tied.
public struct ConversationSettings: Sendable {
    /// A reading at least this likely is answered without asking, however close the next.
    public var confidentAt: Double
    /// Under `confidentAt`, a runner-up at least this share of the best makes it a tie.
    public var closeRatio: Double
    /// The least likely reading a "Did you mean…?" offers.
    public var plausibleAt: Double
    /// Nothing is offered when "outside what I know" is this many times likelier than the
    /// best in-scope reading (a guess there would be noise), unless the message names a
    /// customer of the roster: then it is about that customer's support almost surely.
    public var outOfScopeDominance: Double
    /// At most this many readings are offered.
    public var maximumChoices: Int
    /// Answers below this confidence are kept for review.
    public var reviewBelow: Double

    // Chosen on the development set (Tests/TicketPulseIntentsTests/Fixtures/devset.jsonl):
    // true out-of-scope messages rarely give an in-scope reading 0.15, while greetings and
    // openers ("hi", "morning! what do I need to know today") do, at about a third of
    // out-of-scope's probability.
    public init(confidentAt: Double = 0.45, closeRatio: Double = 0.75, plausibleAt: Double = 0.15, outOfScopeDominance: Double = 3.0,
                maximumChoices: Int = 3, reviewBelow: Double = 0.6) {
        self.confidentAt = confidentAt
        self.closeRatio = closeRatio
        self.plausibleAt = plausibleAt
        self.outOfScopeDominance = outOfScopeDominance
        self.maximumChoices = maximumChoices
        self.reviewBelow = reviewBelow
    }

    /// The readings worth offering, best first; empty when none is plausible.
    func plausible(_ readings: Readings) -> [ParsedMessage] {
        guard let best = readings.inScope.first, best.confidence >= plausibleAt,
              best.slots.customer != nil || readings.outOfScope < best.confidence * outOfScopeDominance else { return [] }
        // The runners-up must be plausible too, and not far behind the best.
        return Array(readings.inScope.prefix(maximumChoices).filter { $0 == best || ($0.confidence >= plausibleAt && $0.confidence >= best.confidence / 3) })
    }
}
