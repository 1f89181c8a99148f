import Foundation
import Testing

@testable import OverstapStore

/// Shipped PostgreSQL migrations never change, like the SQLite ones (`MigrationHistoryTests`):
/// their own list, since the backends have their own migrations.
struct PostgresMigrationHistoryTests {
    /// The SHA-256 of each shipped PostgreSQL migration's SQL. Add a line when one ships; never change one.
    static let shipped: [(name: String, sha256: String)] = [
        ("001_baseline", "c4846aa436acef2b63fb6536228f43d07a8c01bddf0245eeff5f3fdf94477ff0"),
        ("002_idempotent_schedules", "8a1728ada1258997a0329feaedc56e43c2c740c0353e7d418aa37315ff20d3c1"),
        ("003_change_counter", "a2813648cd74185a647e20d105143e11491692a6eb00579a79e24ccac32d4bc3"),
    ]

    @Test func shippedMigrationsKeepTheirText() {
        let current = Dictionary(uniqueKeysWithValues: PostgresMigrations.all.map { ($0.name, MigrationStatus.sha256($0.sql)) })
        for (name, sha256) in Self.shipped {
            #expect(current[name] == sha256, "\(name) was edited after it shipped; add a new migration instead")
        }
    }

    @Test func everyMigrationIsPinnedInOrder() {
        #expect(PostgresMigrations.all.map(\.name) == Self.shipped.map(\.name), "pin a new migration's hash here when it ships")
    }
}
