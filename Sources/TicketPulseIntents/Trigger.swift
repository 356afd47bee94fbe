#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A necessary condition for a pattern to match: words one of which every match contains.
///
/// Swift's `Regex` tries a pattern at every position of the text and tests `\b` with
/// Unicode character properties there, so a pattern that cannot match still costs a few
/// microseconds, and a parse runs some sixty of them. A byte search for the pattern's
/// literal words rules most of them out for a fraction of that. It only ever skips a
/// pattern that could not have matched, so what the parser finds is unchanged.
///
/// Each trigger must be written next to its pattern and hold a word that every match of the
/// pattern contains, spelt as the pattern spells it (the patterns are case-sensitive and run
/// on lower-cased text, except where noted).
struct Trigger: Sendable {
    private let needles: [[UInt8]]
    private let digitRun: Int

    /// Matches need one of `words`, byte for byte.
    init(_ words: String...) {
        self.init(words: words)
    }

    init(words: [String]) {
        needles = words.map { Array($0.utf8) }
        digitRun = 0
    }

    /// Matches need `count` decimal digits in a row. `\d` also matches non-ASCII digits, so
    /// a text with any non-ASCII character always may match.
    init(digits count: Int) {
        needles = []
        digitRun = count
    }

    /// False only when no match is possible.
    func mayMatch(_ text: some StringProtocol) -> Bool {
        // A text without contiguous UTF-8 (bridged) is not searched: the pattern decides.
        found(in: text) ?? true
    }

    /// Whether the text holds one of the words (or the run of digits); nil when its UTF-8 is
    /// not contiguous and it was not searched.
    func found(in text: some StringProtocol) -> Bool? {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            digitRun > 0 ? Self.hasDigitRun(bytes, digitRun) : needles.contains { Self.find($0, in: bytes) }
        }
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first, needle.count <= bytes.count, let base = bytes.baseAddress else { return needle.isEmpty }
        var index = 0
        let last = bytes.count - needle.count
        while index <= last {
            // The C library's memchr jumps to the next place the needle can start, many bytes
            // at a time: a parse searches some two hundred needles, nearly all absent.
            guard let found = memchr(base + index, Int32(first), last - index + 1) else { return false }
            index = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            var offset = 1
            while offset < needle.count && bytes[index + offset] == needle[offset] { offset += 1 }
            if offset == needle.count { return true }
            index += 1
        }
        return false
    }

    private static func hasDigitRun(_ bytes: UnsafeBufferPointer<UInt8>, _ count: Int) -> Bool {
        var run = 0
        for byte in bytes {
            if byte >= 0x80 { return true }
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                run += 1
                if run >= count { return true }
            } else {
                run = 0
            }
        }
        return false
    }
}
