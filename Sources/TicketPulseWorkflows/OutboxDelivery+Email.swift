import Foundation
import TicketPulseCore
import TicketPulseStorage

extension OutboxDelivery {
    /// One email row (a digest, or an outreach email a CSM confirmed). Unlike Slack, a mail server cannot be asked whether an earlier attempt
    /// got through, so a row left in flight (a worker that died mid-send, a reply lost after
    /// the final `.`) is sent again, with the same Message-ID fixed when it was queued: the
    /// one case SMTP cannot rule out yields a copy that mail systems recognise as the same
    /// message. Every other failure happened before the server took the message (the SMTP
    /// client returns only once it has), so its retry is the first copy.
    /// False when another deliverer took the row first.
    func sendEmail(_ row: OutboxRow) async throws -> Bool {
        guard let emailMessenger else { throw DeliveryFailure.permanent("email is not set up on this server (the email: section of ticketpulse.yml)") }
        guard row.recipient.hasPrefix("email:"), let messageID = row.messageID, !messageID.isEmpty else {
            throw DeliveryFailure.permanent("an email row needs an email: recipient and a Message-ID")
        }
        let address = String(row.recipient.dropFirst("email:".count))
        guard try await store.claimForDelivery(row, at: now()) else { return false }
        try await emailMessenger.send(row.message, to: address, author: row.emailAuthor, messageID: messageID, key: row.key)
        // The row's channel and ts say where it went: the address, and the Message-ID.
        try await store.markSent(row.id, channel: row.recipient, ts: messageID, at: now())
        return true
    }
}
