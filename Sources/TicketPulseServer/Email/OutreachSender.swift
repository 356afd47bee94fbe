import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseEmail
import TicketPulseStorage

/// A drafted outreach email sent from its modal, once the CSM ticked "Send as …": checked
/// against their scope like every action (refused and audited outside it), addressed to
/// the customer's champion or to the address the modal asked for, kept with the customer's
/// email drafts and queued in the outbox as an email row From the CSM (sent by the same
/// worker, exactly once, as digests are), and audited allowed or refused.
struct OutreachSender: Sendable {
    let store: any Store
    /// Nil when the server sends no email.
    let email: EmailComponents?
    let now: @Sendable () -> Date
    /// Wakes the outbox worker, so the email leaves now rather than at its next poll.
    let onQueued: @Sendable () -> Void

    static let auditAction = "action:send_outreach_email"

    /// Why a send was refused, said to the CSM in the modal; `field`: the input it is about.
    struct Refusal: Error, CustomStringConvertible {
        enum Field: Sendable { case email, address }
        var description: String
        var field: Field = .email
    }

    /// Queues the email; returns the address it goes to.
    @discardableResult
    func send(customerID: String, to typed: String?, subject: String, body: String, alertID: Int64? = nil, by person: CSM) async throws -> String {
        func refuse(_ reason: String, _ refusal: Refusal) async throws -> Never {
            try await store.audit(AuditEntry(at: now(), actor: person.email, action: Self.auditAction, detail: subject,
                                             customerIDs: customerID.isEmpty ? [] : [customerID], outcome: .refused(reason: reason)))
            throw refusal
        }
        let customer: Customer
        do {
            customer = try await OutreachDraft.scopedCustomer(customerID, person: person, store: store)
        } catch let refusal as OutreachDraft.Refusal {
            try await refuse("out_of_scope", Refusal(description: refusal.description))
        }
        guard let email else {
            try await refuse("email_not_configured", Refusal(description: "Email is not set up on this server (email: in ticketpulse.yml). Untick “Send” to save the draft, and send it from your mailbox."))
        }
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            try await refuse("empty", Refusal(description: "The email is empty: write it first."))
        }
        let typedAddress = typed?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmptyText
        guard let address = typedAddress ?? customer.championEmail else {
            try await refuse("no_address", Refusal(description: "I have no email address for \(customer.name): type the customer's address.", field: .address))
        }
        let recipient: EmailAddress
        do {
            recipient = try EmailAddress(parsing: address)
        } catch {
            try await refuse("bad_address", Refusal(description: "“\(address)” is not an email address.", field: .address))
        }
        let author: EmailAddress
        do {
            author = try EmailAddress(person.email, name: person.name)
        } catch {
            try await refuse("bad_author", Refusal(description: "Your roster email (\(person.email)) is not an address I can send as."))
        }
        let messageID = email.digest.makeMessageID()
        let row = OutboxMessage(key: "outreach:\(customer.id):\(messageID)", kind: .email, recipient: OutboxMessage.emailRecipient(recipient.address),
                                message: Reply(header: subject, blocks: [.section(body)], fallbackText: subject),
                                messageID: messageID, emailAuthor: author.description)
        try await store.queueOutreachEmail(row, alertID: alertID, customerID: customer.id, author: person.email, subject: subject, body: body, at: now())
        try await store.audit(AuditEntry(at: now(), actor: person.email, action: Self.auditAction, detail: "to \(recipient.address): \(subject)",
                                         customerIDs: [customer.id], outcome: .allowed))
        onQueued()
        return recipient.address
    }
}

extension String {
    fileprivate var nonEmptyText: String? { isEmpty ? nil : self }
}
