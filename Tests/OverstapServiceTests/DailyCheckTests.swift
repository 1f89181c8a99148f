import OverstapCore
import Testing

@testable import OverstapService

/// The daemon runs retention on the first completed send of each day, not on every wake.
struct DailyCheckTests {
    @Test func aCheckIsDueOnceADayAndAgainTheNextDay() async {
        let check = DailyCheck()
        let monday = LocalDate(year: 2027, month: 3, day: 1)
        let tuesday = LocalDate(year: 2027, month: 3, day: 2)
        #expect(await check.isDue(monday))
        await check.done(monday)
        #expect(await !check.isDue(monday))
        #expect(await check.isDue(tuesday))
    }

    @Test func aCheckThatFailedBeforeItWasDoneIsStillDue() async {
        let check = DailyCheck()
        let monday = LocalDate(year: 2027, month: 3, day: 1)
        #expect(await check.isDue(monday))
        #expect(await check.isDue(monday), "only done() marks the day")
    }
}
