extension Sequence {
    /// `compactMap` whose transform awaits, in order, one at a time.
    public func asyncCompactMap<T>(_ transform: (Element) async throws -> T?) async rethrows -> [T] {
        var results: [T] = []
        for element in self { if let result = try await transform(element) { results.append(result) } }
        return results
    }
}
