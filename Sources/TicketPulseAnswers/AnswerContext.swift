import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

/// Everything a handler needs to answer one message.
public struct AnswerContext: Sendable {
    public var parsed: ParsedMessage
    /// The message as the asker wrote it (free text such as notes keeps its case).
    public var text: String
    public var asker: CSM
    public var scope: AccessScope
    public var store: any Store
    public var now: Date
    public var settings: AnswerSettings
    /// True when this is the [Confirm] of a write (or `ask --yes`): the handler writes.
    /// Otherwise a write handler only says what it would do and asks.
    public var confirmed: Bool = false

    var slots: IntentSlots { parsed.slots }

    /// A write handler calls this just before writing: unless confirmed, the answer ends
    /// here with what would happen and [Confirm] [Cancel]. The request carries this reading,
    /// the asker (only they may confirm) and a fresh nonce (a confirmation is done once).
    func confirmBeforeWriting(_ description: String, shown: [String]) throws {
        guard !confirmed else { return }
        var request = AnswerRequest(parsed, question: parsed.intent == .notificationSettings ? text : nil)
        request.asker = asker.email.lowercased()
        request.nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        throw EarlyAnswer(Clarification.confirm(description, request: request, shown: shown))
    }

    /// The period asked for, or the last `days` days.
    func period(defaultDays days: Int) -> Period {
        slots.period?.period ?? .trailing(days: days, endingAt: now)
    }

    /// The period as a phrase that stands alone ("the last 6 months", "since monday",
    /// "october"): the asker's words without their leading preposition, so that answers
    /// can write "…, the last 6 months." without "over over" or "in in".
    func periodText(defaultDays days: Int) -> String {
        guard let text = slots.period?.text else { return "the last \(days) days" }
        return text.replacing(#/^(?:over|in|during|for|of|on|from)\s+/#, with: "")
    }

    /// The customer the message names, checked against the asker's scope.
    private func customerChoice() async throws -> CustomerChoice {
        guard let slot = slots.customer else { return .none }
        if slot.match == nil, slot.candidates.isEmpty, let unknown = slot.unknown { return .unknown(unknown) }
        let ids = slot.match.map { [$0.id] } ?? slot.candidates.map(\.id)
        let allowed = ids.filter(scope.allows)
        let customers = try await allowed.asyncCompactMap { try await store.customer(id: $0) }
        switch customers.count {
        case 0: return .refused
        case 1: return .one(customers[0])
        default: return .ambiguous(customers)
        }
    }

    /// The customer the question names, in the asker's scope, or nil when it names none.
    /// A name outside the scope (or unknown) or one that fits several customers ends the
    /// answer early with the refusal or the "which one?" question.
    func namedCustomer() async throws -> Customer? {
        switch try await customerChoice() {
        case .refused: throw EarlyAnswer(CommonReplies.refused())
        case .unknown(let name): throw EarlyAnswer(CommonReplies.unknownCustomer(name))
        case .ambiguous(let candidates): throw EarlyAnswer(Clarification.whichCustomer(candidates, context: self))
        case .one(let customer): return customer
        case .none: return nil
        }
    }

    /// The named customer (or customers: "Acme and Globex"), or every customer in the
    /// asker's scope that the question's filters keep when none is named.
    func askedCustomers() async throws -> [Customer] {
        if let several = try await namedCustomers() { return several }
        if let customer = try await namedCustomer() { return [customer] }
        return try await filteredCustomers()
    }

    /// `customersInScope`, but a filter that keeps none ends the answer with saying so.
    func filteredCustomers() async throws -> [Customer] {
        let customers = try await customersInScope()
        if customers.isEmpty, slots.hasCustomerFilter { throw EarlyAnswer(CommonReplies.noneMatch(await filterSubject())) }
        return customers
    }

    /// The customers of the `customers` slot when it names two or more, each checked
    /// against the scope: one outside it refuses the whole answer, so nothing leaks.
    func namedCustomers() async throws -> [Customer]? {
        guard let matches = slots.customers, matches.count >= 2 else { return nil }
        guard matches.allSatisfy({ scope.allows($0.id) }) else { throw EarlyAnswer(CommonReplies.refused()) }
        let customers = try await matches.asyncCompactMap { try await store.customer(id: $0.id) }
        guard customers.count == matches.count else { throw EarlyAnswer(CommonReplies.refused()) }
        return customers
    }

    /// The ticket queries' customer ids and the words for them: the named customer(s), else
    /// the asker's scope narrowed by the question's filters (nil ids = every customer).
    func ticketScope() async throws -> (ids: [String]?, subject: String, named: [Customer]) {
        if let several = try await namedCustomers() { return (several.map(\.id), Format.names(several.map(\.name)), several) }
        if let customer = try await namedCustomer() { return ([customer.id], customer.name, [customer]) }
        guard slots.hasCustomerFilter else { return (scope.queryIDs, "your accounts", []) }
        return (try await filteredCustomers().map(\.id), await filterSubject(), [])
    }

    /// "your enterprise accounts renewing this quarter with health below 70".
    func filterSubject() async -> String {
        var words = ["your"]
        if let csm = slots.csm { words = await [csmName(csm) + "'s"] }
        if let tier = slots.tier { words.append(tier.label) }
        words.append("accounts")
        if let arr = slots.arr { words.append("with ARR \(arr.op.rawValue) \(Format.money(arr.value))") }
        if let renewal = slots.renewal { words.append(renewal.text) }
        if let health = slots.health { words.append("with health \(health.op.rawValue) \(String(format: "%g", health.value))") }
        return words.joined(separator: " ")
    }

    private func csmName(_ email: String) async -> String {
        (try? await store.csm(email: email)?.name) ?? email
    }

    /// Whether a customer passes the question's attribute filters. The health filter reads
    /// the roster's health score (the account's health from outside support); an account
    /// without one passes no health filter.
    func passesFilters(_ customer: Customer) -> Bool {
        if let tier = slots.tier, customer.tier != tier { return false }
        if let arr = slots.arr, !arr.holds(for: customer.arr) { return false }
        if let renewal = slots.renewal {
            guard let date = customer.renewalDate, renewal.period.contains(date) else { return false }
        }
        if let health = slots.health {
            guard let score = customer.healthScore, health.holds(for: score) else { return false }
        }
        if let csm = slots.csm, customer.csmEmail?.lowercased() != csm.lowercased() { return false }
        return true
    }

    /// The named customer; when none is named the answer asks for one, showing `example`.
    func requiredCustomer(example: String) async throws -> Customer {
        guard let customer = try await namedCustomer() else { throw EarlyAnswer(CommonReplies.needsCustomer(example)) }
        return customer
    }

    /// An answer that found nothing still says where the data comes from and how fresh it
    /// is: "no escalations" means little if the last sync was a week ago.
    func nothingFound(header: String, _ text: String, shown: [String]) async throws -> HandlerResult {
        await HandlerResult(Reply(header: header, blocks: [.section(text), .context(try Format.freshness(store: store, now: now))], fallbackText: text), shown: shown)
    }

    /// The customers a portfolio-wide question covers: the asker's scope, narrowed by the
    /// question's attribute filters (tier, ARR, renewal, health, CSM) when it has any.
    func customersInScope() async throws -> [Customer] {
        let all = try await store.customers(ids: scope.customerIDs.map(Array.init))
        return slots.hasCustomerFilter ? all.filter(passesFilters) : all
    }

    func tier(of customerID: String?) async throws -> CustomerTier? {
        guard let customerID else { return nil }
        return try await store.customer(id: customerID)?.tier
    }
}

/// Tunables of the answers; from configuration.
public struct AnswerSettings: Sendable {
    public var policy: SLAPolicy
    public var weights: HealthWeights
    public var lowCSATThreshold: Double
    /// Ticket rows in one answer before "…and N more".
    public var listLimit: Int

    public init(policy: SLAPolicy = .standard, weights: HealthWeights = .standard, lowCSATThreshold: Double = 3.5, listLimit: Int = 15) {
        self.policy = policy
        self.weights = weights
        self.lowCSATThreshold = lowCSATThreshold
        self.listLimit = listLimit
    }

    public var calculator: MetricsCalculator { MetricsCalculator(policy: policy) }
    public var snapshotBuilder: SnapshotBuilder { SnapshotBuilder(calculator: calculator, scorer: SupportHealthScorer(weights: weights)) }
}

/// A reply decided before the handler's main work (a refusal, a "which one?"); thrown by
/// the context's customer helpers and answered by `AnswerEngine` like any other reply.
struct EarlyAnswer: Error {
    let result: HandlerResult
    init(_ result: HandlerResult) { self.result = result }
}

enum CustomerChoice {
    case none
    case one(Customer)
    /// Not in the asker's scope. A question in words never gets here (it is read against the
    /// asker's customers only, see `AnswerEngine.scopedParser`); a button carrying another
    /// book's customer id (stale or tampered) does, and is refused.
    case refused
    /// A name no customer on the roster has: said so, rather than answering for every account.
    case unknown(String)
    case ambiguous([Customer])
}

/// What a handler produced: the reply and the customers whose data it showed (for the audit log).
public struct HandlerResult: Sendable {
    public var reply: Reply
    public var customersShown: [String]
    /// A write described and waiting for [Confirm].
    public var pendingConfirmation: AnswerRequest?
    /// Why the answer refused (the audit row's reason), when it did.
    var refusal: String?

    init(_ reply: Reply, shown: [String] = []) {
        self.reply = reply
        self.customersShown = shown
    }
}

protocol IntentHandler: Sendable {
    func answer(_ context: AnswerContext) async throws -> HandlerResult
}
