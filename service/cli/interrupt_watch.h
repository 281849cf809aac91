#pragma once

namespace smbreaper::cli {

// While it exists, Ctrl+C (SIGINT) and SIGTERM no longer end the process: they are noted, so that
// `close` can stop before the next close and still record the outcome of every pending one.
// The previous handlers come back when it goes. One at a time.
class InterruptWatch {
public:
    InterruptWatch();
    ~InterruptWatch();
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;

    bool requested() const;
};

}  // namespace smbreaper::cli
