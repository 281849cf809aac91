// Catch2's implementation, compiled once for every test program: the unit tests' main
// (catch_main.cpp) and the Samba tests' own (tests/integration/integration_main.cpp) both run it.
#define CATCH_CONFIG_RUNNER
#include "catch_session.h"

#include <catch2/catch.hpp>

namespace smbreaper::test {

int run_catch_session(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }

}  // namespace smbreaper::test
