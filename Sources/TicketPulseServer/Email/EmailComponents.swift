import Foundation
import Logging
import TicketPulseEmail
import TicketPulseTemplates
import TicketPulseWorkflows

/// The server's email, assembled from `email:`: the sender (the SMTP client, or the one
/// the dependencies inject), the outbox's email messenger, and what digests need to
/// queue an email. Nil without an `email:` section, or when it cannot be used (the
/// password variable is unset): then digests go to Slack, and the log says why.
struct EmailComponents: Sendable {
    let sender: any EmailSending
    let from: EmailAddress
    let messenger: SMTPEmailMessenger
    let digest: DigestEmail

    init?(configuration: AppConfiguration, dependencies: AppDependencies, templates: PromptTemplates?, logger: Logger) {
        guard let settings = configuration.email else { return nil }
        guard let templates else {
            logger.warning("email: the prompts folder is not found (digest_email_*.mustache); digests go to Slack")
            return nil
        }
        if let injected = dependencies.email {
            sender = injected
        } else {
            do {
                sender = try SMTPClient(configuration: try settings.clientConfiguration())
            } catch {
                logger.error("email: cannot set up the SMTP client; digests go to Slack", metadata: ["error": "\(error)"])
                return nil
            }
        }
        let from = settings.from
        self.from = from
        messenger = SMTPEmailMessenger(sender: sender, from: from, renderer: ReplyEmailRenderer(templates: templates), now: dependencies.now)
        digest = DigestEmail(makeMessageID: { EmailMessage.makeMessageID(domain: from.domain) })
    }
}
