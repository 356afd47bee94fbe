/// Text helpers for Slack: mrkdwn escaping and limit-safe truncation.
public enum SlackText {
    /// Escapes the three characters mrkdwn treats as control characters, for text that
    /// came from customers or support systems.
    /// Works on UTF-8 bytes: the three are ASCII, which never occurs inside another
    /// character's encoding, and most text holds none of them and is returned as it is
    /// (every table row and chart line of an answer comes through here).
    public static func escape(_ text: String) -> String {
        guard hasControlCharacters(text) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): escaped += "&amp;".utf8
            case UInt8(ascii: "<"): escaped += "&lt;".utf8
            case UInt8(ascii: ">"): escaped += "&gt;".utf8
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func hasControlCharacters(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }
    }

    /// Escapes handler-written mrkdwn but keeps what is already Slack markup: mentions
    /// (`<@U…>`, `<#C…>`, `<!here>`), links (`<https://…|text>`, `<mailto:…>`) and
    /// entities (`&amp;`), which handlers write on purpose.
    public static func escapeKeepingMarkup(_ text: String) -> String {
        guard hasControlCharacters(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let index = rest.firstIndex(where: { $0 == "&" || $0 == "<" || $0 == ">" }) {
            result += rest[..<index]
            let tail = rest[index...]
            if let token = markupToken(at: tail) {
                result += token
                rest = tail.dropFirst(token.count)
            } else {
                result += escape(String(tail.first!))
                rest = tail.dropFirst()
            }
        }
        result += rest
        return result
    }

    private static let entities = ["&amp;", "&lt;", "&gt;"]
    private static let markupPrefixes = ["<@", "<#", "<!", "<http://", "<https://", "<mailto:"]

    private static func markupToken(at text: Substring) -> Substring? {
        if text.first == "&" {
            return entities.first { text.hasPrefix($0) }.map { text.prefix($0.count) }
        }
        guard text.first == "<", markupPrefixes.contains(where: { text.hasPrefix($0) }),
              let end = text.firstIndex(of: ">") else { return nil }
        let token = text[...end]
        // A stray `<` far from its `>` is prose, not markup.
        guard token.count <= 600, !token.dropFirst().contains("<"), !token.contains("\n") else { return nil }
        return token
    }

    /// Slack counts characters; UTF-16 units are never fewer, so measuring in them is safe.
    public static func length(_ text: String) -> Int { text.utf16.count }

    /// Cuts `text` to at most `limit` UTF-16 units, ending in "…" when cut, never
    /// splitting a character or an entity.
    public static func truncate(_ text: String, to limit: Int, marker: String = "…") -> String {
        guard length(text) > limit else { return text }
        let budget = max(0, limit - length(marker))
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let size = String(text[index]).utf16.count
            if used + size > budget { break }
            used += size
            end = text.index(after: index)
        }
        var kept = text[..<end]
        // An entity cut in half (`&am`) would show as literal text.
        if let amp = kept.lastIndex(of: "&"), !kept[amp...].contains(";"), kept.distance(from: amp, to: kept.endIndex) < 5 {
            kept = kept[..<amp]
        }
        return String(kept) + marker
    }
}
