#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace smbreaper::sessions {

// Set (from any thread) when the service stops: a WMI call that waits gives up.
using WmiStopFlag = std::shared_ptr<std::atomic<bool>>;

// How often a wait looks at the stop flag.
inline constexpr std::chrono::milliseconds kWmiStopPoll{100};

// How long a wait may last: `timeout` in all, and `stop_grace` once `stop` is set (a ForceClose
// that answers in milliseconds is not given up at a stop, one stuck in its provider is).
struct WmiWaitLimits {
    std::chrono::milliseconds timeout{30'000};
    WmiStopFlag stop;
    std::chrono::milliseconds stop_grace{3'000};
};

// Waits for an answer that comes in slices: `poll(slice)` waits at most `slice` and says whether
// the answer is there. Throws WmiError when the timeout passes (WBEM_E_TIMED_OUT), or when the
// stop flag is set and the grace passes after it (WBEM_E_CALL_CANCELLED); `action` and
// `wmi_namespace` name what was waited for.
void wait_in_slices(const std::function<bool(std::chrono::milliseconds slice)>& poll, const WmiWaitLimits& limits,
                    const std::string& action, std::string_view wmi_namespace);

// Runs `call` on a thread of its own, joined to COM's multithreaded apartment, and waits for it
// as wait_in_slices() does. For a COM call that may block as long as its provider does, whatever
// flags it is given (Wine's WMI runs every method synchronously). `call` must own what it uses:
// a call given up on is abandoned, and ends on its thread whenever the provider lets it go.
void run_bounded(std::function<void()> call, const WmiWaitLimits& limits, const std::string& action,
                 std::string_view wmi_namespace);

// The same for a call with a result.
template <typename Result>
Result run_bounded(std::function<Result()> call, const WmiWaitLimits& limits, const std::string& action,
                   std::string_view wmi_namespace) {
    auto result = std::make_shared<std::optional<Result>>();
    run_bounded([call = std::move(call), result] { result->emplace(call()); }, limits, action, wmi_namespace);
    return std::move(**result);
}

}  // namespace smbreaper::sessions
