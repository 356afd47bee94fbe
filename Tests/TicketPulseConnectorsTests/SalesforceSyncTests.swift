import Foundation
import Testing
import TicketPulseConnectors
import TicketPulseCore
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

@Suite struct SalesforceSyncTests {
    static let a01 = "5005g00000SfA01AAF", a02 = "5005g00000SfA02AAF", a03 = "5005g00000SfA03AAF"
    static let a04 = "5005g00000SfA04AAF", a05 = "5005g00000SfA05AAF", late = "5005g00000SfA06AAF"

    func engine(_ url: String, store: SQLiteStore, state: any ConnectorStateStore, time: TestTime) throws -> SyncEngine {
        let configuration = SalesforceFake.configuration(url)
        let client = try SalesforceClient(configuration: configuration, secrets: SalesforceFake.secrets, http: .test(time))
        return SyncEngine(connection: configuration, source: client, store: store, state: state, now: time.now)
    }

    func queries(_ fake: FakeServer) -> [FakeServer.Call] {
        fake.calls.filter { $0.method == "GET" }
    }

    @Test func fullPassFollowsNextRecordsUrlThroughQueryAllAndNormalises() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let state = InMemoryConnectorStateStore()
            let report = try await engine(url, store: store, state: state, time: time).syncOnce()

            #expect(report.pages == 3)
            #expect(report.tickets == 5)
            #expect(try store.ticketCount() == 5)
            // OAuth 2.0 client credentials first, then the bearer token on every call.
            let token = try #require(fake.calls.first)
            #expect(token.method == "POST" && token.path == "/services/oauth2/token")
            #expect(String(decoding: token.body, as: UTF8.self) == "grant_type=client_credentials&client_id=\(SalesforceFake.clientID)&client_secret=fake-consumer-secret")
            #expect(salesforce.tokensIssued == 1)
            let gets = queries(fake)
            #expect(gets.count == 3)
            #expect(gets.allSatisfy { $0.headers["authorization"] == "Bearer 00D5g000004FakeOrg!token-1" })
            #expect(gets[0].path == "/services/data/v60.0/queryAll")
            let soql = try #require(gets[0].query["q"])
            #expect(soql.hasPrefix("SELECT Id, CaseNumber, Subject"))
            #expect(soql.contains("IsEscalated") && soql.contains("IsDeleted") && soql.contains("SystemModstamp") && soql.contains("Customer_Key__c"))
            #expect(soql.hasSuffix(" FROM Case ORDER BY SystemModstamp, Id"))
            #expect(gets[1].path.hasPrefix("/services/data/v60.0/query/01g5g00000Loc1AAA-2"))
            #expect(gets[2].path.hasPrefix("/services/data/v60.0/query/01g5g00000Loc2AAA-4"))

            let checkpoint = try #require(await state.state(connection: "salesforce").checkpoint)
            #expect(checkpoint.cursor == nil)
            #expect(checkpoint.since == SourceDateForTests.parse("2026-03-02T10:00:00Z"))
            #expect(checkpoint.lastID == Self.a05)

            let latency = try #require(try store.ticket(source: .salesforce, externalID: Self.a01)).ticket
            #expect(latency.status == .new)
            #expect(latency.priority == .p2)
            #expect(latency.category == .technical)
            #expect(latency.customerID == "acme")
            #expect(latency.matchRule == "organization")
            #expect(latency.requesterEmail == "dana.ruiz@acme.com")
            #expect(latency.assignee == "Sam Agent")
            #expect(!latency.isEscalated)

            let invoice = try #require(try store.ticket(source: .salesforce, externalID: Self.a02)).ticket
            #expect(invoice.status == .open)
            #expect(invoice.priority == .p3)
            #expect(invoice.category == .billing)
            #expect(invoice.isEscalated)
            #expect(invoice.customerID == "globex")
            #expect(invoice.requesterEmail == "ap@globex.example")

            let sso = try #require(try store.ticket(source: .salesforce, externalID: Self.a03)).ticket
            #expect(sso.status == .closed)
            #expect(sso.priority == .p4)
            #expect(sso.closedAt == SourceDateForTests.parse("2026-03-02T09:00:00Z"))
            #expect(sso.solvedAt == SourceDateForTests.parse("2026-03-02T09:00:00Z"))
            #expect(sso.customerID == "initech")
            #expect(sso.matchRule == "custom_field")

            // Only /queryAll returns it; it is kept as a tombstone.
            let deleted = try #require(try store.ticket(source: .salesforce, externalID: Self.a04)).ticket
            #expect(deleted.status == .deleted)

            let training = try #require(try store.ticket(source: .salesforce, externalID: Self.a05)).ticket
            #expect(training.status == .pending)
            #expect(training.priority == .p3)
            #expect(training.category == .training)
            #expect(training.customerID == "initech")
            #expect(training.matchRule == "domain")
            #expect(training.updatedAt == SourceDateForTests.parse("2026-03-02T10:00:00Z"))
        }
    }

    @Test func nextPassLooksBackForLateCommitsWithoutDuplicates() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let engine = try engine(url, store: store, state: InMemoryConnectorStateStore(), time: time)
            _ = try await engine.syncOnce()
            let events = try store.eventCount()

            // A row stamped 09:58 commits after the 10:00 row was read.
            salesforce.commitLateRow()
            let second = try await engine.syncOnce()
            #expect(queries(fake).last?.query["q"]?.contains("WHERE SystemModstamp >= 2026-03-02T09:55:00Z ORDER BY SystemModstamp, Id") == true)
            // The look-back re-read the 10:00 row too; it is recognised, not stored or counted again.
            #expect(second.tickets == 1)
            #expect(second.inserted == 1)
            let late = try #require(try store.ticket(source: .salesforce, externalID: Self.late))
            #expect(late.ticket.priority == .p1)
            #expect(late.ticket.customerID == "acme")
            #expect(try store.ticketCount() == 6)
            #expect(try store.eventCount() == events + (try store.events(ticketID: late.id)).count)

            let third = try await engine.syncOnce()
            #expect(third.tickets == 0)
            #expect(try store.ticketCount() == 6)
        }
    }

    @Test func twoRowsSharingATimestampAcrossAPageBoundaryResumeFromTheStoredLocator() async throws {
        let expectedEvents = try await cleanRunEvents()
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            // The second batch starts with A03, stamped 09:00 like A02 that ended the first.
            fake.script(.status(500), .status(500), .status(500), when: { $0.path.hasSuffix("Loc1AAA-2") })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            // The checkpoint lives in the store, written with its page.
            let state = StoreConnectorStateStore(store: store, now: time.now)
            await #expect(throws: ConnectorError.self) { try await engine(url, store: store, state: state, time: time).syncOnce() }
            #expect(try store.ticketCount() == 2)
            let stored = try await #require(try state.state(connection: "salesforce").checkpoint)
            // Only rows within the look-back (300 s) of the 09:00 watermark are remembered; A01 (08:00) is not.
            #expect(stored.recent == ["\(Self.a02)@1772442000000"])
            #expect(stored.cursor == "/services/data/v60.0/query/01g5g00000Loc1AAA-2")
            #expect(stored.since == SourceDateForTests.parse("2026-03-02T09:00:00Z"))
            #expect(stored.lastID == Self.a02)

            // A new process: new client (new token), same stored checkpoint.
            let callsBefore = fake.calls.count
            let resumed = try await engine(url, store: store, state: state, time: time).syncOnce()
            #expect(resumed.tickets == 3)
            #expect(fake.calls[callsBefore...].contains { $0.path == "/services/data/v60.0/query/01g5g00000Loc1AAA-2" })
            #expect(try store.ticketCount() == 5)
            #expect(try store.eventCount() == expectedEvents)
        }
    }

    @Test func anExpiredLocatorContinuesWithTheIdTieBreakNotFromScratch() async throws {
        let expectedEvents = try await cleanRunEvents()
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            fake.script(.status(503), .status(503), .status(503), when: { $0.path.hasSuffix("Loc1AAA-2") })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let state = InMemoryConnectorStateStore()
            await #expect(throws: ConnectorError.self) { try await engine(url, store: store, state: state, time: time).syncOnce() }
            salesforce.expireLocators()

            let callsBefore = fake.calls.count
            let resumed = try await engine(url, store: store, state: state, time: time).syncOnce()
            let later = fake.calls[callsBefore...].filter { $0.path == SalesforceFake.queryPath }
            let soql = try #require(later.first?.query["q"])
            #expect(soql.contains("WHERE (SystemModstamp > 2026-03-02T09:00:00Z OR (SystemModstamp = 2026-03-02T09:00:00Z AND Id > '\(Self.a02)'))"))
            // A03 shares A02's timestamp and is read; A01 and A02 are not read again.
            #expect(resumed.tickets == 3)
            #expect(try store.ticketCount() == 5)
            #expect(try store.eventCount() == expectedEvents)
        }
    }

    @Test func rateLimitsWaitFor429RetryAfterAnd403RequestLimitExceeded() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            fake.script(.status(429, headers: ["Retry-After": "7"]), when: { $0.path.hasSuffix("Loc1AAA-2") })
            fake.script(SalesforceFake.error(403, "salesforce/error_request_limit_exceeded.json"), when: { $0.path.hasSuffix("Loc2AAA-4") })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let report = try await engine(url, store: store, state: InMemoryConnectorStateStore(), time: time).syncOnce()
            #expect(report.pages == 3)
            #expect(report.tickets == 5)
            // 429: its Retry-After; 403 REQUEST_LIMIT_EXCEEDED carries none: the first backoff step.
            #expect(time.sleeps == [.seconds(7), .seconds(1)])
            #expect(try store.ticketCount() == 5)
        }
    }

    @Test func aForbiddenAnswerThatIsNotALimitFailsThePassWithoutRetrying() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            fake.script(FakeServer.Reply(status: 403, headers: [:], body: Array(#"[{"errorCode":"INSUFFICIENT_ACCESS","message":"no"}]"#.utf8)), when: { $0.method == "GET" })
            let time = TestTime(fixtureNow)
            let engine = try engine(url, store: try ZendeskFake.store(), state: InMemoryConnectorStateStore(), time: time)
            let error = await #expect(throws: ConnectorError.self) { try await engine.syncOnce() }
            guard case .credentialsRejected(status: 403, _)? = error else {
                Issue.record("expected the 403 as rejected credentials, got \(String(describing: error))")
                return
            }
            #expect(time.sleeps.isEmpty)
            let health = try await engine.health()
            #expect(health.lastError?.contains("403") == true)
            // Not a rate limit: unhealthy after this one pass, with what to check named.
            #expect(health.unhealthy)
            #expect(health.lastError?.contains("SF_") == true || health.lastError?.contains("client_id_env") == true, "\(health.lastError ?? "-")")
        }
    }

    @Test func anExpiredSessionFetchesANewTokenOnceAndRetries() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            fake.script(SalesforceFake.error(401, "salesforce/error_session_expired.json"), when: { $0.path.hasSuffix("Loc1AAA-2") })
            let time = TestTime(fixtureNow)
            let store = try ZendeskFake.store()
            let report = try await engine(url, store: store, state: InMemoryConnectorStateStore(), time: time).syncOnce()
            #expect(report.tickets == 5)
            #expect(salesforce.tokensIssued == 2)
            #expect(fake.calls.filter { $0.path == "/services/oauth2/token" }.count == 2)
            #expect(queries(fake).last?.headers["authorization"] == "Bearer 00D5g000004FakeOrg!token-2")
        }
    }

    @Test func badClientCredentialsFailThePassWithTheReason() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { _, url in
            let time = TestTime(fixtureNow)
            let configuration = SalesforceFake.configuration(url)
            let client = try SalesforceClient(configuration: configuration, secrets: ConnectionSecrets(clientID: SalesforceFake.clientID, clientSecret: "wrong"), http: .test(time))
            let store = try ZendeskFake.store()
            let engine = SyncEngine(connection: configuration, source: client, store: store, state: InMemoryConnectorStateStore(), now: time.now)
            await #expect(throws: ConnectorError.self) { try await engine.syncOnce() }
            let health = try await engine.health()
            #expect(health.lastError?.contains("invalid_client") == true)
            // Salesforce says 400 invalid_client, not 401: still credentials no retry fixes.
            #expect(health.unhealthy)
            #expect(health.lastError?.contains("SF_CLIENT_ID and SF_CLIENT_SECRET") == true, "\(health.lastError ?? "-")")
            #expect(try store.ticketCount() == 0)
        }
    }

    @Test func webhookTriggeredFetchReadsOneCaseAndRefusesBadIDs() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            let store = try ZendeskFake.store()
            let engine = try engine(url, store: store, state: InMemoryConnectorStateStore(), time: TestTime(fixtureNow))
            let result = try #require(try await engine.syncTicket(id: Self.a04))
            #expect(result.inserted)
            #expect(try store.ticket(source: .salesforce, externalID: Self.a04)?.ticket.status == .deleted)
            #expect(fake.calls.last?.query["q"]?.contains("WHERE Id = '\(Self.a04)'") == true)
            let calls = fake.calls.count
            #expect(try await engine.syncTicket(id: "x' OR Id != '") == nil)
            #expect(fake.calls.count == calls)
        }
    }

    @Test func notesAreWrittenBackAsPrivateCaseCommentsThroughTheOutbox() async throws {
        let salesforce = SalesforceFake()
        try await FakeServer.run(handler: salesforce.handler) { fake, url in
            let time = TestTime(fixtureNow)
            let client = try SalesforceClient(configuration: SalesforceFake.configuration(url), secrets: SalesforceFake.secrets, http: .test(time))
            let queue = InMemoryWritebackQueue([PendingWriteback(id: 9, source: .salesforce, externalID: Self.a01, kind: .note, actor: "mike.chen@example.com", body: "Exec sponsor is watching this one.")])
            let outbox = WritebackOutbox(queue: queue, routes: [WritebackRoute(system: .salesforce, writer: client)], now: time.now, sleeper: time.sleeper)
            #expect(try await outbox.drainOnce().written == 1)
            let call = try #require(fake.calls.last)
            #expect(call.method == "POST")
            #expect(call.path == "/services/data/v60.0/sobjects/CaseComment")
            #expect(call.json["ParentId"] as? String == Self.a01)
            #expect(call.json["IsPublished"] as? Bool == false)
            #expect((call.json["CommentBody"] as? String)?.hasSuffix("Exec sponsor is watching this one.") == true)
            #expect(await queue.status(id: 9) == .written(fixtureNow))
            #expect(client.lastAPIUsage?.limit == 15000)
        }
    }

    @Test func configurationResolvesMyDomainAndNeedsCredentials() throws {
        let json = #"{"name": "sf", "system": "salesforce", "domain": "acme", "client_id_env": "SF_ID", "client_secret_env": "SF_SECRET", "lookback_seconds": 600}"#
        let configuration = try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(json.utf8))
        #expect(configuration.resolvedBaseURL == "https://acme.my.salesforce.com")
        #expect(configuration.lookbackSeconds == 600)
        let http = ConnectorHTTPClient.test(TestTime(fixtureNow))
        #expect(throws: ConnectorConfigurationError.self) { try SalesforceClient(configuration: configuration, secrets: ConnectionSecrets(), http: http) }
        var injected = configuration
        injected.customerFieldID = "Key__c FROM User --"
        #expect(throws: ConnectorConfigurationError.self) { try SalesforceClient(configuration: injected, secrets: SalesforceFake.secrets, http: http) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ConnectionConfiguration.self, from: Data(#"{"name": "sf", "system": "salesforce", "lookback_seconds": -5}"#.utf8))
        }
    }

    private func cleanRunEvents() async throws -> Int {
        let salesforce = SalesforceFake()
        return try await FakeServer.run(handler: salesforce.handler) { _, url in
            let store = try ZendeskFake.store()
            _ = try await engine(url, store: store, state: InMemoryConnectorStateStore(), time: TestTime(fixtureNow)).syncOnce()
            return try store.eventCount()
        }
    }
}
