import TicketPulseCore

/// The buttons of answers, by action id. Answers put them on replies and the server routes
/// clicks by them, so each id is spelled once, here (as `AlertMessages.Button` does for
/// alerts). The raw values are what Slack carries back: changing one strands the buttons
/// of messages already posted.
public enum AnswerButton: String, CaseIterable, Sendable {
    /// Read-only questions about a customer or a ticket, asked in the clicker's scope;
    /// the value is an encoded `AnswerRequest`.
    case viewOpenTickets = "view_open_tickets"
    case checkCSAT = "check_csat"
    case supportMetrics = "support_metrics"
    case ticketHistory = "ticket_history"
    /// Modals on a ticket; the value is the ticket as `source:external_id`.
    case addNote = "add_note"
    case requestEscalation = "request_escalation"
    /// The modal with a drafted email (`draft_outreach`); the value is its `AnswerRequest`.
    case editDraftEmail = "edit_draft_email"
    /// One reading of a "Did you mean…?", or one customer of a "Which customer?".
    case reading = "answer_reading"
    /// [Confirm] and [Cancel] under a write asked for in free text; both carry the same
    /// `AnswerRequest`, with the asker and a nonce.
    case confirm = "answer_confirm"
    case cancel = "answer_cancel"

    /// Buttons answered by opening a modal in the request (the 3-s trigger window), not by
    /// a queued answer.
    public var opensModal: Bool {
        switch self {
        case .addNote, .requestEscalation, .editDraftEmail: true
        default: false
        }
    }

    /// Buttons whose answer takes the place of the message they sat on: the question they
    /// settle ("Did you mean…?", "Confirm?") is over once answered, and leaving its buttons
    /// would invite a second click.
    public var replacesMessage: Bool {
        switch self {
        case .reading, .confirm, .cancel: true
        default: false
        }
    }

    /// The button on a reply; nil `value` when the request does not fit a button.
    func action(_ label: String, _ request: AnswerRequest, style: ReplyAction.Style = .normal) -> ReplyAction? {
        request.encoded.map { ReplyAction(id: rawValue, label: label, value: $0, style: style) }
    }

    /// A ticket button (the modals' value).
    static func ticketAction(_ button: AnswerButton, label: String, ticket: Ticket, style: ReplyAction.Style = .normal) -> ReplyAction {
        ReplyAction(id: button.rawValue, label: label, value: ticket.reference, style: style)
    }
}
