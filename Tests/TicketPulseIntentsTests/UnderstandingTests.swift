import Foundation
import Testing
import TicketPulseCore
import TicketPulseDemo
@testable import TicketPulseIntents

/// Issue 14's understanding half: customers that share a prefix, unknown names, names with
/// numbers, ticket links, hours and "since Q2", compound slots, and the messages that must
/// not become writes.
@Suite("Understanding")
struct UnderstandingTests {
    static let now = SharedModel.reference

    static func parser(_ extra: [Customer] = []) -> IntentParser {
        IntentParser(model: SharedModel.model, customers: CustomerDirectory(customers: DemoRoster.customers(now: now) + extra))
    }

    static let sharedPrefixRoster = [
        Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"]),
        Customer(id: "cus_acme_parts", name: "Acme Parts Supply"),
        Customer(id: "cus_acme_parts_direct", name: "Acme Parts Direct"),
        Customer(id: "cus_zenith", name: "Zenith Corp"),
        Customer(id: "cus_zenith_labs", name: "Zenith Labs International"),
    ]

    static func resolved(_ message: String, in customers: [Customer]) -> String? {
        switch CustomerDirectory(customers: customers).find(in: MessageNormalizer.normalize(message).text) {
        case .match(let match): match.id
        case .ambiguous(let candidates): "?" + candidates.map(\.id).sorted().joined(separator: ",")
        case .none: nil
        }
    }

    @Test("A shortened name that covers more of the message wins over a shorter exact one")
    func clearlyBetterPrefix() {
        let roster = [Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"]), Customer(id: "cus_acme_parts", name: "Acme Parts Supply")]
        #expect(Self.resolved("tickets for the acme parts account", in: roster) == "cus_acme_parts")
        #expect(Self.resolved("tickets for acme", in: roster) == "cus_acme")
    }

    @Test("Names sharing a prefix with nothing to tell them apart give candidates")
    func sharedPrefixCandidates() {
        #expect(Self.resolved("tickets for the acme parts account", in: Self.sharedPrefixRoster) == "?cus_acme_parts,cus_acme_parts_direct")
        // "Zenith" is only Zenith Corp with its legal suffix taken off: no clearer than Zenith Labs.
        #expect(Self.resolved("how is zenith doing", in: Self.sharedPrefixRoster) == "?cus_zenith,cus_zenith_labs")
        let parsed = IntentParser(model: SharedModel.model, customers: CustomerDirectory(customers: Self.sharedPrefixRoster)).parse("show tickets for acme parts", now: Self.now)
        #expect(parsed.slots.customer?.candidates.map(\.id).sorted() == ["cus_acme_parts", "cus_acme_parts_direct"])
        #expect(parsed.jsonLine().contains("\"candidates\":["))
    }

    @Test("An unknown name is reported as unknown, not dropped", arguments: ["show support tickets for Zyxwv Holdings", "support metrics for Zyxwv Holdings this month"])
    func unknownName(message: String) {
        let parsed = Self.parser().parse(message, now: Self.now)
        #expect(parsed.slots.customer?.match == nil)
        #expect(parsed.slots.customer?.unknown == "Zyxwv Holdings")
        #expect(parsed.jsonLine().contains("\"unknown\":\"Zyxwv Holdings\""))
    }

    @Test("Known and unknown-looking words are no unknown name", arguments: ["show tickets for Acme", "what tickets are open for my accounts", "escalations for Engineering", "tickets for me"])
    func noUnknownName(message: String) {
        #expect(Self.parser().parse(message, now: Self.now).slots.customer?.unknown == nil)
    }

    @Test("Names with numbers of more than one digit resolve", arguments: [
        ("show support tickets for Bench Customer 100", "bench_100"), ("show support tickets for Bench Customer 7", "bench_7"),
        ("what's open at 3M", "cus_3m"), ("metrics for Studio 54 this month", "cus_studio54"),
        ("tickets for Area 51 Labs", "cus_area51"), ("any escalations at 7-Eleven?", "cus_7eleven"),
    ])
    func namesWithNumbers(message: String, id: String) {
        let roster = [
            Customer(id: "bench_7", name: "Bench Customer 7"), Customer(id: "bench_100", name: "Bench Customer 100"), Customer(id: "bench_10", name: "Bench Customer 10"),
            Customer(id: "cus_3m", name: "3M"), Customer(id: "cus_studio54", name: "Studio 54"), Customer(id: "cus_area51", name: "Area 51 Labs"),
            Customer(id: "cus_7eleven", name: "7-Eleven"),
        ]
        let parsed = Self.parser(roster).parse(message, now: Self.now)
        #expect(parsed.slots.customer?.match?.id == id, "\(parsed.jsonLine())")
        #expect(parsed.slots.ticket == nil)
    }

    @Test("Ticket ids inside support-system links", arguments: [
        ("https://acme.zendesk.com/agent/tickets/4533 what's happening here", "4533"),
        ("<https://acme.zendesk.com/agent/tickets/4533>", "4533"),
        ("status of https://globex.freshdesk.com/a/tickets/8812 please", "8812"),
        ("what's going on with https://acme.my.salesforce.com/lightning/r/Case/500Hs00001AbCdEIAV/view", "500Hs00001AbCdEIAV"),
    ])
    func ticketLinks(message: String, id: String) {
        let parsed = Self.parser().parse(message, now: Self.now)
        #expect(parsed.intent == .ticketDetail, "\(parsed.jsonLine())")
        #expect(parsed.slots.ticket == id)
    }

    @Test("Hours: P1s opened in the last 2 hours")
    func hours() {
        let parsed = Self.parser().parse("P1s opened in the last 2 hours", now: Self.now)
        #expect(parsed.intent == .listTickets)
        #expect(parsed.slots.priority == [.p1])
        #expect(parsed.slots.period?.period == Period(start: Self.now.addingTimeInterval(-7200), end: Self.now))
    }

    @Test("Since Q2 runs from the start of Q2 until now")
    func sinceQ2() throws {
        let period = try #require(TimeExpressionParser.find(in: "support metrics for acme since q2", now: Self.now))
        #expect(period.period.start == ISO8601DateFormatter().date(from: "2026-04-01T00:00:00Z")!)
        #expect(period.period.end == Self.now)
        // "in Q2" is still the whole quarter.
        let inQ2 = try #require(TimeExpressionParser.find(in: "support metrics for acme in q2", now: Self.now))
        #expect(inQ2.period.end == ISO8601DateFormatter().date(from: "2026-07-01T00:00:00Z")!)
    }

    @Test("Every alert there is: the whole feed")
    func everyAlert() {
        let parsed = Self.parser().parse("post every alert there is in #cs-war-room", now: Self.now)
        #expect(parsed.intent == .subscribe)
        #expect(parsed.slots.feed == .all)
        #expect(Self.parser().parse("I want to hear about every escalation", now: Self.now).slots.feed == .escalations)
    }

    @Test("Compound slots: tier, renewal window, ARR, health, CSM and several customers")
    func compoundSlots() throws {
        let parser = Self.parser()
        let question = parser.parse("which of my enterprise customers renewing this quarter have open escalations?", now: Self.now)
        #expect(question.intent == .escalatedTickets)
        #expect(question.slots.tier == .enterprise)
        #expect(question.slots.renewal?.period == Period(start: ISO8601DateFormatter().date(from: "2026-10-01T00:00:00Z")!, end: ISO8601DateFormatter().date(from: "2027-01-01T00:00:00Z")!))
        #expect(question.slots.period == nil)
        #expect(parser.parse("open tickets for accounts over $250k", now: Self.now).slots.arr == NumberComparison(.greater, 250_000))
        #expect(parser.parse("tickets for small accounts under 50k", now: Self.now).slots.arr == NumberComparison(.less, 50_000))
        #expect(parser.parse("sla breaches for accounts with health below 70", now: Self.now).slots.health == NumberComparison(.less, 70))
        #expect(parser.parse("sla breaches for accounts with health below 70", now: Self.now).slots.threshold == nil)
        #expect(parser.parse("Sam's accounts with open P1s", now: Self.now).slots.csm == "sam.carter@example.com")
        let renewing = parser.parse("summary for accounts renewing in the next 60 days", now: Self.now)
        #expect(renewing.slots.renewal?.period == Period(start: Self.now, end: Self.now.addingTimeInterval(60 * 86_400)))
        let several = parser.parse("tickets for Acme and Globex", now: Self.now)
        #expect(several.intent == .listTickets)
        #expect(several.slots.customers?.map(\.id) == ["cus_acme", "cus_globex"])
        #expect(several.jsonLine().contains("\"customers\":[{\"id\":\"cus_acme\""))
    }

    @Test("compare_customers with two and three customers", arguments: [
        ("compare acme and globex", ["cus_acme", "cus_globex"]),
        ("how does Initech stack up against Hooli this quarter", ["cus_initech", "cus_hooli"]),
        ("side-by-side of acme, initech and globex please", ["cus_acme", "cus_initech", "cus_globex"]),
    ])
    func compare(message: String, ids: [String]) {
        let parsed = Self.parser().parse(message, now: Self.now)
        #expect(parsed.intent == .compareCustomers, "\(parsed.jsonLine())")
        #expect(parsed.slots.customers?.map(\.id) == ids)
    }

    @Test("Near-miss actions are not write intents", arguments: [
        "close out #4533, customer confirmed it's fixed", "assign 7102 to me", "cancel Initech's subscription", "what did Gringotts pay us",
    ])
    func nearMisses(message: String) {
        let parsed = Self.parser().parse(message, now: Self.now)
        #expect(parsed.intent == .outOfScope, "\(parsed.jsonLine())")
        #expect(!parsed.readings.contains { [.addNote, .requestEscalation, .subscribe, .unsubscribe, .notificationSettings].contains($0.intent) && $0.confidence > 0.3 })
    }

    @Test("The subscription family, negation included", arguments: [
        ("I no longer need spike notifications", IntentName.unsubscribe), ("kill my CSAT subscription", .unsubscribe),
        ("no pings between 7pm and 8am", .notificationSettings), ("what notifications is this channel getting", .listSubscriptions),
        ("keep me in the loop on any bad ratings", .subscribe),
    ])
    func subscriptionFamily(message: String, intent: IntentName) {
        let parsed = Self.parser().parse(message, now: Self.now)
        #expect(parsed.intent == intent, "\(parsed.jsonLine())")
    }

    @Test("Greetings are answered, not refused", arguments: ["hi", "morning! what do I need to know today", "hey team, hope your week is going well, quick one: how are my accounts doing?"])
    func greetings(message: String) {
        let parsed = Self.parser().parse(message, now: Self.now)
        #expect([.help, .portfolioSummary].contains(parsed.intent), "\(parsed.jsonLine())")
    }

    @Test("Readings: ranked, with slots, most likely first")
    func readings() throws {
        let parsed = Self.parser().parse("acme csat", now: Self.now)
        let readings = parsed.readings
        #expect(!readings.isEmpty && readings.count <= 3)
        #expect(zip(readings, readings.dropFirst()).allSatisfy { $0.confidence >= $1.confidence })
        #expect(readings.first?.intent == parsed.intent)
        #expect(readings.allSatisfy { $0.intent != .outOfScope })
        #expect(readings.first?.slots.customer?.match?.id == "cus_acme")
    }

    @Test("Bad input never crashes", arguments: ["", " ", "????", String(repeating: "acme and ", count: 500), "renewing in the next 0 days", "arr over $", "health below", "https://", "compare and and"])
    func badInput(message: String) {
        _ = Self.parser().parse(message, now: Self.now).jsonLine()
    }
}
