import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents
import TicketPulseStorage

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Show how a message is understood: intent, confidence and slots, as one JSON line."
    )

    @Argument(help: "The message, as a CSM would write it in Slack.")
    var message: String?
    @Flag(help: "Read one message per line from standard input; print one JSON line per message, in order.")
    var batch = false
    @Flag(help: "Print JSON (the default; kept for scripts that pass it).")
    var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var clock: ClockOptions
    @Option(help: "The intents/ folder (default: $TICKETPULSE_INTENTS_DIR, ./intents, or the source tree's).")
    var intents: String?

    func validate() throws {
        if batch == (message != nil) { throw ValidationError("give a message, or --batch to read messages from standard input") }
    }

    func run() async throws {
        let now = try clock.resolve()
        let parser = try await IntentParser.load(customers: try customers(now: now), intentsDirectory: intents)
        if batch {
            while let line = readLine() {
                // Written unbuffered, one line per message as it comes, so a script can feed
                // messages and read the answers in turn.
                FileHandle.standardOutput.write(Data((parser.parse(line, now: now).jsonLine() + "\n").utf8))
            }
        } else if let message {
            print(parser.parse(message, now: now).jsonLine())
        }
    }

    /// The store's customers; the demo roster when no store exists yet, so `parse` works on a fresh machine.
    func customers(now: Date) async throws -> [Customer] {
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else { return DemoRoster.customers(now: now) }
        return try await store.withStore { try await $0.customers() }
    }
}
