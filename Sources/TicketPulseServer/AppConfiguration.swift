import Foundation
import TicketPulseAnswers
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseEmail
import TicketPulseWorkflows
import Yams

/// `ticketpulse.yml` plus the environment. Secrets never live in the file: the file names
/// the environment variables that hold them. Everything has a default, so no file at all
/// gives a working local server over the default store.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The store: a SQLite file's path or a `postgres://` URL (`store.path` or `store.url`).
    public var databasePath: String
    /// The PostgreSQL password read from the variable `store.password_env` names, kept
    /// out of `databasePath` so that the location can be logged and printed.
    public var databasePassword: String?
    public var slack = SlackSettings()
    public var answers = AnswerSettings()
    public var intentsDirectory: String?
    /// `connections:` (support systems) and the environment variables they name for secrets.
    public var connections: [ConnectionConfiguration] = []
    public var connectionEnvironment: [String: String] = [:]
    /// `alerts:`: detector thresholds, routing, workflows.
    public var alerts = RoutingRules()
    /// How often the full detector pass and the digests run.
    public var alertInterval: Duration = .seconds(60)
    /// `alerts.enabled: false` stops detection and delivery (questions still work).
    public var alertsEnabled = true
    /// `email:`: the SMTP server digests and outreach are sent through; nil without the section.
    public var email: EmailSettings?
    /// `zendesk_oauth:`: the OAuth client the API's connect flow uses; nil without the section.
    public var zendeskOAuth: ZendeskOAuthSettings?
    /// `web:`: the dashboard's address, Sign in with Slack, the portfolio's targets.
    public var web = WebSettings()
    /// `api.rate_per_minute`: calls a minute one API token may make before 429.
    public var apiRatePerMinute = 120

    public struct SlackSettings: Sendable {
        public var signingSecret: String?
        public var botToken: String?
        public var apiURL = URL(string: "https://slack.com/api")!
        /// The bot's own user id, so its messages are ignored; found with auth.test when absent.
        public var botUserID: String?
        /// How many questions are answered at once in the background.
        public var workerConcurrency = 4
        /// Socket Mode: `serve` opens the connection to Slack (no public URL needed), with
        /// the app-level token (`xapp-…`, scope `connections:write`). On when the token is
        /// set, unless `slack.socket_mode: false`.
        public var socketMode = false
        public var appToken: String?
        /// Where the app token was read from, for messages that say what to fix.
        public var appTokenVariable = "SLACK_APP_TOKEN"
        /// Where the bot token and the signing secret were read from, likewise.
        public var botTokenVariable = "SLACK_BOT_TOKEN"
        public var signingSecretVariable = "SLACK_SIGNING_SECRET"
    }

    public init(databasePath: String) {
        self.databasePath = databasePath
    }

    /// Reads `path` (if given) over the defaults, then the environment.
    public static func load(path: String?, databasePath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var configuration = AppConfiguration(databasePath: databasePath)
        var file = ConfigurationFile()
        if let path {
            guard let text = try? String(contentsOfFile: (path as NSString).expandingTildeInPath, encoding: .utf8) else {
                throw ConfigurationError("cannot read \(path)")
            }
            do {
                file = try YAMLDecoder().decode(ConfigurationFile.self, from: text)
            } catch DecodingError.dataCorrupted(let context) where context.underlyingError is ConfigurationProblem || context.underlyingError is EmailSettingsError {
                // A key check inside the file's decoding (an unknown `alerts:` key): its own
                // message names the key; the decoder's wrapping would call the YAML invalid.
                throw ConfigurationError("\(path): \(context.underlyingError!)")
            } catch {
                throw ConfigurationError("\(path): \(error)")
            }
            do {
                configuration.connections = try ConnectionsFile.parse(yaml: text, source: path)
            } catch let error as ConnectionsFileError {
                throw ConfigurationError(error.description)
            }
            configuration.connectionEnvironment = ConnectorRuntime.secretVariables(of: configuration.connections, in: environment)
        }
        try configuration.apply(file, environment: environment)
        return configuration
    }

    mutating func apply(_ file: ConfigurationFile, environment: [String: String]) throws {
        var tierBaselines: [CustomerTier: Double] = [:]
        if let server = file.server {
            host = server.host ?? host
            port = server.port ?? port
        }
        if let store = file.store?.path { databasePath = (store as NSString).expandingTildeInPath }
        if let url = file.store?.url {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigurationError("store.url must be a postgres://user@host:port/database URL")
            }
            databasePath = url
        }
        if let variable = file.store?.password_env {
            guard let password = environment[variable], !password.isEmpty else {
                throw ConfigurationError("store.password_env names \(variable), which is not set")
            }
            databasePassword = password
        }
        intentsDirectory = file.intents_dir ?? environment["TICKETPULSE_INTENTS_DIR"]
        let slackFile = file.slack
        slack.signingSecretVariable = slackFile?.signing_secret_env ?? slack.signingSecretVariable
        slack.botTokenVariable = slackFile?.bot_token_env ?? slack.botTokenVariable
        slack.signingSecret = environment[slack.signingSecretVariable].flatMap { $0.isEmpty ? nil : $0 }
        slack.botToken = environment[slack.botTokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let api = environment["SLACK_API_URL"] ?? slackFile?.api_url {
            guard let url = URL(string: api), url.scheme != nil else { throw ConfigurationError("slack.api_url / SLACK_API_URL '\(api)' is not a URL") }
            slack.apiURL = url
        }
        slack.botUserID = slackFile?.bot_user_id ?? environment["SLACK_BOT_USER_ID"]
        try slack.applySocketMode(file: slackFile, environment: environment)
        if let concurrency = slackFile?.worker_concurrency {
            guard concurrency > 0 else { throw ConfigurationError("slack.worker_concurrency must be at least 1") }
            slack.workerConcurrency = concurrency
        }
        if let tiers = file.sla {
            for (tierName, priorities) in tiers {
                guard let tier = CustomerTier(rawValue: tierName) else { throw ConfigurationError("sla: '\(tierName)' is not a tier name") }
                for (priorityName, targets) in priorities {
                    guard let priority = Priority(rawValue: priorityName.uppercased()) else { throw ConfigurationError("sla.\(tierName): unknown priority '\(priorityName)' (P1–P4)") }
                    guard targets.first_response_hours > 0, targets.resolution_hours > 0 else { throw ConfigurationError("sla.\(tierName).\(priorityName): hours must be positive") }
                    answers.policy.tierOverrides[tier, default: [:]][priority] = SLATargets(firstResponseHours: targets.first_response_hours, resolutionHours: targets.resolution_hours)
                }
            }
        }
        if let tiers = file.tiers {
            // Per-tier settings for any tier the roster uses: SLA targets by priority and the
            // spike baseline of accounts too young for one of their own. Applied after `alerts:`
            // (below) would overwrite the detector settings, so they are kept and set there.
            for (tierName, settings) in tiers {
                guard let tier = CustomerTier(rawValue: tierName) else { throw ConfigurationError("tiers: '\(tierName)' is not a tier name") }
                for (priorityName, targets) in settings.sla ?? [:] {
                    guard let priority = Priority(rawValue: priorityName.uppercased()) else { throw ConfigurationError("tiers.\(tierName).sla: unknown priority '\(priorityName)' (P1–P4)") }
                    guard targets.first_response_hours > 0, targets.resolution_hours > 0 else { throw ConfigurationError("tiers.\(tierName).sla.\(priorityName): hours must be positive") }
                    answers.policy.tierOverrides[tier, default: [:]][priority] = SLATargets(firstResponseHours: targets.first_response_hours, resolutionHours: targets.resolution_hours)
                }
                if let baseline = settings.spike_baseline_per_day {
                    guard baseline > 0 else { throw ConfigurationError("tiers.\(tierName).spike_baseline_per_day must be positive") }
                    tierBaselines[tier] = baseline
                }
            }
        }
        if let weights = file.health?.weights {
            answers.weights = HealthWeights(
                csat: weights.csat ?? answers.weights.csat, sla: weights.sla ?? answers.weights.sla,
                escalations: weights.escalations ?? answers.weights.escalations, backlog: weights.backlog ?? answers.weights.backlog,
                supportShareOfHealth: weights.support_share ?? answers.weights.supportShareOfHealth
            )
        }
        if let threshold = file.answers?.low_csat_threshold { answers.lowCSATThreshold = threshold }
        if let alertsFile = file.alerts {
            do {
                alerts = try RoutingRules(file: alertsFile)
            } catch {
                throw ConfigurationError("alerts: \(error)")
            }
            alertsEnabled = alertsFile.enabled ?? true
            if let seconds = alertsFile.pass_interval_seconds {
                guard seconds >= 5 else { throw ConfigurationError("alerts.pass_interval_seconds must be at least 5") }
                alertInterval = .seconds(seconds)
            }
        }
        for (tier, baseline) in tierBaselines { alerts.detectors.tierBaselinePerDay[tier] = baseline }
        if let oauthFile = file.zendesk_oauth {
            zendeskOAuth = try ZendeskOAuthSettings(file: oauthFile, environment: environment)
        }
        try web.apply(file.web, environment: environment)
        if let rate = file.api?.rate_per_minute {
            guard rate >= 1 else { throw ConfigurationError("api.rate_per_minute must be at least 1") }
            apiRatePerMinute = rate
        }
        if let emailFile = file.email {
            do {
                email = try EmailSettings(file: emailFile, environment: environment)
            } catch {
                throw ConfigurationError(error.description)
            }
        }
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The file's shape; snake_case keys as people write YAML.
struct ConfigurationFile: Decodable {
    struct Server: Decodable { var host: String?; var port: Int? }
    /// `path`: a SQLite file; `url`: a PostgreSQL server (its password in the variable `password_env` names).
    struct Store: Decodable { var path: String?; var url: String?; var password_env: String? }
    struct Slack: Decodable {
        var signing_secret_env: String?
        var bot_token_env: String?
        var api_url: String?
        var bot_user_id: String?
        var worker_concurrency: Int?
        var socket_mode: Bool?
        var app_token_env: String?
    }
    struct Targets: Decodable { var first_response_hours: Double; var resolution_hours: Double }
    struct Health: Decodable {
        struct Weights: Decodable { var csat: Double?; var sla: Double?; var escalations: Double?; var backlog: Double?; var support_share: Double? }
        var weights: Weights?
    }
    struct Answers: Decodable { var low_csat_threshold: Double? }

    var server: Server?
    var store: Store?
    var slack: Slack?
    var sla: [String: [String: Targets]]?
    /// `tiers:`: per-tier settings keyed by any tier name the roster uses.
    struct Tier: Decodable { var sla: [String: Targets]?; var spike_baseline_per_day: Double? }
    var tiers: [String: Tier]?
    var health: Health?
    var answers: Answers?
    var intents_dir: String?
    var alerts: RoutingRules.File?
    var email: EmailSettings.File?
    var zendesk_oauth: ZendeskOAuthFile?
    var web: WebSettings.File?
    struct API: Decodable { var rate_per_minute: Int? }
    var api: API?
}
