#include "common/phase_timing.h"

#include <cstdio>

namespace smbreaper::common {

void PhaseTimings::add(std::string_view name, std::chrono::steady_clock::duration duration) {
    for (Phase& phase : phases_) {
        if (phase.name == name) {
            phase.duration += duration;
            return;
        }
    }
    phases_.push_back({name, duration});
}

void PhaseTimings::add(const PhaseTimings& other) {
    for (const Phase& phase : other.phases_) add(phase.name, phase.duration);
}

std::chrono::steady_clock::duration PhaseTimings::total() const {
    std::chrono::steady_clock::duration sum{};
    for (const Phase& phase : phases_) sum += phase.duration;
    return sum;
}

std::string PhaseTimings::describe() const {
    std::string text;
    for (const Phase& phase : phases_) {
        if (!text.empty()) text += ", ";
        text += std::string(phase.name) + " " + format_milliseconds(phase.duration);
    }
    return text;
}

std::string format_milliseconds(std::chrono::steady_clock::duration duration) {
    const double milliseconds = std::chrono::duration<double, std::milli>(duration).count();
    char text[32];
    std::snprintf(text, sizeof text, "%.2f ms", milliseconds);
    return text;
}

}  // namespace smbreaper::common
