import ArgumentParser
import Foundation
import TicketPulseConnectors
import TicketPulseStore

struct UnmatchedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmatched",
        abstract: "List synced tickets no customer claims yet (newest first); --rematch tries the roster's domains again."
    )

    @Option(help: "At most this many tickets.") var limit = 50
    @Flag(help: "Match unmatched tickets again by requester domain against the current roster first.") var rematch = false
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.path) else {
            throw ValidationError("no store at \(store.path); run `ticketpulse sync` or `ticketpulse demo` first, or pass --db")
        }
        let ticketStore = try store.open()
        if rematch {
            let matched = try ticketStore.rematch(with: CustomerMatcher(customers: try ticketStore.customers()), at: Date())
            print("Matched \(matched) ticket\(matched == 1 ? "" : "s") by requester domain.\n")
        }
        let total = try ticketStore.unmatchedTicketCount()
        guard total > 0 else {
            print("No unmatched tickets.")
            return
        }
        let tickets = try ticketStore.unmatchedTickets(limit: limit)
        let rows = tickets.map { stored -> [String] in
            let ticket = stored.ticket
            return [ticket.source.rawValue, ticket.externalID, shortDate(ticket.createdAt), ticket.status.rawValue, ticket.requesterEmail ?? "-", clipped(ticket.subject, 60)]
        }
        print(table(["SOURCE", "ID", "CREATED", "STATUS", "REQUESTER", "SUBJECT"], rows))
        print("\n\(total) unmatched ticket\(total == 1 ? "" : "s")\(total > tickets.count ? " (showing \(tickets.count))" : ""). Map them with a connection's organization_map or customer_field_id, or add the requester's domain to the customer in the roster, then run with --rematch.")
    }
}
