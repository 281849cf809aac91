#pragma once

#include <cstddef>
#include <string>

namespace smbreaper::cli {

// What `close` and `close-file` say around the closes themselves.

// Printed while waiting for another close on the same audit trail.
void print_waiting_for_other_close();

// After the closes: the closures an earlier, abruptly ended close had left pending (now recorded
// as outcome unknown), and a failure to write the outcome entries. False when there was one.
bool report_close_bookkeeping(std::size_t interrupted_resolved, const std::string& outcome_write_error);

// When the trail cannot take the pending entries: nothing was closed.
void print_audit_refused(const std::string& audit_db, const std::string& error);

}  // namespace smbreaper::cli
