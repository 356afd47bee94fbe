import Foundation
import TicketPulseCore

/// A roster file that cannot be imported, naming the line and field at fault.
public struct RosterImportError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var field: String?
    public var message: String

    public init(file: String, line: Int, field: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        "\(file) line \(line)\(field.map { ", field \($0)" } ?? ""): \(message)"
    }
}

public struct RosterImportSummary: Sendable, Equatable {
    public var inserted: Int
    public var updated: Int

    public init(inserted: Int, updated: Int) {
        self.inserted = inserted
        self.updated = updated
    }
}

/// The roster files' columns and their validation, the same for every backend: a backend
/// reads the CSMs it knows and writes the result in one transaction of its own.
package enum RosterImport {
    public static let customerColumns = ["id", "name", "aliases", "domains", "tier", "arr", "csm_email", "renewal_date", "health_score"]
    public static let csmColumns = ["email", "name", "slack_user_id", "role", "manager_email"]
    /// Columns a csms file may add: `timezone`, the person's IANA zone.
    public static let optionalCSMColumns = ["timezone"]

    /// A customers file, header checked; nothing is validated against the store yet.
    package static func customerRows(csv: String, fileName: String) throws -> RosterRows {
        try RosterRows(table: try CSVTable(parsing: csv, fileName: fileName), required: customerColumns, fileName: fileName)
    }

    package static func csmRows(csv: String, fileName: String) throws -> RosterRows {
        try RosterRows(table: try CSVTable(parsing: csv, fileName: fileName), required: csmColumns, fileName: fileName)
    }

    /// The customers of `rows`, each checked; `knownCSMs` (lowercased) are the CSMs in the store.
    package static func customers(_ rows: RosterRows, knownCSMs: Set<String>) throws -> [Customer] {
        var seen = Set<String>()
        let customers = try rows.map { row -> Customer in
            let id = try row.required("id")
            guard seen.insert(id).inserted else { throw row.error("id", "customer '\(id)' appears twice in the file") }
            let csmEmail = row.optional("csm_email")?.lowercased()
            if let csmEmail, !knownCSMs.contains(csmEmail) {
                throw row.error("csm_email", "unknown CSM '\(csmEmail)'; import it with `ticketpulse import csms` first")
            }
            let tierText = try row.required("tier")
            // Any tier name the CRM uses ("strategic", "Tier 1"), kept in canonical form.
            guard let tier = CustomerTier(rawValue: tierText) else {
                throw row.error("tier", "'\(tierText)' is not a tier name (it needs a letter or a digit)")
            }
            let health = try row.number("health_score")
            if let health, !(0...100).contains(health) { throw row.error("health_score", "\(health) is outside 0–100") }
            return Customer(
                id: id, name: try row.required("name"), aliases: row.list("aliases"), domains: row.list("domains"),
                tier: tier, arr: try row.number("arr") ?? 0, csmEmail: csmEmail,
                renewalDate: try row.date("renewal_date"), healthScore: health
            )
        }
        return customers
    }

    /// The people of `rows`, each checked; a manager must be in the file or in `known` (lowercased).
    package static func csms(_ rows: RosterRows, known: Set<String>) throws -> [CSM] {
        let inFile = Set(rows.compactMap { $0.optional("email")?.lowercased() })
        var seen = Set<String>()
        let csms = try rows.map { row -> CSM in
            let email = try row.required("email").lowercased()
            guard email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@") else { throw row.error("email", "'\(email)' is not an email address") }
            guard seen.insert(email).inserted else { throw row.error("email", "'\(email)' appears twice in the file") }
            let roleText = try row.required("role")
            guard let role = StaffRole(rawValue: roleText.lowercased()) else { throw row.error("role", "'\(roleText)' is not a role (csm, manager, admin)") }
            let manager = row.optional("manager_email")?.lowercased()
            if let manager, !inFile.contains(manager), !known.contains(manager) {
                throw row.error("manager_email", "unknown manager '\(manager)'")
            }
            if manager == email { throw row.error("manager_email", "a person cannot manage themselves") }
            let slack = row.optional("slack_user_id")
            if let slack, !slack.allSatisfy({ $0.isLetter || $0.isNumber }) {
                throw row.error("slack_user_id", "'\(slack)' is not a Slack user id (like U0123ABCD)")
            }
            let timeZone = try row.timeZone("timezone")
            return CSM(email: email, name: try row.required("name"), slackUserID: slack?.uppercased(), role: role, managerEmail: manager, timeZone: timeZone)
        }
        return csms
    }
}

/// Rows of a roster file with the header checked, read by column name.
package struct RosterRows: Sequence {
    package struct Row {
        let values: [String: String]
        let line: Int
        let fileName: String

        func error(_ field: String, _ message: String) -> RosterImportError {
            RosterImportError(file: fileName, line: line, field: field, message: message)
        }

        func optional(_ column: String) -> String? {
            let value = values[column]?.trimmingCharacters(in: .whitespaces) ?? ""
            return value.isEmpty ? nil : value
        }

        func required(_ column: String) throws(RosterImportError) -> String {
            guard let value = optional(column) else { throw error(column, "is empty") }
            return value
        }

        func list(_ column: String) -> [String] {
            (optional(column) ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func number(_ column: String) throws(RosterImportError) -> Double? {
            guard let text = optional(column) else { return nil }
            guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else { throw error(column, "'\(text)' is not a number") }
            return value
        }

        /// An optional IANA zone ("America/New_York"), checked against Foundation's list so
        /// a typo fails the import instead of silently meaning UTC.
        func timeZone(_ column: String) throws(RosterImportError) -> String? {
            guard let text = optional(column) else { return nil }
            guard let zone = TimeZone(identifier: text), text.contains("/") || text == "UTC" else {
                throw error(column, "'\(text)' is not a time zone (an IANA name like America/New_York, or UTC)")
            }
            return zone.identifier
        }

        func date(_ column: String) throws(RosterImportError) -> Date? {
            guard let text = optional(column) else { return nil }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            guard let date = formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text) else {
                throw error(column, "'\(text)' is not a date (YYYY-MM-DD)")
            }
            return date
        }
    }

    let rows: [Row]

    init(table: CSVTable, required: [String], fileName: String) throws(RosterImportError) {
        for column in required where !table.header.contains(column) {
            throw RosterImportError(file: fileName, line: 1, field: column, message: "missing column; the header must be \(required.joined(separator: ","))")
        }
        var rows: [Row] = []
        for record in table.records {
            guard record.fields.count == table.header.count else {
                let field = record.fields.count < table.header.count ? table.header[record.fields.count] : nil
                throw RosterImportError(file: fileName, line: record.line, field: field,
                                        message: "has \(record.fields.count) fields, the header has \(table.header.count)")
            }
            rows.append(Row(values: Dictionary(zip(table.header, record.fields), uniquingKeysWith: { first, _ in first }), line: record.line, fileName: fileName))
        }
        self.rows = rows
    }

    package func makeIterator() -> IndexingIterator<[Row]> { rows.makeIterator() }
}
