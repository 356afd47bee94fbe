import Foundation
import TicketPulseCore

/// Rules for the slots other than customer and period. Each returns the value and the
/// words that said it, so the classifier can see a placeholder in their place.
enum SlotExtractors {
    struct Found<Value> {
        var value: Value
        var spans: [String]
    }

    static func ticket(in text: String, original: String) -> Found<String>? {
        if let match = original.firstMatch(of: #/\b([A-Za-z]{2,6}-\d{2,4}-\d{2,})\b/#) {
            return Found(value: String(match.1).uppercased(), spans: [String(match.1).lowercased()])
        }
        let patterns: [Regex<(Substring, Substring)>] = [
            #/#(\d{3,})\b/#,
            #/\b(?:ticket|tickets|case|conversation|tkt|id)\s*(?:#|no\.?\s*|number\s*)?(\d{3,})\b/#,
            #/\b(?:note|notes|comment)\s+(?:to|on|for)\s+(?:ticket\s+)?#?(\d{3,})\b/#,
            #/\b(?:escalate|escalating|escalation\s+(?:for|on|of))\s+(?:ticket\s+)?#?(\d{3,})\b/#,
            #/\b(?:with|about|on|for|of|is)\s+#?(\d{3,})\b/#,
            #/^#?(\d{3,})\b/#,
            #/\b(?:tikcet|tiket|tickt|tix|tcket)\s*#?(\d{3,})\b/#,
            // A bare number of three digits or more in a ticket question is the ticket.
            #/(?:^|\s)#?(\d{3,})(?:\s|$)/#,
        ]
        for pattern in patterns {
            if let match = text.firstMatch(of: pattern) { return Found(value: String(match.1), spans: [String(match.0)]) }
        }
        return nil
    }

    static func priorities(in text: String) -> Found<[Priority]>? {
        var found: [Priority] = [], spans: [String] = []
        for match in text.matches(of: #/\b(?:p|sev|sev-|priority\s*)([1-4])s?\b/#) {
            if let priority = Priority(rawValue: "P\(match.1)") { found.append(priority); spans.append(String(match.0)) }
        }
        let words: [(Regex<Substring>, Priority)] = [
            (#/\b(?:urgent|critical|sev1|blocker)s?\b(?:\s+priority)?/#, .p1),
            (#/\bhigh(?:-|\s+)?(?:priority|prio|pri)\b|\bhigh\b(?=\s+(?:and|or|tickets?|issues?|cases?))/#, .p2),
            (#/\b(?:medium|normal)(?:\s+(?:priority|prio))?\b/#, .p3),
            (#/\blow(?:-|\s+)?(?:priority|prio)\b|\blow\b(?=\s+(?:and|or|tickets?|issues?|cases?))/#, .p4),
        ]
        for (pattern, priority) in words {
            for match in text.matches(of: pattern) { found.append(priority); spans.append(String(match.0)) }
        }
        guard !found.isEmpty else { return nil }
        return Found(value: Array(Set(found)).sorted(), spans: spans)
    }

    static func status(in text: String) -> Found<TicketStatusFilter>? {
        let rules: [(Regex<Substring>, TicketStatusFilter)] = [
            (#/\b(?:any status|all statuses|including closed|all tickets|every ticket)\b/#, .all),
            (#/\bon[- ]hold\b/#, .status(.onHold)),
            (#/\b(?:pending|waiting on (?:the )?customer|awaiting customer)\b/#, .status(.pending)),
            (#/\bnot (?:closed|resolved)\b|\b(?:open|unresolved|outstanding|active|opened and unresolved)\b/#, .unresolved),
            (#/\bsolved\b/#, .status(.solved)),
            (#/\bclosed\b/#, .status(.closed)),
            (#/\b(?:resolved|fixed|done)\b/#, .resolved),
            (#/\bnew\b(?=\s+(?:tickets?|p[1-4]|urgent|critical|high|low|cases?|issues?|ones?))/#, .status(.new)),
        ]
        for (pattern, filter) in rules {
            if let match = text.firstMatch(of: pattern) { return Found(value: filter, spans: [String(match.0)]) }
        }
        return nil
    }

    static func category(in text: String) -> Found<TicketCategory>? {
        let rules: [(Regex<Substring>, TicketCategory)] = [
            (#/\b(?:feature requests?|feature asks?|enhancement requests?|feature ideas?)\b/#, .featureRequest),
            (#/\b(?:billing|invoices?|invoicing|payments?|charges?|refunds?)\b/#, .billing),
            (#/\b(?:how-?to(?: questions?)?|training|onboarding questions?|onboarding)\b/#, .training),
            (#/\b(?:security|vulnerabilit(?:y|ies)|breach(?:es)?|phishing)\b/#, .security),
            (#/\b(?:outages?|downtime|service down|incidents?)\b/#, .outage),
            (#/\b(?:bugs?|bug reports?|technical|errors?|crash(?:es)?|api issues?|defects?)\b/#, .technical),
        ]
        for (pattern, category) in rules {
            if let match = text.firstMatch(of: pattern) { return Found(value: category, spans: [String(match.0)]) }
        }
        return nil
    }

    static func feed(in text: String) -> Found<AlertFeed>? {
        let rules: [(Regex<Substring>, AlertFeed)] = [
            (#/\b(?:everything|all (?:the )?(?:alerts|notifications|feeds)|all of them)\b/#, .all),
            (#/\bescal\w*/#, .escalations),
            (#/\bspikes?\b|\bspiking\b|\bsurges?\b/#, .spikes),
            (#/\bcsat\w*|\bsatisfaction\b|\b(?:low|bad|poor) ratings?\b|\bratings?\b/#, .csat),
            (#/\bsla\w*|\bbreach\w*/#, .sla),
            (#/\bnew tickets?\b|\bnew (?:qqpriority(?: (?:or|and) qqpriority)? )?tickets?\b|\bticket created\b|\bnew cases?\b/#, .newTickets),
        ]
        for (pattern, feed) in rules {
            if let match = text.firstMatch(of: pattern) { return Found(value: feed, spans: [String(match.0)]) }
        }
        return nil
    }

    static func target(in text: String, channels: [(id: String, name: String?)]) -> Found<SlotTarget>? {
        if let channel = channels.first {
            return Found(value: .channel(id: channel.id, name: channel.name), spans: ["#" + (channel.name ?? channel.id).lowercased()])
        }
        if let match = text.firstMatch(of: #/(?:^|\s)#([a-z0-9][a-z0-9_-]{1,79})\b/#), Int(match.1) == nil {
            return Found(value: .channelName("#" + match.1), spans: ["#" + match.1])
        }
        if let match = text.firstMatch(of: #/\b(?:me|my dms?|i)\b/#) { return Found(value: .me, spans: [String(match.0)]) }
        return nil
    }

    static func threshold(in text: String) -> Found<Double>? {
        guard let match = text.firstMatch(of: #/\b(?:below|under|less than|lower than|beneath|at most|<|<=)\s*(\d+(?:\.\d+)?)\s*%?/#),
              let value = Double(match.1) else { return nil }
        return Found(value: value, spans: [String(match.0)])
    }

    /// The free text of a note, an escalation reason or an email topic, with its case kept.
    static func freeText(for intent: IntentName, original: String) -> String? {
        let patterns: [Regex<(Substring, Substring)>]
        switch intent {
        case .addNote:
            patterns = [#/(?i)(?:note|comment)[^:]*:\s*(.+)$/#, #/(?i)\d{3,}\s*[-–—:]\s*(.+)$/#, #/(?i)\b(?:saying|that says|that|with)\s+["“]?(.+?)["”]?$/#]
        case .requestEscalation:
            patterns = [#/(?i)\b(?:because|since|reason:?|as|due to)\s+(.+)$/#, #/(?i)\d{3,}\s*(?:[,:;–—]|\s-)\s*(.+)$/#,
                        #/(?i)\d{3,}\s*(?:please|pls|asap)?\s*[?.!]\s+(.+)$/#, #/(?i)(?:escalat\w*)[^,:;]*(?:[,:;–—]|\s-)\s*(.+)$/#]
        case .draftOutreach:
            patterns = [#/(?i)\b(?:about|regarding|re:|on the subject of|concerning)\s+(.+)$/#]
        default:
            return nil
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
