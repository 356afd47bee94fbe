import Foundation
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// The fake Zendesk: the three export pages of `fixtures/zendesk/` chained by their cursors.
enum ZendeskFake {
    static let cursorAfterPage1 = "MTc3MjQ0NDQwMC4wfHwxMDN8"
    static let cursorAfterPage2 = "MTc3MjQ0NDQwMC4wfHwxMDR8"
    static let cursorAfterPage3 = "MTc3MjQ0NDQwMC4wfHwxMDV8"

    static let handler: @Sendable (FakeServer.Call) -> FakeServer.Reply = { call in
        switch (call.method, call.path) {
        case ("GET", "/api/v2/incremental/tickets/cursor.json"):
            switch call.query["cursor"] {
            case nil: return .json(Fixtures.data("zendesk/export_page1.json"))
            case cursorAfterPage1?: return .json(Fixtures.data("zendesk/export_page2.json"))
            case cursorAfterPage2?: return .json(Fixtures.data("zendesk/export_page3.json"))
            default: return .json(Fixtures.data("zendesk/export_empty.json"))
            }
        case ("GET", "/api/v2/tickets/104.json"):
            return .json(Fixtures.data("zendesk/ticket_104.json"))
        case ("PUT", let path) where path.hasPrefix("/api/v2/tickets/"):
            return .json(Data(#"{"ticket":{"id":101},"audit":{"id":1}}"#.utf8))
        default:
            return .status(404)
        }
    }

    static func configuration(_ baseURL: String) -> ConnectionConfiguration {
        ConnectionConfiguration(
            name: "zendesk-main", system: .zendesk, baseURL: baseURL, email: "bot@ourcompany.example",
            tokenEnv: "ZD_TOKEN", webhookSecretEnv: "ZD_WEBHOOK_SECRET", customerFieldID: "360011", organizationMap: ["9001": "acme"]
        )
    }

    static let secrets = ConnectionSecrets(token: "zd-api-token", webhookSecret: "zd-webhook-secret")

    static let customers = [
        Customer(id: "acme", name: "Acme", domains: ["acme.com"]),
        Customer(id: "globex", name: "Globex", domains: ["globex.example"]),
        Customer(id: "initech", name: "Initech", domains: ["initech.example"]),
    ]

    static func store() throws -> SQLiteStore {
        let store = try SQLiteStore()
        try store.upsertCustomers(customers)
        return store
    }

    static func engine(_ baseURL: String, store: SQLiteStore, state: any ConnectorStateStore, time: TestTime, maxAttempts: Int = 3) throws -> SyncEngine {
        let configuration = configuration(baseURL)
        let client = try ZendeskClient(configuration: configuration, secrets: secrets, http: .test(time, maxAttempts: maxAttempts), now: time.now)
        return SyncEngine(connection: configuration, source: client, store: store, state: state, now: time.now)
    }
}
