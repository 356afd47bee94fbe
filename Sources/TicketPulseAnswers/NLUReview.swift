import Foundation
import TicketPulseCore
import TicketPulseStorage

/// `ticketpulse nlu review`: the questions the parser was unsure of, grouped by the reading
/// chosen (by the asker's click, else the one answered), and `--export`, the same as
/// utterances for `intents/*.yaml`. Admins only: the questions name every book's customers.
public struct NLUReview: Sendable {
    public struct Group: Sendable, Equatable {
        /// An intent name, or `out_of_scope` for the refusals.
        public var reading: String
        public var entries: [NLUFeedback]
    }

    public var groups: [Group]

    /// What the reader asked for: the listing or the YAML export. Each is its own audited read.
    public enum Use: String, Sendable {
        case listing = "nlu:review"
        case export = "nlu:review-export"
    }

    /// Refused for anyone but an admin (`NLUFeedbackAccessDenied`). Every attempt writes one
    /// audit row, allowed or refused: the kept questions name customers of every book, so
    /// reading them is a read like any other answer's.
    public init(store: any Store, person: CSM, since: Date? = nil, use: Use = .listing, now: Date) async throws {
        let detail = since.map { "since " + ISO8601DateFormatter().string(from: $0) } ?? "all"
        let feedback: [NLUFeedback]
        do {
            feedback = try await store.nluFeedback(visibleTo: person, since: since)
        } catch let denied as NLUFeedbackAccessDenied {
            try await store.audit(AuditEntry(at: now, actor: person.email, action: use.rawValue, detail: detail, outcome: .refused(reason: "not_admin")))
            throw denied
        }
        try await store.audit(AuditEntry(at: now, actor: person.email, action: use.rawValue, detail: "\(detail): \(feedback.count) kept", outcome: .allowed))
        self.init(feedback)
    }

    /// A reader the roster does not know is refused too, and that refusal is audited under
    /// the name they gave.
    public static func refuseUnknownReader(_ reader: String, store: any Store, use: Use, now: Date) async throws {
        try await store.audit(AuditEntry(at: now, actor: reader, action: use.rawValue, detail: "", outcome: .refused(reason: "not_on_roster")))
    }

    public init(_ feedback: [NLUFeedback]) {
        // An offered clarification that was then chosen is told by the choice.
        let chosen = Set(feedback.filter { $0.outcome == .clarificationChosen }.map { Self.key($0) })
        let kept = feedback.filter { $0.outcome != .clarificationOffered || !chosen.contains(Self.key($0)) }
        let grouped = Dictionary(grouping: kept) { entry in
            entry.outcome == .clarificationOffered ? Self.unanswered : entry.intent
        }
        groups = grouped.map { Group(reading: $0.key, entries: $0.value) }
            .sorted { ($0.entries.count, $1.reading) > ($1.entries.count, $0.reading) }
    }

    /// The group of clarifications offered and never answered.
    public static let unanswered = "(no reading chosen)"

    private static func key(_ entry: NLUFeedback) -> String { entry.asker.lowercased() + "\u{1}" + entry.question }

    /// The listing: per reading, each distinct question with how often it came and how it went.
    public func text() -> String {
        let all = groups.flatMap(\.entries)
        guard !all.isEmpty else { return "No questions to review: nothing was answered with low confidence, clarified or refused." }
        let counts = Dictionary(grouping: all, by: \.outcome).mapValues(\.count)
        var lines = ["\(all.count) question\(all.count == 1 ? "" : "s") to review: "
            + NLUFeedback.Outcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(Self.describe(outcome))" } }.joined(separator: ", ")]
        for group in groups {
            lines.append("")
            lines.append("\(group.reading) (\(group.entries.count))")
            for (question, entries) in Self.distinct(group.entries) {
                let last = entries[entries.count - 1]
                var how = Self.describe(last.outcome)
                if last.outcome == .lowConfidence { how += String(format: " %.2f", last.confidence) }
                if !last.readings.isEmpty { how += "; offered " + last.readings.joined(separator: ", ") }
                lines.append("  \(entries.count)× \(Self.flat(question))  — \(how)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// YAML for `intents/`: per intent a document with `type`, `name` and `utterances`
    /// (slots marked `[customer](Acme)`), to merge into that intent's file. Choices made by
    /// askers come first; low-confidence answers are marked for checking; refusals are
    /// listed commented out, since a refusal may have been wrong.
    public func yaml() -> String {
        var documents: [String] = []
        for group in groups.sorted(by: { $0.reading < $1.reading }) where group.reading != Self.unanswered {
            let distinct = Self.distinct(group.entries)
            if group.reading == "out_of_scope" {
                var lines = ["# Refused as outside what I know: uncomment the ones that truly are, or move them to the intent they meant.",
                             "# type: intent", "# name: out_of_scope", "# utterances:"]
                lines += distinct.map { "#   - " + Self.quoted(Self.utterance($0.entries.last!)) }
                documents.append(lines.joined(separator: "\n"))
                continue
            }
            let byChoice = distinct.filter { $0.entries.contains { $0.outcome == .clarificationChosen } }
            let byModel = distinct.filter { !$0.entries.contains { $0.outcome == .clarificationChosen } }
            var lines = ["# intents/\(group.reading).yaml: add these under `utterances:`", "type: intent", "name: \(group.reading)", "utterances:"]
            lines += byChoice.map { "  - " + Self.quoted(Self.utterance($0.entries.last!)) }
            if !byModel.isEmpty {
                lines.append("  # answered with low confidence: check each reading before keeping it")
                lines += byModel.map { "  - " + Self.quoted(Self.utterance($0.entries.last!)) }
            }
            documents.append(lines.joined(separator: "\n"))
        }
        guard !documents.isEmpty else { return "# No utterances to export.\n" }
        return "---\n" + documents.joined(separator: "\n---\n") + "\n"
    }

    private static func utterance(_ entry: NLUFeedback) -> String {
        flat(entry.utterance.isEmpty ? entry.question.replacing(#/<@[A-Z0-9]+>/#, with: "").trimmingCharacters(in: .whitespaces) : entry.utterance)
    }

    /// Each question once, in the order first asked, with every time it came.
    private static func distinct(_ entries: [NLUFeedback]) -> [(question: String, entries: [NLUFeedback])] {
        var order: [String] = []
        var byQuestion: [String: [NLUFeedback]] = [:]
        for entry in entries {
            let question = flat(entry.question).lowercased()
            if byQuestion[question] == nil { order.append(question) }
            byQuestion[question, default: []].append(entry)
        }
        return order.map { (byQuestion[$0]![0].question, byQuestion[$0]!) }
    }

    private static func describe(_ outcome: NLUFeedback.Outcome) -> String {
        switch outcome {
        case .lowConfidence: "low confidence"
        case .clarificationOffered: "clarification unanswered"
        case .clarificationChosen: "clarification chosen"
        case .refused: "refused"
        }
    }

    /// One line: an utterance is one YAML scalar.
    private static func flat(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A YAML double-quoted scalar, whatever the question holds (colons, quotes, #).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += String(format: "\\x%02X", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
