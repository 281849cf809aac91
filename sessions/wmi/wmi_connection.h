#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/wmi/bounded_call.h"
#include "sessions/wmi/com_owners.h"
#include "sessions/wmi/wmi_error_text.h"
#include "sessions/wmi/wmi_object.h"

#include <wbemidl.h>

namespace smbreaper::sessions {

// A method's input parameters, by name: arrays of strings, which is all the methods called so far
// take (AccountName of MSFT_SmbShare.BlockAccess).
using WmiArguments = std::vector<std::pair<std::string, std::vector<std::string>>>;

// How long each kind of WMI call may take before it is given up (WmiError WBEM_E_TIMED_OUT).
struct WmiTimeouts {
    std::chrono::milliseconds connect{60'000};
    std::chrono::milliseconds query{30'000};  // for each instance of a query
    std::chrono::milliseconds method{30'000};
    std::chrono::milliseconds stop_grace{3'000};  // what a call under way still gets once stopped
};

// A connection to one WMI namespace on this machine: the generic layer every WMI source uses.
// Every call is bounded: by its timeout, and by `stop` (set from any thread), which makes a call
// in progress give up after its stop grace. A provider that hangs (WmiPrvSE stuck in a driver)
// therefore costs one timeout, never the service. Every call throws WmiError, whose message says
// what failed and why (see wmi_error_text.h).
class WmiConnection {
public:
    // Connects to `wmi_namespace` (for example ROOT\CIMV2) as the calling process' user.
    explicit WmiConnection(std::string wmi_namespace, WmiTimeouts timeouts = {}, WmiStopFlag stop = {});

    // Every instance a WQL query returns, read to the end (semisynchronously: each instance is
    // waited for in slices). A provider that does not deliver the next instance in time fails the
    // whole query rather than leaving it half read.
    std::vector<WmiObject> query(std::string_view wql) const;

    // Calls `method` (ForceClose, StartService, BlockAccess with `arguments`) on the instance at
    // `object_path`, semisynchronously (WBEM_FLAG_RETURN_IMMEDIATELY, then
    // IWbemCallResult::GetResultObject), and returns its output parameters (ReturnValue, ...).
    // Nothing when the WMI implementation ran the method without handing over a call result
    // (Wine's ignores WBEM_FLAG_RETURN_IMMEDIATELY): the method ran, its outcome is unknown.
    // A call that times out or is stopped throws WmiError; whether the method ran is then unknown.
    std::optional<WmiObject> exec_method(std::string_view object_path, std::string_view method,
                                         const WmiArguments& arguments = {}) const;

    const std::string& wmi_namespace() const { return namespace_; }

private:
    WmiWaitLimits limits(std::chrono::milliseconds timeout) const { return {timeout, stop_, timeouts_.stop_grace}; }

    std::string namespace_;
    WmiTimeouts timeouts_;
    WmiStopFlag stop_;
    ComPtr<IWbemServices> services_;
};

// True for the errors of a call given up on (timed out, or stopped): what it did is unknown.
bool is_unanswered(const WmiError& error);

}  // namespace smbreaper::sessions
