import Foundation

/// Zendesk data generated from a seed, in the real wire shapes: cursor-export pages
/// (`tickets` with `generated_timestamp`, `metric_sets`, `users` and `organizations`
/// side-loads, `after_cursor`, `end_of_stream`), ticket show bodies and webhook bodies.
/// Nothing comes from fixture files, so any size can be generated.
public struct SyntheticZendesk: Sendable {
    public let tickets: Int
    public let seed: UInt64
    public let pageSize: Int
    public let customers: Int
    /// generated_timestamp of ticket 1; three tickets share each second, so pages of
    /// identical timestamps cross page boundaries as they do in real exports.
    public let start: Date

    public init(tickets: Int, seed: UInt64 = 42, pageSize: Int = 1000, customers: Int = 1000, start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        self.tickets = tickets
        self.seed = seed
        self.pageSize = pageSize
        self.customers = customers
        self.start = start
    }

    public var pageCount: Int { (tickets + pageSize - 1) / pageSize }

    /// The roster the tickets belong to: customer `c` owns organization 900000+c and the
    /// domain `customer-c.example`; one ticket in twenty comes from an unknown domain.
    public func customerDomain(_ customer: Int) -> String { "customer-\(customer).example" }

    // MARK: Export pages

    /// Export page `index` (0-based): the cursor of page n is "p<n>", base64-encoded like Zendesk's opaque cursors.
    public func exportPage(_ index: Int, baseURL: String) -> [UInt8] {
        let first = index * pageSize + 1
        let last = min(tickets, first + pageSize - 1)
        var text = #"{"tickets":["#
        var users: [Int: String] = [:]
        var organizations: Set<Int> = []
        var metrics: [String] = []
        metrics.reserveCapacity(pageSize)
        if first <= last {
            for id in first...last {
                let ticket = generate(id)
                if id > first { text += "," }
                text += ticket.json(baseURL: baseURL, generatedTimestamp: generatedTimestamp(id))
                metrics.append(ticket.metricSetJSON)
                users[ticket.requesterID] = ticket.requesterJSON
                users[ticket.assigneeID] = ticket.assigneeJSON
                if let org = ticket.organizationID { organizations.insert(org) }
            }
        }
        text += #"],"metric_sets":["# + metrics.joined(separator: ",") + "]"
        text += #","users":["# + users.keys.sorted().map { users[$0]! }.joined(separator: ",") + "]"
        text += #","organizations":["# + organizations.sorted().map(organizationJSON).joined(separator: ",") + "]"
        let after = Self.cursor(index + 1)
        let before = Self.cursor(index)
        text += #","after_url":"\#(baseURL)/api/v2/incremental/tickets/cursor.json?cursor=\#(after)","after_cursor":"\#(after)""#
        text += #","before_url":"\#(baseURL)/api/v2/incremental/tickets/cursor.json?cursor=\#(before)","before_cursor":"\#(before)""#
        text += #","end_of_stream":\#(last >= tickets ? "true" : "false")}"#
        return Array(text.utf8)
    }

    /// An export page past the end: nothing new, same cursor.
    public func emptyPage(cursor: String) -> [UInt8] {
        Array(#"{"tickets":[],"metric_sets":[],"users":[],"organizations":[],"after_url":null,"after_cursor":"\#(cursor)","before_url":null,"before_cursor":"\#(cursor)","end_of_stream":true}"#.utf8)
    }

    public static func cursor(_ page: Int) -> String { Data("p\(page)".utf8).base64EncodedString() }

    public static func page(ofCursor cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("p") else { return nil }
        return Int(text.dropFirst())
    }

    // MARK: One ticket

    /// `GET /api/v2/tickets/{id}.json?include=…` for version `version` of the ticket (each
    /// version moves its status and updated_at, so every webhook changes something).
    public func showBody(id: Int, version: Int, baseURL: String) -> [UInt8] {
        var ticket = generate(id)
        ticket.apply(version: version)
        var users = [ticket.requesterJSON]
        if ticket.assigneeID != ticket.requesterID { users.append(ticket.assigneeJSON) }
        let organizations = ticket.organizationID.map { [organizationJSON($0)] } ?? []
        let text = #"{"ticket":"# + ticket.json(baseURL: baseURL, generatedTimestamp: nil)
            + #","users":["# + users.joined(separator: ",") + #"],"organizations":["# + organizations.joined(separator: ",")
            + #"],"metric_sets":["# + ticket.metricSetJSON + "]}"
        return Array(text.utf8)
    }

    /// A Zendesk webhook body (`zen:event-type:ticket.status_changed`) for ticket `id`.
    public func webhookBody(id: Int, version: Int) -> [UInt8] {
        var ticket = generate(id)
        ticket.apply(version: version)
        let text = #"{"account_id":10001,"detail":{"id":"\#(id)","status":"\#(ticket.status.uppercased())","priority":"\#(ticket.priority?.uppercased() ?? "null")","subject":"\#(ticket.subject)","requester_id":"\#(ticket.requesterID)","updated_at":"\#(Self.iso(ticket.updatedAt))"},"event":{"current":"\#(ticket.status.uppercased())","previous":"NEW"},"id":"\#(UUID().uuidString.lowercased())","subject":"zen:ticket:\#(id)","time":"\#(Self.iso(ticket.updatedAt))","type":"zen:event-type:ticket.status_changed","zendesk_event_version":"2022-11-06"}"#
        return Array(text.utf8)
    }

    // MARK: Generation

    struct Generated {
        var id: Int
        var subject: String
        var description: String
        var status: String
        var priority: String?
        var type: String
        var requesterID: Int
        var requesterEmail: String
        var assigneeID: Int
        var organizationID: Int?
        var tags: [String]
        var customerKey: String?
        var satisfaction: String
        var createdAt: Date
        var updatedAt: Date
        var replyMinutes: Int?
        var resolutionMinutes: Int?
        var solvedAt: Date?
        var reopens: Int
        var replies: Int

        mutating func apply(version: Int) {
            guard version > 0 else { return }
            status = ["open", "pending", "hold", "open", "solved"][version % 5]
            updatedAt = updatedAt.addingTimeInterval(Double(version) * 60)
            if status == "solved" { solvedAt = updatedAt } else { solvedAt = nil }
        }

        func json(baseURL: String, generatedTimestamp: Int?) -> String {
            var text = #"{"url":"\#(baseURL)/api/v2/tickets/\#(id).json","id":\#(id),"via":{"channel":"email"}"#
            text += #","created_at":"\#(SyntheticZendesk.iso(createdAt))","updated_at":"\#(SyntheticZendesk.iso(updatedAt))""#
            if let generatedTimestamp { text += #","generated_timestamp":\#(generatedTimestamp)"# }
            text += #","type":"\#(type)","subject":"\#(subject)","description":"\#(description)""#
            text += #","priority":\#(priority.map { "\"\($0)\"" } ?? "null"),"status":"\#(status)""#
            text += #","requester_id":\#(requesterID),"assignee_id":\#(assigneeID),"organization_id":\#(organizationID.map(String.init) ?? "null")"#
            text += #","tags":[\#(tags.map { "\"\($0)\"" }.joined(separator: ","))]"#
            text += #","custom_fields":[{"id":360011,"value":\#(customerKey.map { "\"\($0)\"" } ?? "null")}]"#
            switch satisfaction {
            case "good", "bad": text += #","satisfaction_rating":{"id":\#(880000 + id),"score":"\#(satisfaction)","comment":"\#(satisfaction == "good" ? "Thanks!" : "Too slow.")"}"#
            case "offered": text += #","satisfaction_rating":{"score":"offered"}"#
            default: text += #","satisfaction_rating":null"#
            }
            return text + #","is_public":true}"#
        }

        var metricSetJSON: String {
            var text = #"{"id":\#(2_000_000 + id),"ticket_id":\#(id),"reopens":\#(reopens),"replies":\#(replies)"#
            text += #","solved_at":\#(solvedAt.map { "\"\(SyntheticZendesk.iso($0))\"" } ?? "null")"#
            text += #","status_updated_at":"\#(SyntheticZendesk.iso(updatedAt))""#
            text += #","reply_time_in_minutes":{"calendar":\#(replyMinutes.map(String.init) ?? "null"),"business":\#(replyMinutes.map(String.init) ?? "null")}"#
            text += #","full_resolution_time_in_minutes":{"calendar":\#(resolutionMinutes.map(String.init) ?? "null"),"business":\#(resolutionMinutes.map(String.init) ?? "null")}}"#
            return text
        }

        var requesterJSON: String {
            #"{"id":\#(requesterID),"name":"Requester \#(requesterID)","email":"\#(requesterEmail)","role":"end-user"}"#
        }

        var assigneeJSON: String {
            #"{"id":\#(assigneeID),"name":"Agent \#(assigneeID)","email":"agent\#(assigneeID)@ourcompany.example","role":"agent"}"#
        }
    }

    func organizationJSON(_ id: Int) -> String {
        #"{"id":\#(id),"name":"Customer \#(id - 900_000) Inc"}"#
    }

    func generatedTimestamp(_ id: Int) -> Int { Int(start.timeIntervalSince1970) + (id - 1) / 3 }

    static let subjects = [
        "Cannot log in with SSO", "Invoice shows the wrong amount", "Export to CSV times out", "API returns 500 on search",
        "How do I add a user?", "Dashboard is slow", "Webhook deliveries failing", "Password reset email not received",
        "Feature request: dark mode", "Data missing after import",
    ]

    func generate(_ id: Int) -> Generated {
        var random = SplitMix(seed: seed &+ UInt64(id) &* 0x9E37_79B9_7F4A_7C15)
        let customer = Int(random.next() % UInt64(customers))
        let created = start.addingTimeInterval(-Double(random.next() % (180 * 86_400)))
        let statusRoll = random.next() % 100
        let status = statusRoll < 20 ? "new" : statusRoll < 40 ? "open" : statusRoll < 50 ? "pending" : statusRoll < 55 ? "hold" : statusRoll < 80 ? "solved" : statusRoll < 99 ? "closed" : "deleted"
        let priorities: [String?] = ["urgent", "high", "normal", "normal", "low", nil]
        let priority = priorities[Int(random.next() % UInt64(priorities.count))]
        let unknownDomain = random.next() % 20 == 0
        let requester = 100_000 + id
        let replied = status != "new" && random.next() % 10 != 0
        let reply = replied ? Int(random.next() % 2_880) + 5 : nil
        let solved = status == "solved" || status == "closed"
        let resolution = solved ? (reply ?? 0) + Int(random.next() % 10_000) : nil
        let updated = created.addingTimeInterval(Double(resolution ?? reply ?? 30) * 60)
        let ratingRoll = random.next() % 10
        let satisfaction = solved ? (ratingRoll < 4 ? "good" : ratingRoll < 5 ? "bad" : ratingRoll < 7 ? "offered" : "unoffered") : "unoffered"
        // How the ticket finds its customer: organization (60%), custom field (15%), requester domain (the rest).
        let route = random.next() % 100
        let organization = !unknownDomain && route < 60 ? 900_000 + customer : nil
        let customerKey = !unknownDomain && route >= 60 && route < 75 ? "cus-\(customer)" : nil
        let domain = unknownDomain ? "unknown-\(id % 97).example" : customerDomain(customer)
        var tags = ["synthetic"]
        if random.next() % 25 == 0 { tags.append("escalated") }
        return Generated(
            id: id, subject: Self.subjects[Int(random.next() % UInt64(Self.subjects.count))] + " (#\(id))",
            description: "Generated ticket \(id) for customer \(customer).", status: status, priority: priority,
            type: ["question", "incident", "problem", "task"][Int(random.next() % 4)],
            requesterID: requester, requesterEmail: "user\(id)@\(domain)", assigneeID: 7_000 + Int(random.next() % 40),
            organizationID: organization, tags: tags, customerKey: customerKey, satisfaction: satisfaction,
            createdAt: created, updatedAt: updated, replyMinutes: reply, resolutionMinutes: resolution,
            solvedAt: solved ? updated : nil, reopens: Int(random.next() % 20 == 0 ? 1 : 0), replies: replied ? Int(random.next() % 6) + 1 : 0
        )
    }

    static func iso(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }
}

/// SplitMix64: a small deterministic generator.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
