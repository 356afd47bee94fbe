import ArgumentParser
import Foundation
import TicketPulseServer
import TicketPulseStorage

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the installation (configuration, store, Slack, connections, SMTP, intents and prompts) and say how to fix what is wrong.",
        discussion: "Exits 0 only when every needed check passes (⚠ lines are optional or could not be told for sure)."
    )

    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let config = self.config, store = self.store
        // The configuration's store (store.path or store.url, unless --db), opened as every
        // command opens it; a store that cannot be opened is the doctor's to report.
        let configuration = try? config.load(store: store)
        let location = configuration?.databasePath ?? store.path
        let report: DoctorReport
        do {
            report = try await StoreLocation.withStore(location, password: configuration?.databasePassword) { opened in
                await Self.doctor(config: config, store: store, openStore: { _ in opened }).run()
            }
        } catch {
            report = await Self.doctor(config: config, store: store, openStore: { _ in throw error }).run()
        }
        print(report.text)
        if !report.passed { throw ExitCode(report.exitCode) }
    }

    static func doctor(config: ConfigOptions, store: StoreOptions, openStore: @escaping @Sendable (AppConfiguration) async throws -> any Store) -> Doctor {
        Doctor(Doctor.Dependencies(configPath: config.path, loadConfiguration: { try config.load(store: store) }, openStore: openStore))
    }
}
