extension String {
    /// The text followed by spaces up to `width` characters; longer text is left whole.
    /// Counts Characters, as the column widths do: Foundation's `padding(toLength:)` counts
    /// UTF-16 units, and cut "🔴 breached" to "🔴 breache" in aligned tables.
    public func padded(toWidth width: Int) -> String {
        let missing = width - count
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }
}
