import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseStorage

/// PRD-122's notification settings: the priorities that DM, the digest's time and where it
/// goes, quiet hours, snoozes — the same stored preferences "only DM me for P1" sets in the
/// chat — and the feeds the person or their channels subscribe to.
extension WebDashboard {
    func settingsPage(_ who: WebAuth.SignedIn, saved: Bool, invalid: String? = nil, form: WebForm? = nil) async throws -> Output {
        let at = now()
        let preferences = try await store.preferences(email: who.person.email)
        let names = try await store.customerNames()
        let zone = preferences.zoneName
        let dm = Set(preferences.effectiveDMPriorities)
        let subscriptions = try await store.subscriptions().filter { $0.target == .person(email: who.person.email) || $0.createdBy.lowercased() == who.person.email.lowercased() }
        var values: [String: Any] = [
            "zone": zone, "saved": saved,
            "priorities": Priority.allCases.map { ["value": $0.rawValue, "label": "\($0.rawValue) \($0.label)", "checked": dm.contains($0)] },
            "dmSummary": preferences.effectiveDMPriorities.map(\.rawValue).joined(separator: ", "),
            "digestOn": preferences.digestHour != nil,
            "digestTime": preferences.digestHour.map { String(format: "%02d:%02d", $0, preferences.digestMinute ?? 0) } ?? "09:00",
            "digestSummary": preferences.digestHour.map { String(format: "%02d:%02d ", $0, preferences.digestMinute ?? 0) + zone } ?? "off",
            "deliveries": DigestDelivery.allCases.map { ["value": $0.rawValue, "label": $0.label, "checked": $0 == preferences.digestDelivery] },
            "deliverySummary": preferences.digestDelivery.label + (preferences.digestDelivery.byEmail ? " (\(who.person.email))" : ""),
            "quietOn": preferences.quietStartHour != nil,
            "quietStarts": (0..<24).map { ["value": $0, "label": String(format: "%02d:00", $0), "selected": $0 == (preferences.quietStartHour ?? 20)] },
            "quietEnds": (0..<24).map { ["value": $0, "label": String(format: "%02d:00", $0), "selected": $0 == (preferences.quietEndHour ?? 7)] },
            "quietSummary": preferences.quietStartHour.map { String(format: "%02d:00–%02d:00 ", $0, preferences.quietEndHour ?? 0) + zone } ?? "none",
            "snoozes": preferences.snoozes.filter { $0.value > at }.sorted { $0.key < $1.key }.map {
                ["customerID": $0.key, "customer": names[$0.key] ?? $0.key, "until": WebFormat.dateTime($0.value)]
            },
            "subscriptions": subscriptions.map { subscription -> [String: Any] in
                let target: String = switch subscription.target {
                case .person: "your DMs"
                case .channel(let id): "<#\(id)>"
                }
                return ["target": target, "feed": subscription.feed.rawValue.replacingOccurrences(of: "_", with: " "),
                        "customer": subscription.customerID.flatMap { names[$0] } ?? "all your accounts",
                        "priorities": subscription.priorities.isEmpty ? "all" : subscription.priorities.map(\.rawValue).joined(separator: ", ")]
            },
        ]
        if let invalid { values["invalid"] = invalid }
        return .page(template: "settings", title: "Notification settings", values: values, shown: [], status: invalid == nil ? .ok : .badRequest)
    }

    /// The form, validated whole before anything is saved.
    func saveSettings(_ who: WebAuth.SignedIn, form: WebForm) async throws -> Output {
        var preferences = try await store.preferences(email: who.person.email)
        var dm: [Priority] = []
        for value in form.all("dm") {
            guard let priority = Priority(rawValue: value) else { return try await settingsPage(who, saved: false, invalid: "Invalid setting dm: “\(value)”.") }
            dm.append(priority)
        }
        guard !dm.isEmpty else { return try await settingsPage(who, saved: false, invalid: "Choose at least one priority to DM you for (P1 always comes through).") }
        var digest: (hour: Int, minute: Int)?
        if form["digest"] == "on" {
            let parts = (form["digest_time"] ?? "").split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                return try await settingsPage(who, saved: false, invalid: "Invalid setting digest_time: “\(form["digest_time"] ?? "")” is not a time like 09:00.")
            }
            digest = (parts[0], parts[1])
        }
        guard let delivery = DigestDelivery(rawValue: form["digest_delivery"] ?? preferences.digestDelivery.rawValue) else {
            return try await settingsPage(who, saved: false, invalid: "Invalid setting digest_delivery: “\(form["digest_delivery"] ?? "")”.")
        }
        var quiet: (start: Int, end: Int)?
        if form["quiet"] == "on" {
            guard let start = form["quiet_start"].flatMap(Int.init), let end = form["quiet_end"].flatMap(Int.init), (0..<24).contains(start), (0..<24).contains(end) else {
                return try await settingsPage(who, saved: false, invalid: "Invalid setting quiet hours: choose a start and an end hour.")
            }
            quiet = (start, end)
        }
        preferences.dmPriorities = dm.sorted()
        preferences.digestHour = digest?.hour
        preferences.digestMinute = digest?.minute
        preferences.digestDelivery = delivery
        preferences.quietStartHour = quiet?.start
        preferences.quietEndHour = quiet?.end
        for customer in form.all("unmute") { preferences.snoozes[customer] = nil }
        try await store.savePreferences(preferences, email: who.person.email, at: now())
        return .redirect("/app/settings?saved=1")
    }
}
