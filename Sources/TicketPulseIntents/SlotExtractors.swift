import Foundation
import TicketPulseCore

/// Rules for the slots other than customer and period. Each returns the value and the
/// words that said it, so the classifier can see a placeholder in their place.
enum SlotExtractors {
    struct Found<Value> {
        var value: Value
        var spans: [String]
    }

    // The patterns are built once: a regex literal is parsed again every time it is
    // evaluated, which made a parse cost milliseconds. Regex is not Sendable, but these
    // are immutable after initialisation and only read.
    nonisolated(unsafe) private static let ticketPatterns: [Regex<(Substring, Substring)>] = [
        (#/#(\d{3,})\b/#).quick,
        (#/\b(?:ticket|tickets|case|conversation|tkt|id)\s*(?:#|no\.?\s*|number\s*)?(\d{3,})\b/#).quick,
        (#/\b(?:note|notes|comment)\s+(?:to|on|for)\s+(?:ticket\s+)?#?(\d{3,})\b/#).quick,
        (#/\b(?:escalate|escalating|escalation\s+(?:for|on|of))\s+(?:ticket\s+)?#?(\d{3,})\b/#).quick,
        (#/\b(?:with|about|on|for|of|is)\s+#?(\d{3,})\b/#).quick,
        (#/^#?(\d{3,})\b/#).quick,
        (#/\b(?:tikcet|tiket|tickt|tix|tcket)\s*#?(\d{3,})\b/#).quick,
        // A bare number of three digits or more in a ticket question is the ticket.
        (#/(?:^|\s)#?(\d{3,})(?:\s|$)/#).quick,
    ]
    nonisolated(unsafe) private static let priorityWords: [(Trigger, Regex<Substring>, Priority)] = [
        (Trigger("urgent", "critical", "sev1", "blocker"), (#/\b(?:urgent|critical|sev1|blocker)s?\b(?:\s+priority)?/#).quick, .p1),
        (Trigger("high"), (#/\bhigh(?:-|\s+)?(?:priority|prio|pri)\b|\bhigh\b(?=\s+(?:and|or|tickets?|issues?|cases?))/#).quick, .p2),
        (Trigger("medium", "normal"), (#/\b(?:medium|normal)(?:\s+(?:priority|prio))?\b/#).quick, .p3),
        (Trigger("low"), (#/\blow(?:-|\s+)?(?:priority|prio)\b|\blow\b(?=\s+(?:and|or|tickets?|issues?|cases?))/#).quick, .p4),
    ]
    /// The fourth element, where a pattern is `\b(?:a|b|…)\b` over fixed words, is those words
    /// in the order the pattern tries them, for `ASCIIText.firstWord` to find the same match in
    /// ASCII text without the regex engine ("open tickets at acme" is a common question).
    nonisolated(unsafe) private static let statusRules: [(Trigger, Regex<Substring>, TicketStatusFilter, [[UInt8]]?)] = [
        (Trigger("any status", "all statuses", "including closed", "all tickets", "every ticket"),
         (#/\b(?:any status|all statuses|including closed|all tickets|every ticket)\b/#).quick, .all,
         ["any status", "all statuses", "including closed", "all tickets", "every ticket"].map { Array($0.utf8) }),
        (Trigger("hold"), (#/\bon[- ]hold\b/#).quick, .status(.onHold), ["on-hold", "on hold"].map { Array($0.utf8) }),
        (Trigger("pending", "waiting on ", "awaiting customer"), (#/\b(?:pending|waiting on (?:the )?customer|awaiting customer)\b/#).quick, .status(.pending), nil),
        (Trigger("not closed", "not resolved", "open", "unresolved", "outstanding", "active"),
         (#/\bnot (?:closed|resolved)\b|\b(?:open|unresolved|outstanding|active|opened and unresolved)\b/#).quick, .unresolved,
         ["not closed", "not resolved", "open", "unresolved", "outstanding", "active", "opened and unresolved"].map { Array($0.utf8) }),
        (Trigger("solved"), (#/\bsolved\b/#).quick, .status(.solved), [Array("solved".utf8)]),
        (Trigger("closed"), (#/\bclosed\b/#).quick, .status(.closed), [Array("closed".utf8)]),
        (Trigger("resolved", "fixed", "done"), (#/\b(?:resolved|fixed|done)\b/#).quick, .resolved, ["resolved", "fixed", "done"].map { Array($0.utf8) }),
        (Trigger("new"), (#/\bnew\b(?=\s+(?:tickets?|p[1-4]|urgent|critical|high|low|cases?|issues?|ones?))/#).quick, .status(.new), nil),
    ]
    nonisolated(unsafe) private static let categoryRules: [(Trigger, Regex<Substring>, TicketCategory)] = [
        (Trigger("feature ", "enhancement "), (#/\b(?:feature requests?|feature asks?|enhancement requests?|feature ideas?)\b/#).quick, .featureRequest),
        (Trigger("billing", "invoic", "payment", "charge", "refund"), (#/\b(?:billing|invoices?|invoicing|payments?|charges?|refunds?)\b/#).quick, .billing),
        // "howto" or "how-to", not "how": "show" has that.
        (Trigger("howto", "how-to", "training", "onboarding"), (#/\b(?:how-?to(?: questions?)?|training|onboarding questions?|onboarding)\b/#).quick, .training),
        (Trigger("security", "vulnerabilit", "breach", "phishing"), (#/\b(?:security|vulnerabilit(?:y|ies)|breach(?:es)?|phishing)\b/#).quick, .security),
        (Trigger("outage", "downtime", "service down", "incident"), (#/\b(?:outages?|downtime|service down|incidents?)\b/#).quick, .outage),
        (Trigger("bug", "technical", "error", "crash", "api issue", "defect"),
         (#/\b(?:bugs?|bug reports?|technical|errors?|crash(?:es)?|api issues?|defects?)\b/#).quick, .technical),
    ]
    nonisolated(unsafe) private static let feedRules: [(Trigger, Regex<Substring>, AlertFeed)] = [
        // Past "everything", a match names the feeds ("all the alerts") or is "all of them".
        // "every alert there is", "every single notification": every feed, unlike "every escalation".
        (Trigger("everything", "alerts", "notifications", "feeds", "all of them", "every alert", "every notification", "every single alert", "every single notification", "every feed"),
         (#/\b(?:everything|all (?:the |my |of my |of the )?(?:alerts|notifications|feeds)|all of them|every (?:single )?(?:alert|notification|feed)s?)\b/#).quick, .all),
        (Trigger("escal"), (#/\bescal\w*/#).quick, .escalations),
        (Trigger("spik", "surge"), (#/\bspikes?\b|\bspiking\b|\bsurges?\b/#).quick, .spikes),
        (Trigger("csat", "satisfaction", "rating"), (#/\bcsat\w*|\bsatisfaction\b|\b(?:low|bad|poor) ratings?\b|\bratings?\b/#).quick, .csat),
        (Trigger("sla", "breach"), (#/\bsla\w*|\bbreach\w*/#).quick, .sla),
        (Trigger("new ", "ticket created"),
         (#/\bnew tickets?\b|\bnew (?:qqpriority(?: (?:or|and) qqpriority)? )?tickets?\b|\bticket created\b|\bnew cases?\b/#).quick, .newTickets),
    ]
    nonisolated(unsafe) private static let yearAfterPeriodWord =
        (#/\b(q[1-4]|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|in|since|of|year|fy)\s+(?:19|20)\d\d\b/#).quick
    nonisolated(unsafe) private static let ticketNumberWithPrefix = (#/\b([A-Za-z]{2,6}-\d{2,4}-\d{2,})\b/#).quick
    private static let ticketNumberWithPrefixTrigger = Trigger("-")
    /// Every ticket pattern needs three digits in a row.
    private static let ticketTrigger = Trigger(digits: 3)
    nonisolated(unsafe) private static let priorityCode = (#/\b(?:p|sev|sev-|priority\s*)([1-4])s?\b/#).quick
    private static let priorityCodeTrigger = Trigger("1", "2", "3", "4")
    nonisolated(unsafe) private static let channelName = (#/(?:^|\s)#([a-z0-9][a-z0-9_-]{1,79})\b/#).quick
    private static let channelNameTrigger = Trigger("#")
    nonisolated(unsafe) private static let me = (#/\b(?:me|my dms?|i)\b/#).quick
    /// `me`'s alternatives in the order it tries them, for `ASCIIText.firstWord`.
    static let meWords = ["me", "my dms", "my dm", "i"].map { Array($0.utf8) }
    nonisolated(unsafe) private static let thresholdPhrase = (#/(?:\b(?:below|under|less than|lower than|beneath|at most)|<=?)\s*(\d+(?:\.\d+)?)\s*%?/#).quick
    private static let thresholdTrigger = Trigger("below", "under", "less than", "lower than", "beneath", "at most", "<")
    nonisolated(unsafe) private static let notePatterns: [Regex<(Substring, Substring)>] = [(#/(?i)(?:note|comment)[^:]*:\s*(.+)$/#).quick, (#/(?i)\d{3,}\s*[-–—:]\s*(.+)$/#).quick, (#/(?i)\b(?:saying|that says|that|with)\s+["“]?(.+?)["”]?$/#).quick]
    nonisolated(unsafe) private static let escalationReasonPatterns: [Regex<(Substring, Substring)>] = [(#/(?i)\b(?:because|since|reason:?|as|due to)\s+(.+)$/#).quick, (#/(?i)\d{3,}\s*(?:[,:;–—]|\s-)\s*(.+)$/#).quick, (#/(?i)\d{3,}\s*(?:please|pls|asap)?\s*[?.!]\s+(.+)$/#).quick, (#/(?i)(?:escalat\w*)[^,:;]*(?:[,:;–—]|\s-)\s*(.+)$/#).quick]
    nonisolated(unsafe) private static let outreachTopicPatterns: [Regex<(Substring, Substring)>] = [(#/(?i)\b(?:about|regarding|re:|on the subject of|concerning)\s+(.+)$/#).quick]

    /// Every pattern that runs only when its trigger is in the text, with that trigger: the
    /// tests check that each trigger holds a word every match has.
    static var triggeredPatterns: [(trigger: Trigger, pattern: Regex<AnyRegexOutput>)] {
        var pairs: [(Trigger, Regex<AnyRegexOutput>)] = [(ticketNumberWithPrefixTrigger, Regex(ticketNumberWithPrefix)), (priorityCodeTrigger, Regex(priorityCode)),
                                                         (channelNameTrigger, Regex(channelName)), (thresholdTrigger, Regex(thresholdPhrase))]
        pairs += ticketPatterns.map { (ticketTrigger, Regex($0)) }
        pairs += priorityWords.map { ($0.0, Regex($0.1)) }
        pairs += statusRules.map { ($0.0, Regex($0.1)) }
        pairs += categoryRules.map { ($0.0, Regex($0.1)) }
        pairs += feedRules.map { ($0.0, Regex($0.1)) }
        pairs += CompoundSlots.triggeredPatterns
        return pairs
    }

    /// The "me" target by the pattern alone, for the tests that compare it with the word scan.
    static func meByPattern(in text: String) -> Substring? {
        text.firstMatch(of: me).map(\.0)
    }

    static func ticket(in text: String, original: String) -> Found<String>? {
        if ticketNumberWithPrefixTrigger.mayMatch(original), let match = original.firstMatch(of: ticketNumberWithPrefix) {
            return Found(value: String(match.1).uppercased(), spans: [String(match.1).lowercased()])
        }
        // Taking the years out only removes digits, so without three in a row nothing matches.
        guard ticketTrigger.mayMatch(text) else { return nil }
        // "Q3 2026", "March 2025": a year after a quarter or month is part of the period, not a ticket.
        let withoutYears = text.replacing(yearAfterPeriodWord) { "\($0.1) yyyy" }
        for pattern in ticketPatterns {
            if let match = withoutYears.firstMatch(of: pattern) { return Found(value: String(match.1), spans: [String(match.0)]) }
        }
        return nil
    }

    static func priorities(in text: String) -> Found<[Priority]>? {
        var found: [Priority] = [], spans: [String] = []
        for match in priorityCodeTrigger.mayMatch(text) ? text.matches(of: priorityCode) : [] {
            if let priority = Priority(rawValue: "P\(match.1)") { found.append(priority); spans.append(String(match.0)) }
        }
        for (trigger, pattern, priority) in priorityWords where trigger.mayMatch(text) {
            for match in text.matches(of: pattern) { found.append(priority); spans.append(String(match.0)) }
        }
        guard !found.isEmpty else { return nil }
        return Found(value: Array(Set(found)).sorted(), spans: spans)
    }

    static func status(in text: String) -> Found<TicketStatusFilter>? {
        for (trigger, pattern, filter, words) in statusRules where trigger.mayMatch(text) {
            // The word scan decides ASCII text; other text (nil from the scan) goes to the pattern.
            let match = words.flatMap { ASCIIText.firstWord(in: text, among: $0) } ?? text.firstMatch(of: pattern).map(\.0)
            if let match { return Found(value: filter, spans: [String(match)]) }
        }
        return nil
    }

    /// The status rules that have a word scan, with their patterns, for the tests that
    /// compare the two.
    static var statusWordScans: [(words: [[UInt8]], pattern: Regex<Substring>)] {
        statusRules.compactMap { rule in rule.3.map { ($0, rule.1) } }
    }

    static func category(in text: String) -> Found<TicketCategory>? {
        for (trigger, pattern, category) in categoryRules where trigger.mayMatch(text) {
            if let match = text.firstMatch(of: pattern) { return Found(value: category, spans: [String(match.0)]) }
        }
        return nil
    }

    static func feed(in text: String) -> Found<AlertFeed>? {
        for (trigger, pattern, feed) in feedRules where trigger.mayMatch(text) {
            if let match = text.firstMatch(of: pattern) { return Found(value: feed, spans: [String(match.0)]) }
        }
        return nil
    }

    /// Without `lookingForMe`, only a channel: "me" is not masked, so a caller that wants the
    /// text alone need not look for it.
    static func target(in text: String, channels: [(id: String, name: String?)], lookingForMe: Bool = true) -> Found<SlotTarget>? {
        if let channel = channels.first {
            return Found(value: .channel(id: channel.id, name: channel.name), spans: ["#" + (channel.name ?? channel.id).lowercased()])
        }
        if channelNameTrigger.mayMatch(text), let match = text.firstMatch(of: channelName), Int(match.1) == nil {
            return Found(value: .channelName("#" + match.1), spans: ["#" + match.1])
        }
        guard lookingForMe else { return nil }
        // Nearly every text has an "i" somewhere, so no trigger rules this pattern out.
        let meMatch = ASCIIText.firstWord(in: text, among: meWords) ?? meByPattern(in: text)
        if let match = meMatch { return Found(value: .me, spans: [String(match)]) }
        return nil
    }

    static func threshold(in text: String) -> Found<Double>? {
        guard thresholdTrigger.mayMatch(text), let match = text.firstMatch(of: thresholdPhrase),
              let value = Double(match.1) else { return nil }
        return Found(value: value, spans: [String(match.0)])
    }

    /// The free text of a note, an escalation reason or an email topic, with its case kept.
    static func freeText(for intent: IntentName, original: String) -> String? {
        let patterns: [Regex<(Substring, Substring)>]
        switch intent {
        case .addNote: patterns = notePatterns
        case .requestEscalation: patterns = escalationReasonPatterns
        case .draftOutreach: patterns = outreachTopicPatterns
        default: return nil
        }
        for pattern in patterns {
            if let match = original.firstMatch(of: pattern) {
                let text = String(match.1).trimmingCharacters(in: CharacterSet(charactersIn: " .!?\"“”'"))
                if !text.isEmpty { return text }
            }
        }
        return nil
    }
}
