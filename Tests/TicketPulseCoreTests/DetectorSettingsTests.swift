import Foundation
import Testing
import TicketPulseCore

/// `replay --set name=value` and configuration go through `DetectorSettings.set`.
@Suite("Detector settings")
struct DetectorSettingsTests {
    /// Each name, a value, and what it must change.
    static let cases: [(name: String, text: String, change: @Sendable (inout DetectorSettings) -> Void)] = [
        ("spike.threshold", "4", { $0.spikeThreshold = 4 }),
        ("spike.critical", "6.5", { $0.spikeCriticalMultiple = 6.5 }),
        ("spike.lookback_hours", "168", { $0.spikeLookback = 7 * 86_400 }),
        ("spike.baseline_days", "28", { $0.baselineDays = 28 }),
        ("spike.baseline.enterprise", "2.5", { $0.tierBaselinePerDay[.enterprise] = 2.5 }),
        ("spike.baseline.mid_market", "1.2", { $0.tierBaselinePerDay[.midMarket] = 1.2 }),
        ("spike.baseline.smb", "0.25", { $0.tierBaselinePerDay[.smb] = 0.25 }),
        ("burst.count", "5", { $0.burstCount = 5 }),
        ("csat.poor_max", "1", { $0.csatPoorMax = 1 }),
        ("csat.decline", "0.3", { $0.csatDeclineShare = 0.3 }),
        ("csat.minimum_ratings", "4", { $0.csatDeclineMinimumRatings = 4 }),
        ("high_value_arr", "250000", { $0.highValueARR = 250_000 }),
        ("aging.multiple", "3", { $0.agingMultiple = 3 }),
        ("events.lookback_hours", "48", { $0.eventLookback = 2 * 86_400 }),
    ]

    @Test("Every setting name sets its setting, and only that one")
    func everyNameSetsItsSetting() throws {
        #expect(Self.cases.map(\.name) == DetectorSettings.settingNames)
        for (name, text, change) in Self.cases {
            var expected = DetectorSettings()
            change(&expected)
            #expect(expected != DetectorSettings(), "\(name): the case must change something")
            var settings = DetectorSettings()
            try settings.set(name, to: text)
            #expect(settings == expected, "\(name)=\(text)")
        }
    }

    @Test("Surrounding spaces are fine; a CSAT decline may be given in percent")
    func lenientForms() throws {
        var settings = DetectorSettings()
        try settings.set("spike.threshold", to: " 4.5 ")
        #expect(settings.spikeThreshold == 4.5)
        try settings.set("csat.decline", to: "25")
        #expect(settings.csatDeclineShare == 0.25)
        // Counts of zero mean at least one.
        try settings.set("burst.count", to: "0")
        #expect(settings.burstCount == 1)
    }

    @Test("An unknown name is refused and the known names are listed")
    func unknownName() {
        var settings = DetectorSettings()
        #expect(throws: DetectorSettingError.unknown(name: "spike.treshold")) { try settings.set("spike.treshold", to: "4") }
        #expect(settings == DetectorSettings())
        let message = DetectorSettingError.unknown(name: "spike.treshold").description
        #expect(message.hasPrefix("unknown detector setting 'spike.treshold'; known: spike.threshold, spike.critical"))
    }

    @Test("Bad numbers are refused, never a crash", arguments: [
        ("spike.threshold", "four"), ("spike.threshold", ""), ("spike.threshold", "-1"), ("spike.critical", "nan"),
        ("spike.critical", "inf"), ("aging.multiple", "1,5"),
        // Counts and days are whole numbers: a fraction is a typo, and a huge value would not fit.
        ("burst.count", "2.5"), ("spike.baseline_days", "1e300"), ("csat.poor_max", "1e20"), ("csat.minimum_ratings", "0.5"),
        // A window or baseline of zero would divide by zero.
        ("spike.lookback_hours", "0"), ("spike.baseline.smb", "0"),
    ])
    func badValues(name: String, text: String) {
        var settings = DetectorSettings()
        #expect(throws: DetectorSettingError.badValue(name: name, value: text)) { try settings.set(name, to: text) }
        #expect(settings == DetectorSettings())
        #expect(DetectorSettingError.badValue(name: name, value: text).description == "'\(text)' is not a number for \(name)")
    }

    @Test("Extreme but valid settings still give alerts, not a crash")
    func extremeSettingsDoNotTrap() throws {
        var settings = DetectorSettings()
        try settings.set("spike.lookback_hours", to: "1e300")
        try settings.set("spike.baseline.mid_market", to: "1e-300")
        let tickets = DetectorFixture.recent(3)
        let alerts = DetectorFixture.alerts(tickets, customer: DetectorFixture.customer(onboardedAt: nil), settings: settings)
        #expect(alerts.of(.spike).count == 1)
    }
}
