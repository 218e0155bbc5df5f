import Testing
@testable import TrainingWeb

/// The request-cookie reader every page goes through (session, language, sign-in CSRF).
@Suite struct RequestCookiesTests {
    @Test func readsNamesAndValuesAcrossHeadersAndSpacing() {
        let cookies = RequestCookies(headers: ["obuka_session=abc-123;lang=sr-Cyrl", "  other = x ; flag"])
        #expect(cookies["obuka_session"] == "abc-123")
        #expect(cookies["lang"] == "sr-Cyrl")
        #expect(cookies["other"] == "x")
        #expect(cookies["flag"] == nil)
        #expect(cookies["missing"] == nil)
    }

    @Test func quotedValuesLoseTheirQuotesAndTheFirstOfTwoNamesWins() {
        let cookies = RequestCookies(headers: [#"a="quoted value"; a=second; b==x=y"#])
        #expect(cookies["a"] == "quoted value")
        #expect(cookies["b"] == "=x=y")
    }
}
