import Crypto
import Foundation

/// Answer links and personal feed links are capabilities: `ID.SIGNATURE`, the signature an
/// HMAC-SHA256 of the enrollment (or worker) id under `rsvp.secret`, checked in constant time.
struct RSVPSigner {
    private let key: SymmetricKey

    init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// The token for one enrollment.
    func token(enrollmentID: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Self.message(enrollmentID), using: key)
        return "\(enrollmentID).\(Self.base64URL(Data(code)))"
    }

    /// The enrollment a genuine token names, or nil.
    func enrollmentID(of token: String) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int64(parts[0]), id > 0, let signature = Self.data(base64URL: String(parts[1])) else { return nil }
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Self.message(id), using: key) ? id : nil
    }

    /// The token of a participant's own feed (a different message, so it never works as an answer link).
    func feedToken(workerID: Int64) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Self.feedMessage(workerID), using: key)
        return "\(workerID).\(Self.base64URL(Data(code)))"
    }

    /// The worker a genuine feed token names, or nil.
    func workerID(ofFeedToken token: String) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = Int64(parts[0]), id > 0, let signature = Self.data(base64URL: String(parts[1])) else { return nil }
        return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Self.feedMessage(id), using: key) ? id : nil
    }

    private static func message(_ id: Int64) -> Data { Data("overstap-rsvp-v1:\(id)".utf8) }

    private static func feedMessage(_ id: Int64) -> Data { Data("overstap-me-v1:\(id)".utf8) }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
