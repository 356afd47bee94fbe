import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// An intent with its slots, as a button carries it: a click is answered from this, not by
/// parsing an English sentence again (which could read differently, or not at all, once
/// the model or the roster changed).
///
/// The value goes through Slack, which signs what it sends back, so it cannot be forged by
/// a clicker; it is still treated as untrusted input: an unknown customer id answers as an
/// unknown customer, the slots are cut to those the intent takes, and the scope is checked
/// for the clicker as for any question.
public struct AnswerRequest: Codable, Sendable, Equatable {
    public var intent: IntentName
    /// A customer id from the roster.
    public var customer: String?
    public var periodStart: Double?
    public var periodEnd: Double?
    public var periodText: String?
    public var priority: [Priority]?
    public var status: String?
    public var ticket: String?
    public var category: TicketCategory?
    public var feed: AlertFeed?
    /// "me", a channel id, or "#name".
    public var target: String?
    public var threshold: Double?
    public var text: String?
    /// The asker's words: what `notification_settings` reads beyond its slots, and what the
    /// learning loop keeps when a clarification is chosen.
    public var question: String?
    /// Who asked (email): only they may confirm or cancel a write.
    public var asker: String?
    /// One per confirmation, so a write is done once however often [Confirm] is clicked.
    public var nonce: String?

    /// Slack's limit on a button's value.
    public static let maximumEncodedLength = 2000

    private enum CodingKeys: String, CodingKey {
        // Short keys: the value limit is 2,000 characters and a note may be long.
        case intent = "i", customer = "c", periodStart = "ps", periodEnd = "pe", periodText = "pt", priority = "pr", status = "s"
        case ticket = "t", category = "k", feed = "f", target = "g", threshold = "h", text = "x", question = "q", asker = "a", nonce = "n"
    }

    public init(intent: IntentName, customer: String? = nil, ticket: String? = nil, status: TicketStatusFilter? = nil) {
        self.intent = intent
        self.customer = customer
        self.ticket = ticket
        self.status = status?.rawValue
    }

    /// The reading `parsed` as a request; the customer only when it was resolved to one.
    public init(_ parsed: ParsedMessage, question: String? = nil) {
        let slots = parsed.slots
        self.init(intent: parsed.intent, customer: slots.customer?.match?.id, ticket: slots.ticket, status: slots.status)
        periodStart = slots.period?.period.start.timeIntervalSince1970
        periodEnd = slots.period?.period.end.timeIntervalSince1970
        periodText = slots.period?.text
        priority = slots.priority
        category = slots.category
        feed = slots.feed
        target = slots.target.map { target in
            switch target {
            case .me: "me"
            case .channel(let id, _): id
            case .channelName(let name): name.hasPrefix("#") ? name : "#" + name
            }
        }
        threshold = slots.threshold
        text = slots.text
        self.question = question
    }

    /// As a button's value, within Slack's limit; the question (context for the learning
    /// loop) is shortened first when it does not fit. Nil when even that is too long.
    public var encoded: String? {
        func json(_ request: AnswerRequest) -> String? {
            // Sorted keys: the same request is the same value. Streamed: one per button, several per answer.
            (try? StreamingJSONEncoder(options: .sortedKeys).encode(request)).map { String(decoding: $0, as: UTF8.self) }
        }
        guard let full = json(self) else { return nil }
        if full.utf16.count <= Self.maximumEncodedLength { return full }
        // The settings handler reads the question itself: cut, it would mean something else.
        guard intent != .notificationSettings, let question, !question.isEmpty else { return nil }
        var shorter = self
        let excess = full.utf16.count - Self.maximumEncodedLength
        // Escaping can make a character cost up to six, so cut generously and check again.
        shorter.question = String(question.prefix(max(0, question.count - excess * 6 - 16)))
        guard let cut = json(shorter), cut.utf16.count <= Self.maximumEncodedLength else { return nil }
        return cut
    }

    /// A button's value decoded; nil for anything that is not one of ours.
    public init?(encoded value: String) {
        guard value.first == "{", value.utf16.count <= Self.maximumEncodedLength * 2,
              let request = try? JSONDecoder().decode(AnswerRequest.self, from: Data(value.utf8)) else { return nil }
        self = request
    }

    /// The message this request stands for, with the customer looked up in the roster and
    /// only the slots `intent` takes.
    func parsed(store: any Store, allowedSlots: Set<SlotName>) async throws -> ParsedMessage {
        var slots = IntentSlots()
        if let id = customer {
            // An id no longer (or never) in the roster stays an id: the handlers then answer
            // as for an unknown customer, which reveals nothing.
            let name = try await store.customer(id: id)?.name ?? id
            slots.customer = CustomerSlot(match: CustomerMatch(id: id, name: name, score: 1, rule: "button", matchedText: name))
        }
        // Within 1970–2100: a date far outside would only come from a tampered value, and
        // calendar arithmetic on it traps.
        let sane = 0.0...4_102_444_800
        if let periodStart, let periodEnd, sane.contains(periodStart), sane.contains(periodEnd) {
            slots.period = PeriodSlot(period: Period(start: Date(timeIntervalSince1970: periodStart), end: Date(timeIntervalSince1970: periodEnd)),
                                      text: periodText ?? "the period asked for")
        }
        slots.priority = priority.flatMap { $0.isEmpty ? nil : $0 }
        slots.status = status.flatMap(TicketStatusFilter.init(rawValue:))
        slots.ticket = ticket.flatMap { $0.isEmpty ? nil : $0 }
        slots.category = category
        slots.feed = feed
        slots.target = target.map { target in
            if target == "me" { return .me }
            if target.hasPrefix("#") { return .channelName(String(target.dropFirst())) }
            return .channel(id: target, name: nil)
        }
        slots.threshold = threshold.flatMap { $0.isFinite ? $0 : nil }
        slots.text = text
        return ParsedMessage(intent: intent, confidence: 1, slots: slots.keeping(allowedSlots), alternatives: [])
    }

    /// A button posted before buttons carried requests: its value was a customer id (or a
    /// ticket as `source:id`). Read the same way, so old messages keep working.
    static func legacy(_ button: AnswerButton, value: String) -> AnswerRequest? {
        guard !value.isEmpty, value.first != "{", value.utf16.count <= 255 else { return nil }
        switch button {
        case .viewOpenTickets: return AnswerRequest(intent: .listTickets, customer: value, status: .unresolved)
        case .checkCSAT: return AnswerRequest(intent: .csatTrend, customer: value)
        case .supportMetrics: return AnswerRequest(intent: .supportMetrics, customer: value)
        case .editDraftEmail: return AnswerRequest(intent: .draftOutreach, customer: value)
        case .ticketHistory:
            guard let colon = value.firstIndex(of: ":") else { return nil }
            let id = String(value[value.index(after: colon)...])
            return id.isEmpty ? nil : AnswerRequest(intent: .ticketDetail, ticket: id)
        default: return nil
        }
    }
}

extension IntentName {
    /// The intents that change something: asked for in free text, they wait for [Confirm].
    public var writes: Bool {
        switch self {
        case .addNote, .requestEscalation, .subscribe, .unsubscribe, .notificationSettings: true
        default: false
        }
    }
}
