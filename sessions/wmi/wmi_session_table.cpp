#include "sessions/wmi/wmi_session_table.h"

#include "sessions/session_identity.h"
#include "sessions/wmi/smb_session_mapping.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper {

WmiSessionTable::WmiSessionTable() {
    try {
        connection();
    } catch (const WmiError& error) {
        throw SourceError(error.what());
    }
}

WmiConnection& WmiSessionTable::connection() {
    if (!connection_) connection_ = std::make_unique<WmiConnection>(kSmbNamespace);
    return *connection_;
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
    try {
        const auto found = connection().query(smb_session_query_by_id(session.session_id));
        if (found.empty()) return {CloseOutcome::Vanished, "the session no longer exists"};
        const SessionRecord now = smb_session_from_properties(found.front().get_all(kSmbSessionProperties));
        if (!same_session(session, now))
            return {CloseOutcome::Vanished, "SessionId " + std::to_string(session.session_id) +
                                                " now belongs to another session (" + shown(now.client_user_name) + " from " +
                                                shown(now.client_computer_name) + "); not closed"};

        const WmiObject output = connection().exec_method(found.front().path(), "ForceClose");
        const auto code = wmi_uint32(output.get("ReturnValue"));
        if (code && *code == 0) return {CloseOutcome::Closed, "ForceClose returned 0"};
        return {CloseOutcome::Failed,
                "ForceClose returned " + (code ? std::to_string(*code) : std::string("no ReturnValue"))};
    } catch (const WmiError& error) {
        connection_.reset();
        return {CloseOutcome::Failed, error.what()};
    } catch (const WmiValueError& error) {
        return {CloseOutcome::Failed, std::string("re-reading the session before closing it: ") + error.what()};
    }
}

}  // namespace smbreaper
