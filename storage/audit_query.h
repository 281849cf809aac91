#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/audit_row.h"
#include "storage/audit_store.h"

namespace smbreaper::storage {

// Which entries to list or export. Every filter that is set must hold; a list filter holds when
// any of its values does. User, client and rule take globs (`*`, `?`), case-insensitive as
// Windows names are.
struct EntryFilter {
    std::optional<std::string> since;  // time >= since (the stored form, see common/utc_time.h)
    std::optional<std::string> until;  // time <  until
    std::vector<std::string> users;    // ClientUserName
    std::vector<std::string> clients;  // ClientComputerName
    std::vector<std::string> rules;
    std::vector<std::string> outcomes;  // stored names: "closed", "what-if"...
    std::vector<std::uint64_t> session_ids;
};

// Calls `visit` with every entry that passes the filter, oldest first, one row at a time (so an
// export of a large trail does not hold it in memory). Throws AuditReadError on a read failure.
void for_each_entry(const AuditStore& store, const EntryFilter& filter,
                    const std::function<void(const AuditRow&)>& visit);

// The pattern of SQL's LIKE ... ESCAPE '!' that matches what the glob matches.
std::string glob_to_like(const std::string& glob);

}  // namespace smbreaper::storage
