import Foundation
import Testing
import TicketPulseSlack

@Suite struct EventsFixtureTests {
    @Test func urlVerification() throws {
        let envelope = try SlackEnvelope.decode(try Fixtures.bytes("url_verification.json"))
        #expect(envelope.kind == .urlVerification(challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"))
    }

    @Test func appMention() throws {
        let envelope = try SlackEnvelope.decode(try Fixtures.bytes("app_mention.json"))
        #expect(envelope.eventID == "Ev0MENTION001")
        #expect(envelope.eventTime == 1718200000)
        #expect(envelope.teamID == "T0TEAM0001")
        #expect(envelope.apiAppID == "A0APP00001")
        #expect(envelope.botUserID == "U0BOT0001")
        guard case .eventCallback(let event) = envelope.kind else {
            Issue.record("not an event callback: \(envelope.kind)")
            return
        }
        #expect(event.type == "app_mention")
        #expect(event.text == "<@U0BOT0001> show support tickets for Acme")
        #expect(event.channel == "C0ESC0001")
        #expect(event.user == "U0CSM0001")
        #expect(event.ts == "1718200000.000100")
        #expect(event.replyThreadTS == "1718200000.000100")
        #expect(event.shouldIgnore(botUserID: envelope.botUserID) == false)
        #expect(event.question(botUserID: envelope.botUserID) == "show support tickets for Acme")
    }

    @Test func directMessage() throws {
        let envelope = try SlackEnvelope.decode(try Fixtures.bytes("message_im.json"))
        let event = try #require(envelope.event)
        #expect(event.type == "message")
        #expect(event.isDirectMessage)
        #expect(event.channel == "D0DMCSM001")
        #expect(event.question(botUserID: "U0BOT0001") == "what is the CSAT for Globex this month?")
        #expect(event.shouldIgnore(botUserID: "U0BOT0001") == false)
    }

    @Test func appHomeOpened() throws {
        let envelope = try SlackEnvelope.decode(try Fixtures.bytes("app_home_opened.json"))
        let event = try #require(envelope.event)
        #expect(event.type == "app_home_opened")
        #expect(event.user == "U0CSM0001")
        #expect(event.tab == "home")
    }
}

@Suite struct FormFixtureTests {
    @Test func slashCommand() throws {
        let command = try SlackSlashCommand.decode(try Fixtures.bytes("slash_command.txt"))
        #expect(command.command == "/pulse")
        #expect(command.text == "open P1s at Globex")
        #expect(command.userID == "U0CSM0001")
        #expect(command.channelID == "C0ESC0001")
        #expect(command.teamID == "T0TEAM0001")
        #expect(command.apiAppID == "A0APP00001")
        #expect(command.responseURL == "https://hooks.slack.com/commands/T0TEAM0001/7200000000001/Xb3kPq9RzT1vYw2uLm4nJc5d")
        #expect(command.triggerID?.hasPrefix("7200000000001.") == true)
    }

    @Test func blockActions() throws {
        let interaction = try SlackInteraction.decode(try Fixtures.bytes("block_actions.txt"))
        #expect(interaction.kind == .blockActions)
        #expect(interaction.user.id == "U0CSM0001")
        #expect(interaction.teamID == "T0TEAM0001")
        #expect(interaction.messageTS == "1718200001.000400")
        #expect(interaction.messageChannelID == "C0ESC0001")
        #expect(interaction.responseURL?.hasPrefix("https://hooks.slack.com/actions/") == true)
        #expect(interaction.triggerID != nil)
        let action = try #require(interaction.actions.first)
        #expect(action.actionID == "view_open_tickets")
        #expect(action.routeID == "view_open_tickets")
        #expect(action.value == "cus_acme")
        #expect(action.type == "button")
        #expect(action.blockID == "Kx9Lm")
        #expect(action.actionTS == "1718200300.123456")
    }

    @Test func viewSubmission() throws {
        let interaction = try SlackInteraction.decode(try Fixtures.bytes("view_submission.txt"))
        #expect(interaction.kind == .viewSubmission)
        let view = try #require(interaction.view)
        #expect(view.callbackID == SlackModalForm.addNoteCallbackID)
        #expect(view.privateMetadata == "zendesk:48213")
        #expect(
            view.value(block: SlackModalForm.noteBlockID, action: SlackModalForm.noteActionID)
                == "Customer's renewal is on 30 June & they're blocked by the SSO bug."
        )
        #expect(view.value(block: "note", action: "other") == nil)
    }
}

@Suite struct PayloadRobustnessTests {
    @Test func unknownEventWithOtherShapesStillDecodes() throws {
        let body = #"{"type":"event_callback","event_id":"Ev1","event_time":1,"event":{"type":"user_change","user":{"id":"U1","name":"x"}}}"#
        let envelope = try SlackEnvelope.decode(Array(body.utf8))
        #expect(envelope.event?.type == "user_change")
        #expect(envelope.event?.user == nil)
    }

    @Test func unknownEnvelopeTypeIsOther() throws {
        let envelope = try SlackEnvelope.decode(Array(#"{"type":"app_rate_limited","minute_rate_limited":1518467820}"#.utf8))
        #expect(envelope.kind == .other("app_rate_limited"))
    }

    @Test func malformedJSONIsATypedError() {
        #expect(throws: SlackDecodingError.self) { try SlackEnvelope.decode(Array("{not json".utf8)) }
        do {
            _ = try SlackEnvelope.decode(Array("{not json".utf8))
        } catch {
            guard case .malformedJSON = error else {
                Issue.record("expected malformedJSON, got \(error)")
                return
            }
            #expect(error.code == "malformed_json")
        }
    }

    @Test func missingFieldsAreNamed() {
        #expect(throws: SlackDecodingError.missingField("type")) { try SlackEnvelope.decode(Array(#"{"challenge":"x"}"#.utf8)) }
        #expect(throws: SlackDecodingError.missingField("challenge")) { try SlackEnvelope.decode(Array(#"{"type":"url_verification"}"#.utf8)) }
        #expect(throws: SlackDecodingError.missingField("event")) {
            try SlackEnvelope.decode(Array(#"{"type":"event_callback","event_id":"Ev1"}"#.utf8))
        }
        #expect(throws: SlackDecodingError.missingField("payload")) { try SlackInteraction.decode(Array("token=abc".utf8)) }
        #expect(throws: SlackDecodingError.missingField("user_id")) {
            try SlackSlashCommand.decode(Array("command=%2Fpulse&channel_id=C1&text=help".utf8))
        }
    }

    @Test func malformedFormIsATypedError() {
        #expect(throws: SlackDecodingError.self) { try SlackSlashCommand.decode(Array("command=%2Fpulse&text=%zz".utf8)) }
        #expect(throws: SlackDecodingError.self) { try SlackInteraction.decode(Array("payload=%7Bnope".utf8)) }
        #expect(throws: SlackDecodingError.self) { try SlackForm(parsing: [0x66, 0x3D, 0xFF, 0xFE]) }
    }

    @Test func formDecodingTreatsPlusAsSpaceButKeepsEncodedPlus() throws {
        let form = try SlackForm(parsing: Array("text=P1+at+Acme%2BCo&empty=&flag&text=second".utf8))
        #expect(form["text"] == "P1 at Acme+Co")
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(form["missing"] == nil)
        let encoded = SlackForm.encode([("text", "a b+c&d=é")])
        #expect(try SlackForm(parsing: Array(encoded.utf8))["text"] == "a b+c&d=é")
    }
}

@Suite struct EventFilteringTests {
    @Test func botsEditsAndOwnMessagesAreIgnored() {
        let human = SlackEvent(type: "message", user: "U1", text: "hi", channel: "D1", channelType: "im", ts: "1.1")
        #expect(human.shouldIgnore(botUserID: "UBOT") == false)
        var bot = human
        bot.botID = "B1"
        #expect(bot.shouldIgnore(botUserID: "UBOT"))
        var edit = human
        edit.subtype = "message_changed"
        #expect(edit.shouldIgnore(botUserID: "UBOT"))
        var own = human
        own.user = "UBOT"
        #expect(own.shouldIgnore(botUserID: "UBOT"))
        #expect(own.shouldIgnore(botUserID: nil) == false)
    }

    @Test func repliesGoToTheExistingThread() {
        let inThread = SlackEvent(type: "app_mention", ts: "2.2", threadTS: "1.1")
        #expect(inThread.replyThreadTS == "1.1")
        #expect(SlackEvent(type: "app_mention", ts: "2.2").replyThreadTS == "2.2")
    }

    @Test func onlyTheLeadingBotMentionIsStripped() {
        let event = SlackEvent(type: "app_mention", text: "  <@UBOT>   how is <@U2> doing with Acme?")
        #expect(event.question(botUserID: "UBOT") == "how is <@U2> doing with Acme?")
        let other = SlackEvent(type: "app_mention", text: "<@U2> ask the bot")
        #expect(other.question(botUserID: "UBOT") == "<@U2> ask the bot")
    }

    @Test("The question is trimmed of what Foundation counts as whitespace and newlines, mentions of the bot repeated or not, and nothing else")
    func questionTrimming() {
        let cases: [(text: String?, bot: String?, question: String)] = [
            (nil, "UBOT", ""),
            ("   ", "UBOT", ""),
            ("<@UBOT>", "UBOT", ""),
            ("<@UBOT><@UBOT> \t\n show tickets for Acme\r\n", "UBOT", "show tickets for Acme"),
            ("\u{00A0}\u{3000}<@UBOT>\u{2028} show tickets\u{2003}", "UBOT", "show tickets"),
            ("<@UOTHER> hi", nil, "hi"),
            ("<@UBOT hi", "UBOT", "<@UBOT hi"),
            ("x <@UBOT> hi", "UBOT", "x <@UBOT> hi"),
            ("<@UBOT> caf\u{E9} \u{1F600}\u{200B}", "UBOT", "caf\u{E9} \u{1F600}\u{200B}"),
        ]
        for (text, bot, question) in cases {
            #expect(SlackEvent(type: "app_mention", text: text).question(botUserID: bot) == question, "\(String(describing: text))")
        }
    }
}
