/// One line of `ticketpulse doctor`'s checklist: what was checked, what was found, and,
/// when it is wrong, what to do.
public struct DoctorLine: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        /// ✓
        case passed
        /// ✗: something needed is wrong; the command exits 1.
        case failed
        /// ⚠: optional, or could not be told for sure; the command still exits 0.
        case warning
        /// –: not checked, because something it depends on failed.
        case skipped
    }

    public var status: Status
    public var title: String
    public var detail: String
    public var fix: String?

    public init(_ status: Status, _ title: String, _ detail: String, fix: String? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.fix = fix
    }

    public var symbol: String {
        switch status {
        case .passed: "✓"
        case .failed: "✗"
        case .warning: "⚠"
        case .skipped: "–"
        }
    }
}

/// The checklist, in the order the checks are listed (not the order they finished).
public struct DoctorReport: Sendable {
    public var lines: [DoctorLine]

    public init(lines: [DoctorLine]) {
        self.lines = lines
    }

    /// Everything needed passed: warnings do not count (a check is only skipped when one it
    /// depends on failed, and that one counts).
    public var passed: Bool { !lines.contains { $0.status == .failed } }
    public var exitCode: Int32 { passed ? 0 : 1 }

    public func line(_ title: String) -> DoctorLine? { lines.first { $0.title == title } }

    /// The checklist for a terminal: one line per check, its fix indented beneath.
    public var text: String {
        var output = lines.map { line in
            "\(line.symbol) \(line.title): \(line.detail)" + (line.fix.map { "\n    fix: \($0)" } ?? "")
        }
        let failed = lines.filter { $0.status == .failed }.count
        let warnings = lines.filter { $0.status == .warning }.count
        output.append("")
        output.append(passed
            ? "All needed checks passed" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))." : ".")
            : "\(failed) check\(failed == 1 ? "" : "s") failed; fix \(failed == 1 ? "it" : "them") and run `ticketpulse doctor` again.")
        return output.joined(separator: "\n")
    }
}
