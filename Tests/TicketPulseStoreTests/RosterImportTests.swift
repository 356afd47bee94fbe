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

    func importedStore() throws -> SQLiteStore {
        let store = try SQLiteStore()
        _ = try store.importCSMs(csv: fixture("csms.csv"), fileName: "csms.csv")
        _ = try store.importCustomers(csv: fixture("customers.csv"), fileName: "customers.csv")
        return store
    }

    @Test("The fixture roster imports with lists, quotes and dates")
    func importsFixtures() throws {
        let store = try importedStore()
        let acme = try #require(try store.customer(id: "cus_acme"))
        #expect(acme.aliases == ["Acme", "ACME Corporation"])
        #expect(acme.domains == ["acme.io", "acme.com"])
        #expect(acme.tier == .enterprise)
        #expect(acme.arr == 480_000)
        #expect(acme.csmEmail == "mike.chen@example.com")
        #expect(try store.customer(id: "cus_initech")?.aliases == ["Initech, Inc."])
        #expect(try store.csm(slackUserID: "U0CSM0001")?.name == "Mike Chen")
    }

    @Test("Re-import updates in place")
    func reimportUpdates() throws {
        let store = try importedStore()
        let changed = try fixture("customers.csv").replacingOccurrences(of: "480000", with: "500000")
        let summary = try store.importCustomers(csv: changed, fileName: "customers.csv")
        #expect(summary == RosterImportSummary(inserted: 0, updated: 3))
        #expect(try store.customer(id: "cus_acme")?.arr == 500_000)
        #expect(try store.customers().count == 3)
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

    @Test("A bad row fails the whole file, names line and field, and writes nothing", arguments: badFiles)
    func badRowWritesNothing(csv: String, line: Int, field: String?) throws {
        let store = try importedStore()
        let before = try store.customers()
        #expect {
            _ = try store.importCustomers(csv: csv, fileName: "bad.csv")
        } throws: { error in
            let error = error as? RosterImportError
            return error?.line == line && error?.field == field && error?.file == "bad.csv"
        }
        #expect(try store.customers() == before)
    }

    @Test("A CSM file with an unknown manager or bad role is refused whole")
    func badCSMFile() throws {
        let store = try SQLiteStore()
        let csv = "email,name,slack_user_id,role,manager_email\na@example.com,A,U1,csm,\nb@example.com,B,U2,csm,boss@example.com\n"
        #expect(throws: RosterImportError(file: "csms.csv", line: 3, field: "manager_email", message: "unknown manager 'boss@example.com'")) {
            try store.importCSMs(csv: csv, fileName: "csms.csv")
        }
        #expect(try store.csms().isEmpty)
        #expect(throws: RosterImportError.self) {
            try store.importCSMs(csv: "email,name,slack_user_id,role,manager_email\na@example.com,A,U1,boss,\n", fileName: "csms.csv")
        }
    }

    @Test("A CSM sees their accounts, a manager the team's, an admin all")
    func accessScope() throws {
        let store = try importedStore()
        #expect(try store.customerIDs(visibleTo: #require(try store.csm(email: "mike.chen@example.com"))) == ["cus_acme", "cus_globex"])
        #expect(try store.customerIDs(visibleTo: #require(try store.csm(email: "maria.lopez@example.com"))) == ["cus_acme", "cus_globex", "cus_initech"])
        #expect(try store.customerIDs(visibleTo: #require(try store.csm(email: "alex.kim@example.com"))) == nil)
    }
}
