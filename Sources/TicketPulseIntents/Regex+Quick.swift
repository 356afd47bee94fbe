extension Regex {
    /// Simple (ASCII-style) word boundaries. Messages are normalised before they are
    /// matched, and with the default Unicode word-break rules `\b` alone was a fifth of a
    /// parse. (Not combined with `.matchingSemantics(.unicodeScalar)`: with both, Swift
    /// 6.3 finds no `\b` after a digit at the end of the text.)
    var quick: Regex<Output> { wordBoundaryKind(.simple) }
}
