import Foundation
import Testing
import TicketPulseCore
import Yams
@testable import TicketPulseWorkflows

@Suite("Routing rules and conditions from ticketpulse.yml")
struct RoutingRulesTests {
    static func alert(_ kind: AlertKind = .spike, severity: AlertSeverity, tier: CustomerTier = .midMarket, priority: Priority = .p2, arr: Double = 50_000) -> Alert {
        Alert(kind: kind, severity: severity, customer: Customer(id: "c", name: "C", tier: tier, arr: arr), dedupKey: "k",
              ticket: AlertTicket(source: .zendesk, externalID: "1", subject: "s", priority: priority, category: .billing),
              title: "t", explanation: "e", detectedAt: Date(timeIntervalSince1970: 0))
    }

    @Test("Conditions compare severity and priority by rank, names by value, and combine with and/or")
    func conditions() throws {
        #expect(try AlertCondition("severity == 'critical'").matches(Self.alert(severity: .critical)))
        #expect(try !AlertCondition("severity == 'critical'").matches(Self.alert(severity: .high)))
        #expect(try AlertCondition("severity >= 'high'").matches(Self.alert(severity: .critical)))
        #expect(try !AlertCondition("severity >= 'high'").matches(Self.alert(severity: .medium)))
        #expect(try AlertCondition("priority >= 'P2'").matches(Self.alert(severity: .low, priority: .p1)))
        #expect(try !AlertCondition("priority >= 'P2'").matches(Self.alert(severity: .low, priority: .p3)))
        #expect(try AlertCondition("priority in ['P1', 'P2']").matches(Self.alert(severity: .low, priority: .p2)))
        #expect(try AlertCondition("tier == 'enterprise' or severity == 'critical'").matches(Self.alert(severity: .critical)))
        #expect(try !AlertCondition("tier == 'enterprise' and severity == 'critical'").matches(Self.alert(severity: .critical)))
        #expect(try AlertCondition("arr >= 100000").matches(Self.alert(severity: .low, arr: 250_000)))
        #expect(try AlertCondition("category == 'billing'").matches(Self.alert(severity: .low)))
    }

    @Test("A bad condition is an error that names it")
    func badCondition() {
        #expect(throws: ConfigurationProblem("condition 'colour == 'red'': unknown field 'colour' (severity, kind, tier, priority, category, arr, feed)")) {
            try AlertCondition("colour == 'red'")
        }
        #expect(throws: ConfigurationProblem.self) { try AlertCondition("severity critical") }
        #expect(throws: ConfigurationProblem.self) { try AlertCondition("priority in P1") }
    }

    @Test("Workflows, category routes and detector settings are read from the alerts: section")
    func fromYAML() throws {
        let yaml = """
            escalations_channel: C0ESC
            support_lead: Lead@Example.com
            categories:
              technical: { people: [lead@example.com], channels: [C0PRODUCT] }
              billing: { channels: [C0FINANCE] }
            detectors: { spike.threshold: 4, csat.decline: 25 }
            workflows:
              - name: enterprise_p1
                trigger: [new_ticket]
                filter: "tier == 'enterprise' and priority == 'P1'"
                steps:
                  - slack_dm: manager
                  - slack_channel_post: escalations
                  - create_task: { title: "Call {{customer}}", due_hours: 2 }
                    when: "severity >= 'high'"
            """
        let rules = try RoutingRules(file: YAMLDecoder().decode(RoutingRules.File.self, from: yaml))
        #expect(rules.escalationsChannel == "C0ESC")
        #expect(rules.supportLead == "lead@example.com")
        #expect(rules.categories[.technical] == RoutingRules.CategoryRoute(people: ["lead@example.com"], channels: ["C0PRODUCT"]))
        #expect(rules.detectors.spikeThreshold == 4)
        #expect(rules.detectors.csatDeclineShare == 0.25)
        #expect(rules.workflows.map(\.name) == ["spike_response", "poor_csat_follow_up", "escalation_coordination", "enterprise_p1"])
        let custom = try #require(rules.workflows.last)
        #expect(custom.applies(to: Self.alert(.newTicket, severity: .high, tier: .enterprise, priority: .p1)))
        #expect(!custom.applies(to: Self.alert(.newTicket, severity: .high, tier: .enterprise, priority: .p2)))
        #expect(custom.steps.last?.step == .createTask(title: "Call {{customer}}", dueHours: 2))
    }

    @Test("Configuration mistakes name the place")
    func mistakes() throws {
        func load(_ yaml: String) throws -> RoutingRules { try RoutingRules(file: YAMLDecoder().decode(RoutingRules.File.self, from: yaml)) }
        #expect(throws: ConfigurationProblem.self) { try load("categories: { plumbing: { channels: [C1] } }") }
        #expect(throws: ConfigurationProblem("alerts.workflows.w.steps[0]: a step is one of slack_dm, slack_channel_post, create_task, draft_email, update_health_score")) {
            try load("workflows: [{ name: w, trigger: [spike], steps: [{ when: \"severity == 'high'\" }] }]")
        }
        #expect(throws: ConfigurationProblem.self) { try load("workflows: [{ name: w, trigger: [spikes], steps: [] }]") }
        #expect(throws: ConfigurationProblem.self) { try load("detectors: { spike.treshold: 4 }") }
    }
}
