#pragma once

#include <cstdlib>

namespace smbreaper::test {

// The smbreaper program the tests start: the one this tree built (SMBREAPER_BINARY), or the one
// the environment names in SMBREAPER_PROGRAM_UNDER_TEST. CI builds the suite with the
// sanitizers only, and drives the program as shipped, from another tree, with the same tests
// (ctest label `program`; scripts/test package).
inline const char* program_under_test() {
    const char* chosen = std::getenv("SMBREAPER_PROGRAM_UNDER_TEST");
    return chosen != nullptr && *chosen != '\0' ? chosen : SMBREAPER_BINARY;
}

}  // namespace smbreaper::test
