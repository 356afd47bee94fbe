/// The situations the demo plants, so every alert and answer has something to show.
public enum DemoScenario {
    /// A ticket spike right now (about 6× its baseline in the last 24 h).
    public static let spikeCustomerID = "cus_acme"
    /// CSAT fell from about 4.5 to under 3 over the last month.
    public static let csatDropCustomerID = "cus_globex"
    /// Several open escalations.
    public static let escalationsCustomerID = "cus_initech"
    /// Open P1/P2 tickets past their SLA.
    public static let slaBreachCustomerID = "cus_umbrella"
    /// Onboarded five days ago: no 30-day baseline of its own.
    public static let newCustomerID = "cus_northwind"
}
