import Foundation
import PostgresNIO
import TicketPulseCore
import TicketPulseStorage

extension PostgresStore {
    public func upsertCSMs(_ csms: [CSM]) async throws {
        try await write { connection in try await self.upsertCSMs(csms, on: connection) }
    }

    public func upsertCustomers(_ customers: [Customer]) async throws {
        try await write { connection in try await self.upsertCustomers(customers, on: connection) }
    }

    func upsertCSMs(_ csms: [CSM], on connection: PostgresConnection) async throws {
        // A roster file without a timezone column keeps the zone Slack told us.
        for csm in csms {
            try await connection.run("""
                INSERT INTO csms (email, name, slack_user_id, role, manager_email, time_zone)
                VALUES (\(csm.email.lowercased()), \(csm.name), \(csm.slackUserID), \(csm.role.rawValue), \(csm.managerEmail?.lowercased()), \(csm.timeZone))
                ON CONFLICT (email) DO UPDATE SET name = excluded.name, slack_user_id = excluded.slack_user_id,
                    role = excluded.role, manager_email = excluded.manager_email,
                    time_zone = COALESCE(excluded.time_zone, csms.time_zone)
                """, logger: logger)
        }
    }

    func upsertCustomers(_ customers: [Customer], on connection: PostgresConnection) async throws {
        try await connection.run("""
            INSERT INTO store_counters (name, value) VALUES (\(StoreCounter.roster), 1) ON CONFLICT (name) DO UPDATE SET value = store_counters.value + 1
            """, logger: logger)
        for c in customers {
            try await connection.run("""
                INSERT INTO customers (id, name, aliases, domains, tier, arr, csm_email, renewal_date, health_score, champion_name, champion_email, onboarded_at)
                VALUES (\(c.id), \(c.name), \(c.aliases.joined(separator: "\n")), \(c.domains.map { $0.lowercased() }.joined(separator: "\n")),
                        \(c.tier.rawValue), \(c.arr), \(c.csmEmail?.lowercased()), \(c.renewalDate.pg), \(c.healthScore),
                        \(c.championName), \(c.championEmail), \(c.onboardedAt.pg))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, aliases = excluded.aliases, domains = excluded.domains,
                    tier = excluded.tier, arr = excluded.arr, csm_email = excluded.csm_email, renewal_date = excluded.renewal_date,
                    health_score = excluded.health_score,
                    champion_name = COALESCE(excluded.champion_name, customers.champion_name),
                    champion_email = COALESCE(excluded.champion_email, customers.champion_email),
                    onboarded_at = COALESCE(excluded.onboarded_at, customers.onboarded_at)
                """, logger: logger)
        }
    }

    /// The roster CSVs, validated whole by `RosterImport` and written in one transaction.
    public func importCustomers(csv: String, fileName: String) async throws -> RosterImportSummary {
        let rows = try RosterImport.customerRows(csv: csv, fileName: fileName)
        return try await write { connection in
            let knownCSMs = Set(try await connection.rows("SELECT email FROM csms", logger: self.logger).map { try $0.decode(String.self).lowercased() })
            let customers = try RosterImport.customers(rows, knownCSMs: knownCSMs)
            let existing = Set(try await connection.rows("SELECT id FROM customers", logger: self.logger).map { try $0.decode(String.self) })
            try await self.upsertCustomers(customers, on: connection)
            let updated = customers.filter { existing.contains($0.id) }.count
            return RosterImportSummary(inserted: customers.count - updated, updated: updated)
        }
    }

    public func importCSMs(csv: String, fileName: String) async throws -> RosterImportSummary {
        let rows = try RosterImport.csmRows(csv: csv, fileName: fileName)
        return try await write { connection in
            let known = Set(try await connection.rows("SELECT email FROM csms", logger: self.logger).map { try $0.decode(String.self).lowercased() })
            let csms = try RosterImport.csms(rows, known: known)
            let updated = csms.filter { known.contains($0.email) }.count
            try await self.upsertCSMs(csms, on: connection)
            return RosterImportSummary(inserted: csms.count - updated, updated: updated)
        }
    }

    static let customerColumns = "id, name, aliases, domains, tier, arr, csm_email, renewal_date, health_score, champion_name, champion_email, onboarded_at"
    static let csmColumns = "email, name, slack_user_id, role, manager_email, time_zone"

    public func rosterVersion() async throws -> Int64 {
        try await read { connection in
            try await connection.scalar("SELECT value FROM store_counters WHERE name = \(StoreCounter.roster)", as: Int64.self, logger: self.logger) ?? 0
        }
    }

    public func customers() async throws -> [Customer] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.customerColumns) FROM customers ORDER BY name COLLATE \"C\", id", logger: self.logger).map(Self.customer)
        }
    }

    /// The customers with these ids (all of them when `ids` is nil), by name.
    public func customers(ids: [String]?) async throws -> [Customer] {
        guard let ids else { return try await customers() }
        guard !ids.isEmpty else { return [] }
        return try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.customerColumns) FROM customers WHERE id = ANY(\(ids)) ORDER BY name COLLATE \"C\", id",
                                      logger: self.logger).map(Self.customer)
        }
    }

    public func customerNames() async throws -> [String: String] {
        try await read { connection in
            Dictionary(try await connection.rows("SELECT id, name FROM customers", logger: self.logger).map { try $0.decode((String, String).self) },
                       uniquingKeysWith: { first, _ in first })
        }
    }

    public func customer(id: String) async throws -> Customer? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.customerColumns) FROM customers WHERE id = \(id)", logger: self.logger).first.map(Self.customer)
        }
    }

    public func csms() async throws -> [CSM] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.csmColumns) FROM csms ORDER BY name COLLATE \"C\", email", logger: self.logger).map(Self.csm)
        }
    }

    public func csm(email: String) async throws -> CSM? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.csmColumns) FROM csms WHERE email = \(email.lowercased())", logger: self.logger).first.map(Self.csm)
        }
    }

    public func csm(slackUserID: String) async throws -> CSM? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.csmColumns) FROM csms WHERE slack_user_id = \(slackUserID)", logger: self.logger).first.map(Self.csm)
        }
    }

    public func customerIDs(visibleTo person: CSM) async throws -> [String]? {
        try await customerIDs(visibleTo: [person], among: nil)[person.email.lowercased()] ?? nil
    }

    /// Each person's scope in one query: one recursive walk down manager_email per person
    /// (`root`); UNION, not UNION ALL, so a loop in the roster ends instead of recursing forever.
    public func customerIDs(visibleTo people: [CSM], among: [String]?) async throws -> [String: [String]?] {
        var scopes = VisibilityScopes(people)
        guard scopes.needsQuery(among: among) else { return scopes.scopes }
        var sql = PostgresSQL()
        let seeds = sql.bind(scopes.limited)
        let filter = among.map { " AND customers.id = ANY(\(sql.bind($0)))" } ?? ""
        sql.append("""
            WITH RECURSIVE team(root, email) AS (
                SELECT seed, seed FROM unnest(\(seeds)::text[]) AS seed
                UNION SELECT team.root, csms.email FROM csms JOIN team ON csms.manager_email = team.email
            )
            SELECT root, id FROM (
                SELECT DISTINCT team.root, customers.id FROM team JOIN customers ON customers.csm_email = team.email\(filter)
            ) AS pairs
            ORDER BY id COLLATE "C"
            """)
        let query = sql.query
        let pairs = try await read { connection in
            try await connection.rows(query, logger: self.logger).map { try $0.decode((String, String).self) }
        }
        for (root, customer) in pairs { scopes.add(root: root, customer: customer) }
        return scopes.scopes
    }

    static func customer(_ row: PostgresRow) throws -> Customer {
        let r = row.makeRandomAccess()
        func list(_ i: Int) throws -> [String] {
            let text = try r[i].decode(String.self)
            return text.isEmpty ? [] : text.components(separatedBy: "\n")
        }
        return Customer(
            id: try r[0].decode(String.self), name: try r[1].decode(String.self), aliases: try list(2), domains: try list(3),
            tier: CustomerTier(rawValue: try r[4].decode(String.self)) ?? .midMarket, arr: try r[5].decode(Double.self),
            csmEmail: try r[6].decode(String?.self), renewalDate: try r[7].decode(Double?.self).map(Date.init(pg:)),
            healthScore: try r[8].decode(Double?.self), championName: try r[9].decode(String?.self), championEmail: try r[10].decode(String?.self),
            onboardedAt: try r[11].decode(Double?.self).map(Date.init(pg:))
        )
    }

    static func csm(_ row: PostgresRow) throws -> CSM {
        let (email, name, slack, role, manager, zone) = try row.decode((String, String, String?, String, String?, String?).self)
        return CSM(email: email, name: name, slackUserID: slack, role: StaffRole(rawValue: role) ?? .csm, managerEmail: manager, timeZone: zone)
    }
}
