import Foundation
import TicketPulseCore
import TicketPulseIntents
import TicketPulseStorage

extension AnswerContext {
    /// The subscription target the message names; "me" when it names none.
    var subscriptionTarget: SubscriptionTarget {
        switch slots.target {
        case .channel(let id, _): .channel(id: id)
        case .channelName(let name): .channel(id: name.hasPrefix("#") ? name : "#" + name)
        case .me, nil: .person(email: asker.email)
        }
    }

    func describe(_ target: SubscriptionTarget) -> String {
        switch target {
        case .person(let email): email == asker.email.lowercased() ? "you" : email
        case .channel(let id): id.hasPrefix("#") ? id : "<#\(id)>"
        }
    }
}

extension AlertFeed {
    var label: String {
        switch self {
        case .escalations: "escalation alerts"
        case .spikes: "ticket spike alerts"
        case .csat: "CSAT alerts"
        case .sla: "SLA breach alerts"
        case .newTickets: "new ticket alerts"
        case .all: "all alerts"
        }
    }
}

/// `subscribe`: a target (me or a channel) to a feed, optionally for one customer or some priorities.
struct SubscribeHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        guard let feed = context.slots.feed else {
            return CommonReplies.needs("a feed (escalations, spikes, CSAT, SLA, new tickets or all)", example: "alert me on ticket escalations")
        }
        let customer = try await context.namedCustomer()
        let target = context.subscriptionTarget
        if case .channel = target, context.asker.role == .csm, customer == nil {
            let text = "Only managers and admins can send a whole feed to a channel. You can subscribe a channel to one of your customers: \"subscribe #channel to escalation alerts for Acme\"."
            return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
        }
        let subscription = Subscription(target: target, feed: feed, customerID: customer?.id, priorities: context.slots.priority ?? [],
                                        createdBy: context.asker.email, createdAt: context.now)
        var what = feed.label
        // Routing carries only customers the creator may see; say so, rather than let a CSM
        // believe "all alerts" means the whole company's.
        if let customer { what += " for \(customer.name)" }
        else if context.asker.role == .csm { what += " for your accounts" }
        else if context.asker.role == .manager { what += " for your team's accounts" }
        if let priorities = context.slots.priority { what += " (\(priorities.map(\.rawValue).joined(separator: "/")) only)" }
        try context.confirmBeforeWriting("subscribe \(context.describe(target)) to \(what).", shown: customer.map { [$0.id] } ?? [])
        let changed = try await context.store.subscribe(subscription)
        let text = changed ? "Done: \(context.describe(target)) will get \(what)." : "\(context.describe(target).prefix(1).uppercased() + context.describe(target).dropFirst()) already get\(target == .person(email: context.asker.email.lowercased()) ? "" : "s") \(what)."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text), shown: customer.map { [$0.id] } ?? [])
    }
}

/// `unsubscribe`.
struct UnsubscribeHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let customerID = try await context.namedCustomer()?.id
        let target = context.subscriptionTarget
        // Naming neither a feed nor a customer could mean any of several subscriptions
        // ("stop DMing me about P3s"): ask rather than delete them all. "Everything" is explicit.
        if context.slots.feed == nil, customerID == nil {
            let current = try await context.store.subscriptions(target: target)
            if current.count > 1 {
                let names = try await TicketTable.names(context.store)
                let list = current.map { $0.feed.label + ($0.customerID.map { " for \(names[$0] ?? $0)" } ?? "") }.joined(separator: ", ")
                let text = "\(context.describe(target).capitalizedFirst) get\(target == .person(email: context.asker.email.lowercased()) ? "" : "s") \(list). Which should I stop? Say e.g. \"unsubscribe me from \(current[0].feed.label)\", or \"unsubscribe me from everything\"."
                return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
            }
        }
        // What would be removed is said before anything is: nothing matching, nothing to confirm.
        let matching = try await context.store.subscriptions(target: target).filter { subscription in
            (context.slots.feed == nil || context.slots.feed == .all || subscription.feed == context.slots.feed)
                && (customerID == nil || subscription.customerID == customerID)
        }
        if !matching.isEmpty {
            let names = try await TicketTable.names(context.store)
            let list = matching.map { $0.feed.label + ($0.customerID.map { " for \(names[$0] ?? $0)" } ?? "") }.joined(separator: ", ")
            try context.confirmBeforeWriting("stop \(list) for \(context.describe(target)).", shown: customerID.map { [$0] } ?? [])
        }
        let removed = matching.isEmpty ? [] : try await context.store.unsubscribe(target: target, feed: context.slots.feed, customerID: customerID)
        let text = removed.isEmpty
            ? "\(context.describe(target).capitalizedFirst) had no matching subscription\(context.slots.feed.map { " to \($0.label)" } ?? ""). Ask \"what am I subscribed to?\" to see them."
            : "Done: stopped \(removed.map(\.feed.label).joined(separator: ", ")) for \(context.describe(target))."
        return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
    }
}

/// `list_subscriptions`.
struct ListSubscriptionsHandler: IntentHandler {
    func answer(_ context: AnswerContext) async throws -> HandlerResult {
        let target = context.subscriptionTarget
        let subscriptions = try await context.store.subscriptions(target: target)
        guard !subscriptions.isEmpty else {
            let text = "\(context.describe(target).capitalizedFirst) \(target == .person(email: context.asker.email.lowercased()) ? "are" : "is") not subscribed to any feed. Try \"alert me on ticket escalations\"."
            return HandlerResult(Reply(blocks: [.section(text)], fallbackText: text))
        }
        let names = try await TicketTable.names(context.store)
        let rows = subscriptions.map { subscription in
            [subscription.feed.label, subscription.customerID.map { names[$0] ?? $0 } ?? "all customers",
             subscription.priorities.isEmpty ? "any" : subscription.priorities.map(\.rawValue).joined(separator: "/"), Format.day(subscription.createdAt)]
        }
        let reply = Reply(header: "Subscriptions: \(context.describe(target))",
                          blocks: [.table(ReplyTable(columns: ["Feed", "Customer", "Priority", "Since"], rows: rows))],
                          fallbackText: "\(context.describe(target).capitalizedFirst) receive: " + subscriptions.map(\.feed.label).joined(separator: ", "))
        return HandlerResult(reply)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
