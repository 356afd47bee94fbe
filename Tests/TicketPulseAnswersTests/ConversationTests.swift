import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage
import Yams

/// The conversation around an answer: confirmed writes, "Did you mean…?", "Which
/// customer?", typed buttons answered from what they carry, and the learning loop.
@Suite("Conversation")
struct ConversationTests {
    static let now = AnswerFixture.now

    static func buttons(_ reply: Reply) -> [ReplyAction] {
        reply.blocks.flatMap { block -> [ReplyAction] in if case .actions(let actions) = block { actions } else { [] } }
    }

    static func button(_ reply: Reply, _ id: AnswerButton) throws -> ReplyAction {
        try #require(buttons(reply).first { $0.id == id.rawValue }, "no \(id.rawValue) button in \(reply.fallbackText)")
    }

    static func text(_ reply: Reply) -> String { TextRenderer(width: 120).render(reply) }

    /// What each write would change, read back from the store.
    struct Written: Equatable {
        var actions: Int
        var subscriptions: Int
        var preferences: NotificationPreferences
    }

    static func written(_ fixture: AnswerFixture) throws -> Written {
        let ticket = try #require(try fixture.store.ticket(source: .zendesk, externalID: "1002"))
        return Written(actions: try fixture.store.actions(ticketID: ticket.id).count,
                       subscriptions: try fixture.store.subscriptions().count,
                       preferences: try fixture.store.preferences(email: AnswerFixture.mike.email))
    }

    /// One free-text message per write intent.
    static let writes: [(message: String, intent: IntentName)] = [
        ("add note to 1002: Customer called back, workaround shared", .addNote),
        ("escalate ticket 1002, renewal at risk", .requestEscalation),
        ("alert me on ticket escalations", .subscribe),
        ("only DM me for P1 and P2", .notificationSettings),
    ]

    @Test("Each write intent asks first: what would happen, [Confirm] [Cancel], and nothing written", arguments: writes.indices)
    func writesAskFirst(index: Int) async throws {
        let (message, intent) = Self.writes[index]
        let fixture = try AnswerFixture()
        let before = try Self.written(fixture)
        let answer = try await fixture.engine.answer(message, asker: AnswerFixture.mike, now: Self.now)
        #expect(answer.parsed.intent == intent)
        #expect(answer.pendingConfirmation?.intent == intent)
        #expect(Self.text(answer.reply).contains("Please confirm"))
        #expect(Self.buttons(answer.reply).map(\.id) == [AnswerButton.confirm.rawValue, AnswerButton.cancel.rawValue])
        #expect(try Self.written(fixture) == before)
    }

    @Test("Unsubscribe asks first too, and removes only after the click")
    func unsubscribeAsksFirst() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("alert me on ticket escalations")
        let answer = try await fixture.engine.answer("unsubscribe me from escalation alerts", asker: AnswerFixture.mike, now: Self.now)
        #expect(answer.pendingConfirmation?.intent == .unsubscribe)
        await #expect(try fixture.store.subscriptions().count == 1)
        let confirm = try Self.button(answer.reply, .confirm)
        _ = try await fixture.engine.click(.confirm, value: confirm.value, by: AnswerFixture.mike, now: Self.now)
        await #expect(try fixture.store.subscriptions().isEmpty)
    }

    @Test("[Cancel] of an unsubscribe keeps the subscription")
    func unsubscribeCancelKeeps() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("alert me on ticket escalations")
        let before = try await fixture.store.subscriptions()
        let answer = try await fixture.engine.answer("unsubscribe me from escalation alerts", asker: AnswerFixture.mike, now: Self.now)
        let cancel = try Self.button(answer.reply, .cancel)
        let cancelled = try await fixture.engine.click(.cancel, value: cancel.value, by: AnswerFixture.mike, now: Self.now)
        #expect(Self.text(cancelled.reply).contains("Cancelled: nothing was written."))
        await #expect(try fixture.store.subscriptions() == before)
        #expect(before.count == 1)
    }

    @Test("[Confirm] writes exactly once, however often it is clicked")
    func confirmWritesOnce() async throws {
        let fixture = try AnswerFixture()
        let answer = try await fixture.engine.answer("add note to 1002: Customer called back", asker: AnswerFixture.mike, now: Self.now)
        let confirm = try Self.button(answer.reply, .confirm)
        let first = try await fixture.engine.click(.confirm, value: confirm.value, by: AnswerFixture.mike, now: Self.now)
        #expect(first.replacesMessage && !first.ephemeral)
        #expect(Self.text(first.reply).contains("Note added to #1002"))
        let second = try await fixture.engine.click(.confirm, value: confirm.value, by: AnswerFixture.mike, now: Self.now)
        #expect(second.ephemeral)
        #expect(Self.text(second.reply).contains("already confirmed"))
        #expect(try Self.written(fixture).actions == 1)
    }

    @Test("[Cancel] writes nothing and says so", arguments: writes.indices)
    func cancelWritesNothing(index: Int) async throws {
        let fixture = try AnswerFixture()
        let before = try Self.written(fixture)
        let answer = try await fixture.engine.answer(Self.writes[index].message, asker: AnswerFixture.mike, now: Self.now)
        let cancel = try Self.button(answer.reply, .cancel)
        let cancelled = try await fixture.engine.click(.cancel, value: cancel.value, by: AnswerFixture.mike, now: Self.now)
        #expect(Self.text(cancelled.reply).contains("Cancelled: nothing was written."))
        #expect(cancelled.replacesMessage)
        #expect(try Self.written(fixture) == before)
        // The cancel is audited as allowed, and settles the confirmation: a [Confirm] of the
        // same message clicked later writes nothing.
        await #expect(try fixture.store.auditLog().contains { $0.action == "cancel:\(Self.writes[index].intent.rawValue)" && $0.detail.hasPrefix("allowed") })
        let late = try await fixture.engine.click(.confirm, value: cancel.value, by: AnswerFixture.mike, now: Self.now)
        #expect(late.ephemeral)
        #expect(Self.text(late.reply).contains("already confirmed or cancelled"))
        #expect(try Self.written(fixture) == before)
    }

    @Test("A confirmation clicked by someone else, or out of the clicker's scope, is refused and audited")
    func confirmRefusals() async throws {
        let fixture = try AnswerFixture()
        let answer = try await fixture.engine.answer("add note to 1002: Customer called back", asker: AnswerFixture.mike, now: Self.now)
        let confirm = try Self.button(answer.reply, .confirm)
        // Sam is another CSM; Maria, Mike's manager, sees the ticket but did not ask.
        for clicker in [AnswerFixture.sam, AnswerFixture.maria] {
            let refused = try await fixture.engine.click(.confirm, value: confirm.value, by: clicker, now: Self.now)
            #expect(refused.ephemeral)
            #expect(Self.text(refused.reply).contains("Only the person who asked"))
            let cancel = try await fixture.engine.click(.cancel, value: confirm.value, by: clicker, now: Self.now)
            #expect(cancel.ephemeral)
        }
        #expect(try Self.written(fixture).actions == 0)

        // Acme moves to Sam's book before Mike clicks: the scope is checked again at the click.
        var acme = try #require(try fixture.store.customer(id: "cus_acme"))
        acme.csmEmail = AnswerFixture.sam.email
        try fixture.store.upsertCustomers([acme])
        let outOfScope = try await fixture.engine.click(.confirm, value: confirm.value, by: AnswerFixture.mike, now: Self.now)
        #expect(outOfScope.ephemeral)
        #expect(Self.text(outOfScope.reply).contains("isn't in your accounts"))
        #expect(try Self.written(fixture).actions == 0)

        acme.csmEmail = AnswerFixture.mike.email
        try fixture.store.upsertCustomers([acme])
        _ = try await fixture.engine.click(.confirm, value: confirm.value, by: AnswerFixture.mike, now: Self.now)
        #expect(try Self.written(fixture).actions == 1)

        let audit = try await fixture.store.auditLog().filter { $0.action == "confirm:add_note" || $0.action == "cancel:add_note" }
        #expect(audit.filter { $0.detail.hasPrefix("refused") }.count == 5)
        #expect(audit.filter { $0.detail == "allowed" }.map(\.actor) == [AnswerFixture.mike.email])
        #expect(audit.contains { $0.actor == AnswerFixture.sam.email && $0.detail.contains("someone other than the asker") })
        #expect(audit.contains { $0.actor == AnswerFixture.mike.email && $0.detail.contains("isn't in your accounts") })
    }

    @Test("A tampered or foreign button value gets a helpful notice, never a crash or a write", arguments: [
        "", "garbage", "{", "{\"i\":\"add_note\"}", "{\"i\":\"drop_tables\",\"t\":\"1002\"}", "[1,2,3]",
        "{\"i\":\"add_note\",\"t\":\"1002\",\"x\":\"sneaky\",\"a\":\"mike.chen@example.com\"}",
        "{\"i\":\"list_tickets\",\"c\":\"cus_initech\"}", "{\"i\":\"list_tickets\",\"ps\":1e308,\"pe\":-1e308}",
        String(repeating: "{\"i\":", count: 2000),
    ])
    func tamperedValues(value: String) async throws {
        let fixture = try AnswerFixture()
        for button in AnswerButton.allCases {
            let answer = try await fixture.engine.click(button, value: value, by: AnswerFixture.mike, now: Self.now)
            #expect(!answer.reply.fallbackText.isEmpty)
            // Initech is Sam's: asked through a button, it is refused like any question.
            #expect(!Self.text(answer.reply).contains("#3001"))
        }
        #expect(try Self.written(fixture).actions == 0)
    }

    @Test("ask --yes: the confirmation, then the write, through the same checks")
    func askYes() async throws {
        let fixture = try AnswerFixture()
        let (asked, confirmed) = try await fixture.engine.answerConfirmed("escalate ticket 1002, renewal at risk", asker: AnswerFixture.mike, now: Self.now)
        #expect(Self.text(asked.reply).contains("Please confirm"))
        #expect(Self.text(try #require(confirmed).reply).contains("Escalation requested for #1002"))
        #expect(try Self.written(fixture).actions == 1)
        // A read is answered as before, nothing to confirm.
        let (read, none) = try await fixture.engine.answerConfirmed("show support tickets for Acme", asker: AnswerFixture.mike, now: Self.now)
        #expect(none == nil)
        #expect(read.pendingConfirmation == nil)
    }

    @Test("Answer buttons have typed ids and carry their intent and slots; a click answers them directly")
    func typedButtons() async throws {
        let fixture = try AnswerFixture()
        let answer = try await fixture.engine.answer("show support tickets for Acme", asker: AnswerFixture.mike, now: Self.now)
        let csat = try Self.button(answer.reply, .checkCSAT)
        let request = try #require(AnswerRequest(encoded: csat.value))
        #expect(request.intent == .csatTrend)
        #expect(request.customer == "cus_acme")
        let clicked = try await fixture.engine.click(.checkCSAT, value: csat.value, by: AnswerFixture.mike, now: Self.now)
        #expect(!clicked.replacesMessage)
        #expect(clicked.customersShown == ["cus_acme"])
        #expect(Self.text(clicked.reply).contains("CSAT"))
        // A button posted before values carried requests (a bare customer id) still works.
        let legacy = try await fixture.engine.click(.viewOpenTickets, value: "cus_acme", by: AnswerFixture.mike, now: Self.now)
        #expect(Self.text(legacy.reply).contains("3 open tickets for Acme Corp"))
        // Every id any answer puts on a button is one of the typed ids.
        for message in ["what's the support health for Acme?", "show ticket 1002", "which customers have low CSAT scores?", "draft an email to Acme about the recent issues"] {
            let reply = try await fixture.engine.answer(message, asker: AnswerFixture.mike, now: Self.now).reply
            #expect(!Self.buttons(reply).isEmpty, "\(message)")
            for action in Self.buttons(reply) { #expect(AnswerButton(rawValue: action.id) != nil, "\(action.id)") }
        }
    }

    @Test("Two customers share a name: the candidates are buttons, and a click answers for the one chosen")
    func whichCustomerButtons() async throws {
        let fixture = try AnswerFixture(extraCustomers: [
            Customer(id: "cus_stark", name: "Stark Industries"), Customer(id: "cus_stark_logistics", name: "Stark Logistics"),
        ])
        let answer = try await fixture.engine.answer("show open tickets for Stark", asker: AnswerFixture.alex, now: Self.now)
        let choices = Self.buttons(answer.reply)
        #expect(choices.map(\.label) == ["Stark Industries", "Stark Logistics"])
        #expect(choices.allSatisfy { $0.id == AnswerButton.reading.rawValue })
        let chosen = try await fixture.engine.click(.reading, value: choices[1].value, by: AnswerFixture.alex, now: Self.now)
        #expect(chosen.replacesMessage)
        #expect(Self.text(chosen.reply).contains("Stark Logistics"))
        #expect(!Self.text(chosen.reply).contains("Which customer"))
    }

    @Test("A message with no confident reading gets \"Did you mean…?\" buttons; a click answers the reading chosen")
    func clarification() async throws {
        let fixture = try AnswerFixture()
        let answer = try await fixture.engine.answer(Self.unclearMessage, asker: AnswerFixture.mike, now: Self.now)
        let choices = Self.buttons(answer.reply).filter { $0.id == AnswerButton.reading.rawValue }
        #expect((1...3).contains(choices.count), "\(answer.reply.fallbackText)")
        #expect(Self.text(answer.reply).contains("Did you mean"))
        let choice = try #require(choices.first)
        let request = try #require(AnswerRequest(encoded: choice.value))
        #expect(request.customer == "cus_acme")
        let chosen = try await fixture.engine.click(.reading, value: choice.value, by: AnswerFixture.mike, now: Self.now)
        #expect(chosen.replacesMessage)
        let direct = try await fixture.engine.answer(parsed: try #require(fixture.engine.parser.readings(Self.unclearMessage, now: Self.now).inScope.first { $0.intent == request.intent }),
                                               text: Self.unclearMessage, asker: AnswerFixture.mike, now: Self.now)
        #expect(chosen.reply == direct.reply)
    }

    /// No confident reading for the fixture's parser, but it names a customer (see `clarification`).
    static let unclearMessage = "acme status"

    @Test("Nothing in scope is plausible: \"outside what I know\", with what the bot can do")
    func refusalSaysWhatItCanDo() async throws {
        let fixture = try AnswerFixture()
        let answer = try await fixture.engine.answer("what's the weather in Paris?", asker: AnswerFixture.mike, now: Self.now)
        #expect(answer.parsed.intent == .outOfScope)
        #expect(Self.buttons(answer.reply).isEmpty)
        #expect(Self.text(answer.reply).contains("outside what I know"))
        #expect(Self.text(answer.reply).contains("show support tickets for Acme"))
    }

    @Test("nlu review groups the kept questions by the reading chosen; --export is intents YAML; admins only")
    func nluReview() async throws {
        let fixture = try AnswerFixture()
        let unclear = try await fixture.engine.answer(Self.unclearMessage, asker: AnswerFixture.mike, now: Self.now)
        let choice = try #require(Self.buttons(unclear.reply).first { $0.id == AnswerButton.reading.rawValue })
        let chosenIntent = try #require(AnswerRequest(encoded: choice.value)).intent
        _ = try await fixture.engine.click(.reading, value: choice.value, by: AnswerFixture.mike, now: Self.now)
        _ = try await fixture.engine.answer("what's the weather in Paris?", asker: AnswerFixture.mike, now: Self.now)
        _ = try await fixture.engine.answer("book me a flight to Lisbon", asker: AnswerFixture.sam, now: Self.now)

        await #expect(throws: NLUFeedbackAccessDenied.self) { _ = try await NLUReview(store: fixture.store, person: AnswerFixture.mike, now: Self.now) }
        await #expect(throws: NLUFeedbackAccessDenied.self) { _ = try await NLUReview(store: fixture.store, person: AnswerFixture.maria, now: Self.now) }
        let review = try await NLUReview(store: fixture.store, person: AnswerFixture.alex, now: Self.now)
        let groups = Dictionary(uniqueKeysWithValues: review.groups.map { ($0.reading, $0.entries) })
        #expect(groups[chosenIntent.rawValue]?.map(\.outcome) == [.clarificationChosen])
        #expect(groups["out_of_scope"]?.map(\.outcome) == [.refused, .refused])
        #expect(groups[NLUReview.unanswered] == nil)
        let listing = review.text()
        #expect(listing.contains("\(chosenIntent.rawValue) (1)"))
        #expect(listing.contains("1× \(Self.unclearMessage)  — clarification chosen"))
        #expect(listing.contains("out_of_scope (2)"))

        let yaml = review.yaml()
        // Each document reads back as an intent file's fields (all-comment ones are skipped).
        struct IntentFile: Decodable, Equatable { var type: String; var name: String; var utterances: [String] }
        let documents = try yaml.components(separatedBy: "\n---\n").map { $0.replacingOccurrences(of: "---\n", with: "") }
            .filter { chunk in chunk.split(separator: "\n").contains { !$0.hasPrefix("#") } }
            .map { try YAMLDecoder().decode(IntentFile.self, from: $0) }
        #expect(documents == [IntentFile(type: "intent", name: chosenIntent.rawValue, utterances: ["[customer](acme) status"])])
        // Refusals are offered commented out: a refusal may have been wrong.
        #expect(yaml.contains("#   - \"book me a flight to Lisbon\""))
    }

    @Test("Every nlu review read (listing and --export) writes an audit row, allowed or refused")
    func nluReviewIsAudited() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.engine.answer("what's the weather in Paris?", asker: AnswerFixture.mike, now: Self.now)
        let later = Self.now.addingTimeInterval(60)
        await #expect(throws: NLUFeedbackAccessDenied.self) { _ = try await NLUReview(store: fixture.store, person: AnswerFixture.mike, now: later) }
        await #expect(throws: NLUFeedbackAccessDenied.self) { _ = try await NLUReview(store: fixture.store, person: AnswerFixture.maria, use: .export, now: later) }
        _ = try await NLUReview(store: fixture.store, person: AnswerFixture.alex, now: later)
        _ = try await NLUReview(store: fixture.store, person: AnswerFixture.alex, since: Self.now, use: .export, now: later)
        try await NLUReview.refuseUnknownReader("stranger@example.com", store: fixture.store, use: .listing, now: later)

        let rows = try fixture.store.auditLog(limit: 50).filter { $0.action.hasPrefix("nlu:") }.reversed().map { ($0.actor, $0.action, $0.outcome) }
        #expect(rows.map(\.0) == [AnswerFixture.mike.email, AnswerFixture.maria.email, AnswerFixture.alex.email, AnswerFixture.alex.email, "stranger@example.com"])
        #expect(rows.map(\.1) == ["nlu:review", "nlu:review-export", "nlu:review", "nlu:review-export", "nlu:review"])
        #expect(rows.map(\.2) == [.refused(reason: "not_admin"), .refused(reason: "not_admin"), .allowed, .allowed, .refused(reason: "not_on_roster")])
    }
}
