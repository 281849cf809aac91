#include <catch2/catch.hpp>

#include "storage/csv.h"

using smbreaper::storage::csv_line;
using smbreaper::storage::kCsvByteOrderMark;

using namespace smbreaper;

TEST_CASE("a CSV line quotes what needs it, neutralises formulas and ends with CRLF", "[csv]") {
    CHECK(csv_line({"1", "CORP\\alice", "a,b", "=HYPERLINK(\"x\")", ""}) ==
          "1,CORP\\alice,\"a,b\",\"'=HYPERLINK(\"\"x\"\")\",\r\n");
    CHECK(csv_line({}) == "\r\n");
    CHECK(kCsvByteOrderMark == "\xEF\xBB\xBF");
}
