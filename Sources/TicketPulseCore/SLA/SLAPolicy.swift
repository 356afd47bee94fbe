import Foundation

/// First-response and resolution targets for one priority.
public struct SLATargets: Codable, Sendable, Equatable {
    public var firstResponse: TimeInterval
    public var resolution: TimeInterval

    public init(firstResponseHours: Double, resolutionHours: Double) {
        firstResponse = firstResponseHours * 3600
        resolution = resolutionHours * 3600
    }
}

/// SLA targets per priority, with optional per-tier overrides from configuration.
///
/// Clocks run in calendar hours from ticket creation (not business hours), and are not
/// paused while a ticket waits on the customer: that is how PRD-156 Appendix A states them.
public struct SLAPolicy: Codable, Sendable, Equatable {
    public var targets: [Priority: SLATargets]
    public var tierOverrides: [CustomerTier: [Priority: SLATargets]]
    /// A running clock is "at risk" once this share of its target has elapsed.
    public var atRiskFraction: Double

    public init(targets: [Priority: SLATargets], tierOverrides: [CustomerTier: [Priority: SLATargets]] = [:], atRiskFraction: Double = 0.75) {
        self.targets = targets
        self.tierOverrides = tierOverrides
        self.atRiskFraction = atRiskFraction
    }

    /// PRD-156 Appendix A: critical 1 h / 4 h, high 4 h / 24 h, medium 8 h / 48 h, low 24 h / 72 h.
    public static let standard = SLAPolicy(targets: [
        .p1: SLATargets(firstResponseHours: 1, resolutionHours: 4),
        .p2: SLATargets(firstResponseHours: 4, resolutionHours: 24),
        .p3: SLATargets(firstResponseHours: 8, resolutionHours: 48),
        .p4: SLATargets(firstResponseHours: 24, resolutionHours: 72),
    ])

    public func targets(for priority: Priority, tier: CustomerTier?) -> SLATargets {
        if let tier, let override = tierOverrides[tier]?[priority] { return override }
        return targets[priority] ?? SLAPolicy.standard.targets[priority]!
    }

    public func evaluate(_ ticket: Ticket, tier: CustomerTier?, now: Date) -> SLAEvaluation {
        let targets = targets(for: ticket.priority, tier: tier)
        // A ticket solved without a recorded reply was answered by the solve itself.
        let responded = ticket.firstResponseAt ?? ticket.resolvedAt
        let resolved = ticket.status.isResolved ? ticket.resolvedAt : nil
        return SLAEvaluation(
            firstResponse: clock(start: ticket.createdAt, target: targets.firstResponse, sourceDue: ticket.firstResponseDueAt, completedAt: responded, now: now),
            resolution: clock(start: ticket.createdAt, target: targets.resolution, sourceDue: ticket.resolutionDueAt, completedAt: resolved, now: now)
        )
    }

    private func clock(start: Date, target: TimeInterval, sourceDue: Date?, completedAt: Date?, now: Date) -> SLAClock {
        let due = sourceDue ?? start.addingTimeInterval(target)
        let state: SLAState
        if let completedAt {
            // Meeting the target to the second counts as met.
            state = completedAt <= due ? .met : .breached
        } else if now > due {
            state = .breached
        } else if now.timeIntervalSince(start) >= due.timeIntervalSince(start) * atRiskFraction {
            state = .atRisk
        } else {
            state = .onTrack
        }
        return SLAClock(dueAt: due, completedAt: completedAt, state: state)
    }
}

public enum SLAState: String, Codable, Sendable, Comparable {
    case met
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case breached

    private var severity: Int {
        switch self {
        case .met: 0
        case .onTrack: 1
        case .atRisk: 2
        case .breached: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.severity < rhs.severity }

    /// Whether the clock has a final answer (met or breached), as SLA-met percentages need.
    public var isDecided: Bool { self == .met || self == .breached }
}

public struct SLAClock: Sendable, Equatable {
    public var dueAt: Date
    public var completedAt: Date?
    public var state: SLAState
}

public struct SLAEvaluation: Sendable, Equatable {
    public var firstResponse: SLAClock
    public var resolution: SLAClock

    /// The worse of the two clocks: what a ticket list marks.
    public var overall: SLAState { max(firstResponse.state, resolution.state) }
}
