#include "service/closing/file_closer.h"

#include <map>

#include "common/parallel_for.h"

namespace smbreaper::closing {
using smbreaper::common::parallel_for;
using smbreaper::common::PhaseTimer;
using smbreaper::sessions::CloseOutcome;
using smbreaper::sessions::CloseResult;
using smbreaper::sessions::OpenFileRecord;
using smbreaper::sessions::SessionTable;
using smbreaper::storage::AuditEntry;
using smbreaper::storage::Outcome;
using smbreaper::storage::outcome_entry;

namespace {

Outcome file_outcome_of(CloseOutcome outcome) {
    switch (outcome) {
        case CloseOutcome::Closed: return Outcome::Closed;
        case CloseOutcome::Vanished: return Outcome::Vanished;
        case CloseOutcome::Failed: return Outcome::Failed;
    }
    return Outcome::Failed;
}

// Still the same open: its FileId not reused for another session's open or another file.
bool same_open(const OpenFileRecord& selected, const OpenFileRecord& now) {
    return selected.session_id == now.session_id && selected.path == now.path;
}

std::optional<PhaseTimer> timer_for(common::PhaseTimings* phases, std::string_view phase) {
    if (phases == nullptr) return std::nullopt;
    return std::optional<PhaseTimer>(std::in_place, *phases, phase);
}

}  // namespace

void close_pending_files(SessionTable& table, std::vector<FileClosure>& closures,
                         const std::function<std::vector<OpenFileRecord>()>& read_again,
                         const FileCloseOptions& options) {
    std::vector<FileClosure*> to_close;
    {
        const auto timer = timer_for(options.phases, "recheck");
        std::map<std::string, OpenFileRecord> current;
        try {
            for (OpenFileRecord& open : read_again()) current.emplace(open.file_id, std::move(open));
        } catch (const std::exception& error) {
            for (FileClosure& closure : closures) {
                closure.outcome = Outcome::Refused;
                closure.detail = std::string("the open files could not be read again: ") + error.what();
            }
            return;
        }
        for (FileClosure& closure : closures) {
            const auto found = current.find(closure.open.file_id);
            if (found == current.end() || !same_open(closure.open, found->second)) {
                closure.outcome = Outcome::Vanished;
                closure.detail = found == current.end() ? "no longer open" : "its FileId now belongs to another open";
                continue;
            }
            if (options.recheck) {
                if (std::string refusal = options.recheck(found->second); !refusal.empty()) {
                    closure.outcome = Outcome::Refused;
                    closure.detail = std::move(refusal);
                    continue;
                }
            }
            to_close.push_back(&closure);
        }
    }

    const auto timer = timer_for(options.phases, "close");
    parallel_for(to_close.size(), options.max_concurrent, [&](std::size_t i) {
        FileClosure& closure = *to_close[i];
        if (options.stop_requested && options.stop_requested()) {
            closure.outcome = Outcome::Refused;
            closure.detail = options.stop_reason;
            return;
        }
        CloseResult closed;
        try {
            closed = table.close_open_file(closure.open);
        } catch (const std::exception& error) {
            closed = {CloseOutcome::Failed, error.what()};
        }
        closure.outcome = file_outcome_of(closed.outcome);
        closure.detail = std::move(closed.detail);
    });
}

std::vector<AuditEntry> outcomes_of(const std::vector<FileClosure>& closures) {
    std::vector<AuditEntry> outcomes;
    outcomes.reserve(closures.size());
    for (const FileClosure& closure : closures) {
        const bool closed = closure.outcome == Outcome::Closed;
        outcomes.push_back(outcome_entry(closure.pending, *closure.outcome, closed ? std::string() : closure.detail));
    }
    return outcomes;
}

}  // namespace smbreaper::closing
