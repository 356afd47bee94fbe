import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing

/// Debian's `chromium`, headless, driven over the DevTools protocol: one browser started for
/// a test, one page, pages loaded one after another with their cookies kept, what the page
/// logged as an error collected, screenshots taken. The browser is ended when the test is.
struct Chromium {
    static let executable: String? = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for folder in paths where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") { return "\(folder)/\(name)" }
        }
        return nil
    }()

    static let skipMessage: Comment = "chromium is not installed: the browser test is skipped (install it with `apt-get install -y chromium`; .ci/run does)"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// What a page shows once loaded.
    struct Loaded: Sendable {
        var url: String
        var title: String
        var text: String
        var charts: Int
        var tableRows: Int
    }

    /// Starts the browser, runs `body` with a page of it, then ends the browser.
    static func withPage<T: Sendable>(_ body: @escaping @Sendable (CDPPage) async throws -> T) async throws -> T {
        guard let executable else { throw Failure(description: "no chromium") }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("tp-chromium-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                             "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--remote-allow-origins=*",
                             "--user-data-dir=\(profile.path)", "--window-size=1280,1000", "about:blank"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: profile)
        }
        let endpoint = try await devToolsEndpoint(errors.fileHandleForReading)
        var logger = Logger(label: "chromium")
        logger.logLevel = .critical
        let result = Mutex<T?>(nil)
        try await WebSocketClient.connect(url: endpoint, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 26), logger: logger) { inbound, outbound, _ in
            let connection = CDPConnection(outbound: outbound)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 26) {
                        if case .text(let text) = message { await connection.received(text) }
                    }
                    await connection.closed()
                }
                let page = try await CDPPage.open(on: connection)
                let value = try await body(page)
                result.withLock { $0 = value }
                group.cancelAll()
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
        guard let value = result.withLock({ $0 }) else { throw Failure(description: "the browser session ended early") }
        return value
    }

    /// The `ws://` address chromium prints on stderr once it listens.
    private static func devToolsEndpoint(_ handle: FileHandle) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var seen = ""
                while true {
                    let data = handle.availableData
                    if data.isEmpty {
                        continuation.resume(throwing: Failure(description: "chromium exited before listening: \(seen.suffix(2000))"))
                        return
                    }
                    seen += String(decoding: data, as: UTF8.self)
                    if let match = seen.firstMatch(of: #/DevTools listening on (ws://\S+)/#) {
                        continuation.resume(returning: String(match.1))
                        // Keep draining so chromium never blocks on a full pipe.
                        while !handle.availableData.isEmpty {}
                        return
                    }
                }
            }
        }
    }
}

/// The DevTools protocol over one WebSocket: commands matched to their replies by id,
/// events kept in order so a caller can wait for one after it acted.
actor CDPConnection {
    private let outbound: WebSocketOutboundWriter
    private var nextID = 0
    private var replies: [Int: CheckedContinuation<[String: any Sendable], any Error>] = [:]
    private var earlyReplies: [Int: Result<[String: any Sendable], any Error>] = [:]
    private(set) var events: [(method: String, sessionID: String?, params: [String: any Sendable])] = []
    private var eventWaiters: [(from: Int, method: String, continuation: CheckedContinuation<Void, any Error>)] = []
    private var isClosed = false

    init(outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
    }

    func send(_ method: String, _ params: [String: any Sendable] = [:], session: String? = nil) async throws -> [String: any Sendable] {
        guard !isClosed else { throw Chromium.Failure(description: "DevTools connection closed") }
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self)
        try await outbound.write(.text(text))
        // The reply may have come while the write was under way.
        if let early = earlyReplies.removeValue(forKey: id) { return try early.get() }
        return try await withCheckedThrowingContinuation { continuation in replies[id] = continuation }
    }

    var eventCount: Int { events.count }

    /// Returns once an event named `method` has come at index `from` or later.
    func waitForEvent(_ method: String, from: Int) async throws {
        if events[min(from, events.count)...].contains(where: { $0.method == method }) { return }
        try await withCheckedThrowingContinuation { continuation in eventWaiters.append((from, method, continuation)) }
    }

    func received(_ text: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
        if let id = object["id"] as? Int {
            let reply: Result<[String: any Sendable], any Error> = if let error = object["error"] as? [String: Any] {
                .failure(Chromium.Failure(description: "DevTools: \(error["message"] as? String ?? "error")"))
            } else {
                .success(Self.sendable(object["result"] as? [String: Any] ?? [:]))
            }
            if let continuation = replies.removeValue(forKey: id) { continuation.resume(with: reply) } else { earlyReplies[id] = reply }
            return
        }
        guard let method = object["method"] as? String else { return }
        events.append((method, object["sessionId"] as? String, Self.sendable(object["params"] as? [String: Any] ?? [:])))
        let index = events.count - 1
        eventWaiters.removeAll { waiter in
            guard waiter.method == method, index >= waiter.from else { return false }
            waiter.continuation.resume()
            return true
        }
    }

    func closed() {
        isClosed = true
        for continuation in replies.values { continuation.resume(throwing: Chromium.Failure(description: "DevTools connection closed")) }
        replies = [:]
        for waiter in eventWaiters { waiter.continuation.resume(throwing: Chromium.Failure(description: "DevTools connection closed")) }
        eventWaiters = []
    }

    /// JSON values as they came (strings, numbers, arrays, objects), made Sendable by re-reading.
    static func sendable(_ object: [String: Any]) -> [String: any Sendable] {
        object.mapValues(sendableValue)
    }

    private static func sendableValue(_ value: Any) -> any Sendable {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.doubleValue
        case let list as [Any]: list.map(sendableValue)
        case let object as [String: Any]: sendable(object)
        default: "\(value)"
        }
    }
}

/// One tab of the browser.
struct CDPPage: Sendable {
    let connection: CDPConnection
    let session: String

    static func open(on connection: CDPConnection) async throws -> CDPPage {
        let target = try await connection.send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw Chromium.Failure(description: "no target") }
        let attached = try await connection.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw Chromium.Failure(description: "not attached") }
        let page = CDPPage(connection: connection, session: session)
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] { _ = try await connection.send(domain, session: session) }
        try await page.viewport(width: 1280, height: 1000, mobile: false)
        return page
    }

    /// Loads `url` and returns what it shows once its load event fired.
    func load(_ url: String) async throws -> Chromium.Loaded {
        let from = await connection.eventCount
        _ = try await connection.send("Page.navigate", ["url": url], session: session)
        try await connection.waitForEvent("Page.loadEventFired", from: from)
        let script = """
            JSON.stringify({url: location.href, title: document.title, text: document.body ? document.body.innerText : "",
              charts: document.querySelectorAll('svg[role="img"]').length, rows: document.querySelectorAll('tbody tr').length})
            """
        let result = try await connection.send("Runtime.evaluate", ["expression": script, "returnByValue": true], session: session)
        guard let value = (result["result"] as? [String: any Sendable])?["value"] as? String,
              let object = (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any]
        else { throw Chromium.Failure(description: "could not read \(url)") }
        return Chromium.Loaded(url: object["url"] as? String ?? "", title: object["title"] as? String ?? "", text: object["text"] as? String ?? "",
                               charts: (object["charts"] as? NSNumber)?.intValue ?? 0, tableRows: (object["rows"] as? NSNumber)?.intValue ?? 0)
    }

    /// The viewport from now on: a laptop's, or a phone's (390 px wide, as a phone lays it out).
    func viewport(width: Int, height: Int, mobile: Bool) async throws {
        _ = try await connection.send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile], session: session)
    }

    /// Presses Tab once and says what has the focus then: its tag, text and link.
    func tab() async throws -> String {
        for type in ["keyDown", "keyUp"] {
            _ = try await connection.send("Input.dispatchKeyEvent", ["type": type, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9], session: session)
        }
        let result = try await connection.send("Runtime.evaluate", [
            "expression": "(e => e.tagName + ' ' + (e.innerText || e.value || '') + ' ' + (e.getAttribute('href') || ''))(document.activeElement)", "returnByValue": true,
        ], session: session)
        return (result["result"] as? [String: any Sendable])?["value"] as? String ?? ""
    }

    /// How much wider than the viewport the page is laid out (0: no sideways scrolling).
    func overflow() async throws -> Double {
        let result = try await connection.send("Runtime.evaluate", ["expression": "document.documentElement.scrollWidth - window.innerWidth", "returnByValue": true], session: session)
        return (result["result"] as? [String: any Sendable])?["value"] as? Double ?? -1
    }

    /// The whole page as a PNG.
    func screenshot() async throws -> Data {
        let result = try await connection.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], session: session)
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else { throw Chromium.Failure(description: "no screenshot") }
        return data
    }

    /// What the page reported as errors so far: uncaught exceptions, console.error, and
    /// browser log errors (a blocked resource, a failed load).
    func errors() async -> [String] {
        await connection.events.filter { $0.sessionID == session }.compactMap { event -> String? in
            switch event.method {
            case "Runtime.exceptionThrown":
                return "exception: \(((event.params["exceptionDetails"] as? [String: any Sendable])?["text"] as? String) ?? "?")"
            case "Runtime.consoleAPICalled" where event.params["type"] as? String == "error":
                return "console.error: \(event.params["args"] ?? "")"
            case "Log.entryAdded":
                guard let entry = event.params["entry"] as? [String: any Sendable], entry["level"] as? String == "error" else { return nil }
                return "log: \(entry["text"] as? String ?? "") \(entry["url"] as? String ?? "")"
            default:
                return nil
            }
        }
    }
}
