import Foundation

/// Dates as the support systems write them: ISO 8601 with or without fractional seconds,
/// with `Z`, `+00:00` or Salesforce's `+0000`; or unix seconds.
enum SourceDate {
    static func parse(_ text: String) -> Date? {
        // Nearly every date a source sends is `YYYY-MM-DDTHH:MM:SS[.fff]Z`: read it directly
        // (a sync of 100,000 Zendesk tickets parses half a million of them).
        if let date = utcFastPath(text) { return date }
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

    /// `YYYY-MM-DDTHH:MM:SSZ`, optionally with a fraction of a second; nil for anything
    /// else (offsets, spaces, dates alone), which the general parser handles.
    static func asciiNumber(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ count: Int) -> Int? {
        var value = 0
        for index in from..<(from + count) {
            let digit = Int(bytes[index]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    static func utcFastPath(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count >= 20, bytes[bytes.count - 1] == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                  bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  let year = asciiNumber(bytes, 0, 4), let month = asciiNumber(bytes, 5, 2), let day = asciiNumber(bytes, 8, 2),
                  let hour = asciiNumber(bytes, 11, 2), let minute = asciiNumber(bytes, 14, 2), let second = asciiNumber(bytes, 17, 2),
                  (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            guard day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else { return nil }
            var fraction = 0.0
            if bytes.count > 20 {
                // `.fff…Z`
                guard bytes[19] == UInt8(ascii: "."), bytes.count > 21, let digits = asciiNumber(bytes, 20, bytes.count - 21), bytes.count - 21 <= 9 else { return nil }
                fraction = Double(digits) / pow(10, Double(bytes.count - 21))
            }
            // Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction)
        }
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
