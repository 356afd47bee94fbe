import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// `notification_settings`: which priorities DM the asker, digest time and where it goes
/// (Slack, email or both), quiet hours, snoozes.
struct NotificationSettingsHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        var preferences = try await context.store.preferences(email: context.asker.email)
        let text = context.text.lowercased()
        var changes: [String] = []
        // Hours are the asker's wall-clock hours in their roster zone (UTC when unknown);
        // every echoed time names that zone, so nobody has to guess.
        let zone = preferences.zoneName

        if let priorities = context.slots.priority, !text.contains("mute"), !text.contains("snooze") {
            preferences.dmPriorities = priorities.sorted()
            changes.append("DMs for \(priorities.sorted().map(\.rawValue).joined(separator: ", ")); other priorities go to your digest")
        }
        if text.contains("digest"), let time = Self.clockTime(in: text) {
            preferences.digestHour = time.hour
            preferences.digestMinute = time.minute
            changes.append(String(format: "daily digest at %02d:%02d ", time.hour, time.minute) + zone)
        }
        if let delivery = DigestDeliveryPhrase.delivery(in: text), delivery != preferences.digestDelivery {
            preferences.digestDelivery = delivery
            changes.append("digest by \(delivery.label)" + (delivery.byEmail ? " (to \(context.asker.email))" : ""))
        }
        if text.contains("quiet"), let hours = Self.quietHours(in: text) {
            preferences.quietStartHour = hours.start
            preferences.quietEndHour = hours.end
            changes.append(String(format: "quiet hours %02d:00–%02d:00 ", hours.start, hours.end) + zone + " (P1s still come through)")
        }
        if text.contains("mute") || text.contains("snooze") || text.contains("pause") || text.contains("silence") {
            let customer = try await context.requiredCustomer(example: "mute alerts for Acme until Monday")
            if text.contains("unmute") || text.contains("unsnooze") {
                preferences.snoozes[customer.id] = nil
                changes.append("alerts for \(customer.name) back on")
            } else {
                let until = Self.snoozeEnd(in: text, now: context.now)
                preferences.snoozes[customer.id] = until
                changes.append("alerts for \(customer.name) muted until \(Format.day(until)) \(Self.hourText(until, in: preferences.zone))")
            }
        }

        if !changes.isEmpty {
            try context.confirmBeforeWriting("change your notification settings: " + changes.joined(separator: "; ") + ".", shown: [])
            try await context.store.savePreferences(preferences, email: context.asker.email, at: context.now)
        }
        let names = try await TicketTable.names(context.store)
        let current = [
            ReplyField("DM me for", preferences.effectiveDMPriorities.map(\.rawValue).joined(separator: ", ")),
            ReplyField("Daily digest", preferences.digestHour.map { String(format: "%02d:%02d ", $0, preferences.digestMinute ?? 0) + zone } ?? "off"),
            ReplyField("Digest by", preferences.digestDelivery.label + (preferences.digestDelivery.byEmail ? " (\(context.asker.email))" : "")),
            ReplyField("Quiet hours", preferences.quietStartHour.map { String(format: "%02d:00–%02d:00 ", $0, preferences.quietEndHour ?? 0) + zone } ?? "none"),
            ReplyField("Time zone", preferences.timeZone == nil ? "UTC (none known; set a timezone in the roster)" : zone),
            ReplyField("Muted", preferences.snoozes.filter { $0.value > context.now }.map { "\(names[$0.key] ?? $0.key) until \(Format.day($0.value))" }.sorted().joined(separator: ", ").nonEmpty ?? "nothing"),
        ]
        let headline = changes.isEmpty
            ? "Your notification settings. Change them with e.g. \"only DM me for P1 and P2\", \"send me a daily digest at 9am\", \"send my digest by email\", \"quiet hours 8pm to 7am\", \"mute alerts for Acme until Monday\"."
            : "Saved: " + changes.joined(separator: "; ") + "."
        return HandlerResult(Reply(header: "Notification settings", blocks: [.section(headline), .fields(current)], fallbackText: headline))
    }

    /// "9am", "9:30", "17:00", "5 pm".
    static func clockTime(in text: String) -> (hour: Int, minute: Int)? {
        guard let match = text.firstMatch(of: #/(\d{1,2})(?::(\d{2}))?\s*(am|pm)?/#) else { return nil }
        guard var hour = Int(match.1), hour < 24 else { return nil }
        let minute = match.2.flatMap { Int($0) } ?? 0
        if match.3 == "pm", hour < 12 { hour += 12 }
        if match.3 == "am", hour == 12 { hour = 0 }
        return minute < 60 ? (hour, minute) : nil
    }

    /// "quiet hours 8pm to 7am", "quiet hours from 22 to 6".
    static func quietHours(in text: String) -> (start: Int, end: Int)? {
        guard let match = text.firstMatch(of: #/(\d{1,2})\s*(am|pm)?\s*(?:to|-|–|until)\s*(\d{1,2})\s*(am|pm)?/#) else { return nil }
        func hour(_ value: Substring, _ meridiem: Substring?) -> Int? {
            guard var hour = Int(value), hour < 24 else { return nil }
            if meridiem == "pm", hour < 12 { hour += 12 }
            if meridiem == "am", hour == 12 { hour = 0 }
            return hour
        }
        guard let start = hour(match.1, match.2), let end = hour(match.3, match.4) else { return nil }
        return (start, end)
    }

    /// "until Monday" (the next one), "until tomorrow", "for 3 days", "for 2 hours"; a day by default.
    static func snoozeEnd(in text: String, now: Date) -> Date {
        let startOfToday = TimeExpressionParser.calendar.startOfDay(for: now)
        if let match = text.firstMatch(of: #/for (\d+) (hour|day|week)s?/#), let count = Int(match.1) {
            let unit: Double = match.2 == "hour" ? 3600 : match.2 == "day" ? 86_400 : 7 * 86_400
            return now.addingTimeInterval(Double(count) * unit)
        }
        if text.contains("until tomorrow") { return startOfToday.addingTimeInterval(86_400) }
        if text.contains("next week") || text.contains("a week") { return now.addingTimeInterval(7 * 86_400) }
        if let weekday = TimeExpressionParser.weekdays.first(where: { text.contains("until \($0)") || text.contains("till \($0)") }),
           let start = TimeExpressionParser.startOfNext(weekday: weekday, after: now) {
            return start
        }
        return now.addingTimeInterval(86_400)
    }

    static func hourText(_ date: Date, in zone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return String(format: "%02d:%02d ", calendar.component(.hour, from: date), calendar.component(.minute, from: date)) + NotificationPreferences.name(of: zone)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
