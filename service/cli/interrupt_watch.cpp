#include "service/cli/interrupt_watch.h"

#include <atomic>
#include <csignal>

namespace smbreaper::cli {
namespace {

std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

using Handler = void (*)(int);
Handler previous_interrupt = SIG_DFL;
Handler previous_terminate = SIG_DFL;

void note_interrupt(int) { interrupted = true; }

}  // namespace

InterruptWatch::InterruptWatch() {
    interrupted = false;
    previous_interrupt = std::signal(SIGINT, note_interrupt);
    previous_terminate = std::signal(SIGTERM, note_interrupt);
}

InterruptWatch::~InterruptWatch() {
    std::signal(SIGINT, previous_interrupt);
    std::signal(SIGTERM, previous_terminate);
}

bool InterruptWatch::requested() const { return interrupted; }

}  // namespace smbreaper::cli
