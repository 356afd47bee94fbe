import Foundation
import TicketPulseCore

public struct CustomerMatch: Sendable, Equatable {
    public var id: String
    public var name: String
    /// 1 for an exact name, alias or domain; lower for fuzzy matches.
    public var score: Double
    /// Which rule matched: name, alias, domain, suffix, possessive, fuzzy.
    public var rule: String
    /// The words of the message that named the customer.
    public var matchedText: String

    public init(id: String, name: String, score: Double, rule: String, matchedText: String = "") {
        self.id = id
        self.name = name
        self.score = score
        self.rule = rule
        self.matchedText = matchedText
    }
}

public enum CustomerResolution: Sendable, Equatable {
    case match(CustomerMatch)
    case ambiguous([CustomerMatch])
    case none
}

public enum SlotTarget: Sendable, Equatable {
    case me
    case channel(id: String, name: String?)
    case channelName(String)

    /// The channel's name when the message gave one ("acme-support").
    public var channelName: String? {
        switch self {
        case .me: nil
        case .channel(_, let name): name
        case .channelName(let name): name
        }
    }
}

public struct CustomerSlot: Sendable, Equatable {
    public var match: CustomerMatch?
    /// Two or more close candidates: the answer asks which one.
    public var candidates: [CustomerMatch]

    public init(match: CustomerMatch?, candidates: [CustomerMatch] = []) {
        self.match = match
        self.candidates = candidates
    }
}

public struct PeriodSlot: Sendable, Equatable {
    public var period: Period
    /// The words that said it ("this month").
    public var text: String

    public init(period: Period, text: String) {
        self.period = period
        self.text = text
    }
}

public struct IntentSlots: Sendable, Equatable {
    public var customer: CustomerSlot?
    public var period: PeriodSlot?
    public var priority: [Priority]?
    public var status: TicketStatusFilter?
    public var ticket: String?
    public var category: TicketCategory?
    public var feed: AlertFeed?
    public var target: SlotTarget?
    public var threshold: Double?
    public var text: String?

    public init() {}

    /// Keeps only the slots `allowed` names.
    func restricted(to allowed: Set<SlotName>) -> IntentSlots {
        var slots = IntentSlots()
        if allowed.contains(.customer) { slots.customer = customer }
        if allowed.contains(.period) { slots.period = period }
        if allowed.contains(.priority) { slots.priority = priority }
        if allowed.contains(.status) { slots.status = status }
        if allowed.contains(.ticket) { slots.ticket = ticket }
        if allowed.contains(.category) { slots.category = category }
        if allowed.contains(.feed) { slots.feed = feed }
        if allowed.contains(.target) { slots.target = target }
        if allowed.contains(.threshold) { slots.threshold = threshold }
        if allowed.contains(.text) { slots.text = text }
        return slots
    }
}

public struct ScoredIntent: Sendable, Equatable {
    public var intent: IntentName
    public var confidence: Double

    public init(intent: IntentName, confidence: Double) {
        self.intent = intent
        self.confidence = confidence
    }
}

public struct ParsedMessage: Sendable, Equatable {
    public var intent: IntentName
    public var confidence: Double
    public var slots: IntentSlots
    public var alternatives: [ScoredIntent]

    public init(intent: IntentName, confidence: Double, slots: IntentSlots, alternatives: [ScoredIntent]) {
        self.intent = intent
        self.confidence = confidence
        self.slots = slots
        self.alternatives = alternatives
    }
}

extension ParsedMessage {
    /// The `ticketpulse parse --json` line of INTENTS.md; absent slots are left out.
    public func jsonLine() -> String {
        var slotsJSON: [String] = []
        func round(_ value: Double) -> String { String(format: "%.2f", value) }
        func quoted(_ text: String) -> String {
            let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
            let array = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"\"]"
            return String(array.dropFirst().dropLast())
        }
        func customer(_ match: CustomerMatch) -> String {
            "{\"id\":\(quoted(match.id)),\"name\":\(quoted(match.name)),\"score\":\(round(match.score))}"
        }
        if let slot = slots.customer {
            if let match = slot.match {
                slotsJSON.append("\"customer\":" + customer(match))
            } else if !slot.candidates.isEmpty {
                slotsJSON.append("\"customer\":{\"candidates\":[" + slot.candidates.map(customer).joined(separator: ",") + "]}")
            }
        }
        if let status = slots.status { slotsJSON.append("\"status\":\(quoted(status.rawValue))") }
        if let priority = slots.priority { slotsJSON.append("\"priority\":[" + priority.map { quoted($0.rawValue) }.joined(separator: ",") + "]") }
        if let category = slots.category { slotsJSON.append("\"category\":\(quoted(category.rawValue))") }
        if let period = slots.period {
            slotsJSON.append("\"period\":{\"start\":\(quoted(ISO8601.string(period.period.start))),\"end\":\(quoted(ISO8601.string(period.period.end))),\"text\":\(quoted(period.text))}")
        }
        if let ticket = slots.ticket { slotsJSON.append("\"ticket\":\(quoted(ticket))") }
        if let feed = slots.feed { slotsJSON.append("\"feed\":\(quoted(feed.rawValue))") }
        if let target = slots.target {
            switch target {
            case .me: slotsJSON.append("\"target\":\"me\"")
            case .channel(let id, _): slotsJSON.append("\"target\":\(quoted(id))")
            case .channelName(let name): slotsJSON.append("\"target\":\(quoted(name.hasPrefix("#") ? name : "#" + name))")
            }
        }
        if let threshold = slots.threshold {
            slotsJSON.append("\"threshold\":" + (threshold == threshold.rounded() ? String(Int(threshold)) : String(threshold)))
        }
        if let text = slots.text { slotsJSON.append("\"text\":\(quoted(text))") }
        let alternativesJSON = alternatives.map { "{\"intent\":\"\($0.intent.rawValue)\",\"confidence\":\(round($0.confidence))}" }.joined(separator: ",")
        return "{\"intent\":\"\(intent.rawValue)\",\"confidence\":\(round(confidence)),\"slots\":{\(slotsJSON.joined(separator: ","))},\"alternatives\":[\(alternativesJSON)]}"
    }
}

enum ISO8601 {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
