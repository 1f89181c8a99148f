import CLibical
import Foundation
import Synchronization

/// The single gate to libical. libical is not thread-safe (iterators write into the tree, globals
/// are unsynchronised, the builtin zone cache has raced), so every call happens inside `withLock`.
enum Libical {
    /// State that only code holding the lock may touch.
    struct State: ~Copyable {
        var isReady = false
        /// Compact zones with plain IANA TZIDs, built once per zone and never freed.
        var zones: [String: OpaquePointer] = [:]
    }

    private static let gate = Mutex(State())

    /// Runs `body` with exclusive access to libical; sets libical up on first use.
    static func withLock<Result: Sendable, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try gate.withLock { (state: inout State) throws(Failure) -> Result in
            if !state.isReady {
                // A malformed input must come back as an error, never abort the process.
                icalerror_set_errors_are_fatal(0)
                state.isReady = true
            }
            return try body(&state)
        }
    }

    /// Copies a string libical owns (ring buffer or component memory) into Swift at once.
    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// Takes ownership of a string from a `_r` function: copies it and frees libical's buffer.
    static func ownedString(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

extension Libical.State {
    /// Our compact copy of an IANA zone: TZID without libical's prefix, no X-LIC-LOCATION, rules
    /// from 2020 on. The fixed start keeps the bytes (and so feed ETags) stable from year to year.
    mutating func zone(_ tzid: String) -> OpaquePointer? {
        if let zone = zones[tzid] { return zone }
        guard let builtin = icaltimezone_get_builtin_timezone(tzid),
            let builtinComponent = icaltimezone_get_component(builtin),
            let component = icalcomponent_new_clone(builtinComponent)
        else { return nil }
        if let property = icalcomponent_get_first_property(component, ICAL_TZID_PROPERTY) {
            icalproperty_set_tzid(property, tzid)
        }
        var property = icalcomponent_get_first_property(component, ICAL_X_PROPERTY)
        while let current = property {
            property = icalcomponent_get_next_property(component, ICAL_X_PROPERTY)
            if Libical.string(icalproperty_get_x_name(current)) == "X-LIC-LOCATION" {
                icalcomponent_remove_property(component, current)
                icalproperty_free(current)
            }
        }
        icaltimezone_truncate_vtimezone(component, icaltime_from_string("20200101T000000Z"), icaltime_null_time(), 1)
        guard let zone = icaltimezone_new() else {
            icalcomponent_free(component)
            return nil
        }
        icaltimezone_set_component(zone, component)
        zones[tzid] = zone
        return zone
    }
}
