#include "sessions/wmi/bounded_call.h"

#include <wbemidl.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "sessions/wmi/com_runtime.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {

void wait_in_slices(const std::function<bool(std::chrono::milliseconds slice)>& poll, const WmiWaitLimits& limits,
                    const std::string& action, std::string_view wmi_namespace) {
    const WmiStopFlag& stop = limits.stop;
    const auto started = std::chrono::steady_clock::now();
    auto deadline = started + limits.timeout;
    bool stopping = false;
    for (;;) {
        const auto now = std::chrono::steady_clock::now();
        if (!stopping && stop && stop->load()) {
            stopping = true;
            deadline = std::min(deadline, now + limits.stop_grace);
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
        if (left.count() <= 0 && stopping) {
            throw WmiError(static_cast<std::uint32_t>(WBEM_E_CALL_CANCELLED),
                           action + ": given up because the service is stopping", wmi_namespace);
        }
        if (left.count() <= 0) {
            throw WmiError(
                static_cast<std::uint32_t>(WBEM_E_TIMED_OUT),
                action + ": no answer within " + std::to_string(limits.timeout.count() / 1000) + " s; given up",
                wmi_namespace);
        }
        if (poll(std::min(left, kWmiStopPoll))) return;
    }
}

void run_bounded(std::function<void()> call, const WmiWaitLimits& limits, const std::string& action,
                 std::string_view wmi_namespace) {
    struct State {
        std::mutex mutex;
        std::condition_variable finished;
        bool done = false;
        std::exception_ptr error;
    };
    auto state = std::make_shared<State>();
    std::thread([state, call = std::move(call)] {
        std::exception_ptr error;
        try {
            ensure_com_on_this_thread();
            call();
        } catch (...) {
            error = std::current_exception();
        }
        const std::lock_guard lock(state->mutex);
        state->error = error;
        state->done = true;
        state->finished.notify_all();
    }).detach();

    std::unique_lock lock(state->mutex);
    wait_in_slices(
        [&](std::chrono::milliseconds slice) {
            return state->finished.wait_for(lock, slice, [&] { return state->done; });
        },
        limits, action, wmi_namespace);
    if (state->error) std::rethrow_exception(state->error);
}

}  // namespace smbreaper::sessions
