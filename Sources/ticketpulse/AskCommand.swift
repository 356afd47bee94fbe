import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

struct AskCommand: AsyncParsableCommand {
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
    @Flag(help: "Confirm a write (a note, an escalation request, a subscription, notification settings): without it, the command only says what would happen.")
    var yes = false

    func run() async throws {
        let now = try clock.resolve()
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else {
            throw AskFailure("no store at \(store.path); run `ticketpulse demo` first or pass --db")
        }
        try await store.withStore { ticketStore in
            guard let person = try await ticketStore.csm(emailOrSlackUserID: asker) else {
                throw AskFailure("'\(asker)' is not in the roster; add them with `ticketpulse import csms`")
            }
            let parser = try await IntentParser.load(customers: try ticketStore.customers(), intentsDirectory: intents)
            let engine = AnswerEngine(store: ticketStore, parser: parser)
            // The same confirmation Slack shows; `--yes` is the [Confirm] click.
            let asked: Answer, confirmed: ButtonAnswer?
            if yes {
                (asked, confirmed) = try await engine.answerConfirmed(message, asker: person, now: now)
            } else {
                (asked, confirmed) = (try await engine.answer(message, asker: person, now: now), nil)
            }
            print(TextRenderer().render(asked.reply))
            if let confirmed {
                print("\nConfirmed (--yes):")
                print(TextRenderer().render(confirmed.reply))
            } else if asked.pendingConfirmation != nil {
                print("\nNothing was written. Run again with --yes to confirm.")
            }
        }
    }
}

/// A failure of the question's setting, not of the command line: printed without the usage text.
struct AskFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
