/// Hand-written equivalents of a few hot patterns, for texts that are pure ASCII (nearly
/// every message and every catalogue utterance). In ASCII a byte is a character, so they
/// decide exactly as the patterns would; any other text goes to the pattern itself.
enum ASCIIText {
    /// The bytes of `text` when every one is ASCII and none is a carriage return (which
    /// with a line feed makes one character of two bytes).
    static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard byte < 0x80, byte != 0x0D else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func isLowerOrUnderscore(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
    }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || isDigit(byte)
    }

    /// `Character.isLetter` for ASCII.
    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// A word character of `\b`: letter, digit or underscore.
    static func isWord(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: "_")
    }

    /// Whether every byte of the text is ASCII: then a byte is a character (but for CR LF),
    /// and the byte paths here read the text as its characters do.
    static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    /// `Character.isWhitespace` for ASCII: tab, line feed, vertical tab, form feed, carriage
    /// return and space.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte >= 0x09 && byte <= 0x0D)
    }

    /// `text.split(separator: " ")`, read off the bytes when the text is ASCII: the
    /// standard split walks characters, and the parser splits each message a dozen times.
    /// (Only in ASCII is every space byte a character of its own: elsewhere a combining
    /// mark may join it.)
    static func words(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var words: [Substring] = []
        var start: String.Index?
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x80 else { return text.split(separator: " ") }
            if byte == UInt8(ascii: " ") {
                if let wordStart = start { words.append(text[wordStart..<index]); start = nil }
            } else if start == nil {
                start = index
            }
            utf8.formIndex(after: &index)
        }
        if let wordStart = start { words.append(text[wordStart..<index]) }
        return words
    }

    /// `text.split(whereSeparator: \.isWhitespace).joined(separator: " ")` for an ASCII text:
    /// its words joined by single spaces, in one pass over the bytes.
    static func collapsingWhitespace(_ text: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        var space = false
        for byte in text.utf8 {
            if isWhitespace(byte) { space = !result.isEmpty; continue }
            if space { result.append(UInt8(ascii: " ")); space = false }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `text.range(of: phrase)` (Foundation's, without options) when both are ASCII: the
    /// first occurrence of the phrase's bytes. Nil when either is not ASCII, `.some(nil)`
    /// when the phrase is not in the text.
    static func range(of phrase: String, in text: String) -> Range<String.Index>?? {
        guard let needle = bytes(phrase), !needle.isEmpty, let haystack = bytes(text) else { return nil }
        guard needle.count <= haystack.count else { return .some(nil) }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] && haystack[start..<start + needle.count].elementsEqual(needle) {
            let lower = text.utf8.index(text.utf8.startIndex, offsetBy: start)
            return .some(lower..<text.utf8.index(lower, offsetBy: needle.count))
        }
        return .some(nil)
    }

    /// `text.replacing(/\[([a-z_]+)\]\(([^)]*)\)/) { replacement($0.1, $0.2) }` with `open`
    /// "[" (a slot marked `[slot](value)`), or `/\{([a-z_]+)\}/` with `open` "{" and no
    /// value (a placeholder `{slot}`). Nil when the text is not ASCII.
    static func replacingMarks(in text: String, open: UInt8, _ replacement: (_ name: String, _ value: String) -> String) -> String? {
        guard let bytes = bytes(text) else { return nil }
        let withValue = open == UInt8(ascii: "[")
        let close = withValue ? UInt8(ascii: "]") : UInt8(ascii: "}")
        var result = ""
        var copied = 0, index = 0
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        while index < bytes.count {
            guard bytes[index] == open else { index += 1; continue }
            var nameEnd = index + 1
            while nameEnd < bytes.count && isLowerOrUnderscore(bytes[nameEnd]) { nameEnd += 1 }
            guard nameEnd > index + 1, nameEnd < bytes.count, bytes[nameEnd] == close else { index += 1; continue }
            var end = nameEnd + 1, value = ""
            if withValue {
                guard end < bytes.count, bytes[end] == UInt8(ascii: "(") else { index += 1; continue }
                var valueEnd = end + 1
                while valueEnd < bytes.count && bytes[valueEnd] != UInt8(ascii: ")") { valueEnd += 1 }
                guard valueEnd < bytes.count else { index += 1; continue }
                value = string(end + 1..<valueEnd)
                end = valueEnd + 1
            }
            result += string(copied..<index) + replacement(string(index + 1..<nameEnd), value)
            copied = end
            index = end
        }
        return result + string(copied..<bytes.count)
    }

    /// The first match of `\b(?:a|b|…)\b` with simple word boundaries, the alternatives
    /// tried in order at each position (list "dms" before "dm" for `dms?`). Nil when the text
    /// is not ASCII, `.some(nil)` when nothing matches.
    static func firstWord(in text: String, among alternatives: [[UInt8]]) -> Substring?? {
        guard let bytes = bytes(text) else { return nil }
        func boundary(_ position: Int) -> Bool {
            let before = position > 0 && isWord(bytes[position - 1])
            let after = position < bytes.count && isWord(bytes[position])
            return before != after
        }
        guard !bytes.isEmpty else { return .some(nil) }
        for start in 0..<bytes.count where boundary(start) {
            for word in alternatives where start + word.count <= bytes.count && bytes[start..<start + word.count].elementsEqual(word) && boundary(start + word.count) {
                let utf8 = text.utf8
                let lower = utf8.index(utf8.startIndex, offsetBy: start)
                return .some(text[lower..<utf8.index(lower, offsetBy: word.count)])
            }
        }
        return .some(nil)
    }
}
