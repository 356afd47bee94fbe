import ArgumentParser
import Foundation
import TicketPulseServer

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
        let doctor = Doctor(Doctor.Dependencies(
            configPath: config.path,
            loadConfiguration: { try config.load(store: store) },
            openStore: { configuration in
                // The configuration's store (store.path, unless --db), opened as every command opens it.
                var options = store
                options.db = configuration.databasePath
                return try options.open()
            }
        ))
        let report = await doctor.run()
        print(report.text)
        if !report.passed { throw ExitCode(report.exitCode) }
    }
}
