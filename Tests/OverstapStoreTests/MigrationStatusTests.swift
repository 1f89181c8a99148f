import Testing

@testable import OverstapStore

/// How a schema compares with the migrations a program knows, and the refusals that follow.
struct MigrationStatusTests {
    let known = ["001_a", "002_b", "003_c"]

    @Test func pendingMigrationsAreRefusedWithTheCommandThatAppliesThem() {
        let status = MigrationStatus(known: known, applied: ["001_a"])
        #expect(status.pending == ["002_b", "003_c"])
        #expect(status.version == "001_a")
        #expect {
            try status.requireCurrent(place: "db.example.org:5432/overstap")
        } throws: { error in
            "\(error)" == "cannot open database db.example.org:5432/overstap: its schema has pending migrations (002_b, 003_c); "
                + "run overstap db migrate with the same --config first"
        }
    }

    @Test func migrationsThisProgramDoesNotKnowAreRefusedAsNewer() {
        let status = MigrationStatus(known: known, applied: ["001_a", "002_b", "003_c", "004_d"])
        #expect(status.pending.isEmpty)
        #expect(status.unknown == ["004_d"])
        #expect {
            try status.requireCurrent(place: "x")
        } throws: { error in
            "\(error)".contains("this database was migrated by a newer overstap (unknown migrations: 004_d)")
        }
    }

    @Test func aCurrentSchemaPasses() throws {
        try MigrationStatus(known: known, applied: known.reversed()).requireCurrent(place: "x")
        #expect(MigrationStatus(known: known, applied: []).version == nil)
    }
}
