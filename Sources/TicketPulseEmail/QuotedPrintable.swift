/// Quoted-printable (RFC 2045 §6.7) for the UTF-8 text and HTML parts.
///
/// Chosen over base64 because a digest stays readable in a raw message (and in a test's
/// failure output), and because every encoded line is at most 76 characters, far below
/// SMTP's 998-octet line limit, whatever the text: a 5,000-character line of HTML with
/// no break is folded with soft line breaks rather than refused by a server.
enum QuotedPrintable {
    static let maximumLineLength = 76

    /// `text` with its line breaks (LF, CRLF or CR) as CRLF hard breaks, every line encoded.
    static func encode(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .flatMap { encodeLine(Array($0.utf8)) }
            .joined(separator: "\r\n")
    }

    /// One input line as one or more encoded lines, the soft breaks ending in `=`.
    static func encodeLine(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var current = ""
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token: String
            switch byte {
            case 0x20, 0x09:
                // Whitespace at the end of a line may be stripped in transit: encode it there.
                token = isLast ? escaped(byte) : String(UnicodeScalar(byte))
            case 33...126 where byte != UInt8(ascii: "="):
                token = String(UnicodeScalar(byte))
            default:
                token = escaped(byte)
            }
            // A line that goes on needs room for its soft-break `=`; the last one does not.
            let limit = isLast ? maximumLineLength : maximumLineLength - 1
            if current.utf8.count + token.utf8.count > limit {
                lines.append(current + "=")
                current = ""
            }
            current += token
        }
        lines.append(current)
        return lines
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    private static func escaped(_ byte: UInt8) -> String {
        "=" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
    }
}
