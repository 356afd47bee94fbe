import AsyncHTTPClient
import Foundation
import TicketPulseEmail
import Hummingbird
import Logging
import ServiceLifecycle
import TicketPulseAnswers
import TicketPulseConnectors
import TicketPulseIntents
import TicketPulseSlack
import TicketPulseStorage
import TicketPulseWorkflows

/// What the application talks to; tests pass fakes (a fake Slack, an in-memory store, a
/// fixed clock).
public struct AppDependencies: Sendable {
    public var store: any Store
    public var slack: any SlackWebAPI
    public var now: @Sendable () -> Date
    /// Support-system connections; nil builds them from `configuration.connections`.
    public var connectors: ConnectorRuntime?
    /// Acknowledged Slack jobs until they are done; `serve` keeps it in a file beside the store.
    public var jobJournal: SlackJobJournal
    /// This replica's name among those sharing the store: who holds the leader lease.
    public var replicaID: String
    /// Socket Mode's `apps.connections.open` and clock, when `slack.socket_mode` is on; nil
    /// uses Slack with the configured app token and real time.
    public var socketMode: SocketModeDependencies?
    /// What sends email (digests, outreach); nil builds the SMTP client from `configuration.email`.
    public var email: (any EmailSending)?
    /// Who the API's admin-only routes act for; nil refuses them all (503) until the API's
    /// token authentication provides one.
    public var adminCheck: AdminCheck?
    /// Where answers run: `AnswerEventLoops.shared`'s loops (whose HTTP client `serve` posts
    /// to Slack with).
    public var answerExecutors: [any TaskExecutor]

    public init(store: any Store, slack: any SlackWebAPI, now: @escaping @Sendable () -> Date = { Date() }, connectors: ConnectorRuntime? = nil,
                jobJournal: SlackJobJournal = .inMemory(), replicaID: String = LeaderService.replicaID(), socketMode: SocketModeDependencies? = nil,
                email: (any EmailSending)? = nil, adminCheck: AdminCheck? = nil, answerExecutors: [any TaskExecutor] = AnswerEventLoops.shared.executors) {
        self.adminCheck = adminCheck
        self.answerExecutors = answerExecutors
        self.replicaID = replicaID
        self.store = store
        self.slack = slack
        self.now = now
        self.connectors = connectors
        self.jobJournal = jobJournal
        self.socketMode = socketMode
        self.email = email
    }
}

/// Builds the Hummingbird application from configuration: routes plus the background
/// Services (the Slack worker, the event ledger; on the leader replica only, store
/// maintenance, alerts, connectors),
/// which the application runs and drains on graceful shutdown. None runs on Swift's cooperative pool, which is
/// kept for requests: the worker's loop on `RequestLoopExecutor.server` (it takes a job on
/// the loop that queued it), its answers on `dependencies.answerExecutors`, the ledger on
/// `BackgroundExecutor.shared`, the long passes on `BackgroundExecutor.bulk`.
public func buildApplication(configuration: AppConfiguration, dependencies: AppDependencies, logger: Logger) async -> some ApplicationProtocol {
    let metrics = ServerMetrics()
    // Trained and warmed before the first request (see `SlackJobHandler.warmUp`); when the
    // intents cannot be found, the first question reports it as before.
    let initialParser = await ParserProvider.initial(store: dependencies.store, intentsDirectory: configuration.intentsDirectory)
    let handler = SlackJobHandler(
        store: dependencies.store, slack: dependencies.slack,
        parsers: ParserProvider(store: dependencies.store, intentsDirectory: configuration.intentsDirectory, now: dependencies.now, initial: initialParser),
        settings: configuration.answers, metrics: metrics, now: dependencies.now, logger: logger
    )
    if let initialParser {
        // On the loop a quiet server answers on first (`ExecutorLoad`: ties go to the first).
        await withTaskExecutorPreference(dependencies.answerExecutors.first) { await handler.warmUp(parser: initialParser.parser) }
    }
    // Replicas sharing a store keep acknowledged jobs in it, where the others find them;
    // one server alone keeps them in its journal file.
    let sharedJournal = dependencies.store.isShared ? StoreSlackJobJournal(store: dependencies.store, replica: dependencies.replicaID, logger: logger) : nil
    let worker = SlackWorker(concurrency: configuration.slack.workerConcurrency, handler: handler,
                             journal: sharedJournal ?? FileSlackJobs(journal: dependencies.jobJournal), now: dependencies.now,
                             executors: dependencies.answerExecutors)
    let reader = SlackRequestReader(
        verifier: configuration.slack.signingSecret.map { SlackSignatureVerifier(signingSecret: $0, now: dependencies.now) },
        metrics: metrics
    )
    let ledger = await SlackEventLedger(store: dependencies.store, now: dependencies.now, logger: logger)
    // What a stopped process acknowledged: its ids are duplicates from now on, and its
    // unfinished jobs run first.
    await ledger.rememberJournaled(dependencies.jobJournal.recoveredIDs)
    worker.resume(dependencies.jobJournal.recovered)
    if !dependencies.jobJournal.recovered.isEmpty {
        logger.notice("answering Slack jobs acknowledged before the restart", metadata: ["count": "\(dependencies.jobJournal.recovered.count)"])
    }
    let sharedJobs = sharedJournal.map { SharedSlackJobsService(journal: $0, leases: dependencies.store, worker: worker, now: dependencies.now, logger: logger) }
    await sharedJobs?.start()
    let events = SlackEventsController(reader: reader, ledger: ledger, worker: worker, metrics: metrics, botUserID: configuration.slack.botUserID)
    let commands = SlackCommandsController(reader: reader, ledger: ledger, worker: worker, metrics: metrics)
    let alerts = AlertComponents(configuration: configuration, dependencies: dependencies, logger: logger)
    let interactions = SlackInteractionsController(
        reader: reader, ledger: ledger, store: dependencies.store, slack: dependencies.slack, worker: worker, metrics: metrics, now: dependencies.now, logger: logger,
        alerts: SlackAlertInteractions(actions: alerts.actions, outreach: alerts.outreach, store: dependencies.store, slack: dependencies.slack, worker: worker, logger: logger),
        answers: SlackAnswerInteractions(store: dependencies.store, slack: dependencies.slack, worker: worker, settings: configuration.answers,
                                         outreach: alerts.outreach, now: dependencies.now, logger: logger)
    )

    let socketMode = SocketModeEnvelopeHandler.service(configuration: configuration, dependencies: dependencies, events: events, commands: commands,
                                                       interactions: interactions, metrics: metrics, logger: logger)

    let connectors = dependencies.connectors ?? ConnectorServices.runtime(configuration: configuration, store: dependencies.store, now: dependencies.now, logger: logger)
    await ConnectorServices.loadStoredConnections(into: connectors, logger: logger)

    let router = Router()
    router.add(middleware: StoreUnavailableMiddleware())
    var webhooks = WebhookRoutes(connectors: connectors, logger: logger)
    webhooks.afterIngest = { result in await alerts.ticketChanged(result) }
    webhooks.register(on: router)
    let api = APIRoutes(configuration: configuration, dependencies: dependencies, tickets: alerts.actions.tickets, logger: logger)
    api.register(on: router)
    // Admin-only, behind the API's tokens; the callback is Zendesk sending the admin's
    // browser back, which carries no token: the signed state names the admin who started.
    let zendeskConnect = ZendeskConnectRoutes(connectors: connectors, store: dependencies.store, now: dependencies.now, logger: logger)
    zendeskConnect.register(on: router, requireAdmin: dependencies.adminCheck ?? api.authenticator.tokenHolder,
                            callbackAdmin: dependencies.adminCheck ?? zendeskConnect.stateAdmin)
    WebDashboard(configuration: configuration, store: dependencies.store, actions: alerts.actions, now: dependencies.now, logger: logger).register(on: router)
    router.post("/slack/events") { request, _ in try await events.handle(request) }
    router.post("/slack/commands") { request, _ in try await commands.handle(request) }
    router.post("/slack/interactions") { request, _ in try await interactions.handle(request) }
    router.get("/healthz") { _, _ -> Response in
        do {
            _ = try await dependencies.store.sourceSummary()
            var body: [String: Any] = ["status": "ok", "slack": configuration.slack.socketMode ? "socket mode" : configuration.slack.signingSecret == nil ? "not configured" : "configured"]
            await ConnectorServices.addHealth(of: connectors, to: &body)
            socketMode?.addHealth(to: &body)
            return JSONResponse.ok(body)
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "store_unavailable", message: "\(error)")
        }
    }
    router.get("/metrics") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }

    let warmUp = RequestPathWarmUp(signingSecret: configuration.slack.signingSecret, now: dependencies.now, httpClient: .shared, logger: logger)
    let maintenance: [any Service] = dependencies.store.maintenance.map { [StoreMaintenanceService(maintenance: $0, logger: logger)] } ?? []
    // Every replica answers requests; what must happen once runs on the lease holder only.
    let leader = LeaderService(store: dependencies.store, holder: dependencies.replicaID,
                               services: (maintenance + alerts.services + connectors.services()).map { BackgroundService(base: $0) },
                               now: dependencies.now, logger: logger)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "TicketPulse"),
        // Services stop in reverse order: the presence lease is given up only once the
        // worker has drained, so no replica adopts a job this one is still answering.
        services: (sharedJobs.map { [BackgroundService(base: $0)] } ?? []) + [BackgroundService(base: worker, executor: RequestLoopExecutor.server), BackgroundService(base: ledger, executor: BackgroundExecutor.shared),
                   BackgroundService(base: SlackJobJournalFlusher(journal: dependencies.jobJournal), executor: BackgroundExecutor.shared),
                   leader, warmUp]
            // Last, so that it is the first to stop (services stop in reverse order): no
            // envelope is taken once the worker has begun draining.
            + (socketMode.map { [$0] } ?? []),
        onServerRunning: { channel in warmUp.serverRunning(channel) },
        logger: logger
    )
}
