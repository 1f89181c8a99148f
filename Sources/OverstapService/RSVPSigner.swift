import Crypto
import Foundation

/// Answer links and personal feed links are capabilities: `ID.SIGNATURE`, the signature an
/// HMAC-SHA256 under `rsvp.secret` of the enrollment (or worker) id with a purpose prefix, so a
/// feed token never works as an answer link; checked in constant time.
struct RSVPSigner {
    private let key: SymmetricKey
    /// The HMAC of each purpose with its key and prefix taken in, so that signing one id (once
    /// per message sent) hashes only the id.
    private let answerMAC: HMAC<SHA256>
    private let personalFeedMAC: HMAC<SHA256>

    private enum Purpose: String {
        case answer = "overstap-rsvp-v1"
        case personalFeed = "overstap-me-v1"
    }

    init(secret: String) {
        let key = SymmetricKey(data: Data(secret.utf8))
        self.key = key
        answerMAC = Self.keyed(key, .answer)
        personalFeedMAC = Self.keyed(key, .personalFeed)
    }

    private static func keyed(_ key: SymmetricKey, _ purpose: Purpose) -> HMAC<SHA256> {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("\(purpose.rawValue):".utf8))
        return mac
    }

    /// The answer token of one enrollment.
    func token(enrollmentID: Int64) -> String { sign(enrollmentID, for: .answer) }

    /// The enrollment a genuine answer token names, or nil.
    func enrollmentID(of token: String) -> Int64? { verify(token, for: .answer) }

    /// The token of a participant's own feed.
    func feedToken(workerID: Int64) -> String { sign(workerID, for: .personalFeed) }

    /// The worker a genuine feed token names, or nil.
    func workerID(ofFeedToken token: String) -> Int64? { verify(token, for: .personalFeed) }

    private func sign(_ id: Int64, for purpose: Purpose) -> String {
        var mac = purpose == .answer ? answerMAC : personalFeedMAC
        mac.update(data: Array(String(id).utf8))
        return "\(id).\(Base64URL.encode(mac.finalize()))"
    }

    /// Only the one spelling `sign` makes is genuine: no leading zeros or sign in the id, no
    /// padding or other variant of the signature's Base64, so a link has one form only.
    private func verify(_ token: String, for purpose: Purpose) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int64(parts[0]), id > 0, String(id) == parts[0],
            let signature = Base64URL.decode(String(parts[1])), Base64URL.encode(signature) == parts[1]
        else { return nil }
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Self.message(id, purpose), using: key) ? id : nil
    }

    private static func message(_ id: Int64, _ purpose: Purpose) -> Data { Data("\(purpose.rawValue):\(id)".utf8) }
}
