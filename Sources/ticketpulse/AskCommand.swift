import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStore

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask a question as a CSM and print the answer TicketPulse would post."
    )

    @Argument(help: "The question, e.g. \"show support tickets for Acme\".")
    var message: String
    @Option(name: .customLong("as"), help: "Who asks: an email or Slack user id from the roster.")
    var asker: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var clock: ClockOptions
    @Option(help: "The intents/ folder (default: $TICKETPULSE_INTENTS_DIR, ./intents, or the source tree's).")
    var intents: String?

    func run() throws {
        let now = try clock.resolve()
        guard FileManager.default.fileExists(atPath: store.path) else {
            throw AskFailure("no store at \(store.path); run `ticketpulse demo` first or pass --db")
        }
        let ticketStore = try store.open()
        guard let person = try ticketStore.csm(email: asker) ?? ticketStore.csm(slackUserID: asker.uppercased()) else {
            throw AskFailure("'\(asker)' is not in the roster; add them with `ticketpulse import csms`")
        }
        let parser = try IntentParser.load(customers: try ticketStore.customers(), intentsDirectory: intents)
        let answer = try AnswerEngine(store: ticketStore, parser: parser).answer(message, asker: person, now: now)
        print(TextRenderer().render(answer.reply))
    }
}

/// A failure of the question's setting, not of the command line: printed without the usage text.
struct AskFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
