import TicketPulseCore

/// Customers and the people who look after them.
public protocol RosterStore: Sendable {
    func upsertCSMs(_ csms: [CSM]) async throws
    func upsertCustomers(_ customers: [Customer]) async throws
    /// The roster CSVs, validated whole (`RosterImportError` names the line and field)
    /// and written in one transaction: a bad row leaves the store as it was.
    func importCustomers(csv: String, fileName: String) async throws -> RosterImportSummary
    func importCSMs(csv: String, fileName: String) async throws -> RosterImportSummary

    func customers() async throws -> [Customer]
    /// A number that changes whenever the customers do, in any process sharing the store:
    /// what a server compares to know that the customer names its parser knows are stale.
    func rosterVersion() async throws -> Int64
    /// nil: every customer.
    func customers(ids: [String]?) async throws -> [Customer]
    func customerNames() async throws -> [String: String]
    func customer(id: String) async throws -> Customer?
    func csms() async throws -> [CSM]
    func csm(email: String) async throws -> CSM?
    func csm(slackUserID: String) async throws -> CSM?
    /// The customers `person` may see: their book, their team's for a manager; nil for an admin.
    func customerIDs(visibleTo person: CSM) async throws -> [String]?
    /// The same for several people at once, optionally only among `among`.
    func customerIDs(visibleTo people: [CSM], among: [String]?) async throws -> [String: [String]?]
}

extension RosterStore {
    /// A person named on a command line: by email, else by Slack user id.
    public func csm(emailOrSlackUserID name: String) async throws -> CSM? {
        if let person = try await csm(email: name) { return person }
        return try await csm(slackUserID: name.uppercased())
    }

    public func customerIDs(visibleTo people: [CSM]) async throws -> [String: [String]?] {
        try await customerIDs(visibleTo: people, among: nil)
    }
}
