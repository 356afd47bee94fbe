import Foundation
import Testing
import TicketPulseIntents

/// Slack markup, case, punctuation, apostrophes and diacritics, evened out before parsing.
@Suite("Message normalisation")
struct NormalizationTests {
    static func text(_ raw: String) -> String { MessageNormalizer.normalize(raw).text }

    @Test("User mentions are removed, with or without a label")
    func mentions() {
        #expect(Self.text("<@U0BOT123> show tickets for Acme") == "show tickets for acme")
        #expect(Self.text("hey <@U0BOT123|pulse>, any spikes?") == "hey any spikes")
        #expect(MessageNormalizer.normalize("<@U0BOT123> help").channels.isEmpty)
    }

    @Test("Channel references are kept as channel targets, by id and name")
    func channels() {
        let normalized = MessageNormalizer.normalize("subscribe <#C0123ABC|cs-escalations> to spikes")
        #expect(normalized.text == "subscribe #cs-escalations to spikes")
        #expect(normalized.channels.map(\.id) == ["C0123ABC"])
        #expect(normalized.channels.first?.name == "cs-escalations")
        let unnamed = MessageNormalizer.normalize("what does <#C0999> get?")
        #expect(unnamed.channels.map(\.id) == ["C0999"])
        #expect(unnamed.channels.first?.name == nil)
        #expect(unnamed.text == "what does #c0999 get")
    }

    @Test("Links keep their label, or their address without the scheme")
    func links() {
        #expect(Self.text("tickets for <https://acme.io|Acme>") == "tickets for acme")
        #expect(Self.text("tickets for <https://globex.com>") == "tickets for globex.com")
        #expect(Self.text("mail <mailto:jane@acme.io|jane@acme.io> back") == "mail jane@acme.io back")
        #expect(Self.text("P1 &amp; P2 &lt;now&gt;") == "p1 & p2 <now>")
    }

    @Test("Case and punctuation: lower case, separators spaced out, meaningful dots and colons kept")
    func caseAndPunctuation() {
        #expect(Self.text("SHOW Tickets, please!!") == "show tickets please")
        #expect(Self.text("(urgent) tickets? [Acme]") == "urgent tickets acme")
        #expect(Self.text("CSAT below 3.5 for acme.io.") == "csat below 3.5 for acme.io")
        #expect(Self.text("digest at 9:30: thanks") == "digest at 9:30 thanks")
        #expect(Self.text("ticket #4521 — TKT-2026-4521") == "ticket #4521 — tkt-2026-4521")
    }

    @Test("Apostrophes, straight and curly, and quotes")
    func apostrophes() {
        #expect(Self.text("what’s up with Acme’s tickets") == "what's up with acme's tickets")
        #expect(Self.text("what‘s `new` ´here´") == "what's 'new' 'here'")
        #expect(Self.text("note “called back”") == "note called back")
        #expect(MessageNormalizer.normalize("note “Called back”").original == "note \"Called back\"")
    }

    @Test("Diacritics are folded; the original keeps them and the case")
    func diacritics() {
        #expect(Self.text("Müller Logistik café résumé") == "muller logistik cafe resume")
        #expect(Self.text("NAÏVE Señor") == "naive senor")
        #expect(MessageNormalizer.normalize("add note: Müller called").original == "add note: Müller called")
    }

    @Test("Whitespace: newlines, tabs and runs of spaces become single spaces")
    func whitespace() {
        #expect(Self.text("  show\n\ttickets   for  acme ") == "show tickets for acme")
    }
}

/// Slots whose words are symbols rather than letters, where word boundaries don't apply.
@Suite("Symbol slots")
struct SymbolSlotTests {
    @Test("A threshold written with < or <= is read", arguments: [("show me accounts with CSAT < 4", 4.0), ("which customers have csat <= 3.5", 3.5), ("which customers are below 3 on csat", 3.0)])
    func threshold(message: String, value: Double) {
        let parsed = SharedModel.demoParser().parse(message, now: SharedModel.reference)
        #expect(parsed.slots.threshold == value)
    }
}
