import Foundation
import Testing
@testable import TicketPulseCore

@Suite("Subject themes")
struct SubjectThemesTests {
    @Test("A theme is a subject with its trouble: SSO and SAML login problems read as phrases")
    func topicWithTrouble() {
        let subjects = ["SSO login failing with SAML error", "Users locked out after SSO change", "SAML assertion invalid on login",
                        "SSO redirect loop for all users", "Login failing for EU users via SSO", "Cannot log in: SAML error 403"]
        let themes = SubjectThemes.themes(of: subjects + subjects)
        #expect(themes == ["SAML errors", "SSO login failures", "SSO redirect loops"])
        #expect(SubjectThemes.themes(of: subjects + subjects, limit: 6)
                == ["SAML errors", "SSO login failures", "SSO redirect loops", "SSO lockouts"])
    }

    @Test("No theme is a single word, and users, error, failing, issue or problem never stand alone")
    func neverAWordAlone() {
        let subjects = ["Users failing", "users error", "Issue: error", "Problem failing", "Error for users", "Failing failing issue"]
        #expect(SubjectThemes.themes(of: subjects, limit: 5).isEmpty)
        let mixed = ["SSO login error on dashboard", "Login error after SSO change", "Login error again", "Dashboard slow to load",
                     "Dashboard export fails", "Invoice shows wrong amount", "Invoice VAT missing"]
        let themes = SubjectThemes.themes(of: mixed, limit: 5)
        #expect(themes == ["login errors", "dashboard problems", "invoice problems", "SSO problems"])
        #expect(themes.allSatisfy { $0.split(separator: " ").count >= 2 })
        for generic in ["users", "user", "error", "errors", "failing", "issue", "issues", "problem", "problems"] {
            #expect(!themes.contains(generic))
        }
    }

    @Test("A phrase counts subjects, not repeats within one; one subject is no theme")
    func countsSubjectsNotOccurrences() {
        #expect(SubjectThemes.themes(of: ["Export export export fails"]).isEmpty)
        #expect(SubjectThemes.themes(of: ["Export fails", "Billing portal"]).isEmpty)
        #expect(SubjectThemes.ranked(["Webhook timeout", "Webhook timeouts again", "webhook timing out"], limit: 3).map { "\($0.phrase) \($0.count)" }
                == ["webhook timeouts 3"])
    }

    @Test("Filler and short words are no themes; acronyms are written in capitals")
    func fillerAndAcronyms() {
        #expect(SubjectThemes.themes(of: ["Please help with the issue", "Help: the issue is urgent", "Re: an issue"]).isEmpty)
        #expect(SubjectThemes.themes(of: ["2FA code rejected", "2fa code rejected again", "API rate limit", "api rate limit hit"]) == ["2FA code rejections", "API rate limit"])
    }

    @Test("Ties go to the longer phrase, then alphabetically, whatever the order of the subjects")
    func deterministicTies() {
        let subjects = ["Webhook retries failing", "Billing portal down", "Webhook retries fail", "Billing portal outage"]
        #expect(SubjectThemes.themes(of: subjects) == ["billing portal outages", "webhook retries failures"])
        #expect(SubjectThemes.themes(of: subjects.reversed()) == ["billing portal outages", "webhook retries failures"])
    }

    @Test("A trouble word belongs to the subject next to it, not across another subject")
    func troubleIsAdjacent() {
        let found = SubjectThemes.phrases(in: "SSO login failing with SAML error").phrases
        #expect(found == ["SSO login failures", "SAML errors"])
        #expect(SubjectThemes.phrases(in: "Error on dashboard").phrases == ["dashboard errors"])
    }

    @Test("An ASCII subject's words read off its bytes are the words read Character by Character")
    func asciiWordsAsCharacters() {
        let subjects = ["SSO login failing with SAML error 403", "Can't log in: API_KEY rejected (v2)", "  Export CSV -- timeout!!  ", "UPPER lower MiXeD 2FA",
                        "tabs\tand\nnewlines\r\nhere", "", "a'b''c 12:30 #4521 @ann", "x/y|z[1]"]
        for subject in subjects {
            let characters = subject.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'") }.map(String.init)
            #expect(SubjectThemes.asciiWords(subject) == characters, "\(subject)")
        }
        #expect(SubjectThemes.asciiWords("Café login") == nil)
        #expect(SubjectThemes.tokens("Café LOG in") == ["café", "login"])
    }

    @Test("Themes do not depend on the order of the subjects or on reading each distinct one once")
    func themesIndependentOfOrder() {
        let subjects = ["SSO login failing with SAML error", "Users locked out after SSO change", "SAML assertion invalid on login",
                        "Dashboard slow to load", "dashboard slow", "Export CSV timeout", "Export CSV timeout", "Cannot log in: SAML error 403"]
        let repeated = (0..<7).flatMap { round in subjects.enumerated().filter { ($0.offset + round) % 3 != 0 }.map(\.element) }
        let ranked = SubjectThemes.ranked(repeated, limit: 6)
        #expect(ranked.map(\.phrase) == SubjectThemes.ranked(repeated.reversed(), limit: 6).map(\.phrase))
        #expect(ranked.map(\.count) == SubjectThemes.ranked(repeated.shuffled(), limit: 6).map(\.count))
        // Each phrase counts the subjects that offer it, repeats included.
        for (phrase, count) in ranked where repeated.contains(where: { SubjectThemes.phrases(in: $0).phrases.contains(phrase) }) {
            #expect(count == repeated.count { SubjectThemes.phrases(in: $0).phrases.contains(phrase) }, "\(phrase)")
        }
        #expect(ranked.map(\.phrase).contains("SAML errors"))
    }
}
