import Foundation

/// Header values as RFC 5322 and RFC 2047 want them: ASCII only, folded into lines of at
/// most 76 characters where the value allows, non-ASCII text as `=?UTF-8?B?…?=` words.
enum HeaderEncoding {
    /// The longest line we fold to: RFC 2047 §2 limits a line holding an encoded-word to 76.
    static let foldWidth = 76

    /// UTF-8 bytes per encoded word: 39 bytes are 52 base64 characters, a 64-character word,
    /// so even the first line (`Subject: ` + word) stays within 76.
    static let bytesPerWord = 39

    /// An unstructured value (Subject, extra headers) as tokens to fold between.
    static func unstructuredTokens(_ value: String) -> [String] {
        let words = value.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        // Plain ASCII goes as it is, unless it could be mistaken for an encoded word or has a
        // run of text too long to fold (it could reach the 998-octet limit unbroken).
        if isPlainASCII(value), !value.contains("=?"), words.allSatisfy({ $0.utf8.count <= foldWidth - 12 }) {
            return words
        }
        return encodedWords(value)
    }

    /// `text` as encoded words, each a whole number of Unicode scalars so each decodes alone.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > bytesPerWord, !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// A display name as the phrase before `<address>`: atoms, a quoted string, or encoded words.
    static func phraseTokens(_ name: String) -> [String] {
        guard isPlainASCII(name), !name.contains("=?") else { return encodedWords(name) }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        let words = name.split(separator: " ").map(String.init)
        if words.allSatisfy({ $0.allSatisfy(atext.contains) && $0.utf8.count <= foldWidth - 12 }) { return words }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        // One token: a quoted string is not folded inside (its spaces would be changed).
        return escaped.utf8.count <= 900 ? ["\"\(escaped)\""] : encodedWords(name)
    }

    /// `Name: tok tok …`, folded (CRLF + space) before a token that would pass the width.
    static func fold(name: String, tokens: [String]) -> String {
        var lines: [String] = []
        var line = "\(name):"
        var lineHasToken = false
        for token in tokens {
            // Fold only before a non-empty token: a folded line of only whitespace is not allowed.
            if lineHasToken, !token.isEmpty, line.utf8.count + 1 + token.utf8.count > foldWidth {
                lines.append(line)
                line = ""
            }
            line += " " + token
            lineHasToken = true
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }
    }
}
