import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

/// notification_settings: where the digest goes (PRD-122 FR-3), changed by chat, saved
/// through the store, and shown in the settings answer.
@Suite("Digest by Slack, email or both, from the chat")
struct DigestDeliverySettingsTests {
    @Test("The phrases change where the digest goes, and the answer shows it", arguments: [
        ("send my digest by email", DigestDelivery.email),
        ("digest in slack and email", .both),
        ("email me my daily digest", .email),
        ("I want the digest in my inbox instead of slack", .email),
        ("can I get my digest by email please", .email),
    ])
    func changes(_ phrase: String, _ expected: DigestDelivery) async throws {
        let fixture = try AnswerFixture()
        let (answer, text) = try await fixture.ask(phrase)
        #expect(answer.parsed.intent == .notificationSettings, "\(phrase)")
        #expect(try fixture.store.preferences(email: AnswerFixture.mike.email).digestDelivery == expected, "\(phrase)")
        #expect(text.contains("digest by \(expected.label)"), "\(text)")
        #expect(text.contains("Digest by"))
    }

    @Test("Back to Slack, and the default is Slack")
    func backToSlack() async throws {
        let fixture = try AnswerFixture()
        let (_, shown) = try await fixture.ask("what are my notification settings?")
        #expect(shown.contains("Slack"))
        #expect(try fixture.store.preferences(email: AnswerFixture.mike.email).digestDelivery == .slack)
        _ = try await fixture.ask("digest in slack and email")
        let (answer, text) = try await fixture.ask("stop emailing me the digest")
        #expect(answer.parsed.intent == .notificationSettings)
        #expect(try fixture.store.preferences(email: AnswerFixture.mike.email).digestDelivery == .slack)
        #expect(text.contains("digest by Slack"))
    }

    @Test("A digest time and a medium in one message: both saved, other settings kept")
    func timeAndMedium() async throws {
        let fixture = try AnswerFixture()
        _ = try await fixture.ask("only DM me for P1")
        _ = try await fixture.ask("send my digest by email at 7:30")
        let saved = try fixture.store.preferences(email: AnswerFixture.mike.email)
        #expect(saved.digestDelivery == .email && saved.digestHour == 7 && saved.digestMinute == 30)
        #expect(saved.dmPriorities == [.p1])
    }
}
