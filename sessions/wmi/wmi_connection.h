#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/wmi/com_owners.h"
#include "sessions/wmi/wmi_object.h"

#include <wbemidl.h>

namespace smbreaper {

// A connection to one WMI namespace on this machine: the generic layer every WMI source uses.
// Every call throws WmiError, whose message says what failed and why (see wmi_error_text.h).
class WmiConnection {
public:
    // Connects to `wmi_namespace` (for example ROOT\CIMV2) as the calling process' user.
    explicit WmiConnection(std::string wmi_namespace, std::chrono::seconds timeout = std::chrono::seconds(30));

    // Every instance a WQL query returns, read to the end. A provider that does not deliver the
    // next instance within the timeout fails the whole query rather than leaving it half read.
    std::vector<WmiObject> query(std::string_view wql) const;

    // Calls `method` (one without input parameters, such as ForceClose or StartService) on the
    // instance at `object_path` and returns its output parameters (ReturnValue, ...).
    WmiObject exec_method(std::string_view object_path, std::string_view method) const;

    const std::string& wmi_namespace() const { return namespace_; }

private:
    std::string namespace_;
    std::chrono::seconds timeout_;
    ComPtr<IWbemServices> services_;
};

}  // namespace smbreaper
