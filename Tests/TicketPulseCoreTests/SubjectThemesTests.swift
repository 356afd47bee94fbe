import Foundation
import Testing
import TicketPulseCore

@Suite("Subject themes")
struct SubjectThemesTests {
    @Test("Phrases in two or more subjects come first, then words not already in them, most common first")
    func phrasesThenWords() {
        let subjects = ["SSO login error on dashboard", "Login error after SSO change", "Login error again", "Dashboard slow to load",
                        "Dashboard export fails", "Invoice shows wrong amount", "Invoice VAT missing"]
        #expect(SubjectThemes.themes(of: subjects) == ["login error", "dashboard", "invoice"])
        #expect(SubjectThemes.themes(of: subjects, limit: 5) == ["login error", "dashboard", "invoice", "sso"])
        #expect(SubjectThemes.themes(of: subjects, limit: 1) == ["login error"])
    }

    @Test("A word repeated within one subject is one subject; one subject is no theme")
    func countsSubjectsNotOccurrences() {
        #expect(SubjectThemes.themes(of: ["Export export export fails"]).isEmpty)
        #expect(SubjectThemes.themes(of: ["Export fails", "Billing portal"]).isEmpty)
    }

    @Test("Stop words, filler and short words are no themes; 2FA, UI and IP are")
    func stopWordsAndShortWords() {
        #expect(SubjectThemes.themes(of: ["Please help with the issue", "Help: the issue is urgent", "Re: an issue"]).isEmpty)
        #expect(SubjectThemes.themes(of: ["2FA codes rejected", "2fa reset", "UI glitch", "ui freeze", "IP allowlist", "ip blocked"], limit: 5)
                == ["2fa", "ip", "ui"])
    }

    @Test("Ties are broken alphabetically, whatever the order of the subjects")
    func deterministicTies() {
        let subjects = ["Webhook retries", "Billing portal", "Webhook timeout", "Billing export"]
        #expect(SubjectThemes.themes(of: subjects) == ["billing", "webhook"])
        #expect(SubjectThemes.themes(of: subjects.reversed()) == ["billing", "webhook"])
    }

    @Test("A phrase is two words next to each other in the subject, not across a dropped word")
    func phrasesAreAdjacentWords() {
        // "error on dashboard" and "error in dashboard" share the words, not a phrase.
        #expect(SubjectThemes.themes(of: ["Error on dashboard", "Error in dashboard"]) == ["dashboard", "error"])
        #expect(SubjectThemes.themes(of: ["Dashboard error today", "Dashboard error again"]) == ["dashboard error"])
    }
}
