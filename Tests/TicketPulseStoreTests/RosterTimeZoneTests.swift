import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

/// The roster's optional `timezone` column: each person's clock for quiet hours and digests.
@Suite("Roster time zones")
struct RosterTimeZoneTests {
    static let csv = """
        email,name,slack_user_id,role,manager_email,timezone
        maria.lopez@example.com,Maria Lopez,U0MGR0001,manager,,Europe/Madrid
        mike.chen@example.com,Mike Chen,U0CSM0001,csm,maria.lopez@example.com,America/New_York
        sam.carter@example.com,Sam Carter,,csm,maria.lopez@example.com,
        """

    @Test("A timezone column is imported, and read with the person's preferences", arguments: StoreBackend.available)
    func imported(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.importCSMs(csv: Self.csv, fileName: "csms.csv") == RosterImportSummary(inserted: 3, updated: 0))
            #expect(try await store.csm(email: "mike.chen@example.com")?.timeZone == "America/New_York")
            #expect(try await store.csm(email: "maria.lopez@example.com")?.timeZone == "Europe/Madrid")
            #expect(try await store.csm(email: "sam.carter@example.com")?.timeZone == nil)
            // Preferences carry the zone even for someone who never set any.
            #expect(try await store.preferences(email: "mike.chen@example.com").timeZone == "America/New_York")
            #expect(try await store.preferences(emails: nil)["mike.chen@example.com"]?.timeZone == "America/New_York")
            #expect(try await store.preferences(emails: ["sam.carter@example.com"])["sam.carter@example.com"] == nil)
            // Saving preferences leaves the roster's zone alone.
            try await store.savePreferences(NotificationPreferences(digestHour: 9), email: "mike.chen@example.com", at: Date(timeIntervalSince1970: 0))
            #expect(try await store.preferences(email: "mike.chen@example.com") == NotificationPreferences(digestHour: 9, timeZone: "America/New_York"))
        }
    }

    @Test("A file without the column keeps the zones already known; an empty cell keeps them too", arguments: StoreBackend.available)
    func keptWithoutColumn(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.importCSMs(csv: Self.csv, fileName: "csms.csv")
            let plain = "email,name,slack_user_id,role,manager_email\nmike.chen@example.com,Michael Chen,U0CSM0001,csm,\n"
            #expect(try await store.importCSMs(csv: plain, fileName: "csms.csv") == RosterImportSummary(inserted: 0, updated: 1))
            let mike = try #require(try await store.csm(email: "mike.chen@example.com"))
            #expect(mike.name == "Michael Chen")
            #expect(mike.timeZone == "America/New_York")
        }
    }

    @Test("An unknown zone fails the whole file, naming the line and the column", arguments: StoreBackend.available)
    func unknownZone(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for bad in ["America/Nowhere", "EST", "+05:00"] {
                let csv = "email,name,slack_user_id,role,manager_email,timezone\nmike.chen@example.com,Mike Chen,,csm,,\(bad)\n"
                await #expect(throws: RosterImportError.self) { try await store.importCSMs(csv: csv, fileName: "csms.csv") }
                do {
                    _ = try await store.importCSMs(csv: csv, fileName: "csms.csv")
                } catch let error as RosterImportError {
                    #expect(error.line == 2)
                    #expect(error.field == "timezone")
                    #expect(error.description.contains("IANA"))
                }
            }
            #expect(try await store.csms().isEmpty)
        }
    }
}
