import ArgumentParser
import Foundation
import TicketPulseConnectors
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Run one sync pass of every configured connection (or one), from its stored cursor, with progress."
    )

    @Option(help: "Only this connection (a name from `ticketpulse connections`).") var connection: String?
    @Flag(help: "Start again from the beginning of history instead of the stored cursor (upserts keep it idempotent).") var full = false
    @OptionGroup var config: ConfigOptions
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let outcome = try await config.withRuntime(store: store) { runtime, _, _ in
            // On a terminal the progress line is rewritten in place; in a log, one line per page.
            let interactive = isatty(STDOUT_FILENO) != 0
            let progress: @Sendable (String) -> Void = { line in
                if interactive {
                    print("\r\(line)", terminator: "")
                    fflush(nil)
                } else {
                    print(line)
                }
            }
            return try await usage {
                try await ConnectionCommands.sync(runtime: runtime, connection: connection, full: full, progress: progress) { line in
                    if interactive { print("\r", terminator: "") }
                    print(line)
                }
            }
        }
        if !outcome.succeeded { throw ExitCode.failure }
    }
}
