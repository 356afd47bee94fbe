import Foundation
import TicketPulseCore

/// Where the outbox's email rows go: SMTP in the server (`SMTPEmailMessenger`), fakes in
/// tests. The outbox knows only this, never SMTP.
public protocol EmailMessenger: Sendable {
    /// Sends `message` to `address` with `messageID` (the row's, the same on every attempt),
    /// From `author` when set (an outreach email, "Name <address>") or the server's sender.
    /// Throws `DeliveryFailure.permanent` when sending again cannot help (a refused
    /// recipient); any other error is retried later.
    func send(_ message: Reply, to address: String, author: String?, messageID: String, key: String) async throws
}
