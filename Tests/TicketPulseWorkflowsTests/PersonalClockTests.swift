import Foundation
import Testing
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

/// Quiet hours and digests on each person's own clock, across New York's daylight-saving
/// change on Sunday 1 November 2026 (EDT, UTC−4, until 06:00 UTC; EST, UTC−5, after).
@Suite("Each person's own clock")
struct PersonalClockTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// A fixture whose clock reads `time`, with Mike in New York.
    static func fixture(at time: Date, timeZone: String? = "America/New_York") throws -> WorkflowFixture {
        let fixture = try WorkflowFixture()
        var mike = WorkflowFixture.mike
        mike.timeZone = timeZone
        try fixture.store.upsertCSMs([mike])
        fixture.clock.advance(time.timeIntervalSince(fixture.clock.now))
        return fixture
    }

    @Test("Quiet hours 10pm–7am hold in New York on both sides of the change")
    func quietHoursAcrossDST() {
        let quiet = NotificationPreferences(quietStartHour: 22, quietEndHour: 7, timeZone: "America/New_York")
        // Before: EDT.
        #expect(quiet.inQuietHours(at: Self.utc("2026-10-31T02:30:00Z")))   // 22:30 EDT
        #expect(quiet.inQuietHours(at: Self.utc("2026-10-31T10:30:00Z")))   // 06:30 EDT
        #expect(!quiet.inQuietHours(at: Self.utc("2026-10-31T11:30:00Z")))  // 07:30 EDT
        #expect(!quiet.inQuietHours(at: Self.utc("2026-10-31T01:30:00Z")))  // 21:30 EDT
        // After: EST. The same UTC hours now mean an hour earlier in New York.
        #expect(quiet.inQuietHours(at: Self.utc("2026-11-02T11:30:00Z")))   // 06:30 EST
        #expect(!quiet.inQuietHours(at: Self.utc("2026-11-02T12:30:00Z")))  // 07:30 EST
        #expect(!quiet.inQuietHours(at: Self.utc("2026-11-02T02:30:00Z")))  // 21:30 EST
        #expect(quiet.inQuietHours(at: Self.utc("2026-11-02T03:30:00Z")))   // 22:30 EST
        // Without a zone the hours are UTC's, as before.
        let utcQuiet = NotificationPreferences(quietStartHour: 22, quietEndHour: 7)
        #expect(!utcQuiet.inQuietHours(at: Self.utc("2026-11-02T11:30:00Z")))
    }

    @Test("The router reads quiet hours in the person's zone: a P2 at 06:30 New York time waits for the digest")
    func routerUsesTheZone() async throws {
        let time = Self.utc("2026-11-02T11:30:00Z")  // 06:30 EST, 11:30 UTC
        let newYork = try Self.fixture(at: time)
        try newYork.store.savePreferences(NotificationPreferences(quietStartHour: 22, quietEndHour: 7), email: WorkflowFixture.mike.email, at: time)
        try newYork.recent(WorkflowFixture.acme, count: 1, priority: .p2)
        try await newYork.pipeline().evaluate()
        #expect(try newYork.outbox().isEmpty)
        #expect(try newYork.store.pendingDigestItems()["mike.chen@example.com"]?.count == 1)

        // The same hours read in UTC would have let it through at once.
        let london = try Self.fixture(at: time, timeZone: nil)
        try london.store.savePreferences(NotificationPreferences(quietStartHour: 22, quietEndHour: 7), email: WorkflowFixture.mike.email, at: time)
        try london.recent(WorkflowFixture.acme, count: 1, priority: .p2)
        try await london.pipeline().evaluate()
        #expect(try london.outbox().map(\.recipient) == ["user:mike.chen@example.com"])
    }

    @Test("“Send my digest at 9am” from New York arrives at 9:00 New York time, before and after the change")
    func digestAcrossDST() async throws {
        let fixture = try Self.fixture(at: Self.utc("2026-10-30T12:00:00Z"))
        try fixture.store.savePreferences(NotificationPreferences(digestHour: 9, digestMinute: 0), email: WorkflowFixture.mike.email, at: fixture.clock.now)
        #expect(try fixture.store.preferences(email: WorkflowFixture.mike.email).timeZone == "America/New_York")
        let digests = DigestScheduler(store: fixture.store, messages: fixture.messages)

        // Saturday 31 October, EDT: 9:00 is 13:00 UTC.
        fixture.clock.advance(Self.utc("2026-10-31T12:00:00Z").timeIntervalSince(fixture.clock.now))
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p3, prefix: "sat")
        try await fixture.pipeline().evaluate()
        await #expect(try digests.queueDue(at: Self.utc("2026-10-31T12:59:00Z")).isEmpty)
        await #expect(try digests.queueDue(at: Self.utc("2026-10-31T13:00:00Z")) == ["mike.chen@example.com"])
        let first = try #require(try fixture.outbox().first { $0.key.hasPrefix("digest:") })
        #expect(first.key == "digest:mike.chen@example.com:2026-10-31")
        #expect(Self.tableColumns(first.message).last == "When (America/New_York)")

        // Monday 2 November, EST: 9:00 is 14:00 UTC; 13:00 UTC is only 8:00 there.
        fixture.clock.advance(Self.utc("2026-11-02T12:00:00Z").timeIntervalSince(fixture.clock.now))
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p3, prefix: "mon")
        try await fixture.pipeline().evaluate()
        await #expect(try digests.queueDue(at: Self.utc("2026-11-02T13:00:00Z")).isEmpty)
        await #expect(try digests.queueDue(at: Self.utc("2026-11-02T13:59:00Z")).isEmpty)
        await #expect(try digests.queueDue(at: Self.utc("2026-11-02T14:00:00Z")) == ["mike.chen@example.com"])
        #expect(try fixture.outbox().contains { $0.key == "digest:mike.chen@example.com:2026-11-02" })
    }

    @Test("A digest late in New York's evening is that day's, not the next UTC day's")
    func localDate() async throws {
        let fixture = try Self.fixture(at: Self.utc("2026-11-24T01:00:00Z"))  // 20:00 EST on the 23rd
        try fixture.store.savePreferences(NotificationPreferences(digestHour: 19, digestMinute: 30), email: WorkflowFixture.mike.email, at: fixture.clock.now)
        try fixture.recent(WorkflowFixture.acme, count: 1, priority: .p3)
        try await fixture.pipeline().evaluate()
        let digests = DigestScheduler(store: fixture.store, messages: fixture.messages)
        await #expect(try digests.queueDue(at: fixture.clock.now) == ["mike.chen@example.com"])
        #expect(try fixture.outbox().contains { $0.key == "digest:mike.chen@example.com:2026-11-23" })
    }

    static func tableColumns(_ reply: Reply) -> [String] {
        reply.blocks.compactMap { if case .table(let table) = $0 { table.columns } else { nil } }.first ?? []
    }
}
