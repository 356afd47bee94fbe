import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

/// A CSM must not learn from the bot which customers exist outside their book: for Mike, a
/// question about Initech (on the roster, Sam's) gets exactly the reply it gets from a
/// roster on which Initech never existed: wording, buttons, what is shown. The attempt is
/// still audited as refused; Sam, their manager and admins get the answer.
@Suite("Answers: customers outside the scope read as unknown")
struct CustomerPrivacyTests {
    /// What the asker sees: the rendered reply, the buttons' labels and the customers shown.
    struct Seen: Equatable {
        var text: String
        var buttons: [String]
        var shown: [String]
        var intent: IntentName
    }

    static func seen(_ answer: Answer) -> Seen {
        let buttons = answer.reply.blocks.flatMap { block -> [String] in if case .actions(let actions) = block { actions.map(\.label) } else { [] } }
        return Seen(text: TextRenderer(width: 120).render(answer.reply), buttons: buttons, shown: answer.customersShown.sorted(), intent: answer.parsed.intent)
    }

    static let questions = [
        "show support tickets for Initech",
        "support metrics for Initech this quarter",
        "what's the support health for Initech?",
        "escalations for Initech",
        "how is CSAT trending for Initech?",
        "top issues at Initech",
        "SLA breaches for Initech",
        "tickets for initech",
        "how is Initech doing support-wise?",
        "initech status",
        "initech.com tickets",
        "compare Acme and Initech",
        "open tickets for Acme and Initech",
        "alert me on escalations for Initech",
        "stop sending me escalation alerts for Initech",
        "mute alerts for Initech until Monday",
        "draft an email to Initech about the outage",
    ]

    @Test("A customer outside the scope is answered exactly as on a roster without it", arguments: questions)
    func sameAsNonexistent(question: String) async throws {
        let roster = try AnswerFixture()
        let without = try AnswerFixture(leavingOut: ["cus_initech"])
        let aboutOutside = try await roster.engine.answer(question, asker: AnswerFixture.mike, now: AnswerFixture.now)
        let aboutNonexistent = try await without.engine.answer(question, asker: AnswerFixture.mike, now: AnswerFixture.now)
        #expect(Self.seen(aboutOutside) == Self.seen(aboutNonexistent))
        #expect(!aboutOutside.customersShown.contains("cus_initech"))
        #expect(aboutOutside.pendingConfirmation?.customer != "cus_initech")
        await #expect(try roster.store.subscriptions().isEmpty)
        #expect(try roster.store.preferences(email: AnswerFixture.mike.email).snoozes.isEmpty)
    }

    @Test("The named customer's reply is the unknown-name one, word for word")
    func unknownWording() async throws {
        let fixture = try AnswerFixture()
        let outside = await Self.seen(try fixture.engine.answer("show support tickets for Initech", asker: AnswerFixture.mike, now: AnswerFixture.now))
        #expect(outside.text.contains("I don't know a customer called Initech."))
        #expect(outside.shown.isEmpty)
    }

    @Test("The refusal is audited, with the customer it named; a name the roster lacks is not a refusal")
    func refusalAudited() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.engine.answer("show support tickets for Initech", asker: AnswerFixture.mike, now: AnswerFixture.now)
        let refused = try await fixture.store.auditLog().filter { $0.outcome == .refused(reason: "out_of_scope") }
        #expect(refused.map(\.actor) == [AnswerFixture.mike.email])
        #expect(refused.map(\.customerIDs) == [["cus_initech"]])
        #expect(refused.map(\.action) == ["ask:customer"])
        _ = try await fixture.engine.answer("show support tickets for Vextrion", asker: AnswerFixture.mike, now: AnswerFixture.now)
        await #expect(try fixture.store.auditLog().filter { $0.outcome == .refused(reason: "out_of_scope") }.count == 1)
    }

    @Test("Its CSM, their manager and admins get the answer")
    func widerScopes() async throws {
        let fixture = try AnswerFixture()
        for person in [AnswerFixture.maria, AnswerFixture.alex, AnswerFixture.sam] {
            let answer = try await fixture.engine.answer("show support tickets for Initech", asker: person, now: AnswerFixture.now)
            #expect(answer.customersShown == ["cus_initech"], "\(person.email)")
            #expect(TextRenderer(width: 120).render(answer.reply).contains("3001"))
        }
        await #expect(try fixture.store.auditLog().filter { $0.outcome == .refused(reason: "out_of_scope") }.isEmpty)
    }
}
