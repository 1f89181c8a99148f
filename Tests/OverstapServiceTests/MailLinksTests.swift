import Foundation
@testable import OverstapService
import Testing

/// The links in every mail: signed once per message from a key prepared once per batch, and the
/// feed address percent-encoded for Google Calendar, with the bytes they always had.
struct MailLinksTests {
    let signer = RSVPSigner(secret: "s3cret-of-the-team")

    @Test func tokensAreTheHMACOfPurposeAndIDAsPythonComputesThem() {
        // python3: base64.urlsafe_b64encode(hmac.new(secret, b"overstap-rsvp-v1:42", sha256).digest()).rstrip(b"=")
        #expect(signer.token(enrollmentID: 42) == "42.7AL-JS8QBjf9KWzPU_jiGPdb1MyK04z2xy-zaAaJ528")
        #expect(signer.feedToken(workerID: 7) == "7.IxmlMpD4ovpaN1IcaMcMmNEI3CEPVDE75MZG0zY4zJ8")
    }

    @Test func oneSignerSignsManyIDsEachVerifiableAndNeverForTheOtherPurpose() {
        for id in Int64(1)...300 {
            #expect(signer.enrollmentID(of: signer.token(enrollmentID: id)) == id)
            #expect(signer.workerID(ofFeedToken: signer.feedToken(workerID: id)) == id)
            #expect(signer.enrollmentID(of: signer.feedToken(workerID: id)) == nil)
        }
    }

    @Test func theGoogleLinkEncodesTheWebcalAddressLikePythonsQuote() {
        let links = OverstapService.subscribeLinks("https://overstap.example.org/feeds/me/7.abc-_~x.ics")
        #expect(links["my_feed_webcal"] == "webcal://overstap.example.org/feeds/me/7.abc-_~x.ics")
        // python3: urllib.parse.quote(webcal, safe="-._~")
        #expect(links["my_feed_google"] == "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Foverstap.example.org%2Ffeeds%2Fme%2F7.abc-_~x.ics")
    }

    @Test func percentEncodingMatchesFoundationForASCIIAndUnicode() {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let ascii = String(decoding: (0...127).map { UInt8($0) }, as: UTF8.self)
        for text in [ascii, "webcal://bücher.example/ß?x=1&y=é ü", "ünïcødé-ÅΩЖ字😀", ""] {
            #expect(OverstapService.percentEncoded(text) == text.addingPercentEncoding(withAllowedCharacters: allowed), "\(text)")
        }
    }

    @Test func descriptionLinesSplitLikeFoundationsComponents() {
        for text in ["", "\n\n", "één\n\ntwee\r\ndrie\n", "a\u{2028}b\nc", "👩‍👩‍👧\n\u{301}x"] {
            #expect(OverstapService.nonEmptyLines(text) == text.components(separatedBy: "\n").filter { !$0.isEmpty }, "\(text.debugDescription)")
        }
    }
}
