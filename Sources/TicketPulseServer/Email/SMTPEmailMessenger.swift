import Foundation
import TicketPulseCore
import TicketPulseEmail
import TicketPulseWorkflows

/// The outbox's email rows over SMTP, with the row's Message-ID. A digest is rendered to
/// text + HTML and sent from `email.from`; an outreach email (a row with an author) is the
/// CSM's own text, From and Reply-To the CSM. The SMTP client's failures map onto the
/// outbox's: transient ones (greylisting 4xx, a dropped connection, a timeout) are thrown
/// as they are and retried; permanent ones (a refused recipient, a 5xx, bad TLS) fail the
/// row with the server's words.
struct SMTPEmailMessenger: EmailMessenger {
    let sender: any EmailSending
    let from: EmailAddress
    let renderer: ReplyEmailRenderer
    let now: @Sendable () -> Date

    func send(_ message: Reply, to address: String, author: String?, messageID: String, key: String) async throws {
        let email = try compose(message, to: address, author: author, messageID: messageID)
        do {
            _ = try await sender.send(email)
        } catch {
            if error.isTransient { throw error }
            throw DeliveryFailure.permanent(error.description)
        }
    }

    func compose(_ message: Reply, to address: String, author: String?, messageID: String) throws -> EmailMessage {
        let recipient: EmailAddress
        do {
            recipient = try EmailAddress(parsing: address)
        } catch {
            throw DeliveryFailure.permanent("'\(address)' is not an email address: \(error)")
        }
        if let author {
            let person: EmailAddress
            do {
                person = try EmailAddress(parsing: author)
            } catch {
                throw DeliveryFailure.permanent("the author '\(author)' is not an email address: \(error)")
            }
            // From and Reply-To the CSM: the customer answers them, not the bot. The envelope
            // (MAIL FROM) and Sender stay `email.from`: submission servers refuse to relay a
            // MAIL FROM that is not the account they authenticated, and bounces belong to the
            // account that sent. The CSM wrote plain text, so no HTML part is invented.
            var email = EmailMessage(from: person, to: [recipient], subject: message.header ?? "", text: ReplyEmailRenderer.plainText(message),
                                     messageID: messageID, date: now(), headers: [(name: "Reply-To", value: person.address)])
            email.sender = from
            return email
        }
        let rendered: ReplyEmailRenderer.Rendered
        do {
            rendered = try renderer.render(message)
        } catch {
            throw DeliveryFailure.permanent("the digest email templates cannot be used: \(error)")
        }
        // Auto-Submitted (RFC 3834): out-of-office robots must not answer a digest.
        return EmailMessage(from: from, to: [recipient], subject: rendered.subject, text: rendered.text, html: rendered.html,
                            messageID: messageID, date: now(), headers: [(name: "Auto-Submitted", value: "auto-generated")])
    }
}
