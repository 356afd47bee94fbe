extension String {
    /// The text followed by spaces up to `width` characters; longer text is left whole.
    /// Counts Characters, as the column widths do: Foundation's `padding(toLength:)` counts
    /// UTF-16 units, and cut "🔴 breached" to "🔴 breache" in aligned tables.
    public func padded(toWidth width: Int) -> String {
        let missing = width - characterCount
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }

    /// `count`, without breaking printable ASCII into graphemes: there one byte is one
    /// character (a table's cells are mostly that, and each is measured for every column).
    public var characterCount: Int {
        isPrintableASCII ? utf8.count : count
    }

    /// Only printable ASCII (space to `~`): each byte a character of its own, none a line break.
    public var isPrintableASCII: Bool {
        utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }
}
