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

/// Checks language codes against ISO 639-1.
public enum LanguageCode {
    /// The 184 two-letter codes of ISO 639-1 (as Debian's iso-codes lists them), so `xx` is refused.
    public static let iso639_1: Set<String> = [
        "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh", "bi", "bm", "bn", "bo",
        "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es",
        "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr",
        "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
        "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv",
        "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv",
        "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd",
        "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
        "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
        "yo", "za", "zh", "zu",
    ]

    /// True for an ISO 639-1 code in lower case.
    public static func isValid(_ code: String) -> Bool { iso639_1.contains(code) }
}
