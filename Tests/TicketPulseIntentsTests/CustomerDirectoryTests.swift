import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseIntents

/// Each rule by which a message names a customer, on a small hand-built roster.
@Suite("Customer resolution")
struct CustomerDirectoryTests {
    static let directory = CustomerDirectory(customers: [
        Customer(id: "cus_acme", name: "Acme Corp", aliases: ["Acme"], domains: ["acme.io"]),
        Customer(id: "cus_globex", name: "Globex Corporation", aliases: ["Globex"], domains: ["globex.com"]),
        Customer(id: "cus_initech", name: "Initech", domains: ["initech.com"]),
        Customer(id: "cus_umbrella", name: "Umbrella Health", aliases: ["Umbrella"], domains: ["umbrellahealth.com"]),
        Customer(id: "cus_muller", name: "Müller Logistik GmbH", domains: ["mueller-logistik.de"]),
        Customer(id: "cus_stark", name: "Stark Industries", domains: ["starkindustries.com"]),
        Customer(id: "cus_stark_logistics", name: "Stark Logistics", domains: ["starklogistics.com"]),
    ])

    /// The id the message resolves to, "?a,b" for candidates, nil for none.
    static func resolved(_ message: String) -> String? {
        switch directory.find(in: MessageNormalizer.normalize(message).text) {
        case .match(let match): match.id
        case .ambiguous(let candidates): "?" + candidates.map(\.id).joined(separator: ",")
        case .none: nil
        }
    }

    static func match(_ message: String) -> CustomerMatch? {
        if case .match(let match) = directory.find(in: MessageNormalizer.normalize(message).text) { return match }
        return nil
    }

    @Test("Exact name, any case", arguments: ["tickets for Acme Corp", "TICKETS FOR ACME CORP", "globex corporation metrics", "how is initech?"])
    func exactName(message: String) throws {
        let match = try #require(Self.match(message))
        #expect(match.score == 1)
        #expect(["name", "alias"].contains(match.rule))
    }

    @Test("Alias")
    func alias() throws {
        let match = try #require(Self.match("open tickets at umbrella"))
        #expect(match.id == "cus_umbrella")
        #expect(match.rule == "alias")
        #expect(match.matchedText == "umbrella")
    }

    @Test("Email domain, alone or inside an address", arguments: [
        ("tickets from acme.io", "cus_acme"), ("who at globex.com complained", "cus_globex"),
        ("tickets raised by jane@initech.com", "cus_initech"), ("<mailto:bob@acme.io|bob@acme.io> opened a ticket", "cus_acme"),
    ])
    func emailDomain(message: String, id: String) throws {
        let match = try #require(Self.match(message))
        #expect(match.id == id)
        #expect(match.rule == "domain")
        #expect(match.score == 1)
    }

    @Test("Legal suffixes are stripped, said or not", arguments: [
        ("tickets for Acme Inc.", "cus_acme"), ("tickets for Initech LLC", "cus_initech"), ("Initech, Inc. tickets", "cus_initech"),
        ("globex ltd escalations", "cus_globex"), ("Globex Corp metrics", "cus_globex"), ("Müller Logistik tickets", "cus_muller"),
        ("Muller Logistik AG tickets", "cus_muller"), ("umbrella health plc", "cus_umbrella"),
    ])
    func legalSuffix(message: String, id: String) throws {
        let match = try #require(Self.match(message))
        #expect(match.id == id)
        #expect(match.score == 1)
    }

    @Test("The suffix is part of what named the customer, so it is masked with it")
    func suffixIsMatchedText() throws {
        let match = try #require(Self.match("tickets for initech llc please"))
        #expect(match.matchedText == "initech llc")
        #expect(match.rule == "suffix")
    }

    @Test("Possessives, straight or curly", arguments: ["Acme's open tickets", "Acme’s open tickets", "what are Globex' numbers", "initech's csat"])
    func possessive(message: String) throws {
        let match = try #require(Self.match(message))
        #expect(["cus_acme", "cus_globex", "cus_initech"].contains(match.id))
        #expect(match.score == 1)
        // The whole word goes, so "'s" is not left for the classifier.
        #expect(match.matchedText.hasSuffix("'s") || match.matchedText.hasSuffix("'"))
    }

    @Test("Typos within one edit (two for long names)", arguments: [
        ("tickets for Globx", "cus_globex"), ("tickets for Umbrela", "cus_umbrella"), ("tickets for Initehc", "cus_initech"),
        ("Globex Coporation metrics", "cus_globex"), ("tickets for Acme Crop", "cus_acme"),
    ])
    func typo(message: String, id: String) throws {
        let match = try #require(Self.match(message))
        #expect(match.id == id)
        #expect(match.score >= 0.75)
    }

    @Test("A fuzzy match scores below an exact one, and far-off words match nothing")
    func typoScore() throws {
        let fuzzy = try #require(Self.match("tickets for Globx"))
        #expect(fuzzy.rule == "fuzzy")
        #expect(fuzzy.score < 1)
        #expect(Self.resolved("tickets for Glbx Crp") == nil)
    }

    @Test("Two close candidates: both come back, to ask which one")
    func ambiguous() {
        #expect(Self.resolved("tickets for Stark") == "?cus_stark,cus_stark_logistics")
        #expect(Self.resolved("tickets for Stark Industries") == "cus_stark")
        #expect(Self.resolved("Stark Logistics csat") == "cus_stark_logistics")
    }

    @Test("Slack channel names", arguments: [
        ("acme-support", "cus_acme"), ("#globex", "cus_globex"), ("cs_initech_escalations", "cus_initech"), ("ext-umbrella-health", "cus_umbrella"),
    ])
    func channelName(name: String, id: String) {
        guard case .match(let match) = Self.directory.resolve(channelName: name) else { Issue.record("\(name) resolved to nothing"); return }
        #expect(match.id == id)
    }

    @Test("Channels named after no customer name none", arguments: ["cs-escalations", "general", "support-alerts", "random"])
    func channelWithoutCustomer(name: String) {
        #expect(Self.directory.resolve(channelName: name) == .none)
    }

    @Test("A channel reference in a question names its customer; as a subscription target it stays the target")
    func channelInQuestion() throws {
        let parser = IntentParser(model: SharedModel.model, customers: Self.directory)
        let question = parser.parse("show open tickets in <#C0123|acme-support>", now: SharedModel.reference)
        #expect(question.slots.customer?.match?.id == "cus_acme")
        let subscription = parser.parse("subscribe <#C0123|acme-support> to escalation alerts", now: SharedModel.reference)
        #expect(subscription.intent == .subscribe)
        #expect(subscription.slots.target == .channel(id: "C0123", name: "acme-support"))
        #expect(subscription.slots.customer == nil)
    }

    @Test("No customer in ordinary questions, even with the demo roster's everyday words", arguments: [
        "show me all open tickets", "how is support going for my team?", "any new tickets today", "which customers need attention",
        "what's the health of my accounts", "top issues this month", "massive backlog of p1 tickets?", "is the bank holiday affecting response times",
        "give me a summary of my portfolio", "which tickets are breaching sla", "how does csat relate to churn", "show the general trend of escalations",
        "mute alerts until monday", "what can you do", "add note to 4521: client called back", "any tickets about the science module?",
    ])
    func noFalsePositives(message: String) {
        let parsed = SharedModel.demoParser().parse(message, now: SharedModel.reference)
        #expect(parsed.slots.customer == nil, "\(message) → \(parsed.slots.customer?.match?.name ?? "candidates")")
    }
}
