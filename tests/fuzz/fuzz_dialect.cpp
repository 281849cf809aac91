// SMB dialect spellings as Windows and Samba print them ("3.1.1", "SMB3_11", "NT1").
// Invariant: a parsed dialect's Windows spelling parses to the same dialect.

#include "fuzz_check.h"
#include "sessions/dialect.h"

using smbreaper::sessions::parse_dialect;
using smbreaper::sessions::windows_spelling;

using namespace smbreaper;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (const auto dialect = parse_dialect(fuzz::as_text(data, size))) {
        fuzz::require(parse_dialect(windows_spelling(*dialect)) == dialect, "a dialect's spelling parses back");
    }
    return 0;
}
