import ArgumentParser
import Foundation
import TicketPulseStorage

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the roster from CSV (re-import updates in place; a bad row writes nothing).",
        subcommands: [Customers.self, CSMs.self]
    )

    struct Customers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import customers: id,name,aliases,domains,tier,arr,csm_email,renewal_date,health_score (aliases and domains ;-separated)."
        )
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let (csv, name) = try readCSV(file)
            let summary = try await runImport { try await store.withStore { try await $0.importCustomers(csv: csv, fileName: name) } }
            print("Imported customers from \(name): \(summary.inserted) new, \(summary.updated) updated.")
        }
    }

    struct CSMs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "csms",
            abstract: "Import the CS team: email,name,slack_user_id,role,manager_email (role: csm, manager or admin)."
        )
        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let (csv, name) = try readCSV(file)
            let summary = try await runImport { try await store.withStore { try await $0.importCSMs(csv: csv, fileName: name) } }
            print("Imported CSMs from \(name): \(summary.inserted) new, \(summary.updated) updated.")
        }
    }
}

private func readCSV(_ file: String) throws -> (String, String) {
    let url = URL(fileURLWithPath: (file as NSString).expandingTildeInPath)
    guard let data = FileManager.default.contents(atPath: url.path) else {
        throw ValidationError("cannot read \(file)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ValidationError("\(file) is not UTF-8 text")
    }
    // Spreadsheet exports often start with a byte-order mark.
    return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, url.lastPathComponent)
}

/// Turns a roster error into a one-line CLI error that names the line and field.
private func runImport(_ body: () async throws -> RosterImportSummary) async throws -> RosterImportSummary {
    do {
        return try await body()
    } catch let error as RosterImportError {
        throw ValidationError("\(error) (nothing was imported)")
    }
}
