/// SplitMix64: a small, fast, seedable generator, so the demo is the same on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func chance(_ probability: Double) -> Bool { unit() < probability }

    /// Picks by weight; weights need not sum to 1.
    public mutating func pick<T>(_ weighted: [(T, Double)]) -> T {
        let total = weighted.reduce(0) { $0 + $1.1 }
        var roll = unit() * total
        for (value, weight) in weighted {
            roll -= weight
            if roll < 0 { return value }
        }
        return weighted[weighted.count - 1].0
    }

    public mutating func element<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }

    /// Poisson-distributed count with mean `lambda` (Knuth; fine for the small means used here).
    public mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda > 30 { return max(0, Int((lambda + lambda.squareRoot() * normal()).rounded())) }
        let limit = (-lambda).exp
        var product = unit(), count = 0
        while product > limit { product *= unit(); count += 1 }
        return count
    }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        return (-2 * u1.log).squareRoot() * (2 * Double.pi * u2).cosine
    }
}

import Foundation

extension Double {
    var exp: Double { Foundation.exp(self) }
    var log: Double { Foundation.log(self) }
    var cosine: Double { Foundation.cos(self) }
}
