#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace smbreaper::common {

// How long each step of a cycle took ("smbstatus", "parse", "sockets", "evaluate", "audit"...),
// for the cycle's log line and for benchmarks (docs/BENCHMARKS.md). A step measured several times
// in one cycle adds up; steps keep the order in which they first appear.
class PhaseTimings {
public:
    struct Phase {
        std::string_view name;  // a string literal
        std::chrono::steady_clock::duration duration{};
    };

    void add(std::string_view name, std::chrono::steady_clock::duration duration);
    void add(const PhaseTimings& other);

    const std::vector<Phase>& phases() const { return phases_; }
    std::chrono::steady_clock::duration total() const;
    // "smbstatus 61.20 ms, parse 0.81 ms, ..."; empty when nothing was measured.
    std::string describe() const;

private:
    std::vector<Phase> phases_;
};

// Adds the time between its construction and its destruction to one phase, also when the step
// throws.
class PhaseTimer {
public:
    PhaseTimer(PhaseTimings& timings, std::string_view name)
        : timings_(timings), name_(name), started_(std::chrono::steady_clock::now()) {}
    ~PhaseTimer() { timings_.add(name_, std::chrono::steady_clock::now() - started_); }
    PhaseTimer(const PhaseTimer&) = delete;
    PhaseTimer& operator=(const PhaseTimer&) = delete;

private:
    PhaseTimings& timings_;
    std::string_view name_;
    std::chrono::steady_clock::time_point started_;
};

// Milliseconds with two decimals: "61.20 ms".
std::string format_milliseconds(std::chrono::steady_clock::duration duration);

}  // namespace smbreaper::common
