#pragma once

namespace smbreaper::test {

// Runs the test cases the command line selects (Catch::Session().run), from Catch2's
// implementation compiled once in catch_session.cpp.
int run_catch_session(int argc, char* argv[]);

}  // namespace smbreaper::test
