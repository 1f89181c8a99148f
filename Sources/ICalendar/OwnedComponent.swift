import CLibical

/// Owns one libical root component and frees it when it goes away. Non-copyable so the tree has
/// exactly one owner; created and consumed only inside `Libical.withLock`, so `deinit` (which
/// calls libical) also runs under the lock.
struct OwnedComponent: ~Copyable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { icalcomponent_free(pointer) }

    /// A deep copy with its own owner.
    func clone() -> OwnedComponent? {
        icalcomponent_new_clone(pointer).map(OwnedComponent.init)
    }

    /// The component as text, CRLF line ends, folded by libical.
    func text() -> String {
        Libical.ownedString(icalcomponent_as_ical_string_r(pointer)) ?? ""
    }
}
