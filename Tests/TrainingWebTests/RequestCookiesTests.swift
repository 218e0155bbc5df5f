import Hummingbird
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

    @Test func textBeyondASCIIIsKeptByteForByteAndEmptyPartsAreSkipped() {
        let cookies = RequestCookies(headers: ["ž=\u{301}x;;  ;=v; č = \"ћ\" ;\tt\t=\t1\t", ""])
        #expect(cookies["ž"] == "\u{301}x")
        #expect(cookies["č"] == "ћ")
        #expect(cookies["t"] == "1")
        #expect(cookies[""] == "v")
        #expect(cookies["z"] == nil && cookies["c"] == nil, "names are compared byte for byte, not folded")
    }
}

/// The canonical form of a request's path (`.` and `..` resolved, empty segments dropped), and its fast check.
@Suite struct CanonicalPathTests {
    @Test func theFastCheckAgreesWithTheFullFormOnEveryShapeOfPath() {
        let segments = ["", ".", "..", "...", "a", ".a", "a.", "..a", "my", "ž"]
        var paths = ["/", "", "my", "//"]
        for first in segments {
            for second in segments {
                paths += ["/\(first)", "/\(first)/\(second)", "/\(first)/\(second)/", "/\(first)//\(second)"]
            }
        }
        for path in paths {
            let canonical = CanonicalPathResponder<RouterResponder<WebContext>>.canonical(path)
            let isCanonical = CanonicalPathResponder<RouterResponder<WebContext>>.isCanonical(path)
            #expect(isCanonical == (canonical == path), "\(path) → \(canonical)")
        }
        #expect(CanonicalPathResponder<RouterResponder<WebContext>>.canonical("/my/./../cohorts//A/") == "/cohorts/A")
    }
}
