import Foundation
import TicketPulseCore

/// A workflow condition as written in `ticketpulse.yml`: comparisons joined by `and` / `or`
/// (`severity == 'critical'`, `severity >= 'high' and tier == 'enterprise'`,
/// `priority in ['P1', 'P2']`, `arr >= 100000`). Parsed once at start-up; a typo is a
/// configuration error naming the condition, never a silently false rule.
public struct AlertCondition: Sendable, Equatable {
    enum Operator: String, Sendable, CaseIterable { case equal = "==", notEqual = "!=", atLeast = ">=", atMost = "<=", above = ">", below = "<", within = "in" }
    struct Comparison: Sendable, Equatable { var field: String; var op: Operator; var values: [String] }

    /// Disjunction of conjunctions: `a and b or c` is `(a and b) or c`.
    let clauses: [[Comparison]]
    public let source: String

    public static let fields = ["severity", "kind", "tier", "priority", "category", "arr", "feed"]

    public init(_ source: String) throws {
        self.source = source
        clauses = try source.components(separatedBy: " or ").map { clause in
            try clause.components(separatedBy: " and ").map { try Self.comparison($0, in: source) }
        }
    }

    static func comparison(_ text: String, in source: String) throws -> Comparison {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Longest operators first, so ">=" is not read as ">".
        for op in [Operator.equal, .notEqual, .atLeast, .atMost, .above, .below, .within] {
            let token = op == .within ? " in " : op.rawValue
            guard let range = trimmed.range(of: token) else { continue }
            let field = trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            guard fields.contains(field) else {
                throw ConfigurationProblem("condition '\(source)': unknown field '\(field)' (\(fields.joined(separator: ", ")))")
            }
            var rest = trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)
            if op == .within {
                guard rest.hasPrefix("["), rest.hasSuffix("]") else { throw ConfigurationProblem("condition '\(source)': 'in' needs a list like ['P1', 'P2']") }
                rest = String(rest.dropFirst().dropLast())
            }
            let values = rest.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " '\"")) }
            guard !values.isEmpty, values.allSatisfy({ !$0.isEmpty }) else { throw ConfigurationProblem("condition '\(source)': no value after \(op.rawValue)") }
            return Comparison(field: field, op: op, values: values)
        }
        throw ConfigurationProblem("condition '\(source)': expected field op value, as in severity == 'critical'")
    }

    public func matches(_ alert: Alert) -> Bool {
        clauses.contains { clause in clause.allSatisfy { Self.evaluate($0, alert) } }
    }

    static func evaluate(_ comparison: Comparison, _ alert: Alert) -> Bool {
        // Ordered fields compare by rank; others by name.
        let actual: (text: String, rank: Double?)
        switch comparison.field {
        case "severity": actual = (alert.severity.rawValue, Double(alert.severity.rank))
        case "priority": actual = (alert.priority?.rawValue ?? "", alert.priority.map { -Double($0.rank) })
        case "arr": actual = ("", nil)
        case "kind": actual = (alert.kind.rawValue, nil)
        case "tier": actual = (alert.tier.rawValue, nil)
        case "category": actual = (alert.category?.rawValue ?? "", nil)
        default: actual = (alert.feed.rawValue, nil)
        }
        func rank(_ value: String) -> Double? {
            switch comparison.field {
            case "severity": AlertSeverity(rawValue: value.lowercased()).map { Double($0.rank) }
            // P1 outranks P2: "priority >= 'P2'" means P1 or P2.
            case "priority": Priority(rawValue: value.uppercased()).map { -Double($0.rank) }
            default: nil
            }
        }
        if comparison.field == "arr" {
            guard let limit = Double(comparison.values[0]) else { return false }
            return compare(alert.arr, limit, comparison.op)
        }
        switch comparison.op {
        case .equal: return actual.text.caseInsensitiveCompare(comparison.values[0]) == .orderedSame
        case .notEqual: return actual.text.caseInsensitiveCompare(comparison.values[0]) != .orderedSame
        case .within: return comparison.values.contains { actual.text.caseInsensitiveCompare($0) == .orderedSame }
        default:
            guard let left = actual.rank, let right = rank(comparison.values[0]) else { return false }
            return compare(left, right, comparison.op)
        }
    }

    static func compare(_ left: Double, _ right: Double, _ op: Operator) -> Bool {
        switch op {
        case .equal: left == right
        case .notEqual: left != right
        case .atLeast: left >= right
        case .atMost: left <= right
        case .above: left > right
        case .below: left < right
        case .within: left == right
        }
    }
}

/// A configuration mistake, named where it is.
public struct ConfigurationProblem: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ConfigurationProblem {
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Throws naming the first key of a mapping that is not one of `known`.
    public static func rejectUnknownKeys(in decoder: any Decoder, known: [String], at path: String) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationProblem("\(path).\(unknown): unknown key (\(known.joined(separator: ", ")))")
        }
    }
}
