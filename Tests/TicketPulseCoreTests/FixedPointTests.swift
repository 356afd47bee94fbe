import Foundation
import Testing
import TicketPulseCore

@Suite("Fixed-point numbers")
struct FixedPointTests {
    @Test("A number with 0 or 1 decimals reads as String(format:) writes it, halves and negatives included")
    func asStringFormat() {
        let chosen: [Double] = [0, -0.0, 0.05, 0.25, 0.5, 1.5, 2.5, 2.25, 2.35, 3.45, 4.05, 99.5, 100, 66.66666, -1.25, -0.04, 1_000_000_000.5, 3.9499999999, 1.0 / 3.0]
        let swept: [Double] = (0..<500).map { (index: Int) -> Double in Double(index) * 0.0137 - 1.2 }
        let values = chosen + swept
        for value in values {
            #expect(FixedPoint.string(value, decimals: 1) == String(format: "%.1f", value), "\(value)")
            #expect(FixedPoint.string(value, decimals: 0) == String(format: "%.0f", value), "\(value)")
        }
        #expect(FixedPoint.string(1e200, decimals: 1) == String(format: "%.1f", 1e200))
    }
}
