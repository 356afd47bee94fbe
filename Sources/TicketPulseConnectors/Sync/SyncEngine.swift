import Foundation
import Logging
import TicketPulseCore
import TicketPulseStorage

/// What one pass did.
public struct SyncReport: Sendable, Equatable {
    public var connection: String
    public var pages: Int
    public var tickets: Int
    public var inserted: Int
    /// Tickets whose stored copy changed (history events appended).
    public var changed: Int
    public var duration: TimeInterval

    /// Tickets per second, for the CLI's progress line.
    public var rate: Double { duration > 0 ? Double(tickets) / duration : Double(tickets) }
}

/// Progress after each stored page.
public struct SyncProgress: Sendable, Equatable {
    public var connection: String
    public var pages: Int
    public var tickets: Int
}

/// Runs sync passes for one connection: page by page, each page upserted (idempotent,
/// history from the difference) before its checkpoint is stored. A crash between the two
/// re-reads one page and changes nothing; a crash after never loses the page.
public actor SyncEngine {
    public nonisolated let connection: String
    private let configuration: ConnectionConfiguration
    private let system: SourceSystem
    private let source: any TicketSource
    private let store: any Store
    private let state: any ConnectorStateStore
    /// The roster and the store's organization mapping for this source, as a matcher.
    private let matching: @Sendable () async throws -> CustomerMatcher
    private let now: @Sendable () -> Date
    private let unhealthyAfter: Int
    private let maxPagesPerPass: Int
    private let onChanges: @Sendable ([UpsertResult]) async -> Void
    private let logger: Logger
    /// The roster's matcher for webhooks, reloaded at most once a minute: loading every
    /// customer per delivery was a third of a webhook's CPU.
    private var cachedMatcher: (matcher: CustomerMatcher, loadedAt: Date)?
    static let matcherLifetime: TimeInterval = 60

    public init(
        connection: ConnectionConfiguration, source: any TicketSource, store: any Store, state: any ConnectorStateStore,
        now: @escaping @Sendable () -> Date = { Date() }, unhealthyAfter: Int = 3, maxPagesPerPass: Int = 1_000_000,
        onChanges: @escaping @Sendable ([UpsertResult]) async -> Void = { _ in },
        logger: Logger = Logger(label: "ticketpulse.connectors.sync")
    ) {
        self.connection = connection.name
        self.configuration = connection
        self.system = connection.system
        self.source = source
        self.store = store
        self.state = state
        let system = connection.system
        self.matching = {
            CustomerMatcher(customers: try await store.customers(), configuration: connection,
                            organizationMapping: try await store.organizationMappings(source: system))
        }
        self.now = now
        self.unhealthyAfter = unhealthyAfter
        self.maxPagesPerPass = maxPagesPerPass
        self.onChanges = onChanges
        self.logger = logger
    }

    /// One pass from the stored checkpoint to the end of what the source has now.
    /// `full` starts again from the beginning of history (upserts keep it idempotent).
    public func syncOnce(full: Bool = false, progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncReport {
        let started = now()
        var current = try await state.state(connection: connection)
        current.health.lastAttemptAt = started
        var report = SyncReport(connection: connection, pages: 0, tickets: 0, inserted: 0, changed: 0, duration: 0)
        do {
            let matcher = try await matching()
            cachedMatcher = (matcher, started)
            var checkpoint = full ? nil : current.checkpoint
            while report.pages < maxPagesPerPass {
                try Task.checkCancellation()
                let page = try await source.fetchPage(after: checkpoint)
                var after = current
                after.checkpoint = page.next
                let rated = try await ratedTickets(page.ratings)
                let results = try await persist(page.tickets + rated, matcher: matcher, saving: after)
                checkpoint = page.next
                current = after
                report.pages += 1
                report.tickets += page.tickets.count
                report.inserted += results.filter(\.inserted).count
                report.changed += results.filter { !$0.inserted && !$0.events.isEmpty }.count
                progress(SyncProgress(connection: connection, pages: report.pages, tickets: report.tickets))
                let changes = results.filter { !$0.events.isEmpty }
                if !changes.isEmpty { await onChanges(changes) }
                if page.isLastPage { break }
            }
        } catch is CancellationError {
            // Shutdown, not a failure of the source: the stored checkpoint is where the next run resumes.
            throw CancellationError()
        } catch {
            let error = explained(error)
            current.health.consecutiveFailures += 1
            current.health.lastError = String(describing: error)
            // Rejected credentials or a refused refresh token will not heal by retrying: unhealthy at once.
            current.health.unhealthy = current.health.consecutiveFailures >= unhealthyAfter || (error as? ConnectorError)?.needsOperator == true
            try? await state.save(current, connection: connection)
            logger.error("sync pass failed", metadata: ["connection": "\(connection)", "error": "\(error)", "failures": "\(current.health.consecutiveFailures)"])
            throw error
        }
        report.duration = now().timeIntervalSince(started)
        current.health.consecutiveFailures = 0
        current.health.unhealthy = false
        current.health.lastError = nil
        current.health.lastSuccessAt = now()
        current.health.lastPassPages = report.pages
        current.health.lastPassTickets = report.tickets
        current.health.totalTickets += report.inserted
        try await state.save(current, connection: connection)
        return report
    }

    /// A 401/403 becomes the fix for this connection's credentials (the HTTP layer does
    /// not know which variable holds them); anything else is kept as it is.
    private func explained(_ error: any Error) -> any Error {
        CredentialAdvice.explained(error, configuration)
    }

    /// Fetches one ticket now (a webhook said it changed) and stores it. A ticket the
    /// source no longer has is marked deleted if we know it.
    @discardableResult
    public func syncTicket(id: String) async throws -> UpsertResult? {
        let matcher = try await currentMatcher()
        var results: [UpsertResult] = []
        let fetched: SourceTicket?
        do {
            fetched = try await source.fetchTicket(id: id)
        } catch {
            throw explained(error)
        }
        if let fetched {
            results = try await persist([fetched], matcher: matcher)
        } else if let stored = try await store.ticket(source: system, externalID: id), stored.ticket.status != .deleted {
            // Gone at the source (deleted, or merged away): keep a tombstone, never a live copy.
            var tombstone = stored.ticket
            tombstone.status = .deleted
            tombstone.updatedAt = max(tombstone.updatedAt, now())
            results = try await store.upsert([tombstone], at: now())
        }
        let changes = results.filter { !$0.events.isEmpty }
        if !changes.isEmpty { await onChanges(changes) }
        return results.first
    }

    /// Stores tickets a webhook delivered whole (Intercom, generic): matched, upserted,
    /// detectors told, exactly like a synced page.
    @discardableResult
    public func ingest(_ tickets: [SourceTicket]) async throws -> [UpsertResult] {
        let results = try await persist(tickets, matcher: try currentMatcher())
        let changes = results.filter { !$0.events.isEmpty }
        if !changes.isEmpty { await onChanges(changes) }
        return results
    }

    /// Stores a generic webhook's tickets unless `delivery` was seen before; the check,
    /// the tickets and the delivery's keys are one transaction.
    public func ingest(_ tickets: [SourceTicket], delivery: WebhookDeliveryKeys) async throws -> WebhookDeliveryResult {
        let unique = await Self.latest(tickets, matcher: try currentMatcher())
        let outcome = try await store.upsert(unique, at: now(), delivery: delivery)
        if case .stored(let results) = outcome {
            let changes = results.filter { !$0.events.isEmpty }
            if !changes.isEmpty { await onChanges(changes) }
        }
        return outcome
    }

    /// The cached matcher while it is younger than a minute, else one over the roster now.
    private func currentMatcher() async throws -> CustomerMatcher {
        let at = now()
        if let cached = cachedMatcher, at.timeIntervalSince(cached.loadedAt) < Self.matcherLifetime, at >= cached.loadedAt {
            return cached.matcher
        }
        let matcher = try await matching()
        cachedMatcher = (matcher, at)
        return matcher
    }

    /// The roster or the organization mapping changed: the next ticket is matched afresh.
    public func forgetMatcher() {
        cachedMatcher = nil
    }

    public func health() async throws -> ConnectionHealth {
        try await state.state(connection: connection).health
    }

    private func persist(_ tickets: [SourceTicket], matcher: CustomerMatcher) async throws -> [UpsertResult] {
        let unique = try await keepingRatings(Self.latest(tickets, matcher: matcher), from: tickets)
        return unique.isEmpty ? [] : try await store.upsert(unique, at: now())
    }

    /// The stored tickets with these ratings applied, to be upserted with the page (their
    /// rating events come from the difference, like any change). A rating older than the
    /// one stored, or the same again, is no change. A ticket not stored yet (created
    /// between the pass's tickets and its ratings) is fetched; one the source no longer
    /// has is skipped.
    private func ratedTickets(_ ratings: [SourceRating]) async throws -> [SourceTicket] {
        guard !ratings.isEmpty else { return [] }
        var newest: [String: SourceRating] = [:]
        for rating in ratings {
            if let seen = newest[rating.externalID], (seen.rating.ratedAt ?? .distantPast) > (rating.rating.ratedAt ?? .distantPast) { continue }
            newest[rating.externalID] = rating
        }
        var rated: [SourceTicket] = []
        for (externalID, rating) in newest.sorted(by: { $0.key < $1.key }) {
            var ticket: SourceTicket
            if let stored = try await store.ticket(source: system, externalID: externalID) {
                ticket = SourceTicket(ticket: stored.ticket)
            } else if let fetched = try await source.fetchTicket(id: externalID) {
                ticket = fetched
            } else {
                logger.debug("rating for a ticket the source does not have", metadata: ["connection": "\(connection)", "ticket": "\(externalID)"])
                continue
            }
            if let current = ticket.ticket.csat, current.score == rating.rating.score, current.comment == rating.rating.comment, current.rawValue == rating.rating.rawValue { continue }
            if let current = ticket.ticket.csat?.ratedAt, let new = rating.rating.ratedAt, current > new { continue }
            ticket.ticket.csat = rating.rating
            rated.append(ticket)
        }
        return rated
    }

    /// A source that reports ratings apart from tickets sends tickets without one: keep
    /// the stored rating rather than clear it.
    private func keepingRatings(_ tickets: [Ticket], from sources: [SourceTicket]) async throws -> [Ticket] {
        let separate = Set(sources.filter(\.ratedSeparately).map(\.ticket.externalID))
        guard !separate.isEmpty else { return tickets }
        var kept: [Ticket] = []
        kept.reserveCapacity(tickets.count)
        for var ticket in tickets {
            if ticket.csat == nil, separate.contains(ticket.externalID),
               let stored = try await store.ticket(source: ticket.source, externalID: ticket.externalID)?.ticket.csat {
                ticket.csat = stored
            }
            kept.append(ticket)
        }
        return kept
    }

    /// A page's tickets and the state after it: the state store decides how they are kept
    /// together (one transaction when the state lives beside the tickets).
    private func persist(_ tickets: [SourceTicket], matcher: CustomerMatcher, saving after: ConnectionState) async throws -> [UpsertResult] {
        let unique = try await keepingRatings(Self.latest(tickets, matcher: matcher), from: tickets)
        return try await state.savePage(unique, at: now(), into: store, saving: after, connection: connection)
    }

    /// A page may carry one ticket twice (an export snapshot per change); the last one is the newest.
    private static func latest(_ tickets: [SourceTicket], matcher: CustomerMatcher) -> [Ticket] {
        var latest: [String: Int] = [:]
        for (index, source) in tickets.enumerated() { latest[source.ticket.externalID] = index }
        return tickets.enumerated().filter { latest[$0.element.ticket.externalID] == $0.offset }.map { matcher.apply($0.element) }
    }
}
