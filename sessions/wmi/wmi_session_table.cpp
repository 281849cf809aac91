#include "sessions/wmi/wmi_session_table.h"

#include "sessions/session_identity.h"
#include "sessions/session_source.h"
#include "sessions/wmi/smb_session_mapping.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {

WmiSessionTable::WmiSessionTable(WmiTimeouts timeouts) : timeouts_(timeouts) {
    try {
        connection();
    } catch (const WmiError& error) {
        throw SourceError(error.what());
    }
}

WmiConnection& WmiSessionTable::connection() {
    if (!connection_) connection_ = std::make_unique<WmiConnection>(kSmbNamespace, timeouts_, stop_);
    return *connection_;
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
        throw SourceError(error.what());
    } catch (const WmiValueError& error) {
        throw SourceError(std::string("reading ") + kSmbSessionClass + ": " + error.what());
    }
    return snapshot;
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

    try {
        const std::optional<WmiObject> output = connection().exec_method(path, "ForceClose");
        if (!output) return {CloseOutcome::Failed, "ForceClose ran but WMI handed over no result: outcome unknown"};
        const auto code = wmi_uint32(output->get("ReturnValue"));
        if (code && *code == 0) return {CloseOutcome::Closed, "ForceClose returned 0"};
        const std::string failure =
            "ForceClose returned " + (code ? std::to_string(*code) : std::string("no ReturnValue"));
        return gone_since(session)
                   ? CloseResult{CloseOutcome::Vanished, failure + ": the session ended before it could be closed"}
                   : CloseResult{CloseOutcome::Failed, failure};
    } catch (const WmiError& error) {
        // Timed out or stopped: ForceClose may or may not have run. Anything else may be the
        // session ending between the re-read and the call (the instance is gone): read again.
        connection_.reset();
        if (is_unanswered(error)) return {CloseOutcome::Failed, std::string(error.what()) + "; outcome unknown"};
        if (gone_since(session)) {
            return {CloseOutcome::Vanished,
                    "the session ended before it could be closed (" + std::string(error.what()) + ")"};
        }
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
