#include "service/cli/manual_close_messages.h"

#include <cstdio>

#include "service/cli/error_output.h"

namespace smbreaper::cli {

void print_waiting_for_other_close() { std::fprintf(stderr, "waiting for another smbreaper close to finish...\n"); }

bool report_close_bookkeeping(std::size_t interrupted_resolved, const std::string& outcome_write_error) {
    if (interrupted_resolved > 0) {
        std::fprintf(stderr,
                     "recorded %zu closures left pending by an earlier close that ended abruptly: outcome unknown\n",
                     interrupted_resolved);
    }
    if (outcome_write_error.empty()) return true;
    print_error("the audit trail refused the outcome entries (" + outcome_write_error +
                "): it holds only the pending entries of the closes above, which the next smbreaper close will "
                "record as 'outcome unknown'");
    return false;
}

void print_audit_refused(const std::string& audit_db, const std::string& error) {
    print_error("the audit trail " + audit_db + " cannot record the closures: " + error +
                "; nothing closed (no closure without its audit entry)");
}

}  // namespace smbreaper::cli
