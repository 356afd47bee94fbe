import Foundation

/// Dates as the support systems write them: ISO 8601 with or without fractional seconds,
/// with `Z`, `+00:00` or Salesforce's `+0000`; or unix seconds.
enum SourceDate {
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        // Salesforce: 2024-05-01T10:00:00.000+0000
        if trimmed.count > 5, let sign = trimmed.dropLast(4).last, sign == "+" || sign == "-" {
            let zone = trimmed.suffix(4)
            let fixed = trimmed.dropLast(4) + zone.prefix(2) + ":" + zone.suffix(2)
            return parse(String(fixed))
        }
        if let date = try? Date(trimmed + "T00:00:00Z", strategy: Date.ISO8601FormatStyle()) { return date }
        return nil
    }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}

extension JSONDecoder {
    /// A decoder for support-system payloads: unknown date spellings fail the one field,
    /// not silently the whole page.
    static var sourceDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            if let seconds = try? c.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try c.decode(String.self)
            guard let date = SourceDate.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unreadable date '\(text)'")
            }
            return date
        }
        return decoder
    }
}
