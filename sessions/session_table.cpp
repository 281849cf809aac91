#include "sessions/session_table.h"

namespace smbreaper::sessions {

std::string_view to_string(SourceErrorKind kind) {
    switch (kind) {
        case SourceErrorKind::Unavailable: return "unavailable";
        case SourceErrorKind::Timeout: return "timeout";
        case SourceErrorKind::Failed: return "failed";
        case SourceErrorKind::Malformed: return "malformed";
    }
    return "failed";
}

std::vector<OpenFileRecord> SessionTable::list_open_files() {
    SessionSnapshot snapshot = list();
    if (!snapshot.open_files) throw SourceError("the " + name() + " source does not list open files");
    return std::move(*snapshot.open_files);
}

CloseResult SessionTable::close_open_file(const OpenFileRecord&) {
    return {CloseOutcome::Failed, "the " + name() + " source cannot close a single open file"};
}

std::vector<std::string> SessionTable::enforce_blocks(const std::vector<BlockTarget>&) {
    throw SourceError("the " + name() + " source has no way to keep a user or a client out");
}

std::optional<std::string> SessionTable::block_problem(const BlockTarget&) const { return std::nullopt; }

}  // namespace smbreaper::sessions
