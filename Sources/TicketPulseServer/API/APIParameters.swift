import Foundation
import Hummingbird
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// A request's path and query parameters, read strictly: anything malformed is a 400 that
/// names the parameter, never a guess.
struct APIParameters {
    let request: Request
    let now: Date

    /// The parameter as sent; present but empty is not absent (`period=` is a bad period).
    func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name)
    }

    /// `period`: `30d` (the last 30 days, up to 999), `2026-10-01/2026-11-01` (dates or ISO
    /// 8601 times, end excluded), or the words a question would use, with `_` for spaces
    /// ("this_month", "last_quarter"); absent, the last `defaultDays` days, as the chat's
    /// answers default.
    func period(defaultDays: Int, name: String = "period") throws -> Period {
        guard let text = query(name) else { return .trailing(days: defaultDays, endingAt: now) }
        if let days = text.wholeMatch(of: /(\d{1,4})d/).flatMap({ Int($0.1) }) {
            guard (1...999).contains(days) else { throw APIError.badParameter(name, "between 1d and 999d") }
            return .trailing(days: days, endingAt: now)
        }
        let bounds = text.split(separator: "/", omittingEmptySubsequences: false)
        if bounds.count == 2 {
            guard let start = Self.date(bounds[0]), let end = Self.date(bounds[1]), start < end else {
                throw APIError.badParameter(name, "an interval is START/END, ISO 8601 dates or times, START before END")
            }
            return Period(start: start, end: end)
        }
        let words = text.replacingOccurrences(of: "_", with: " ")
        guard text.allSatisfy({ $0.isLowercase || $0 == "_" }), let slot = TimeExpressionParser.find(in: words, now: now), slot.text == words else {
            throw APIError.badParameter(name, "'\(text)' is not a period: use 30d, START/END or words such as this_month")
        }
        return slot.period
    }

    static func date(_ text: Substring) -> Date? {
        let text = String(text)
        if let time = try? Date(text, strategy: .iso8601) { return time }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
    }

    /// `status`: unresolved (open work, the default), resolved, all, or one status.
    func status(default fallback: TicketStatusFilter = .unresolved) throws -> TicketStatusFilter {
        guard let text = query("status") else { return fallback }
        guard let status = TicketStatusFilter(rawValue: text), text != "deleted" else {
            throw APIError.badParameter("status", "one of unresolved, resolved, all, " + TicketStatus.allCases.filter { $0 != .deleted }.map(\.rawValue).joined(separator: ", "))
        }
        return status
    }

    /// `priority`: P1…P4, or several with commas.
    func priorities() throws -> [Priority]? {
        guard let text = query("priority") else { return nil }
        let priorities = text.split(separator: ",", omittingEmptySubsequences: false).map { Priority(rawValue: String($0)) }
        guard !priorities.isEmpty, priorities.allSatisfy({ $0 != nil }) else { throw APIError.badParameter("priority", "P1, P2, P3 or P4, several with commas") }
        return priorities.compactMap { $0 }
    }

    func category() throws -> TicketCategory? {
        guard let text = query("category") else { return nil }
        guard let category = TicketCategory(rawValue: text) else {
            throw APIError.badParameter("category", "one of " + TicketCategory.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return category
    }

    func sort() throws -> TicketList.Sort {
        guard let text = query("sort") else { return .newest }
        guard let sort = TicketList.Sort(rawValue: text) else {
            throw APIError.badParameter("sort", "one of " + TicketList.Sort.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return sort
    }

    /// `limit`: a page's size, 1…500 (default 50).
    func limit() throws -> Int {
        guard let text = query("limit") else { return 50 }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), let limit = Int(text), (1...500).contains(limit) else {
            throw APIError.badParameter("limit", "a whole number from 1 to 500")
        }
        return limit
    }

    /// `cursor`: where a page starts, as the previous page's `next_cursor` gave it (the
    /// number of items before it; past the end, an empty page).
    func offset() throws -> Int {
        guard let text = query("cursor") else { return 0 }
        guard text.count <= 9, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let offset = Int(text) else {
            throw APIError.badParameter("cursor", "not a cursor this API gave; start again without it")
        }
        return offset
    }

    static func cursor(offset: Int) -> String { String(offset) }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = query(name) else { return nil }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }), let value = Int(text), range.contains(value) else {
            throw APIError.badParameter(name, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = query(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else { throw APIError.badParameter(name, "a number from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    /// A list asked for as CSV: `?format=csv`, or `Accept: text/csv` without a format.
    func wantsCSV() throws -> Bool {
        if let format = query("format") {
            switch format {
            case "csv": return true
            case "json": return false
            default: throw APIError.badParameter("format", "json or csv")
            }
        }
        return request.headers[.accept]?.lowercased().contains("text/csv") == true
    }
}

/// What path parameters name, looked up within the caller's scope: something outside it
/// answers 404 exactly as something unknown does (the audit row tells them apart).
struct APIScope {
    let caller: APICaller
    let store: any Store

    func customer(_ id: String) async throws -> Customer {
        guard let customer = try await store.customer(id: id) else { throw APIError.notFound("customer", id, reason: "unknown_customer") }
        guard caller.scope.allows(customer.id) else { throw APIError.notFound("customer", id, reason: "out_of_scope") }
        return customer
    }

    /// "4521" (the first ticket with that number in the caller's scope) or "zendesk:4521".
    func ticket(_ id: String) -> TicketLookup {
        TicketLookup(reference: id) ?? .externalID(id)
    }
}
