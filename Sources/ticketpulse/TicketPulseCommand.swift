import ArgumentParser

@main
struct TicketPulseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticketpulse",
        abstract: "Live visibility into your customers' support tickets, in Slack.",
        subcommands: [DemoCommand.self, AskCommand.self, ParseCommand.self, ServeCommand.self, ImportCommand.self, ConnectionsCommand.self, SyncCommand.self, UnmatchedCommand.self, ReplayCommand.self, NLUCommand.self, StoreCommand.self, DigestCommand.self, DoctorCommand.self, LoginLinkCommand.self, TokensCommand.self]
    )
}
