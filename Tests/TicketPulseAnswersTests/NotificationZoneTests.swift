import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

/// notification_settings on the asker's own clock: every time it echoes names the zone.
@Suite("Notification settings in the asker's time zone")
struct NotificationZoneTests {
    @Test("“Send my digest at 9am” from New York is saved as 09:00 and echoed as New York time")
    func digestInTheirZone() async throws {
        let fixture = try AnswerFixture()
        var mike = AnswerFixture.mike
        mike.timeZone = "America/New_York"
        try fixture.store.upsertCSMs([mike])
        let (answer, text) = try await fixture.ask("send me a daily digest at 9am", as: mike)
        #expect(answer.parsed.intent == .notificationSettings)
        #expect(text.contains("daily digest at 09:00 America/New_York"))
        let saved = try fixture.store.preferences(email: mike.email)
        #expect(saved.digestHour == 9 && saved.digestMinute == 0)
        #expect(saved.timeZone == "America/New_York")

        let (_, quiet) = try await fixture.ask("set quiet hours from 10pm to 7am", as: mike)
        #expect(quiet.contains("quiet hours 22:00–07:00 America/New_York"))
        #expect(quiet.contains("America/New_York"))
    }

    @Test("Without a known zone the reply says UTC, and how to change it")
    func utcWhenUnknown() async throws {
        let fixture = try AnswerFixture()
        let (_, text) = try await fixture.ask("send me a daily digest at 9am")
        #expect(text.contains("daily digest at 09:00 UTC"))
        #expect(text.contains("set a timezone in the roster"))
    }
}
