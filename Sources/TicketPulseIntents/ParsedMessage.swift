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
    /// A name the message gives that is no customer on the roster ("Zyxwv Holdings"): the
    /// answer says it does not know it, rather than answering for every account.
    public var unknown: String?

    public init(match: CustomerMatch?, candidates: [CustomerMatch] = [], unknown: String? = nil) {
        self.match = match
        self.candidates = candidates
        self.unknown = unknown
    }
}

/// A comparison on a number ("ARR over $250k", "health below 70").
public struct NumberComparison: Sendable, Equatable {
    public enum Operator: String, Sendable, Equatable {
        case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    }

    public var op: Operator
    public var value: Double

    public init(_ op: Operator, _ value: Double) {
        self.op = op
        self.value = value
    }

    public func holds(for number: Double) -> Bool {
        switch op {
        case .greater: number > value
        case .greaterOrEqual: number >= value
        case .less: number < value
        case .lessOrEqual: number <= value
        }
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
    /// Several customers ("Acme and Globex"), in the order the message names them.
    public var customers: [CustomerMatch]?
    public var tier: CustomerTier?
    public var arr: NumberComparison?
    /// When the customers renew: a closed-open interval, usually ahead of now.
    public var renewal: PeriodSlot?
    public var health: NumberComparison?
    /// The email of the CSM whose accounts are meant ("Sam's accounts").
    public var csm: String?

    public init() {}

    /// Whether the message filters customers by an attribute (tier, ARR, renewal, health, CSM).
    public var hasCustomerFilter: Bool {
        tier != nil || arr != nil || renewal != nil || health != nil || csm != nil
    }

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
        if allowed.contains(.customers) { slots.customers = customers }
        if allowed.contains(.tier) { slots.tier = tier }
        if allowed.contains(.arr) { slots.arr = arr }
        if allowed.contains(.renewal) { slots.renewal = renewal }
        if allowed.contains(.health) { slots.health = health }
        if allowed.contains(.csm) { slots.csm = csm }
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

/// One way to read a message: an intent, how likely it is, and the slots it would take.
/// What a clarifying question offers as a button, so one click answers without re-parsing.
public struct Reading: Sendable, Equatable {
    public var intent: IntentName
    public var confidence: Double
    public var slots: IntentSlots

    public init(intent: IntentName, confidence: Double, slots: IntentSlots) {
        self.intent = intent
        self.confidence = confidence
        self.slots = slots
    }
}

public struct ParsedMessage: Sendable, Equatable {
    public var intent: IntentName
    public var confidence: Double
    public var slots: IntentSlots
    public var alternatives: [ScoredIntent]
    /// The likeliest in-scope readings (at most three), most likely first, each with its
    /// slots; present even when `intent` is `out_of_scope`, so that a caller can ask "did
    /// you mean…?" instead of refusing. Write intents that lack their cue words are left out.
    public var readings: [Reading]
    /// True when the parser would rather ask than answer: no reading is confident enough
    /// (`IntentParser.confidentThreshold`), but one or more are plausible.
    public var needsClarification: Bool

    public init(intent: IntentName, confidence: Double, slots: IntentSlots, alternatives: [ScoredIntent],
                readings: [Reading] = [], needsClarification: Bool = false) {
        self.intent = intent
        self.confidence = confidence
        self.slots = slots
        self.alternatives = alternatives
        self.readings = readings
        self.needsClarification = needsClarification
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
            } else if let unknown = slot.unknown {
                slotsJSON.append("\"customer\":{\"unknown\":\(quoted(unknown))}")
            }
        }
        if let customers = slots.customers { slotsJSON.append("\"customers\":[" + customers.map(customer).joined(separator: ",") + "]") }
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
        func comparison(_ comparison: NumberComparison) -> String {
            "{\"op\":\"\(comparison.op.rawValue)\",\"value\":" + (comparison.value == comparison.value.rounded() && abs(comparison.value) < 1e15 ? String(Int(comparison.value)) : String(comparison.value)) + "}"
        }
        if let tier = slots.tier { slotsJSON.append("\"tier\":\(quoted(tier.rawValue))") }
        if let arr = slots.arr { slotsJSON.append("\"arr\":" + comparison(arr)) }
        if let renewal = slots.renewal {
            slotsJSON.append("\"renewal\":{\"start\":\(quoted(ISO8601.string(renewal.period.start))),\"end\":\(quoted(ISO8601.string(renewal.period.end))),\"text\":\(quoted(renewal.text))}")
        }
        if let health = slots.health { slotsJSON.append("\"health\":" + comparison(health)) }
        if let csm = slots.csm { slotsJSON.append("\"csm\":\(quoted(csm))") }
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
