import Foundation
import TicketPulseServer
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// An installation for `doctor` to check: a config file in a temporary folder, a fake
/// Slack, one fake support-system API answering as Zendesk, Freshdesk, Intercom and
/// Salesforce do (fixtures in their real shapes), and the environment holding the secrets.
struct DoctorHarness {
    let folder: URL
    let slack: FakeSlack
    let slackURL: URL
    let supportURL: String
    var environment: [String: String]
    /// Lines appended to the configuration file (an `email:` section, say).
    var extraConfiguration = ""

    var configPath: String { folder.appendingPathComponent("ticketpulse.yml").path }
    var storePath: String { folder.appendingPathComponent("store.sqlite").path }

    static let environment = [
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-good",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
        "ZD_TOKEN": SupportSystemsFake.zendeskToken,
        "FD_KEY": SupportSystemsFake.freshdeskKey,
        "IC_TOKEN": SupportSystemsFake.intercomToken,
        "SF_CLIENT_ID": SupportSystemsFake.salesforceClientID,
        "SF_CLIENT_SECRET": SupportSystemsFake.salesforceSecret,
    ]

    /// Runs `body` with the fakes up and a fresh folder.
    static func with(_ body: (inout DoctorHarness) async throws -> Void) async throws {
        try await FakeSlack.run { slack, slackURL in
            try await FakeServer.run(handler: SupportSystemsFake.handler) { _, supportURL in
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ticketpulse-doctor-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                var harness = DoctorHarness(folder: folder, slack: slack, slackURL: slackURL, supportURL: supportURL, environment: Self.environment)
                try await body(&harness)
            }
        }
    }

    static let appToken = "xapp-1-A0APP00001-1234-abcdef"

    /// `with`, in Socket Mode: the app token set, no signing secret, and the fake Slack's
    /// apps.connections.open handing out `socket`'s URLs, or what `url` makes of it.
    static func withSocketMode(url: @escaping @Sendable (FakeSocketModeSlack) -> String = { $0.connectionURL() },
                               _ body: (DoctorHarness, FakeSocketModeSlack) async throws -> Void) async throws {
        try await FakeSocketModeSlack.run { socket, _ in
            try await with { harness in
                harness.environment["SLACK_SIGNING_SECRET"] = nil
                harness.environment["SLACK_APP_TOKEN"] = appToken
                harness.slack.openSocketModeConnections(at: { url(socket) })
                try await body(harness, socket)
            }
        }
    }

    var configuration: String {
        """
        store:
          path: \(storePath)
        slack:
          api_url: \(slackURL.absoluteString)
        connections:
          - name: zendesk-main
            system: zendesk
            base_url: \(supportURL)
            email: bot@ourcompany.example
            token_env: ZD_TOKEN
          - name: freshdesk
            system: freshdesk
            base_url: \(supportURL)
            token_env: FD_KEY
          - name: intercom
            system: intercom
            base_url: \(supportURL)
            token_env: IC_TOKEN
          - name: salesforce
            system: salesforce
            base_url: \(supportURL)
            client_id_env: SF_CLIENT_ID
            client_secret_env: SF_CLIENT_SECRET

        """ + extraConfiguration
    }

    /// Writes the configuration (unless `file` is given: those bytes instead) and runs the
    /// doctor; the time limit is generous, since the whole suite loads the machine.
    func run(file: String? = nil, timeout: Duration = .seconds(30)) async throws -> DoctorReport {
        try (file ?? configuration).write(toFile: configPath, atomically: true, encoding: .utf8)
        let path = configPath, environment = environment, storePath = storePath
        return await Doctor(Doctor.Dependencies(
            configPath: path,
            loadConfiguration: { try AppConfiguration.load(path: path, databasePath: storePath, environment: environment) },
            openStore: { try SQLiteStore(path: $0.databasePath) },
            timeout: timeout
        )).run()
    }
}
