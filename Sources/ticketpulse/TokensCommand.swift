import ArgumentParser
import Foundation
import TicketPulseServer
import TicketPulseStorage

/// `ticketpulse tokens`: the HTTP API's bearer tokens. Whoever can run this can read the
/// store anyway; the tokens let scripts and BI tools in over HTTP, as one roster member.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Create, list and revoke HTTP API tokens.",
        subcommands: [TokensCreateCommand.self, TokensListCommand.self, TokensRevokeCommand.self]
    )
}

struct TokensCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token that acts as a roster member (their Slack scope) and print it once."
    )

    @Option(name: .customLong("as"), help: "Whose token: a roster member's email or Slack user id.")
    var person: String
    @Option(help: "What it is for, shown by `tokens list`.")
    var name = "api"
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else { throw AskFailure("no store at \(store.path); pass --db") }
        let issued: APITokenIssuer.Issued = try await store.withStore { ticketStore in
            do {
                let issued = try await APITokenIssuer.issue(for: person, name: name, store: ticketStore, now: Date())
                try await ticketStore.audit(AuditEntry(at: Date(), actor: "cli", action: "tokens:create", detail: "token \(issued.token.id) (\(name)) for \(issued.token.email)"))
                return issued
            } catch let error as APITokenIssuer.IssueError {
                throw AskFailure(error.description)
            }
        }
        FileHandle.standardError.write(Data("Token \(issued.token.id) for \(issued.token.email) (\(issued.token.name)). It is shown only now: keep it somewhere safe.\n".utf8))
        print(issued.secret)
    }
}

struct TokensListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens (never their secrets).")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else { throw AskFailure("no store at \(store.path); pass --db") }
        let tokens = try await store.withStore { try await $0.apiTokens() }
        guard !tokens.isEmpty else { return print("No API tokens yet: ticketpulse tokens create --as EMAIL") }
        print("id\tperson\tname\tcreated\tstatus")
        for token in tokens {
            let status = token.revokedAt.map { "revoked \($0.formatted(.iso8601))" } ?? "active"
            print("\(token.id)\t\(token.email)\t\(token.name)\t\(token.createdAt.formatted(.iso8601))\t\(status)")
        }
    }
}

struct TokensRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: it stops working at once.")

    @Argument(help: "The token's id, as `tokens list` shows it.")
    var id: Int64
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else { throw AskFailure("no store at \(store.path); pass --db") }
        let revoked = try await store.withStore { ticketStore in
            let revoked = try await ticketStore.revokeAPIToken(id: id, at: Date())
            if revoked { try await ticketStore.audit(AuditEntry(at: Date(), actor: "cli", action: "tokens:revoke", detail: "token \(id)")) }
            return revoked
        }
        guard revoked else { throw AskFailure("no active token \(id) (see ticketpulse tokens list)") }
        print("Token \(id) revoked.")
    }
}
