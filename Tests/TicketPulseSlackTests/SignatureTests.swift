import Foundation
import Testing
import TicketPulseSlack

/// python-slack-sdk's published vector (REFERENCE.md).
@Suite struct SignatureTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let timestamp = "1531420618"
    static let body = Array(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c".utf8
    )
    static let signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"

    func verifier(at seconds: TimeInterval) -> SlackSignatureVerifier {
        SlackSignatureVerifier(signingSecret: Self.secret, now: { Date(timeIntervalSince1970: seconds) })
    }

    @Test func publishedVectorVerifies() {
        #expect(verifier(at: 1531420618).verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .valid)
    }

    @Test func verifiesWithinTheWindowOnBothSides() {
        #expect(verifier(at: 1531420618 + 300).verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .valid)
        #expect(verifier(at: 1531420618 - 300).verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .valid)
        #expect(verifier(at: 1531420618 + 301).verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .invalid(.stale))
        #expect(verifier(at: 1531420618 - 301).verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .invalid(.stale))
    }

    @Test func tamperedBodyIsRefused() {
        let tampered = Self.body + Array("------".utf8)
        #expect(verifier(at: 1531420618).verify(body: tampered, timestamp: Self.timestamp, signature: Self.signature) == .invalid(.mismatch))
    }

    @Test("One verifier checks request after request, at once from many tasks, each from the key alone: no check leaves anything in the next")
    func checksDoNotLeakIntoEachOther() async {
        let verifier = verifier(at: 1531420618)
        let tampered = Self.body + Array("x".utf8)
        let results = await withTaskGroup(of: (Bool, SlackSignatureResult).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let valid = index % 3 != 0
                    return (valid, verifier.verify(body: valid ? Self.body : tampered, timestamp: Self.timestamp, signature: Self.signature))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { valid, result in result == (valid ? .valid : .invalid(.mismatch)) })
        #expect(verifier.signature(body: Self.body, timestamp: Self.timestamp) == Self.signature)
        // A body without contiguous storage (a lazy view) is copied first, with the same result.
        #expect(verifier.verify(body: Self.body.lazy.map { $0 }, timestamp: Self.timestamp, signature: Self.signature) == .valid)
    }

    @Test func dataBodyVerifiesToo() {
        #expect(verifier(at: 1531420618).verify(body: Data(Self.body), timestamp: Self.timestamp, signature: Self.signature) == .valid)
    }

    @Test func realClockFindsTheVectorStale() {
        let verifier = SlackSignatureVerifier(signingSecret: Self.secret, now: { Date() })
        #expect(verifier.verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .invalid(.stale))
    }

    @Test func otherVersionIsRefused() {
        let v1 = "v1=" + Self.signature.dropFirst(3)
        #expect(verifier(at: 1531420618).verify(body: Self.body, timestamp: Self.timestamp, signature: v1) == .invalid(.badVersion))
    }

    @Test func missingHeadersAreRefused() {
        let verifier = verifier(at: 1531420618)
        #expect(verifier.verify(body: Self.body, timestamp: nil, signature: Self.signature) == .invalid(.missingHeaders))
        #expect(verifier.verify(body: Self.body, timestamp: Self.timestamp, signature: nil) == .invalid(.missingHeaders))
        #expect(verifier.verify(body: Self.body, timestamp: "", signature: "") == .invalid(.missingHeaders))
    }

    @Test func malformedSignaturesAndTimestampsAreRefused() {
        let verifier = verifier(at: 1531420618)
        #expect(verifier.verify(body: Self.body, timestamp: Self.timestamp, signature: "v0=zz") == .invalid(.mismatch))
        #expect(verifier.verify(body: Self.body, timestamp: Self.timestamp, signature: "v0=" + String(repeating: "g", count: 64)) == .invalid(.mismatch))
        #expect(verifier.verify(body: Self.body, timestamp: "yesterday", signature: Self.signature) == .invalid(.stale))
    }

    @Test func wrongSecretIsAMismatch() {
        let other = SlackSignatureVerifier(signingSecret: "not-the-secret", now: { Date(timeIntervalSince1970: 1531420618) })
        #expect(other.verify(body: Self.body, timestamp: Self.timestamp, signature: Self.signature) == .invalid(.mismatch))
    }

    @Test func signingReproducesThePublishedSignature() {
        #expect(verifier(at: 0).signature(body: Self.body, timestamp: Self.timestamp) == Self.signature)
    }
}
