import Logging
import TicketPulseSlack

extension SlackWebAPI {
    /// A short ephemeral note to whoever clicked, where they clicked (a refusal, a "done"):
    /// best effort, since the click was already acknowledged.
    func tell(_ interaction: SlackInteraction, _ text: String, logger: Logger) async {
        guard let channel = interaction.messageChannelID else { return }
        do {
            try await postEphemeral(channel: channel, user: interaction.user.id, message: SlackMessage(text: text))
        } catch {
            logger.warning("ephemeral reply failed", metadata: ["error": "\(error)"])
        }
    }
}
