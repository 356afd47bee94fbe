import Foundation
import TicketPulseCore

/// The demo workspace's people and accounts. Names are fictional; the planted situations
/// of `DemoScenario` refer to these ids.
public enum DemoRoster {
    public static let staff: [CSM] = [
        CSM(email: "alex.kim@example.com", name: "Alex Kim", slackUserID: "U0ADM0001", role: .admin),
        CSM(email: "maria.lopez@example.com", name: "Maria Lopez", slackUserID: "U0MGR0001", role: .manager),
        CSM(email: "mike.chen@example.com", name: "Mike Chen", slackUserID: "U0CSM0001", role: .csm, managerEmail: "maria.lopez@example.com"),
        CSM(email: "sam.carter@example.com", name: "Sam Carter", slackUserID: "U0CSM0002", role: .csm, managerEmail: "maria.lopez@example.com"),
        CSM(email: "priya.nair@example.com", name: "Priya Nair", slackUserID: "U0CSM0003", role: .csm, managerEmail: "maria.lopez@example.com"),
        CSM(email: "jordan.blake@example.com", name: "Jordan Blake", slackUserID: "U0CSM0004", role: .csm, managerEmail: "maria.lopez@example.com"),
        CSM(email: "elena.rossi@example.com", name: "Elena Rossi", slackUserID: "U0CSM0005", role: .csm, managerEmail: "maria.lopez@example.com"),
    ]

    /// One row per account: id, name, aliases, domains, tier, ARR, CSM, health, champion.
    struct Row {
        let id: String, name: String, aliases: [String], domains: [String]
        let tier: CustomerTier, arr: Double, csm: String, health: Double
        let champion: String
    }

    static let rows: [Row] = [
        Row(id: "cus_acme", name: "Acme Corp", aliases: ["Acme", "ACME Corporation"], domains: ["acme.io", "acme.com"], tier: .enterprise, arr: 480_000, csm: "mike", health: 78, champion: "Wile Coyote"),
        Row(id: "cus_globex", name: "Globex Corporation", aliases: ["Globex"], domains: ["globex.com"], tier: .enterprise, arr: 350_000, csm: "mike", health: 74, champion: "Hank Scorpio"),
        Row(id: "cus_initech", name: "Initech", aliases: ["Initech Inc"], domains: ["initech.com"], tier: .midMarket, arr: 120_000, csm: "mike", health: 66, champion: "Bill Lumbergh"),
        Row(id: "cus_umbrella", name: "Umbrella Health", aliases: ["Umbrella"], domains: ["umbrellahealth.com"], tier: .enterprise, arr: 620_000, csm: "sam", health: 71, champion: "Alice Abernathy"),
        Row(id: "cus_hooli", name: "Hooli", aliases: ["Hooli XYZ"], domains: ["hooli.xyz"], tier: .enterprise, arr: 900_000, csm: "sam", health: 82, champion: "Gavin Belson"),
        Row(id: "cus_stark", name: "Stark Industries", aliases: [], domains: ["starkindustries.com"], tier: .enterprise, arr: 750_000, csm: "sam", health: 85, champion: "Pepper Potts"),
        Row(id: "cus_stark_logistics", name: "Stark Logistics", aliases: [], domains: ["starklogistics.com"], tier: .smb, arr: 30_000, csm: "sam", health: 69, champion: "Happy Hogan"),
        Row(id: "cus_wayne", name: "Wayne Enterprises", aliases: ["Wayne Corp"], domains: ["wayne.com"], tier: .enterprise, arr: 540_000, csm: "priya", health: 80, champion: "Lucius Fox"),
        Row(id: "cus_soylent", name: "Soylent Foods", aliases: ["Soylent"], domains: ["soylent.co"], tier: .midMarket, arr: 95_000, csm: "priya", health: 63, champion: "Sol Roth"),
        Row(id: "cus_cyberdyne", name: "Cyberdyne Systems", aliases: ["Cyberdyne"], domains: ["cyberdyne.ai"], tier: .midMarket, arr: 150_000, csm: "priya", health: 70, champion: "Miles Dyson"),
        Row(id: "cus_tyrell", name: "Tyrell Corp", aliases: ["Tyrell"], domains: ["tyrell.com"], tier: .enterprise, arr: 410_000, csm: "priya", health: 77, champion: "Rachael Tyrell"),
        Row(id: "cus_wonka", name: "Wonka Industries", aliases: ["Wonka"], domains: ["wonka.com"], tier: .smb, arr: 42_000, csm: "priya", health: 88, champion: "Charlie Bucket"),
        Row(id: "cus_aperture", name: "Aperture Science", aliases: ["Aperture"], domains: ["aperture.com"], tier: .midMarket, arr: 130_000, csm: "jordan", health: 62, champion: "Cave Johnson"),
        Row(id: "cus_massive", name: "Massive Dynamic", aliases: [], domains: ["massivedynamic.com"], tier: .enterprise, arr: 560_000, csm: "jordan", health: 79, champion: "Nina Sharp"),
        Row(id: "cus_vandelay", name: "Vandelay Industries", aliases: ["Vandelay"], domains: ["vandelay.com"], tier: .smb, arr: 25_000, csm: "jordan", health: 72, champion: "Art Vandelay"),
        Row(id: "cus_piedpiper", name: "Pied Piper", aliases: ["PiedPiper"], domains: ["piedpiper.com"], tier: .smb, arr: 38_000, csm: "jordan", health: 68, champion: "Richard Hendricks"),
        Row(id: "cus_dunder", name: "Dunder Mifflin", aliases: ["Dunder Mifflin Paper"], domains: ["dundermifflin.com"], tier: .midMarket, arr: 88_000, csm: "jordan", health: 75, champion: "Pam Beesly"),
        Row(id: "cus_oscorp", name: "Oscorp", aliases: ["Oscorp Industries"], domains: ["oscorp.com"], tier: .midMarket, arr: 160_000, csm: "elena", health: 64, champion: "Norman Osborn"),
        Row(id: "cus_nakatomi", name: "Nakatomi Trading", aliases: ["Nakatomi"], domains: ["nakatomi.jp"], tier: .enterprise, arr: 470_000, csm: "elena", health: 81, champion: "Joseph Takagi"),
        Row(id: "cus_bluth", name: "Bluth Company", aliases: ["Bluth"], domains: ["bluth.com"], tier: .smb, arr: 22_000, csm: "elena", health: 58, champion: "Michael Bluth"),
        Row(id: "cus_prestige", name: "Prestige Worldwide", aliases: ["Prestige"], domains: ["prestigeworldwide.com"], tier: .smb, arr: 18_000, csm: "elena", health: 73, champion: "Brennan Huff"),
        Row(id: "cus_gringotts", name: "Gringotts Bank", aliases: ["Gringotts"], domains: ["gringotts.co.uk"], tier: .enterprise, arr: 690_000, csm: "elena", health: 86, champion: "Griphook Goblin"),
        Row(id: "cus_monarch", name: "Monarch Solutions", aliases: ["Monarch"], domains: ["monarch.io"], tier: .midMarket, arr: 110_000, csm: "sam", health: 76, champion: "Hugo Strange"),
        Row(id: "cus_northwind", name: "Northwind Traders", aliases: ["Northwind"], domains: ["northwind.com"], tier: .midMarket, arr: 140_000, csm: "mike", health: 70, champion: "Nancy Davolio"),
    ]

    static func csmEmail(_ short: String) -> String {
        staff.first { $0.email.hasPrefix(short + ".") }!.email
    }
}

extension DemoRoster {
    /// The demo accounts as roster customers. `now` anchors renewal and onboarding dates.
    public static func customers(now: Date) -> [Customer] {
        rows.enumerated().map { index, row in
            Customer(
                id: row.id, name: row.name, aliases: row.aliases, domains: row.domains,
                tier: row.tier, arr: row.arr, csmEmail: csmEmail(row.csm),
                renewalDate: now.addingTimeInterval(Double(30 + index * 13) * 86_400),
                healthScore: row.health, championName: row.champion,
                championEmail: championEmail(row),
                onboardedAt: row.id == DemoScenario.newCustomerID
                    ? now.addingTimeInterval(-5 * 86_400)
                    : now.addingTimeInterval(-Double(400 + index * 30) * 86_400)
            )
        }
    }

    static func championEmail(_ row: Row) -> String {
        let first = row.champion.split(separator: " ").first.map(String.init) ?? "champion"
        return "\(first.lowercased())@\(row.domains[0])"
    }
}
