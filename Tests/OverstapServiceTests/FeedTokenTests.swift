import OverstapService
import Testing

struct FeedTokenTests {
    let token = "WhZUg7Jc-jgAXu01IWgSvajT2AKy2na2-NH2wYSWKc0"

    @Test func aTokenMatchesTheDigestOfItsStoredHashAndNothingElseDoes() {
        let digest = FeedToken.digest(ofStoredHash: FeedToken.hash(token))
        #expect(digest?.count == 32)
        #expect(FeedToken.matches(token, digest: digest))
        #expect(!FeedToken.matches(String(token.dropLast()) + "x", digest: digest))
        #expect(!FeedToken.matches("", digest: digest))
        #expect(!FeedToken.matches(token, digest: nil), "a partner without a token opens nothing")
    }

    @Test func tokensAreEqualOnlyWhenEveryByteIs() {
        let bytes = Array(token.utf8)
        #expect(FeedToken.equalInConstantTime(bytes, token.utf8))
        #expect(!FeedToken.equalInConstantTime(bytes, (token.dropLast() + "x").utf8))
        #expect(!FeedToken.equalInConstantTime(bytes, token.dropLast().utf8))
        #expect(!FeedToken.equalInConstantTime([], bytes))
    }

    @Test(arguments: [nil, "", String(repeating: "a", count: 63), String(repeating: "g", count: 64), String(repeating: "A", count: 64)])
    func aStoredHashThatIsNotSixtyFourLowerCaseHexDigitsOpensNothing(stored: String?) {
        #expect(FeedToken.digest(ofStoredHash: stored) == nil)
    }
}
