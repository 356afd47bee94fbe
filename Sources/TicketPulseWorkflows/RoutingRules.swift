import Foundation
import TicketPulseCore

/// Who hears about what, as data (`alerts:` in `ticketpulse.yml`). The defaults reproduce
/// PRD-087 §4.4 (spike: the CSM at once, the manager when critical, a 4-hour review task,
/// health −15, an acknowledgment email drafted) and PRD-102 §4.2 (poor rating: the CSM at
/// once, a 24-hour follow-up task, a satisfaction follow-up drafted).
public struct RoutingRules: Sendable {
    /// Where escalations are coordinated (and security/outage alerts always go).
    public var escalationsChannel: String?
    /// The support lead: technical alerts, war rooms.
    public var supportLead: String?
    /// Category routes: technical → support lead and product channel, billing → finance…
    public var categories: [TicketCategory: CategoryRoute]
    public var workflows: [Workflow]
    public var detectors: DetectorSettings
    /// Grouping into live DMs and the interruption budget.
    public var grouping = GroupingSettings()

    public init(escalationsChannel: String? = nil, supportLead: String? = nil, categories: [TicketCategory: CategoryRoute] = [:],
                workflows: [Workflow] = RoutingRules.defaultWorkflows, detectors: DetectorSettings = DetectorSettings()) {
        self.escalationsChannel = escalationsChannel
        self.supportLead = supportLead
        self.categories = categories
        self.workflows = workflows
        self.detectors = detectors
    }

    public struct CategoryRoute: Sendable, Equatable {
        public var people: [String]
        public var channels: [String]

        public init(people: [String] = [], channels: [String] = []) {
            self.people = people
            self.channels = channels
        }
    }

    /// Who a step addresses.
    public enum Audience: Sendable, Equatable {
        case csm, manager, supportLead
        case person(email: String)

        init(_ text: String) {
            switch text.lowercased() {
            case "csm": self = .csm
            case "manager": self = .manager
            case "support_lead": self = .supportLead
            default: self = .person(email: text.lowercased())
            }
        }
    }

    public enum Step: Sendable, Equatable {
        case slackDM(Audience)
        /// A channel id, or `escalations` for the escalations channel.
        case slackChannelPost(String)
        /// `{{customer}}` in the title is the customer's name.
        case createTask(title: String, dueHours: Double)
        case draftEmail(template: String)
        case updateHealthScore(Double)
    }

    public struct ConditionalStep: Sendable, Equatable {
        public var step: Step
        public var when: AlertCondition?

        public init(_ step: Step, when: AlertCondition? = nil) {
            self.step = step
            self.when = when
        }
    }

    public struct Workflow: Sendable, Equatable {
        public var name: String
        /// Alert kinds that start it; empty means any.
        public var triggers: [AlertKind]
        public var filter: AlertCondition?
        public var steps: [ConditionalStep]

        public init(name: String, triggers: [AlertKind], filter: AlertCondition? = nil, steps: [ConditionalStep]) {
            self.name = name
            self.triggers = triggers
            self.filter = filter
            self.steps = steps
        }

        public func applies(to alert: Alert) -> Bool {
            (triggers.isEmpty || triggers.contains(alert.kind)) && (filter?.matches(alert) ?? true)
        }
    }

    public static let defaultWorkflows: [Workflow] = {
        // Conditions here are constants: a failure would be a programming error caught by the tests.
        let critical = try! AlertCondition("severity == 'critical'")
        return [
            Workflow(name: "spike_response", triggers: [.spike], steps: [
                ConditionalStep(.slackDM(.csm)),
                ConditionalStep(.slackDM(.manager), when: critical),
                ConditionalStep(.slackChannelPost("escalations"), when: critical),
                ConditionalStep(.createTask(title: "Review ticket spike for {{customer}}", dueHours: 4)),
                ConditionalStep(.updateHealthScore(-15)),
                ConditionalStep(.draftEmail(template: "spike_acknowledgment")),
            ]),
            Workflow(name: "poor_csat_follow_up", triggers: [.csatLow], steps: [
                ConditionalStep(.slackDM(.csm)),
                ConditionalStep(.slackDM(.manager), when: critical),
                ConditionalStep(.createTask(title: "Follow up on the low CSAT rating from {{customer}}", dueHours: 24)),
                ConditionalStep(.draftEmail(template: "satisfaction_followup")),
            ]),
            Workflow(name: "escalation_coordination", triggers: [.escalation], steps: [
                ConditionalStep(.slackDM(.csm)),
                ConditionalStep(.slackChannelPost("escalations")),
            ]),
        ]
    }()
}

// MARK: - Reading `alerts:` from ticketpulse.yml

extension RoutingRules {
    /// The `alerts:` section's shape, snake_case as people write YAML.
    public struct File: Decodable, Sendable {
        public struct Route: Decodable, Sendable { var people: [String]?; var channels: [String]? }
        public struct StepFile: Decodable, Sendable {
            var slack_dm: String?
            var slack_channel_post: String?
            var create_task: TaskFile?
            var draft_email: String?
            var update_health_score: Double?
            var when: String?
        }
        public struct TaskFile: Decodable, Sendable { var title: String; var due_hours: Double? }
        public struct WorkflowFile: Decodable, Sendable {
            var name: String
            var trigger: [String]?
            var filter: String?
            var steps: [StepFile]
        }

        var escalations_channel: String?
        var support_lead: String?
        var categories: [String: Route]?
        /// `replace` drops the default workflows; otherwise the file's are added to them.
        var replace_default_workflows: Bool?
        var workflows: [WorkflowFile]?
        var detectors: [String: Double]?
        public var pass_interval_seconds: Int?
        public var enabled: Bool?
        var group_wait: Double?
        var group_interval: Double?
        var repeat_interval: Double?
        var budget: GroupingSettings.File.Budget?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case escalations_channel, support_lead, categories, replace_default_workflows, workflows, detectors, pass_interval_seconds, enabled
            case group_wait, group_interval, repeat_interval, budget
        }

        /// Strict: a misspelt key would otherwise be dropped without a word, and the setting
        /// the operator meant would silently not apply.
        public init(from decoder: any Decoder) throws {
            try ConfigurationProblem.rejectUnknownKeys(in: decoder, known: CodingKeys.allCases.map(\.rawValue), at: "alerts")
            let container = try decoder.container(keyedBy: CodingKeys.self)
            escalations_channel = try container.decodeIfPresent(String.self, forKey: .escalations_channel)
            support_lead = try container.decodeIfPresent(String.self, forKey: .support_lead)
            categories = try container.decodeIfPresent([String: Route].self, forKey: .categories)
            replace_default_workflows = try container.decodeIfPresent(Bool.self, forKey: .replace_default_workflows)
            workflows = try container.decodeIfPresent([WorkflowFile].self, forKey: .workflows)
            detectors = try container.decodeIfPresent([String: Double].self, forKey: .detectors)
            pass_interval_seconds = try container.decodeIfPresent(Int.self, forKey: .pass_interval_seconds)
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
            group_wait = try container.decodeIfPresent(Double.self, forKey: .group_wait)
            group_interval = try container.decodeIfPresent(Double.self, forKey: .group_interval)
            repeat_interval = try container.decodeIfPresent(Double.self, forKey: .repeat_interval)
            budget = try container.decodeIfPresent(GroupingSettings.File.Budget.self, forKey: .budget)
        }
    }

    public init(file: File) throws {
        self.init(escalationsChannel: file.escalations_channel, supportLead: file.support_lead?.lowercased())
        for (name, route) in file.categories ?? [:] {
            guard let category = TicketCategory(rawValue: name) else {
                throw ConfigurationProblem("alerts.categories: unknown category '\(name)' (\(TicketCategory.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            categories[category] = CategoryRoute(people: (route.people ?? []).map { $0.lowercased() }, channels: route.channels ?? [])
        }
        var workflows = file.replace_default_workflows == true ? [] : Self.defaultWorkflows
        for workflow in file.workflows ?? [] {
            let triggers = try (workflow.trigger ?? []).filter { $0 != "any" }.map { name -> AlertKind in
                guard let kind = AlertKind(rawValue: name) else {
                    throw ConfigurationProblem("alerts.workflows.\(workflow.name): unknown trigger '\(name)' (\(AlertKind.allCases.map(\.rawValue).joined(separator: ", ")), any)")
                }
                return kind
            }
            let steps = try workflow.steps.enumerated().map { index, step -> ConditionalStep in
                let when = try step.when.map(AlertCondition.init)
                let where_ = "alerts.workflows.\(workflow.name).steps[\(index)]"
                if let audience = step.slack_dm { return ConditionalStep(.slackDM(Audience(audience)), when: when) }
                if let channel = step.slack_channel_post { return ConditionalStep(.slackChannelPost(channel), when: when) }
                if let task = step.create_task {
                    guard (task.due_hours ?? 24) > 0 else { throw ConfigurationProblem("\(where_).create_task.due_hours must be positive") }
                    return ConditionalStep(.createTask(title: task.title, dueHours: task.due_hours ?? 24), when: when)
                }
                if let template = step.draft_email { return ConditionalStep(.draftEmail(template: template), when: when) }
                if let delta = step.update_health_score { return ConditionalStep(.updateHealthScore(delta), when: when) }
                throw ConfigurationProblem("\(where_): a step is one of slack_dm, slack_channel_post, create_task, draft_email, update_health_score")
            }
            // A same-named workflow in the file replaces the default one.
            workflows.removeAll { $0.name == workflow.name }
            workflows.append(Workflow(name: workflow.name, triggers: triggers, filter: try workflow.filter.map(AlertCondition.init), steps: steps))
        }
        self.workflows = workflows
        grouping = try GroupingSettings(file: GroupingSettings.File(group_wait: file.group_wait, group_interval: file.group_interval,
                                                                    repeat_interval: file.repeat_interval, budget: file.budget))
        for (name, value) in file.detectors ?? [:] {
            do {
                try detectors.set(name, to: String(value))
            } catch {
                throw ConfigurationProblem("alerts.detectors: \(error)")
            }
        }
    }
}
