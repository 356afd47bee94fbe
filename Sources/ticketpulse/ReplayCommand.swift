import ArgumentParser
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseServer
import TicketPulseStorage
import TicketPulseWorkflows

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Backtest the alert rules over stored history: what would have fired, and who would have heard at once or in a digest.",
        discussion: "Settings for --set: \((DetectorSettings.settingNames + GroupingSettings.settingNames).joined(separator: ", "))."
    )

    @Option(help: "Start, a date (2026-11-01) or ISO-8601 time, UTC.")
    var from: String
    @Option(help: "End (exclusive), a date or ISO-8601 time, UTC.")
    var to: String
    @Option(name: .customLong("set"), help: "Override a detector setting, e.g. --set spike.threshold=4 (repeatable).")
    var settings: [String] = []
    @Option(help: "Hours between detector passes (default 1).")
    var stepHours: Double = 1
    @Flag(help: "Print one JSON object: per person the pings, updates and digest items per day, and how many urgent items were seen within 5 s.")
    var json = false
    @OptionGroup var store: StoreOptions
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let period = Period(start: try Self.date(from, option: "--from"), end: try Self.date(to, option: "--to"))
        guard period.duration > 0 else { throw ValidationError("--to must be after --from") }
        guard stepHours > 0 else { throw ValidationError("--step-hours must be positive") }
        guard store.isURL || FileManager.default.fileExists(atPath: store.path) else { throw AskFailure("no store at \(store.path); run `ticketpulse demo` first or pass --db") }
        var configuration = try config.load(store: store)
        for setting in settings {
            let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--set '\(setting)': expected name=value, e.g. spike.threshold=4") }
            do {
                // Grouping timers and the budget too, so their defaults can be tried here.
                if try !configuration.alerts.grouping.set(parts[0], to: parts[1]) {
                    try configuration.alerts.detectors.set(parts[0], to: parts[1])
                }
            } catch {
                throw ValidationError("--set '\(setting)': \(error)")
            }
        }
        let router = AlertRouter(rules: configuration.alerts, messages: AlertMessages(templates: nil))
        let rules = configuration
        let report = try await StoreLocation.withStore(rules.databasePath, password: rules.databasePassword) { ticketStore in
            try await AlertReplay(store: ticketStore, router: router, sla: rules.answers.policy).run(period, step: stepHours * 3600)
        }
        print(json ? try report.json() : Self.render(report, settings: settings))
    }


    static func date(_ text: String, option: String) throws -> Date {
        if let time = ISO8601DateFormatter().date(from: text) { return time }
        if let day = ISO8601DateFormatter().date(from: text + "T00:00:00Z") { return day }
        throw ValidationError("\(option) '\(text)' is not a date like 2026-11-01 or a time like 2026-11-01T09:00:00Z")
    }

    static func render(_ report: AlertReplay.Report, settings: [String]) -> String {
        let byRule = AlertKind.allCases.compactMap { kind -> [String]? in
            guard let counts = report.byRule[kind] else { return nil }
            return [kind.rawValue, "\(counts.alerts)", "\(counts.immediate)", "\(counts.digestOnly)", "\(counts.inhibited)", "\(counts.unrouted)"]
        }
        let total = report.byRule.values.reduce(AlertReplay.Counts()) { sum, counts in
            var sum = sum
            sum.alerts += counts.alerts; sum.immediate += counts.immediate; sum.digestOnly += counts.digestOnly
            sum.inhibited += counts.inhibited; sum.unrouted += counts.unrouted
            return sum
        }
        let byCSM = report.byCSM.sorted { $0.key < $1.key }.map { [$0.key, "\($0.value.alerts)", "\($0.value.dms)", "\($0.value.digestItems)"] }
        let from = report.period.start.formatted(.iso8601), to = report.period.end.formatted(.iso8601)
        var reply = Reply(header: "Replay \(from) → \(to)", blocks: [
            .context("\(report.steps) detector passes\(settings.isEmpty ? "" : "; " + settings.joined(separator: ", ")). Nothing was stored or sent."),
            .table(ReplyTable(columns: ["rule", "alerts", "at once", "digest only", "in a spike's thread", "nobody to tell"],
                              rows: byRule + [["total", "\(total.alerts)", "\(total.immediate)", "\(total.digestOnly)", "\(total.inhibited)", "\(total.unrouted)"]])),
        ], fallbackText: "replay")
        if !byCSM.isEmpty { reply.blocks.append(.table(ReplyTable(columns: ["CSM", "alerts", "DMs at once", "digest items"], rows: byCSM))) }
        return TextRenderer().render(reply)
    }
}
