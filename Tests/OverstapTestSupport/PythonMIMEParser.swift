import Foundation

/// Python's own `email` package as the independent parser: it reads a message file and reports
/// its structure, decoded headers and decoded parts as JSON.
public enum PythonMIMEParser {
    static let script = #"""
        import json, sys, email, email.header, email.utils
        from email import policy
        raw = open(sys.argv[1], 'rb').read()
        message = email.message_from_bytes(raw, policy=policy.default)
        def describe(part):
            entry = {'type': part.get_content_type(), 'params': dict(part.get_params() or []),
                     'disposition': part.get_content_disposition(), 'filename': part.get_filename()}
            if part.is_multipart():
                entry['parts'] = [describe(p) for p in part.iter_parts()]
            else:
                entry['content'] = part.get_payload(decode=True).decode('utf-8')
            return entry
        print(json.dumps({
            'headers': [[k, str(v)] for k, v in message.items()],
            'defects': [type(d).__name__ for d in message.defects],
            'to_name': message['To'].addresses[0].display_name,
            'to_address': message['To'].addresses[0].addr_spec,
            # RFC 2047 §6.2 decoding (white space between encoded words dropped), which the
            # modern parser gets wrong in display names: it shows a space at each word's end.
            'to_name_rfc2047': email.utils.parseaddr(str(email.header.make_header(email.header.decode_header(
                [v for k, v in message.raw_items() if k.lower() == 'to'][0]))))[0],
            'structure': describe(message)}))
        """#

    /// The parsed view of the message in `file`.
    public static func parse(file: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
