import ArgumentParser
import Foundation
import TicketPulseConnectors
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Run one sync pass of every configured connection (or one), from its stored cursor, with progress."
    )

    @Option(help: "Only this connection (a name from `ticketpulse connections`).") var connection: String?
    @Flag(help: "Start again from the beginning of history instead of the stored cursor (upserts keep it idempotent).") var full = false
    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let (runtime, _, _) = try config.runtime(store: store)
        var selected = runtime.connections.filter(\.polls)
        if let connection {
            guard let named = runtime.connection(named: connection) else {
                let names = runtime.connections.map(\.name).joined(separator: ", ")
                throw ValidationError("no connection named '\(connection)'" + (names.isEmpty ? "; none are configured" : " (configured: \(names))"))
            }
            if let error = named.setupError { throw ValidationError("connection '\(connection)': \(error)") }
            guard named.polls else { throw ValidationError("connection '\(connection)' is webhook-only: there is nothing to poll") }
            selected = [named]
        } else {
            for broken in runtime.connections where broken.setupError != nil {
                print("\(broken.name): skipped, \(broken.setupError ?? "")")
            }
        }
        guard !selected.isEmpty else {
            throw ValidationError("no connection to sync; configure connections: in ticketpulse.yml (see ticketpulse.example.yml)")
        }
        let interactive = isatty(STDOUT_FILENO) != 0
        var failed: [String] = []
        for connection in selected {
            guard let engine = connection.engine else { continue }
            let started = Date()
            do {
                let report = try await engine.syncOnce(full: full) { progress in
                    let elapsed = max(Date().timeIntervalSince(started), 0.001)
                    let line = "\(progress.connection): \(plural(progress.pages, "page")), \(progress.tickets.formatted()) tickets, \(Int(Double(progress.tickets) / elapsed).formatted()) tickets/s"
                    if interactive {
                        print("\r\(line)", terminator: "")
                        fflush(nil)
                    } else {
                        print(line)
                    }
                }
                if interactive { print("\r", terminator: "") }
                let elapsed = max(Date().timeIntervalSince(started), 0.001)
                print("\(report.connection): done, \(plural(report.pages, "page")), \(report.tickets.formatted()) tickets (\(report.inserted) new, \(report.changed) changed) in \(String(format: "%.1f", elapsed)) s, \(Int(Double(report.tickets) / elapsed).formatted()) tickets/s")
            } catch {
                if interactive { print("") }
                print("\(connection.name): failed, \(error)")
                failed.append(connection.name)
            }
        }
        if !failed.isEmpty {
            print("\(failed.count) of \(selected.count) connections failed; the others' cursors are stored. Run `ticketpulse connections` for details.")
            throw ExitCode.failure
        }
    }
}

private func plural(_ count: Int, _ word: String) -> String {
    "\(count.formatted()) \(word)\(count == 1 ? "" : "s")"
}
