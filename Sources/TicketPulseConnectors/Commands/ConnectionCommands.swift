import Foundation
import TicketPulseCore
import TicketPulseStorage

/// What `ticketpulse connections`, `sync` and `unmatched` do, as functions of a runtime or
/// a store that write their text through `output`, so they run in tests without a process.
/// The commands in `Sources/ticketpulse` only parse options and open the store.
public enum ConnectionCommands {
    /// A mistake in what was asked (unknown connection, nothing to sync): the CLI shows it
    /// as a usage error.
    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    // MARK: connections

    /// The table of every connection, the file's and the store's (the connect flow's): where
    /// it comes from, health, cursor, last sync, failures, counts, webhook, last error. A
    /// stored connection a file connection's name hides is named below the table.
    public static func connections(runtime: ConnectorRuntime, configPath: String?, storePath: String, output: (String) -> Void) async {
        guard !runtime.connections.isEmpty || !runtime.shadowedStoredConnections.isEmpty else {
            output("No connections configured\(configPath.map { " in \($0)" } ?? "") or stored. Add a connections: list (see ticketpulse.example.yml), or connect Zendesk through POST /api/integrations/zendesk/connect.")
            return
        }
        let statuses = await runtime.statuses()
        let origins = Dictionary(runtime.connections.map { ($0.name, $0.origin) }, uniquingKeysWith: { first, _ in first })
        let rows = statuses.map { status -> [String] in
            let health = status.setupError != nil ? "not started" : status.health.unhealthy ? "UNHEALTHY" : status.health.consecutiveFailures > 0 ? "failing" : "ok"
            let origin = origins[status.name] == .store ? "store" : configPath ?? "ticketpulse.yml"
            return [
                status.name, origin, status.system.rawValue, health,
                status.system == .webhook ? "webhook only" : status.checkpoint?.summary ?? "start",
                shortDate(status.health.lastSuccessAt), String(status.health.consecutiveFailures),
                String(status.tickets), String(status.unmatched), status.webhookEnabled ? "yes" : "no",
                clipped(status.setupError ?? status.health.lastError ?? "-", 70),
            ]
        }
        output(table(["NAME", "FROM", "SYSTEM", "HEALTH", "CURSOR", "LAST SYNC", "FAILURES", "TICKETS", "UNMATCHED", "WEBHOOK", "LAST ERROR"], rows))
        for shadowed in runtime.shadowedStoredConnections {
            output("\nStored connection '\(shadowed.name)' (\(shadowed.subdomain).zendesk.com, connected by \(shadowed.createdBy)) is not used: \(configPath ?? "ticketpulse.yml") has a connection of that name, and the file wins.")
        }
        output("\nStore: \(storePath)")
    }

    // MARK: sync

    /// How one `sync` went: the connections that failed, of those run.
    public struct SyncOutcome: Sendable, Equatable {
        public var synced: [SyncReport]
        public var failed: [String]
        public var succeeded: Bool { failed.isEmpty }
    }

    /// One pass of every polled connection, or of `connection`, from its stored cursor
    /// (`full`: from the beginning). `progress` gets a line after each stored page (the CLI
    /// rewrites it in place on a terminal); `output` gets the rest. A failing connection is
    /// reported and the others still run.
    public static func sync(
        runtime: ConnectorRuntime, connection name: String?, full: Bool,
        now: @Sendable () -> Date = { Date() },
        progress: @escaping @Sendable (String) -> Void, output: (String) -> Void
    ) async throws -> SyncOutcome {
        var selected = runtime.connections.filter(\.polls)
        if let name {
            guard let named = runtime.connection(named: name) else {
                let names = runtime.connections.map(\.name).joined(separator: ", ")
                throw UsageError("no connection named '\(name)'" + (names.isEmpty ? "; none are configured" : " (configured: \(names))"))
            }
            if let error = named.setupError { throw UsageError("connection '\(name)': \(error)") }
            guard named.polls else { throw UsageError("connection '\(name)' is webhook-only: there is nothing to poll") }
            selected = [named]
        } else {
            for broken in runtime.connections where broken.setupError != nil {
                output("\(broken.name): skipped, \(broken.setupError ?? "")")
            }
        }
        guard !selected.isEmpty else {
            throw UsageError("no connection to sync; configure connections: in ticketpulse.yml (see ticketpulse.example.yml)")
        }
        var outcome = SyncOutcome(synced: [], failed: [])
        for connection in selected {
            guard let engine = connection.engine else { continue }
            let started = now()
            do {
                let report = try await engine.syncOnce(full: full) { step in
                    let elapsed = max(now().timeIntervalSince(started), 0.001)
                    progress("\(step.connection): \(plural(step.pages, "page")), \(step.tickets.formatted()) tickets, \(Int(Double(step.tickets) / elapsed).formatted()) tickets/s")
                }
                let elapsed = max(now().timeIntervalSince(started), 0.001)
                output("\(report.connection): done, \(plural(report.pages, "page")), \(report.tickets.formatted()) tickets (\(report.inserted) new, \(report.changed) changed) in \(String(format: "%.1f", elapsed)) s, \(Int(Double(report.tickets) / elapsed).formatted()) tickets/s")
                outcome.synced.append(report)
            } catch {
                output("\(connection.name): failed, \(error)")
                outcome.failed.append(connection.name)
            }
        }
        if !outcome.failed.isEmpty {
            output("\(outcome.failed.count) of \(selected.count) connections failed; the others' cursors are stored. Run `ticketpulse connections` for details.")
        }
        return outcome
    }

    // MARK: unmatched

    /// Tickets no customer claims, newest first; `rematch` first matches them again by
    /// requester domain against the current roster.
    public static func unmatched(store: any Store, limit: Int, rematch: Bool, now: Date, output: (String) -> Void) async throws {
        guard limit > 0 else { throw UsageError("--limit must be at least 1") }
        if rematch {
            let matched = try await store.rematch(with: CustomerMatcher(customers: try await store.customers()), at: now)
            output("Matched \(matched) ticket\(matched == 1 ? "" : "s") by requester domain.\n")
        }
        let total = try await store.unmatchedTicketCount()
        guard total > 0 else {
            output("No unmatched tickets.")
            return
        }
        let tickets = try await store.unmatchedTickets(limit: limit)
        let rows = tickets.map { stored -> [String] in
            let ticket = stored.ticket
            return [ticket.source.rawValue, ticket.externalID, shortDate(ticket.createdAt), ticket.status.rawValue, ticket.requesterEmail ?? "-", clipped(ticket.subject, 60)]
        }
        output(table(["SOURCE", "ID", "CREATED", "STATUS", "REQUESTER", "SUBJECT"], rows))
        output("\n\(total) unmatched ticket\(total == 1 ? "" : "s")\(total > tickets.count ? " (showing \(tickets.count))" : ""). Map them with a connection's organization_map or customer_field_id, or add the requester's domain to the customer in the roster, then run with --rematch.")
    }

    // MARK: Text

    /// Left-aligned columns, two spaces apart.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padded(toWidth: widths[$0]) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    /// `2026-03-02T09:00:00Z`, or "never".
    static func shortDate(_ date: Date?) -> String {
        guard let date else { return "never" }
        return SourceDate.iso(date)
    }

    static func clipped(_ text: String, _ limit: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > limit ? String(line.prefix(limit - 3)) + "..." : line
    }

    static func plural(_ count: Int, _ word: String) -> String {
        "\(count.formatted()) \(word)\(count == 1 ? "" : "s")"
    }
}
