import Foundation
import TicketPulseCore

/// Where a settings message asks the digest to go: "send my digest by email", "digest in
/// slack and email", "email me my daily summary", "digest back to slack only". Read from
/// the text, as the handler reads the digest time and quiet hours: the words that name a
/// medium are few and fixed, and the intent's classifier already decided this is settings.
enum DigestDeliveryPhrase {
    static let digestWords = ["digest", "summary", "roundup", "round-up", "recap"]

    /// Nil when the message says nothing about where the digest goes.
    static func delivery(in text: String) -> DigestDelivery? {
        let text = text.lowercased()
        guard digestWords.contains(where: text.contains) else { return nil }
        let email = text.firstMatch(of: #/\b(e-?mail(ed|ing|s)?|inbox|mailbox)\b/#) != nil
        let slack = text.contains("slack")
        // "stop emailing my digest", "no more digest emails", "slack instead of email".
        let notEmail = text.firstMatch(of: #/\b(stop|no more|don'?t|do not|no longer)\b.*\b(e-?mail|inbox)|instead of (an )?(e-?mail|inbox)|\b(e-?mail|inbox)\b.*\boff\b/#) != nil
        // "in my inbox instead of slack", "no more slack digests".
        let notSlack = text.firstMatch(of: #/instead of slack|\bnot (in |on |by )?slack|\b(stop|no more|don'?t|do not|no longer)\b.*\bslack/#) != nil
        if email, notEmail { return .slack }
        if slack, notSlack { return email ? .email : nil }
        if email, slack || text.contains("both") { return .both }
        if email { return .email }
        if slack { return .slack }
        return nil
    }
}
