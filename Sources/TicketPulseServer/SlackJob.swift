import Foundation
import TicketPulseSlack

/// Work acknowledged to Slack and done afterwards, off the request path. Codable: the
/// journal keeps it on disk until it is done.
enum SlackJob: Sendable, Codable, Equatable {
    /// An app_mention or DM: answer in the thread it came from.
    case question(user: String, channel: String, threadTS: String?, text: String)
    /// `/pulse <question>`: answer through the command's response_url.
    case slashCommand(SlackSlashCommand)
    /// The Home tab was opened: publish the user's dashboard.
    case homeOpened(user: String)
    /// A button that asks a question on the user's behalf ("View open tickets").
    /// Re-answer `text` and replace the message at `ts` with it (after a note is added).
    case refreshMessage(user: String, channel: String, ts: String, text: String)
    /// `expanded`: the "See all" under a cut list, answered with every row that fits.
    case buttonQuestion(user: String, channel: String?, threadTS: String?, responseURL: String?, text: String, expanded: Bool)
    /// An answer's button (`AnswerButton`): answered from the intent and slots its value
    /// carries; a settled question (a reading chosen, a write confirmed) replaces the
    /// message at `messageTS`, a refusal is shown to the clicker alone.
    case answerButton(user: String, channel: String?, messageTS: String?, threadTS: String?, responseURL: String?, button: String, value: String)
}

extension SlackJob {
    /// The job's name for logs, without its text (questions can hold customer names).
    var kind: String {
        switch self {
        case .question: "question"
        case .slashCommand: "slash_command"
        case .homeOpened: "home_opened"
        case .refreshMessage: "refresh_message"
        case .buttonQuestion: "button_question"
        case .answerButton: "answer_button"
        }
    }
}

/// A job on the worker's queue, with what its answer needs to be posted exactly once.
struct SlackWorkItem: Sendable {
    var job: SlackJob
    /// The job's id: its journal entry, which is finished once the job is done, and the key
    /// in its answer's metadata.
    var id: String
    var receivedAt: Date
    /// True when the journal is keeping the job (acknowledged Slack requests).
    var journaled: Bool
    /// Taken from the journal after a restart: the answer may already be in Slack.
    var recovered: Bool
}
