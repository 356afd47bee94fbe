import Foundation
import GRDB
import Testing
import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseTestSupport

// One at a time: each starts two servers and a store, and the suite shares the machine with
// timing-sensitive tests (300 ms Slack timeouts) elsewhere.
@Suite("ticketpulse doctor", .serialized)
struct DoctorTests {
    static let connectionTitles = [
        "Connection 'zendesk-main' (zendesk)", "Connection 'freshdesk' (freshdesk)",
        "Connection 'intercom' (intercom)", "Connection 'salesforce' (salesforce)",
    ]

    @Test("A working installation without email: every needed line ✓, email ⚠ (optional), exit 0")
    func allGreenWithoutEmail() async throws {
        try await DoctorHarness.with { harness in
            let report = try await harness.run()
            #expect(report.exitCode == 0, "\(report.text)")
            let titles = ["Configuration", "Store", "Slack bot token", "Slack scopes", "Slack signing secret"] + Self.connectionTitles + ["Intents", "Prompts"]
            for title in titles {
                #expect(report.line(title)?.status == .passed, "\(title): \(report.text)")
            }
            #expect(report.line("Email (SMTP)")?.status == .warning)
            let latest = try #require(try await SQLiteStore().schemaStatus().known.last)
            #expect(report.line("Store")?.detail.contains(latest) == true)
            #expect(report.line("Connection 'zendesk-main' (zendesk)")?.detail == "signed in as bot@ourcompany.example (admin)")
            #expect(report.line("Connection 'salesforce' (salesforce)")?.detail.contains("3 of 15000 daily API requests used") == true)
            #expect(report.text.contains("✓ Slack bot token: auth.test: bot @ticketpulse (U0BOT00001) in Acme CS (T0TEAM0001)"))
            #expect(harness.slack.calls("auth.test").count == 1)
        }
    }

    @Test(
        "A working installation with email: every line ✓ (SMTP logs in to a real server), exit 0",
        .enabled(if: LoopbackSMTPServer.isAvailable, "needs python3 with aiosmtpd (pip install aiosmtpd; .ci/run installs it)")
    )
    func allGreenWithEmail() async throws {
        try await LoopbackSMTPServer.with(.init(auth: ("ticketpulse", "smtp-secret"))) { server in
            try await DoctorHarness.with { harness in
                harness.extraConfiguration = Self.email(port: server.port)
                harness.environment["TICKETPULSE_SMTP_PASSWORD"] = "smtp-secret"
                let report = try await harness.run()
                #expect(report.exitCode == 0, "\(report.text)")
                #expect(report.lines.allSatisfy { $0.status == .passed }, "\(report.text)")
                #expect(report.text.split(separator: "\n").filter { $0.hasPrefix("✓ ") }.count == report.lines.count)
                #expect(report.line("Email (SMTP)")?.detail == "logged in to 127.0.0.1:\(server.port) (none) as ticketpulse")
                #expect(try server.received().isEmpty, "verifying sends nothing")
            }
        }
    }

    @Test(
        "A wrong SMTP password is a ✗ naming the password's variable",
        .enabled(if: LoopbackSMTPServer.isAvailable, "needs python3 with aiosmtpd (pip install aiosmtpd; .ci/run installs it)")
    )
    func wrongSMTPPassword() async throws {
        try await LoopbackSMTPServer.with(.init(auth: ("ticketpulse", "smtp-secret"))) { server in
            try await DoctorHarness.with { harness in
                harness.extraConfiguration = Self.email(port: server.port)
                harness.environment["TICKETPULSE_SMTP_PASSWORD"] = "not-the-password"
                let report = try await harness.run()
                #expect(report.exitCode == 1)
                let line = try #require(report.line("Email (SMTP)"))
                #expect(line.status == .failed)
                #expect(line.detail.contains("authentication"), "\(line.detail)")
                #expect(line.fix?.contains("TICKETPULSE_SMTP_PASSWORD") == true)
            }
        }
    }

    static func email(port: Int) -> String {
        """
        email:
          host: 127.0.0.1
          port: \(port)
          security: none
          from: "TicketPulse <ticketpulse@example.com>"
          username: ticketpulse

        """
    }

    @Test("Missing scopes are named, with where to add them")
    func missingScopes() async throws {
        try await DoctorHarness.with { harness in
            harness.slack.grant(scopes: SlackAppManifest.botScopes.filter { $0 != "users:read.email" && $0 != "channels:manage" })
            let report = try await harness.run()
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Slack scopes"))
            #expect(line.status == .failed)
            #expect(line.detail == "missing channels:manage, users:read.email")
            #expect(line.fix?.contains("OAuth & Permissions") == true && line.fix?.contains("reinstall") == true)
            #expect(report.text.contains("✗ Slack scopes: missing channels:manage, users:read.email\n    fix: add them under OAuth & Permissions"))
            #expect(report.line("Slack bot token")?.status == .passed)
        }
    }

    @Test("A token Slack refuses (invalid_auth) is a ✗ with where to get a new one; the scopes are not checked")
    func badSlackToken() async throws {
        try await DoctorHarness.with { harness in
            harness.slack.reject(token: "xoxb-1111-2222-good")
            let report = try await harness.run()
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Slack bot token"))
            #expect(line.status == .failed)
            #expect(line.detail == "Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth)")
            #expect(line.fix?.contains("OAuth & Permissions") == true)
            #expect(report.line("Slack scopes")?.status == .skipped)
            // The other checks still ran.
            #expect(report.line("Connection 'intercom' (intercom)")?.status == .passed)
        }
    }

    @Test("A connection whose credentials are refused (401) is named, with its fix; the others pass")
    func wrongConnectionCredentials() async throws {
        try await DoctorHarness.with { harness in
            harness.environment["FD_KEY"] = "an-old-key"
            harness.environment["SF_CLIENT_SECRET"] = "a-wrong-secret"
            let report = try await harness.run()
            #expect(report.exitCode == 1)
            let freshdesk = try #require(report.line("Connection 'freshdesk' (freshdesk)"))
            #expect(freshdesk.status == .failed)
            #expect(freshdesk.detail == "HTTP 401: the credentials were rejected")
            #expect(freshdesk.fix?.contains("the API key in FD_KEY was rejected") == true)
            let salesforce = try #require(report.line("Connection 'salesforce' (salesforce)"))
            #expect(salesforce.status == .failed)
            #expect(salesforce.fix?.contains("SF_CLIENT_ID and SF_CLIENT_SECRET") == true)
            #expect(report.line("Connection 'zendesk-main' (zendesk)")?.status == .passed)
            #expect(report.line("Connection 'intercom' (intercom)")?.status == .passed)
        }
    }

    @Test("A connection whose secret variable is unset names the variable")
    func unsetConnectionSecret() async throws {
        try await DoctorHarness.with { harness in
            harness.environment["IC_TOKEN"] = nil
            let report = try await harness.run()
            let line = try #require(report.line("Connection 'intercom' (intercom)"))
            #expect(line.status == .failed)
            #expect(line.detail == "environment variable IC_TOKEN is not set")
            #expect(line.fix?.contains("/etc/ticketpulse/ticketpulse.env") == true)
        }
    }

    @Test("HTTP mode without a signing secret is a ✗ naming the variable")
    func missingSigningSecret() async throws {
        try await DoctorHarness.with { harness in
            harness.environment["SLACK_SIGNING_SECRET"] = nil
            let report = try await harness.run()
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Slack signing secret"))
            #expect(line.status == .failed)
            #expect(line.detail.hasPrefix("SLACK_SIGNING_SECRET is not set"))
            #expect(line.fix?.contains("Basic Information → App Credentials") == true)
        }
    }

    @Test("An unreadable configuration is the one ✗, naming the file and key; nothing else is tried")
    func unreadableConfiguration() async throws {
        try await DoctorHarness.with { harness in
            let report = try await harness.run(file: "server:\n  port: eighty\n")
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Configuration"))
            #expect(line.status == .failed)
            #expect(line.detail.contains(harness.configPath) && line.detail.contains("port"), "\(line.detail)")
            #expect(report.lines.count == 2)
            #expect(harness.slack.calls.isEmpty)

            let bad = try await harness.run(file: "alerts:\n  detectors: { spike.threshold: 3\n")
            #expect(bad.line("Configuration")?.status == .failed)
            #expect(bad.line("Configuration")?.detail.contains("line") == true, "\(bad.text)")
        }
    }

    @Test("A store a newer build migrated is refused, naming the unknown migration and this build's version")
    func newerStore() async throws {
        try await DoctorHarness.with { harness in
            _ = try SQLiteStore(path: harness.storePath)
            let queue = try DatabaseQueue(path: harness.storePath)
            try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
            try queue.close()
            let report = try await harness.run()
            #expect(report.exitCode == 1)
            let line = try #require(report.line("Store"))
            #expect(line.status == .failed)
            let latest = try #require(try await SQLiteStore().schemaStatus().known.last)
            #expect(line.detail.contains("v99-from-the-future") && line.detail.contains(latest), "\(line.detail)")
            #expect(line.fix?.contains("restore the store from a backup") == true)
        }
    }

    @Test("A Slack that never answers fails its line within the time limit; the other checks still finish")
    func silentSlack() async throws {
        try await DoctorHarness.with { harness in
            harness.slack.script("auth.test", .silence)
            let report = try await harness.run(timeout: .milliseconds(300))
            let line = try #require(report.line("Slack bot token"))
            #expect(line.status == .failed)
            #expect(line.detail.contains("no answer within"), "\(line.detail)")
            // The rest still reported (on a loaded machine the short limit may fail them too,
            // so only that they finished is asserted; the local checks pass regardless).
            for title in Self.connectionTitles { #expect(report.line(title) != nil) }
            #expect(report.line("Intents")?.status == .passed)
            #expect(report.line("Store")?.status == .passed)
        }
    }

    @Test("The scopes doctor asks for are the ones both Slack app manifests list")
    func manifestScopes() throws {
        for file in ["docs/slack-app-manifest.yml", "docs/slack-app-manifest-socket-mode.yml"] {
            let text = try String(contentsOf: SupportSystemsFake.root.appendingPathComponent(file), encoding: .utf8)
            // The list under `bot:` in oauth_config.scopes: "      - scope" lines until the indentation drops.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "bot:" })
            let scopes = lines[(start + 1)...].prefix { $0.hasPrefix("      - ") }.map { $0.trimmingCharacters(in: .whitespaces).dropFirst(2).trimmingCharacters(in: .whitespaces) }
            #expect(scopes == SlackAppManifest.botScopes, "\(file)")
        }
    }
}
