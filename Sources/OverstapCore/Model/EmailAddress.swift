/// Checks e-mail addresses as they arrive from files and options, before anything is stored or sent.
public enum EmailAddress {
    /// A description of what is wrong with `address`, or nil when it is usable.
    public static func problem(with address: String) -> String? {
        if address.isEmpty { return "is empty" }
        if address.utf8.count > 254 { return "is longer than 254 characters" }
        if address.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || "<>(),;:\"[]\\".unicodeScalars.contains($0) }) {
            return "'\(address.debugDescriptionSafe)' contains spaces, line breaks or characters not allowed in an address"
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else {
            return "'\(address)' is not an e-mail address (expected name@domain.nl)"
        }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else {
            return "'\(address)' has no valid domain (expected name@domain.nl)"
        }
        return nil
    }
}

extension String {
    /// The string with control characters shown as escapes, safe to put in an error message.
    var debugDescriptionSafe: String {
        String(unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined())
    }
}

/// Checks language codes.
public enum LanguageCode {
    /// True for a two- or three-letter lower-case ISO 639 code.
    public static func isValid(_ code: String) -> Bool {
        (2...3).contains(code.count) && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
    }
}
