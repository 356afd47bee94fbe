import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseSQLite
import TicketPulseStorage

@Suite("Roster import")
struct RosterImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fixtures/roster").standardized

    func fixture(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    func importRoster(into store: any Store) async throws {
        _ = try await store.importCSMs(csv: fixture("csms.csv"), fileName: "csms.csv")
        _ = try await store.importCustomers(csv: fixture("customers.csv"), fileName: "customers.csv")
    }

    @Test("The fixture roster imports with lists, quotes and dates", arguments: StoreBackend.available)
    func importsFixtures(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await importRoster(into: store)
            let acme = try #require(try await store.customer(id: "cus_acme"))
            #expect(acme.aliases == ["Acme", "ACME Corporation"])
            #expect(acme.domains == ["acme.io", "acme.com"])
            #expect(acme.tier == .enterprise)
            #expect(acme.arr == 480_000)
            #expect(acme.csmEmail == "mike.chen@example.com")
            #expect(try await store.customer(id: "cus_initech")?.aliases == ["Initech, Inc."])
            #expect(try await store.csm(slackUserID: "U0CSM0001")?.name == "Mike Chen")
        }
    }

    @Test("Re-import updates in place", arguments: StoreBackend.available)
    func reimportUpdates(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await importRoster(into: store)
            let changed = try fixture("customers.csv").replacingOccurrences(of: "480000", with: "500000")
            let summary = try await store.importCustomers(csv: changed, fileName: "customers.csv")
            #expect(summary == RosterImportSummary(inserted: 0, updated: 3))
            #expect(try await store.customer(id: "cus_acme")?.arr == 500_000)
            #expect(try await store.customers().count == 3)
        }
    }

    static let badFiles: [(String, Int, String?)] = [
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date\ncus_x,X,,,smb,1,,", 1, "health_score"),
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\ncus_x,X,,,smb,1,,,50\ncus_y,Y,,,smb,lots,,,50", 3, "arr"),
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\ncus_x,X,,,smb,1,nobody@example.com,,50", 2, "csm_email"),
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\ncus_x,X,,,--,1,,,50", 2, "tier"),
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\ncus_x,X,,,smb,1,,31/12/2026,50", 2, "renewal_date"),
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\n\ncus_x,X,,,smb,1,,", 3, "health_score"),
        ("id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score\ncus_x,,,,smb,1,,,50", 2, "name"),
    ]

    @Test("A bad row fails the whole file, names line and field, and writes nothing", arguments: StoreBackend.available, badFiles.indices)
    func badRowWritesNothing(backend: StoreBackend, file: Int) async throws {
        let (csv, line, field) = Self.badFiles[file]
        try await backend.withStore { store in
            try await importRoster(into: store)
            let before = try await store.customers()
            await #expect {
                _ = try await store.importCustomers(csv: csv, fileName: "bad.csv")
            } throws: { error in
                let error = error as? RosterImportError
                return error?.line == line && error?.field == field && error?.file == "bad.csv"
            }
            #expect(try await store.customers() == before)
        }
    }

    @Test("A CSM file with an unknown manager or bad role is refused whole", arguments: StoreBackend.available)
    func badCSMFile(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let csv = "email,name,slack_user_id,role,manager_email\na@example.com,A,U1,csm,\nb@example.com,B,U2,csm,boss@example.com\n"
            await #expect(throws: RosterImportError(file: "csms.csv", line: 3, field: "manager_email", message: "unknown manager 'boss@example.com'")) {
                try await store.importCSMs(csv: csv, fileName: "csms.csv")
            }
            let csms = try await store.csms()
            #expect(csms.isEmpty)
            await #expect(throws: RosterImportError.self) {
                try await store.importCSMs(csv: "email,name,slack_user_id,role,manager_email\na@example.com,A,U1,boss,\n", fileName: "csms.csv")
            }
        }
    }

    @Test("A CSM sees their accounts, a manager the team's, an admin all", arguments: StoreBackend.available)
    func accessScope(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            try await importRoster(into: store)
            #expect(try await store.customerIDs(visibleTo: #require(try await store.csm(email: "mike.chen@example.com"))) == ["cus_acme", "cus_globex"])
            #expect(try await store.customerIDs(visibleTo: #require(try await store.csm(email: "maria.lopez@example.com"))) == ["cus_acme", "cus_globex", "cus_initech"])
            #expect(try await store.customerIDs(visibleTo: #require(try await store.csm(email: "alex.kim@example.com"))) == nil)
        }
    }
}
