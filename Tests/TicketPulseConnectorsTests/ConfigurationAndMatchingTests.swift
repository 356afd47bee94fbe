import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage

@Suite struct ConfigurationAndMatchingTests {
    @Test func decodesYAMLShapedKeysWithNumericIDs() throws {
        let json = #"""
        {"name": "zendesk-eu", "system": "zendesk", "subdomain": "acme-eu", "email": "bot@acme.com", "token_env": "ZD_EU_TOKEN",
         "webhook_secret_env": "ZD_EU_SECRET", "poll_interval_seconds": 60, "customer_field_id": 360011,
         "organization_map": {"9001": "acme", "9002": 42}, "external_id_prefix": "eu-", "import_since": "2025-01-01"}
        """#
        let configuration = try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(json.utf8))
        #expect(configuration.system == .zendesk)
        #expect(configuration.resolvedBaseURL == "https://acme-eu.zendesk.com")
        #expect(configuration.customerFieldID == "360011")
        #expect(configuration.organizationMap == ["9001": "acme", "9002": "42"])
        #expect(configuration.pollInterval == .seconds(60))
        #expect(configuration.importSince == SourceDateForTests.parse("2025-01-01T00:00:00Z"))
        let secrets = try ConnectionSecrets(configuration: configuration, environment: ["ZD_EU_TOKEN": "t", "ZD_EU_SECRET": "s"])
        #expect(secrets == ConnectionSecrets(token: "t", webhookSecret: "s"))
        #expect(throws: ConnectorConfigurationError.missingSecret(connection: "zendesk-eu", variable: "ZD_EU_SECRET")) {
            try ConnectionSecrets(configuration: configuration, environment: ["ZD_EU_TOKEN": "t"])
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(#"{"name": "x", "system": "jira"}"#.utf8))
        }
    }

    @Test func rematchTiesUnmatchedTicketsOnceTheRosterKnowsTheDomain() async throws {
        let store = try SQLiteStore()
        let at = fixtureNow
        try store.upsert([
            Ticket(source: .zendesk, externalID: "1", customerID: nil, subject: "a", status: .open, priority: .p3, requesterEmail: "x@hooli.example", createdAt: at),
            Ticket(source: .zendesk, externalID: "2", customerID: nil, subject: "b", status: .open, priority: .p3, requesterEmail: "y@other.example", createdAt: at),
        ], at: at)
        await #expect(try store.unmatchedTickets().count == 2)
        let matcher = CustomerMatcher(customers: [Customer(id: "hooli", name: "Hooli", domains: ["hooli.example"])])
        #expect(try await store.rematch(with: matcher, at: at) == 1)
        let stored = try #require(try store.ticket(source: .zendesk, externalID: "1"))
        #expect(stored.ticket.customerID == "hooli")
        #expect(stored.ticket.matchRule == "domain")
        #expect(try store.events(ticketID: stored.id).contains { $0.kind == .customerMatched })
        await #expect(try store.unmatchedTickets().map(\.ticket.externalID) == ["2"])
    }

    @Test func theFilesOrganizationMapWinsOverTheStoredMappingWhichWinsOverNameAndDomain() {
        let customers = [Customer(id: "acme", name: "Acme", domains: ["acme.com"]), Customer(id: "globex", name: "Globex"), Customer(id: "initech", name: "Initech")]
        let matcher = CustomerMatcher(customers: customers, organizationMap: ["1": "acme"], organizationMapping: ["1": "initech", "2": "initech"])
        func ticket(_ organization: String, name: String? = nil) -> SourceTicket {
            SourceTicket(ticket: Ticket(source: .zendesk, externalID: organization, customerID: nil, subject: "s", status: .open, priority: .p3,
                                        requesterEmail: "pat@acme.com", createdAt: fixtureNow),
                         organizationID: organization, organizationName: name)
        }
        #expect(matcher.match(ticket("1"))?.customerID == "acme")
        #expect(matcher.match(ticket("1"))?.rule == .organization)
        #expect(matcher.match(ticket("2", name: "Globex"))?.customerID == "initech")
        #expect(matcher.match(ticket("2"))?.rule == .organizationMapping)
        #expect(matcher.match(ticket("3", name: "Globex"))?.customerID == "globex")
        #expect(matcher.match(ticket("4"))?.rule == .domain)
    }
}
