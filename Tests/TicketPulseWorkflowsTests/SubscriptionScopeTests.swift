import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
@testable import TicketPulseWorkflows

/// A subscription carries only alerts about customers its creator may see, decided when
/// the alert is routed (so subscriptions stored before the rule existed obey it too).
@Suite("Subscriptions carry only their creator's scope")
struct SubscriptionScopeTests {
    /// Outside Ann's team: Lee, with Initech.
    static let lee = CSM(email: "lee.park@example.com", name: "Lee Park", slackUserID: "U0CSM0003", role: .csm)
    static let root = CSM(email: "root@example.com", name: "Root", slackUserID: "U0ADM0001", role: .admin)
    static let initech = Customer(id: "cus_initech", name: "Initech", tier: .smb, arr: 10_000, csmEmail: lee.email, healthScore: 80,
                                  onboardedAt: WorkflowFixture.now.addingTimeInterval(-400 * 86_400))

    /// Mike (Acme) and Sara (Globex) report to Ann; Lee (Initech) does not. One P1 new
    /// ticket per customer, so every alert is urgent and reaches every matching subscription.
    static func fixture() throws -> WorkflowFixture {
        let fixture = try WorkflowFixture()
        try fixture.store.upsertCSMs([lee, root])
        try fixture.store.upsertCustomers([initech])
        for customer in [WorkflowFixture.acme, WorkflowFixture.globex, initech] {
            try fixture.recent(customer, count: 1, priority: .p1)
        }
        return fixture
    }

    /// The customers whose alerts were posted to `recipient`, from the outbox.
    static func customers(postedTo recipient: String, _ fixture: WorkflowFixture) throws -> Set<String> {
        var customers = Set<String>()
        for row in try fixture.outbox() where row.kind == .post && row.recipient == recipient {
            guard let alertID = row.alertID, let alert = try fixture.store.alert(id: alertID) else { continue }
            customers.insert(alert.alert.customerID)
        }
        return customers
    }

    static func subscribe(_ target: SubscriptionTarget, feed: AlertFeed = .all, customerID: String? = nil, by creator: String, _ fixture: WorkflowFixture) throws {
        try fixture.store.subscribe(Subscription(target: target, feed: feed, customerID: customerID, createdBy: creator, createdAt: WorkflowFixture.now))
    }

    @Test("A CSM's own subscription and a channel a CSM set up carry only the CSM's customers")
    func csm() async throws {
        let fixture = try Self.fixture()
        // Stored as an older version would have, with no check at all: the pass filters it.
        try Self.subscribe(.person(email: WorkflowFixture.mike.email), by: WorkflowFixture.mike.email, fixture)
        try Self.subscribe(.channel(id: "C0MIKE"), by: WorkflowFixture.mike.email, fixture)
        try await fixture.pipeline().evaluate()
        #expect(try Self.customers(postedTo: "user:mike.chen@example.com", fixture) == ["cus_acme"])
        #expect(try Self.customers(postedTo: "channel:C0MIKE", fixture) == ["cus_acme"])
    }

    @Test("A manager's channel subscription carries the team's customers, down the reporting line, and no one else's")
    func manager() async throws {
        let fixture = try Self.fixture()
        // Ann reports to a director in turn: the director's team is Ann's team, two levels down.
        let director = CSM(email: "dee.ross@example.com", name: "Dee Ross", slackUserID: "U0MGR0002", role: .manager)
        var ann = WorkflowFixture.ann
        ann.managerEmail = director.email
        try fixture.store.upsertCSMs([director, ann])
        try Self.subscribe(.channel(id: "C0TEAM"), by: WorkflowFixture.ann.email, fixture)
        try Self.subscribe(.channel(id: "C0ORG"), by: director.email, fixture)
        try await fixture.pipeline().evaluate()
        #expect(try Self.customers(postedTo: "channel:C0TEAM", fixture) == ["cus_acme", "cus_globex"])
        #expect(try Self.customers(postedTo: "channel:C0ORG", fixture) == ["cus_acme", "cus_globex"])
    }

    @Test("An admin's subscription carries every customer")
    func admin() async throws {
        let fixture = try Self.fixture()
        try Self.subscribe(.channel(id: "C0ALL"), by: Self.root.email.uppercased(), fixture)
        try Self.subscribe(.person(email: Self.root.email), feed: .newTickets, by: Self.root.email, fixture)
        try await fixture.pipeline().evaluate()
        #expect(try Self.customers(postedTo: "channel:C0ALL", fixture) == ["cus_acme", "cus_globex", "cus_initech"])
        #expect(try Self.customers(postedTo: "user:root@example.com", fixture) == ["cus_acme", "cus_globex", "cus_initech"])
    }

    @Test("A subscription naming a customer outside its creator's scope carries nothing")
    func namedCustomerOutOfScope() async throws {
        let fixture = try Self.fixture()
        try Self.subscribe(.channel(id: "C0SNOOP"), customerID: Self.initech.id, by: WorkflowFixture.sara.email, fixture)
        try await fixture.pipeline().evaluate()
        #expect(try Self.customers(postedTo: "channel:C0SNOOP", fixture).isEmpty)
        // Initech's own CSM still hears about it: only the subscription is cut.
        #expect(try Self.customers(postedTo: "user:lee.park@example.com", fixture) == ["cus_initech"])
    }

    @Test("A subscription whose creator left the roster, or was never on it, carries nothing and is reported")
    func orphaned() async throws {
        let fixture = try Self.fixture()
        try Self.subscribe(.channel(id: "C0GONE"), by: "gone@example.com", fixture)
        try Self.subscribe(.channel(id: "C0BLANK"), by: "", fixture)
        let routing = try await RoutingData(store: fixture.store, customerIDs: ["cus_acme", "cus_globex", "cus_initech"], now: WorkflowFixture.now)
        #expect(Set(routing.orphaned.map(\.target)) == [.channel(id: "C0GONE"), .channel(id: "C0BLANK")])
        try await fixture.pipeline().evaluate()
        #expect(try Self.customers(postedTo: "channel:C0GONE", fixture).isEmpty)
        #expect(try Self.customers(postedTo: "channel:C0BLANK", fixture).isEmpty)
    }

    @Test("A webhook's pass over one customer asks the creators' scopes for that customer only")
    func scopesAreReadForTheCustomersRouted() async throws {
        let fixture = try Self.fixture()
        try Self.subscribe(.channel(id: "C0TEAM"), by: WorkflowFixture.ann.email, fixture)
        try Self.subscribe(.channel(id: "C0ALL"), by: Self.root.email, fixture)
        let routing = try await RoutingData(store: fixture.store, customerIDs: ["cus_globex"], now: WorkflowFixture.now)
        #expect(routing.subscriberScopes[WorkflowFixture.ann.email] == AccessScope(customerIDs: ["cus_globex"]))
        #expect(routing.subscriberScopes[Self.root.email] == AccessScope(customerIDs: nil))
        #expect(routing.subscriberScopes.count == 2)
    }

    @Test("The router drops a matching subscription whose creator's scope lacks the customer (pure)")
    func routerIsPure() throws {
        let fixture = try WorkflowFixture()
        let router = AlertRouter(rules: fixture.rules, messages: fixture.messages)
        let ticket = Ticket(source: .zendesk, externalID: "9", customerID: "cus_globex", subject: "Down", status: .open, priority: .p1, createdAt: WorkflowFixture.now)
        let alert = try #require(AlertDetectors(settings: fixture.rules.detectors, sla: .standard)
            .detect(CustomerActivity(customer: WorkflowFixture.globex, tickets: [ticket]), now: WorkflowFixture.now).first { $0.kind == .newTicket })
        let subscription = Subscription(target: .channel(id: "C0X"), feed: .all, createdBy: WorkflowFixture.mike.email, createdAt: WorkflowFixture.now)
        func recipients(_ scopes: [String: AccessScope]) -> [String] {
            router.plan(alert, context: AlertRouter.Context(customer: WorkflowFixture.globex, csm: WorkflowFixture.sara, manager: WorkflowFixture.ann,
                                                            subscriptions: [subscription], subscriberScopes: scopes, preferences: [:], now: WorkflowFixture.now))
                .messages.map(\.recipient)
        }
        #expect(!recipients([WorkflowFixture.mike.email: AccessScope(customerIDs: ["cus_acme"])]).contains("channel:C0X"))
        #expect(!recipients([:]).contains("channel:C0X"))
        #expect(recipients([WorkflowFixture.mike.email: AccessScope(customerIDs: ["cus_acme", "cus_globex"])]).contains("channel:C0X"))
    }
}
