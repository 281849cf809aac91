#pragma once

#include <filesystem>

namespace smbreaper::daemon {

// %ProgramData%\smbreaper: the policy, the audit trail and the logs of the Windows service. Always
// absolute: a service's working directory is C:\Windows.
std::filesystem::path smbreaper_data_folder();

// %ProgramData%\smbreaper\logs\smbreaper.log: the service's rotating log when the policy names none.
std::filesystem::path default_service_log_file();

}  // namespace smbreaper::daemon
