extension PortfolioSummaryAnswer {
    /// The customers that need attention, lowest support health first: the summary's list,
    /// and the dashboard's.
    public static func needingAttention(_ snapshots: [CustomerSnapshot]) -> [CustomerSnapshot] {
        snapshots.filter(\.attention.needsAttention).sorted { $0.health.score < $1.health.score }
    }
}
