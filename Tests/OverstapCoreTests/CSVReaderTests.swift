import OverstapCore
import Testing

struct CSVReaderTests {
    func records(_ text: String, delimiter: Character = ",") throws -> [CSVReader.Record] {
        try CSVReader(delimiter: UInt8(ascii: delimiter.unicodeScalars.first!)).records(in: Array(text.utf8))
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let result = try records("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,row\n")
        #expect(result.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"], ["last", "row"]])
        #expect(result.map(\.line) == [1, 2, 3, 5])
    }

    @Test func crlfAndBlankLinesAreHandled() throws {
        let result = try records("a;b\r\n\r\n1;2\r\n3;4", delimiter: ";")
        #expect(result.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(result.map(\.line) == [1, 3, 4])
    }

    @Test func brokenQuotingIsAProblemWithItsLine() {
        #expect { try records("a,b\n1,\"open\n2,3\n") } throws: { ($0 as? CSVReader.Problem)?.line == 2 }
        #expect { try records("a,b\n1,x\"y\n") } throws: { ($0 as? CSVReader.Problem)?.line == 2 }
        #expect { try records("a,b\n1,\"x\"y\n") } throws: { ($0 as? CSVReader.Problem)?.line == 2 }
    }

    @Test func theDelimiterIsDetectedFromTheHeader() {
        #expect(CSVReader.detectDelimiter(in: Array("email;name;\"a,b\"\n".utf8)) == UInt8(ascii: ";"))
        #expect(CSVReader.detectDelimiter(in: Array("email,name,x\n1;2;3;4;5\n".utf8)) == UInt8(ascii: ","))
    }
}
