#include <catch2/catch.hpp>

#include <csignal>

#include "service/cli/interrupt_watch.h"

namespace {

int handled_by_previous = 0;
void previous_handler(int) { ++handled_by_previous; }

}  // namespace

TEST_CASE("an interrupt is noted instead of ending the process, and the old handler comes back", "[interrupt]") {
    std::signal(SIGINT, previous_handler);
    {
        const smbreaper::cli::InterruptWatch watch;
        CHECK_FALSE(watch.requested());
        std::raise(SIGINT);
        CHECK(watch.requested());
        CHECK(handled_by_previous == 0);
    }
    std::raise(SIGINT);
    CHECK(handled_by_previous == 1);
    {
        const smbreaper::cli::InterruptWatch watch;  // a new watch starts unset
        CHECK_FALSE(watch.requested());
        std::raise(SIGTERM);
        CHECK(watch.requested());
    }
    std::signal(SIGINT, SIG_DFL);
}
