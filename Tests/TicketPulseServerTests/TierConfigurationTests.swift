import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseServer

/// `tiers:` in ticketpulse.yml: SLA targets and spike baselines for any tier name.
@Suite("Tier configuration")
struct TierConfigurationTests {
    static func load(_ yaml: String) throws -> AppConfiguration {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wt-nlu-tiers-\(UUID().uuidString).yml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AppConfiguration.load(path: path, databasePath: ":memory:", environment: [:])
    }

    @Test("Custom tiers get their SLA targets and spike baselines, with alerts configured or not")
    func customTiers() throws {
        let yaml = """
        tiers:
          strategic:
            sla:
              P1: { first_response_hours: 0.5, resolution_hours: 4 }
            spike_baseline_per_day: 2.5
          Tier 1:
            spike_baseline_per_day: 0.8
        """
        for text in [yaml, yaml + "\nalerts:\n  enabled: true\n"] {
            let configuration = try Self.load(text)
            #expect(configuration.answers.policy.targets(for: .p1, tier: CustomerTier("strategic")).firstResponse == 1800)
            // Priorities the tier does not set keep the standard targets.
            #expect(configuration.answers.policy.targets(for: .p3, tier: CustomerTier("strategic")) == SLAPolicy.standard.targets(for: .p3, tier: nil))
            #expect(configuration.alerts.detectors.tierBaselinePerDay[CustomerTier("strategic")] == 2.5)
            #expect(configuration.alerts.detectors.tierBaselinePerDay[CustomerTier("tier_1")] == 0.8)
        }
    }

    @Test("Bad tier settings are refused with the key named", arguments: [
        ("tiers:\n  strategic:\n    sla:\n      P9: { first_response_hours: 1, resolution_hours: 2 }\n", "P9"),
        ("tiers:\n  strategic:\n    spike_baseline_per_day: 0\n", "spike_baseline_per_day"),
        ("tiers:\n  strategic:\n    sla:\n      P1: { first_response_hours: -1, resolution_hours: 2 }\n", "positive"),
    ])
    func badSettings(yaml: String, mentions: String) throws {
        #expect { _ = try Self.load(yaml) } throws: { "\($0)".contains(mentions) }
    }
}
