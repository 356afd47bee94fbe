import Foundation

/// A message made comparable: Slack markup resolved, lower-cased, diacritics folded,
/// apostrophes and punctuation evened out.
public struct NormalizedMessage: Sendable, Equatable {
    /// Lower-case text, words separated by single spaces; channel refs appear as `#name`.
    public var text: String
    /// The message with Slack markup resolved but its case kept, for free text (notes).
    public var original: String
    /// Channel references `<#C123|name>` in order.
    public var channels: [(id: String, name: String?)]

    public static func == (lhs: NormalizedMessage, rhs: NormalizedMessage) -> Bool {
        lhs.text == rhs.text && lhs.original == rhs.original && lhs.channels.map(\.id) == rhs.channels.map(\.id)
    }
}

public enum MessageNormalizer {
    public static func normalize(_ raw: String) -> NormalizedMessage {
        var channels: [(String, String?)] = []
        var text = raw
        // Each step below runs only when the text holds what it replaces (see `Trigger`):
        // most messages have no markup, entities or curly quotes, and are plain ASCII.
        if SlackMarkup.markup.mayMatch(text) {
            // <@U123> and <@U123|name>: mentions carry no meaning for the question.
            text = text.replacing(SlackMarkup.mention, with: " ")
            text = text.replacing(SlackMarkup.channelReference) { match in
                let name = match.2.map(String.init)
                channels.append((String(match.1), name?.isEmpty == true ? nil : name))
                return " #\(name ?? String(match.1)) "
            }
            // <mailto:a@b|a@b>, <https://x|label>, <https://x>
            text = text.replacing(SlackMarkup.labelledLink) { String($0.2) }
            text = text.replacing(SlackMarkup.bareLink) { match in
                String(match.1).replacingOccurrences(of: "mailto:", with: "").replacing(SlackMarkup.scheme, with: "")
            }
        }
        if SlackMarkup.entity.mayMatch(text) {
            text = text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        }
        let ascii = ASCIIText.isASCII(text)
        if !ascii || SlackMarkup.backtick.mayMatch(text) {
            for quote in ["’", "‘", "`", "´"] { text = text.replacingOccurrences(of: quote, with: "'") }
            for quote in ["“", "”"] { text = text.replacingOccurrences(of: quote, with: "\"") }
        }
        // In ASCII a whitespace character is a whitespace byte ("\r\n", one character, is two).
        let original = ascii ? ASCIIText.collapsingWhitespace(text) : text.split(whereSeparator: \.isWhitespace).joined(separator: " ")

        let folded = (ascii ? asciiText(original) : nil) ?? foldedText(original)
        return NormalizedMessage(text: folded, original: original, channels: channels)
    }

    /// Lower-cased, diacritics folded, punctuation spaced out, words joined by single spaces.
    static func foldedText(_ original: String) -> String {
        var lowered = original.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        // Keep what carries meaning inside words (ticket ids, domains, decimals, times, #channels, 24h, P1/P2); space out the rest.
        lowered = lowered.replacing(SlackMarkup.punctuation, with: " ")
        lowered = spacingOutSeparators(lowered)
        return lowered.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `foldedText` in one pass over the bytes of an ASCII text, which has no diacritics
    /// and folds its case to lower case: lower-cased, punctuation spaced out, then "." and
    /// ":" (judged by their neighbours after that), words joined by single spaces.
    static func asciiText(_ original: String) -> String? {
        guard var bytes = ASCIIText.bytes(original) else { return nil }
        for index in bytes.indices {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { bytes[index] = byte + 32 } else if punctuationBytes.contains(byte) { bytes[index] = UInt8(ascii: " ") }
        }
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count)
        var space = false
        for (index, byte) in bytes.enumerated() {
            var byte = byte
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") {
                let before = index > 0 ? bytes[index - 1] : UInt8(ascii: " ")
                let after = index + 1 < bytes.count ? bytes[index + 1] : UInt8(ascii: " ")
                let keep = byte == UInt8(ascii: ".") ? ASCIIText.isLetterOrDigit(before) && ASCIIText.isLetterOrDigit(after) : ASCIIText.isDigit(before) && ASCIIText.isDigit(after)
                if !keep { byte = UInt8(ascii: " ") }
            }
            if ASCIIText.isWhitespace(byte) { space = !text.isEmpty; continue }
            if space { text.append(UInt8(ascii: " ")); space = false }
            text.append(byte)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The characters of `SlackMarkup.punctuation`.
    private static let punctuationBytes = Set(#"!?,;()[]{}"*_~"#.utf8)

    /// "." stays inside "acme.io" and "3.5", ":" inside "9:30"; elsewhere they end a word.
    static func spacingOutSeparators(_ text: String) -> String {
        let characters = Array(text)
        var result = ""
        result.reserveCapacity(characters.count)
        for (index, character) in characters.enumerated() {
            guard character == "." || character == ":" else { result.append(character); continue }
            let before = index > 0 ? characters[index - 1] : " "
            let after = index + 1 < characters.count ? characters[index + 1] : " "
            let keep = character == "." ? (before.isLetter || before.isNumber) && (after.isLetter || after.isNumber) : before.isNumber && after.isNumber
            result.append(keep ? character : " ")
        }
        return result
    }
}

extension MessageNormalizer {
    /// Every pattern that runs only when its trigger is in the text, with that trigger, for
    /// the tests.
    static var triggeredPatterns: [(trigger: Trigger, pattern: Regex<AnyRegexOutput>)] {
        [(SlackMarkup.markup, Regex(SlackMarkup.mention)), (SlackMarkup.markup, Regex(SlackMarkup.channelReference)),
         (SlackMarkup.markup, Regex(SlackMarkup.labelledLink)), (SlackMarkup.markup, Regex(SlackMarkup.bareLink))]
    }
}

/// Slack markup and punctuation patterns, built once: a regex literal is parsed again each time it is evaluated.
private enum SlackMarkup {
    nonisolated(unsafe) static let mention = (#/<@[A-Z0-9]+(?:\|[^>]*)?>/#).quick
    nonisolated(unsafe) static let channelReference = (#/<#([A-Z0-9]+)(?:\|([^>]*))?>/#).quick
    nonisolated(unsafe) static let labelledLink = (#/<(?:mailto:)?([^|>]+)\|([^>]+)>/#).quick
    nonisolated(unsafe) static let bareLink = (#/<((?:https?|mailto):[^>]+)>/#).quick
    nonisolated(unsafe) static let scheme = (#/^https?:\/\//#).quick
    nonisolated(unsafe) static let punctuation = (#/[!?,;()\[\]{}"*_~]/#).quick

    // What the patterns above need in the text to match (see `Trigger`).
    static let markup = Trigger("<")
    static let entity = Trigger("&")
    static let backtick = Trigger("`")
}
