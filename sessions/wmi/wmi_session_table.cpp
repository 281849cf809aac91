#include "sessions/wmi/wmi_session_table.h"

#include "sessions/wmi/firewall_blocks.h"
#include "sessions/wmi/share_blocks.h"

#include "sessions/json_input.h"
#include "sessions/open_file_summary.h"
#include "sessions/session_identity.h"
#include "sessions/session_source.h"
#include "sessions/wmi/smb_open_file_mapping.h"
#include "sessions/wmi/smb_session_mapping.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {

namespace {

// A call that got no answer in time (or was given up on a stop) is a timeout; any other, a failure.
SourceErrorKind kind_of(const WmiError& error) {
    return is_unanswered(error) ? SourceErrorKind::Timeout : SourceErrorKind::Failed;
}

}  // namespace

WmiSessionTable::WmiSessionTable(WmiTimeouts timeouts) : timeouts_(timeouts) {
    try {
        connection();
    } catch (const WmiError& error) {
        throw SourceError(error.what(), SourceErrorKind::Unavailable);
    }
}

WmiConnection& WmiSessionTable::connection() {
    if (!connection_) connection_ = std::make_unique<WmiConnection>(kSmbNamespace, timeouts_, stop_);
    return *connection_;
}

std::vector<std::string> WmiSessionTable::enforce_blocks(const std::vector<BlockTarget>& blocks) {
    std::vector<BlockTarget> users;
    std::vector<std::string> addresses;
    for (const BlockTarget& block : blocks) {
        if (block.kind == BlockKind::User) {
            users.push_back(block);
        } else {
            addresses.push_back(block.name);
        }
    }
    const std::lock_guard lock(mutex_);
    // Both steps run whatever the other's fate: a failing share deny must not keep a lifted
    // client's firewall rule in place, nor the other way round.
    std::vector<std::string> warnings;
    std::string failures;
    try {
        warnings = enforce_share_blocks(connection(), users, default_share_block_state_file());
    } catch (const std::exception& error) {  // SourceError, WmiError, WmiValueError
        connection_.reset();
        failures = error.what();
    }
    try {
        enforce_firewall_blocks(addresses, {timeouts_.method, stop_, timeouts_.stop_grace});
    } catch (const std::exception& error) {
        failures += (failures.empty() ? "" : "; ") + std::string(error.what());
    }
    if (!failures.empty()) throw SourceError(failures);
    return warnings;
}

void WmiSessionTable::stop_waiting() { stop_->store(true); }

std::optional<SessionRecord> WmiSessionTable::read_again(std::uint64_t session_id) {
    const auto found = connection().query(smb_session_query_by_id(session_id));
    if (found.empty()) return std::nullopt;
    return smb_session_from_properties(found.front().get_all(kSmbSessionProperties));
}

SessionSnapshot WmiSessionTable::list() {
    std::lock_guard lock(mutex_);
    SessionSnapshot snapshot;
    snapshot.taken_at = std::chrono::system_clock::now();
    try {
        for (const WmiObject& instance : connection().query(std::string("SELECT * FROM ") + kSmbSessionClass))
            snapshot.sessions.push_back(smb_session_from_properties(instance.get_all(kSmbSessionProperties)));
    } catch (const WmiError& error) {
        connection_.reset();
        throw SourceError(error.what(), kind_of(error));
    } catch (const WmiValueError& error) {
        throw SourceError(std::string("reading ") + kSmbSessionClass + ": " + error.what(), SourceErrorKind::Malformed);
    }
    // The sessions stand without their open files: when MSFT_SmbOpenFile cannot be read, what the
    // opens would say stays unknown (NumOpens still comes from MSFT_SmbSession), and the guards
    // treat it as doubt.
    try {
        snapshot.open_files = read_open_files();
        summarize_open_files_by_session_id(snapshot.sessions, *snapshot.open_files, snapshot.taken_at);
    } catch (const SourceError&) {
        snapshot.open_files.reset();
    }
    return snapshot;
}

std::vector<OpenFileRecord> WmiSessionTable::list_open_files() {
    std::lock_guard lock(mutex_);
    return read_open_files();
}

std::vector<OpenFileRecord> WmiSessionTable::read_open_files() {
    std::vector<OpenFileRecord> opens;
    const auto now = std::chrono::system_clock::now();
    try {
        for (const WmiObject& instance : connection().query(std::string("SELECT * FROM ") + kSmbOpenFileClass))
            opens.push_back(smb_open_file_from_properties(instance.get_all(kSmbOpenFileProperties)));
    } catch (const WmiError& error) {
        connection_.reset();
        throw SourceError(error.what(), kind_of(error));
    } catch (const WmiValueError& error) {
        throw SourceError(std::string("reading ") + kSmbOpenFileClass + ": " + error.what(),
                          SourceErrorKind::Malformed);
    }
    decltype(first_seen_) still_open;
    for (OpenFileRecord& open : opens) {
        OpenIdentity identity{open.file_id, open.session_id, open.path};
        const auto known = first_seen_.find(identity);
        if (known != first_seen_.end())
            open.first_seen = known->second;
        else if (listed_open_files_)
            open.first_seen = now;
        still_open.emplace(std::move(identity), open.first_seen);
    }
    first_seen_ = std::move(still_open);
    listed_open_files_ = true;
    return opens;
}

std::optional<OpenFileRecord> WmiSessionTable::read_open_file_again(std::uint64_t file_id) {
    const auto found = connection().query(smb_open_file_query_by_id(file_id));
    if (found.empty()) return std::nullopt;
    return smb_open_file_from_properties(found.front().get_all(kSmbOpenFileProperties));
}

namespace {

// The same open: its FileId was not reused for another session's open or another file.
bool same_open(const OpenFileRecord& listed, const OpenFileRecord& now) {
    return listed.session_id == now.session_id && listed.path == now.path;
}

}  // namespace

CloseResult WmiSessionTable::close_open_file(const OpenFileRecord& open) {
    std::lock_guard lock(mutex_);
    const std::optional<std::uint64_t> file_id = parse_decimal_u64(open.file_id);
    if (!file_id) return {CloseOutcome::Failed, "FileId " + open.file_id + " is not a Windows FileId (a number)"};
    std::string path;
    try {
        const auto found = connection().query(smb_open_file_query_by_id(*file_id));
        if (found.empty()) return {CloseOutcome::Vanished, "the open file is no longer open"};
        const OpenFileRecord now = smb_open_file_from_properties(found.front().get_all(kSmbOpenFileProperties));
        if (!same_open(open, now))
            return {CloseOutcome::Vanished, "FileId " + open.file_id + " now belongs to another open (" +
                                                shown(now.path) + " of " + shown(now.client_user_name) +
                                                "); not closed"};
        path = found.front().path();
    } catch (const WmiError& error) {
        connection_.reset();
        return {CloseOutcome::Failed, "re-reading the open file before closing it: " + std::string(error.what())};
    } catch (const WmiValueError& error) {
        return {CloseOutcome::Failed, std::string("re-reading the open file before closing it: ") + error.what()};
    }

    return force_close(
        path, [this, &open, &file_id] { return open_file_gone_since(open, *file_id); }, "the file was closed");
}

bool WmiSessionTable::open_file_gone_since(const OpenFileRecord& open, std::uint64_t file_id) {
    try {
        const std::optional<OpenFileRecord> now = read_open_file_again(file_id);
        return !now || !same_open(open, *now);
    } catch (const std::exception&) {
        connection_.reset();
        return false;  // cannot tell: not gone, so the failure stands
    }
}

CloseResult WmiSessionTable::close(const SessionRecord& session) {
    std::lock_guard lock(mutex_);
    const std::string id = std::to_string(session.session_id);
    std::string path;
    try {
        const auto found = connection().query(smb_session_query_by_id(session.session_id));
        if (found.empty()) return {CloseOutcome::Vanished, "the session no longer exists"};
        const SessionRecord now = smb_session_from_properties(found.front().get_all(kSmbSessionProperties));
        if (!same_session(session, now))
            return {CloseOutcome::Vanished, "SessionId " + id + " now belongs to another session (" +
                                                shown(now.client_user_name) + " from " +
                                                shown(now.client_computer_name) + "); not closed"};
        path = found.front().path();
    } catch (const WmiError& error) {
        connection_.reset();
        return {CloseOutcome::Failed, "re-reading the session before closing it: " + std::string(error.what())};
    } catch (const WmiValueError& error) {
        return {CloseOutcome::Failed, std::string("re-reading the session before closing it: ") + error.what()};
    }

    return force_close(
        path, [this, &session] { return gone_since(session); }, "the session ended");
}

CloseResult WmiSessionTable::force_close(const std::string& instance_path, const std::function<bool()>& gone,
                                         std::string_view ended) {
    const std::string ended_first = std::string(ended) + " before it could be closed";
    try {
        const std::optional<WmiObject> output = connection().exec_method(instance_path, "ForceClose");
        if (!output) return {CloseOutcome::Failed, "ForceClose ran but WMI handed over no result: outcome unknown"};
        const auto code = wmi_uint32(output->get("ReturnValue"));
        if (code && *code == 0) return {CloseOutcome::Closed, "ForceClose returned 0"};
        const std::string failure =
            "ForceClose returned " + (code ? std::to_string(*code) : std::string("no ReturnValue"));
        return gone() ? CloseResult{CloseOutcome::Vanished, failure + ": " + ended_first}
                      : CloseResult{CloseOutcome::Failed, failure};
    } catch (const WmiError& error) {
        // Timed out or stopped: ForceClose may or may not have run. Anything else may be the
        // instance ending between the re-read and the call: read again.
        connection_.reset();
        if (is_unanswered(error)) return {CloseOutcome::Failed, std::string(error.what()) + "; outcome unknown"};
        if (gone()) return {CloseOutcome::Vanished, ended_first + " (" + std::string(error.what()) + ")"};
        return {CloseOutcome::Failed, error.what()};
    } catch (const WmiValueError& error) {
        return {CloseOutcome::Failed, std::string("reading ForceClose's result: ") + error.what()};
    }
}

bool WmiSessionTable::gone_since(const SessionRecord& session) {
    try {
        const std::optional<SessionRecord> now = read_again(session.session_id);
        return !now || !same_session(session, *now);
    } catch (const std::exception&) {
        connection_.reset();
        return false;  // cannot tell: not gone, so the failure stands
    }
}

// The wmi source's opener (sessions/session_source.h); it runs no program.
std::unique_ptr<SessionTable> open_wmi_source(const SourceSettings&, const ProgramCheck&) {
    return std::make_unique<WmiSessionTable>();
}

}  // namespace smbreaper::sessions
