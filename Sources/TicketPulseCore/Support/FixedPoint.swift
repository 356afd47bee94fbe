import Foundation

/// A number with a fixed count of decimals, as `String(format: "%.1f", value)` writes it
/// (the C library's rounding, to which Foundation's formatting hands `%f`), without
/// Foundation's format parsing and string bridging: a portfolio's health explanations and
/// attention reasons format a few numbers for each of its 50 accounts on every answer.
public enum FixedPoint {
    public static func string(_ value: Double, decimals: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let written = withVaList([Int32(decimals), value]) { vsnprintf(buffer.baseAddress, buffer.count, "%.*f", $0) }
            // Only a huge number is longer than the buffer.
            guard written >= 0, Int(written) < buffer.count else { return String(format: "%.\(decimals)f", value) }
            return String(cString: buffer.baseAddress!)
        }
    }
}
