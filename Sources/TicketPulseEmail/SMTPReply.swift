/// One server reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    /// The text of each line, without the code and separator.
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2yz: done.
    public var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3yz: go on (354 after DATA, 334 during AUTH).
    public var isPositiveIntermediate: Bool { (300..<400).contains(code) }
    /// 4yz: not now; the same command may succeed later (greylisting, a full queue, 421).
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5yz: no; repeating the command will fail the same way.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The RFC 3463 enhanced status code at the start of the first line ("5.1.1"), if any.
    public var enhancedStatus: String? {
        guard let first = lines.first?.split(separator: " ", maxSplits: 1).first else { return nil }
        let parts = first.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return String(first)
    }

    public var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// Builds replies from lines: `250-first`, `250-more`, `250 last`.
struct SMTPReplyParser {
    private var code: Int?
    private var lines: [String] = []

    struct Malformed: Error, CustomStringConvertible {
        var line: String
        var description: String { "not an SMTP reply line: '\(line.prefix(80))'" }
    }

    /// Feeds one line (without its CRLF); returns the reply when this line completes one.
    mutating func feed(_ line: String) throws(Malformed) -> SMTPReply? {
        let utf8 = Array(line.utf8)
        guard utf8.count >= 3, utf8[0..<3].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              (2...5).contains(utf8[0] - UInt8(ascii: "0")) else { throw Malformed(line: line) }
        let lineCode = Int(String(decoding: utf8[0..<3], as: UTF8.self))!
        // Every line of a multi-line reply carries the same code.
        if let code, code != lineCode { throw Malformed(line: line) }
        let separator: UInt8? = utf8.count > 3 ? utf8[3] : nil
        guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { throw Malformed(line: line) }
        lines.append(utf8.count > 4 ? String(decoding: utf8[4...], as: UTF8.self) : "")
        if separator == UInt8(ascii: "-") {
            code = lineCode
            return nil
        }
        let reply = SMTPReply(code: lineCode, lines: lines)
        code = nil
        lines = []
        return reply
    }

    /// True between the first and last line of a multi-line reply.
    var isInsideReply: Bool { code != nil }
}
