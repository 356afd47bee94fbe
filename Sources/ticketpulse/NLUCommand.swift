import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseStorage

/// `ticketpulse nlu`: the understanding's learning loop.
struct NLUCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nlu",
        abstract: "Review what the parser was unsure of.",
        subcommands: [NLUReviewCommand.self]
    )
}

/// `ticketpulse nlu review [--export]`: questions answered with low confidence,
/// clarifications offered and chosen, and refusals, grouped by the reading chosen; with
/// `--export`, YAML utterances to add to `intents/`. An operator's tool, and the questions
/// name every book's customers, so the one asking must be an admin of the roster.
struct NLUReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "List the questions the parser was unsure of, grouped by the reading chosen (admins only)."
    )

    @Option(name: .customLong("as"), help: "Who reads: an admin's email or Slack user id from the roster.")
    var reader: String
    @Flag(help: "Print YAML utterances (slots marked) ready to add to intents/*.yaml instead of the listing.")
    var export = false
    @Option(help: "Only questions since this time, ISO-8601 (e.g. 2026-11-01T00:00:00Z).")
    var since: String?
    @OptionGroup var store: StoreOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let now = try clock.resolve()
        let use: NLUReview.Use = export ? .export : .listing
        let from: Date? = try since.map { text in
            guard let date = ISO8601DateFormatter().date(from: text) else { throw ValidationError("--since '\(text)' is not an ISO-8601 time like 2026-11-01T00:00:00Z") }
            return date
        }
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else { throw AskFailure("no store at \(store.path); pass --db") }
        try await store.withStore { ticketStore in
            guard let person = try await ticketStore.csm(emailOrSlackUserID: reader) else {
                try await NLUReview.refuseUnknownReader(reader, store: ticketStore, use: use, now: now)
                throw AskFailure("'\(reader)' is not in the roster; add them with `ticketpulse import csms`")
            }
            do {
                let review = try await NLUReview(store: ticketStore, person: person, since: from, use: use, now: now)
                print(export ? review.yaml() : review.text(), terminator: export ? "" : "\n")
            } catch let denied as NLUFeedbackAccessDenied {
                throw AskFailure(denied.description)
            }
        }
    }
}
