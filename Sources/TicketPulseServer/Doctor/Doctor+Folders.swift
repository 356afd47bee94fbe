import Foundation
import TicketPulseAnswers
import TicketPulseIntents
import TicketPulseTemplates

extension Doctor {
    static let intentsTitle = "Intents"
    static let promptsTitle = "Prompts"

    /// Loads `intents/` and trains the parser on it, as `serve` does at start-up.
    func checkIntents(_ configuration: AppConfiguration) -> DoctorLine {
        let fix = "set intents_dir in the configuration or TICKETPULSE_INTENTS_DIR to the intents/ folder (under systemd: /usr/local/share/ticketpulse/intents)"
        guard let directory = IntentCatalogue.locateDirectory(explicit: configuration.intentsDirectory) else {
            return DoctorLine(.failed, Self.intentsTitle, "cannot find the intents/ folder", fix: fix)
        }
        do {
            let catalogue = try IntentCatalogue.load(directory: directory)
            // Trained as `serve` trains it (once per folder and process: training is slow).
            _ = try IntentParser.model(intentsDirectory: directory.path)
            let examples = catalogue.intents.reduce(0) { $0 + $1.utterances.count }
            return DoctorLine(.passed, Self.intentsTitle, "\(catalogue.intents.count) intents, \(examples) examples in \(directory.path); the parser trains")
        } catch {
            return DoctorLine(.failed, Self.intentsTitle, "\(directory.path): \(error)", fix: "correct that file (docs/NLU.md describes the format)")
        }
    }

    /// Finds `prompts/` and parses every template in it.
    func checkPrompts() -> DoctorLine {
        guard let templates = PromptTemplates.locate() else {
            return DoctorLine(.failed, Self.promptsTitle, "cannot find the prompts/ folder (with outreach_email.mustache)",
                              fix: "set TICKETPULSE_PROMPTS_DIR to the prompts/ folder (under systemd: /usr/local/share/ticketpulse/prompts)")
        }
        let problems = templates.problems
        guard problems.isEmpty else {
            return DoctorLine(.failed, Self.promptsTitle, problems.map { "\($0.name).mustache: \($0.reason)" }.joined(separator: "; "),
                              fix: "correct the Mustache in \(problems.count == 1 ? "that template" : "those templates") in \(templates.directory.path)")
        }
        return DoctorLine(.passed, Self.promptsTitle, "\(templates.names.count) templates in \(templates.directory.path) parse")
    }
}
