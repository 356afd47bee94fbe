import Foundation
import GRDB
import TicketPulseCore
import TicketPulseStorage

extension SQLiteStore {
    public func upsertCSMs(_ csms: [CSM]) throws {
        try write { db in try Self.upsertCSMs(csms, in: db) }
    }

    public func upsertCustomers(_ customers: [Customer]) throws {
        try write { db in try Self.upsertCustomers(customers, in: db) }
    }

    static func upsertCSMs(_ csms: [CSM], in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO csms (email, name, slack_user_id, role, manager_email, time_zone) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(email) DO UPDATE SET name = excluded.name, slack_user_id = excluded.slack_user_id,
                role = excluded.role, manager_email = excluded.manager_email,
                time_zone = COALESCE(excluded.time_zone, csms.time_zone)
            """)
        // A roster file without a timezone column keeps the zone Slack told us.
        for csm in csms {
            try statement.execute(arguments: [csm.email.lowercased(), csm.name, csm.slackUserID, csm.role.rawValue, csm.managerEmail?.lowercased(), csm.timeZone])
        }
    }

    static func upsertCustomers(_ customers: [Customer], in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO store_counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1")
            .execute(arguments: [StoreCounter.roster])
        let statement = try db.cachedStatement(sql: """
            INSERT INTO customers (id, name, aliases, domains, tier, arr, csm_email, renewal_date, health_score, champion_name, champion_email, onboarded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, aliases = excluded.aliases, domains = excluded.domains,
                tier = excluded.tier, arr = excluded.arr, csm_email = excluded.csm_email, renewal_date = excluded.renewal_date,
                health_score = excluded.health_score,
                champion_name = COALESCE(excluded.champion_name, customers.champion_name),
                champion_email = COALESCE(excluded.champion_email, customers.champion_email),
                onboarded_at = COALESCE(excluded.onboarded_at, customers.onboarded_at)
            """)
        for c in customers {
            try statement.execute(arguments: [
                c.id, c.name, c.aliases.joined(separator: "\n"), c.domains.map { $0.lowercased() }.joined(separator: "\n"),
                c.tier.rawValue, c.arr, c.csmEmail?.lowercased(), c.renewalDate?.storeValue, c.healthScore,
                c.championName, c.championEmail, c.onboardedAt?.storeValue,
            ])
        }
    }

    public func rosterVersion() throws -> Int64 {
        try read { db in try Int64.cachedOne(db, sql: "SELECT value FROM store_counters WHERE name = ?", arguments: [StoreCounter.roster]) ?? 0 }
    }

    public func customers() throws -> [Customer] {
        try read { db in try Row.cachedAll(db, sql: "SELECT \(Self.customerColumns) FROM customers ORDER BY name").map(Self.customer) }
    }

    /// The customers with these ids (all of them when `ids` is nil), by name. A CSM's
    /// question reads their 50 accounts, not the whole roster.
    public func customers(ids: [String]?) throws -> [Customer] {
        guard let ids else { return try customers() }
        guard !ids.isEmpty else { return [] }
        return try read { db in
            try Row.cachedAll(db, sql: "SELECT \(Self.customerColumns) FROM customers WHERE id IN (\(databaseQuestionMarks(count: ids.count))) ORDER BY name",
                             arguments: StatementArguments(ids)).map(Self.customer)
        }
    }

    /// Every customer's name by id: two columns, without decoding whole customers.
    public func customerNames() throws -> [String: String] {
        try read { db in
            Dictionary(try Row.cachedAll(db, sql: "SELECT id, name FROM customers").map { ($0[0] as String, $0[1] as String) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func customer(id: String) throws -> Customer? {
        try read { db in try Row.cachedOne(db, sql: "SELECT \(Self.customerColumns) FROM customers WHERE id = ?", arguments: [id]).map(Self.customer) }
    }

    public func csms() throws -> [CSM] {
        try read { db in try Row.cachedAll(db, sql: "SELECT * FROM csms ORDER BY name").map(Self.csm) }
    }

    public func csm(email: String) throws -> CSM? {
        try read { db in try Row.cachedOne(db, sql: "SELECT * FROM csms WHERE email = ?", arguments: [email.lowercased()]).map(Self.csm) }
    }

    public func csm(slackUserID: String) throws -> CSM? {
        try read { db in try Row.cachedOne(db, sql: "SELECT * FROM csms WHERE slack_user_id = ?", arguments: [slackUserID]).map(Self.csm) }
    }

    /// The customers `person` may see: their own as a CSM, their team's as a manager
    /// (themselves and everyone reporting to them, transitively), all as an admin.
    public func customerIDs(visibleTo person: CSM) throws -> [String]? {
        try customerIDs(visibleTo: [person])[person.email.lowercased()] ?? nil
    }

    /// What `customerIDs(visibleTo:)` says for each of `people`, keyed by lowercased email,
    /// in one query: an alert pass needs every subscription creator's scope and must not
    /// ask once per alert or per subscription. `among` (nil: all) limits the answer to the
    /// customers the caller is deciding about. Admins map to nil (every customer); people
    /// who see nothing map to an empty list.
    public func customerIDs(visibleTo people: [CSM], among: [String]? = nil) throws -> [String: [String]?] {
        var scopes = VisibilityScopes(people)
        guard scopes.needsQuery(among: among) else { return scopes.scopes }
        let emails = scopes.limited
        let filter = among.map { " AND customers.id IN (\(databaseQuestionMarks(count: $0.count)))" } ?? ""
        let arguments = StatementArguments(emails) + StatementArguments(among ?? [])
        // One recursive walk down manager_email per person (`root`); UNION, not UNION ALL,
        // so a loop in the roster ends instead of recursing forever.
        let pairs = try read { db in
            try Row.cachedAll(db, sql: """
                WITH RECURSIVE seed(email) AS (VALUES \(emails.map { _ in "(?)" }.joined(separator: ", "))),
                team(root, email) AS (
                    SELECT email, email FROM seed
                    UNION SELECT team.root, csms.email FROM csms JOIN team ON csms.manager_email = team.email
                )
                SELECT DISTINCT team.root, customers.id FROM team JOIN customers ON customers.csm_email = team.email\(filter)
                ORDER BY customers.id
                """, arguments: arguments).map { (root: $0[0] as String, customer: $0[1] as String) }
        }
        for pair in pairs { scopes.add(root: pair.root, customer: pair.customer) }
        return scopes.scopes
    }

    /// The columns `customer(_:)` decodes, by position: looking each up by name (GRDB
    /// lowercases the names to compare them) was most of reading a CSM's 50 accounts.
    static let customerColumns = "id, name, aliases, domains, tier, arr, csm_email, renewal_date, health_score, champion_name, champion_email, onboarded_at"

    static func customer(_ row: Row) -> Customer {
        func list(_ column: Int) -> [String] {
            let text: String = row[column]
            return text.isEmpty ? [] : text.components(separatedBy: "\n")
        }
        return Customer(
            id: row[0], name: row[1], aliases: list(2), domains: list(3),
            tier: CustomerTier(rawValue: row[4] ?? "") ?? .midMarket, arr: row[5], csmEmail: row[6],
            renewalDate: (row[7] as Double?).map(Date.init(storeValue:)),
            healthScore: row[8], championName: row[9], championEmail: row[10],
            onboardedAt: (row[11] as Double?).map(Date.init(storeValue:))
        )
    }

    static func csm(_ row: Row) -> CSM {
        CSM(email: row["email"], name: row["name"], slackUserID: row["slack_user_id"],
            role: StaffRole(rawValue: row["role"]) ?? .csm, managerEmail: row["manager_email"], timeZone: row["time_zone"])
    }
}
