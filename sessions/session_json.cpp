#include "sessions/session_json.h"

namespace smbreaper::sessions {
using smbreaper::common::JsonWriter;

void write_session_properties(JsonWriter& json, const SessionRecord& s) {
    json.key("SessionId").value(s.session_id);
    json.key("ClientComputerName").value(s.client_computer_name);
    json.key("ClientUserName").value(s.client_user_name);
    json.key("ScopeName").value(s.scope_name);
    json.key("ClusterNodeName").value(s.cluster_node_name);
    if (s.smb_instance)
        json.key("SmbInstance").value(to_string(*s.smb_instance));
    else
        json.key("SmbInstance").null();
    json.key("NumOpens").value(s.num_opens);
    json.key("SecondsIdle").value(s.seconds_idle);
    json.key("SecondsExists").value(s.seconds_exists);
    json.key("Dialect").value(s.dialect);
    json.key("TransportName").value(s.transport_name);
    if (s.shares) json.key("Shares").value(*s.shares);
    if (s.encrypted) json.key("Encrypted").value(*s.encrypted);
    if (s.signing) json.key("Signed").value(*s.signing);
    if (s.group_name) json.key("GroupName").value(*s.group_name);
    if (s.uid) json.key("Uid").value(*s.uid);
    if (s.gid) json.key("Gid").value(*s.gid);
    if (s.samba_server_id) {
        json.key("SambaServerId").begin_object();
        json.key("Pid").value(s.samba_server_id->pid);
        json.key("Vnn").value(s.samba_server_id->vnn);
        json.key("UniqueId").value(s.samba_server_id->unique_id);
        json.end_object();
    }
    if (s.peer_address) json.key("PeerAddress").value(*s.peer_address);
    if (s.write_opens) json.key("WriteOpens").value(*s.write_opens);
    if (s.oldest_open_seconds) json.key("OldestOpen").value(*s.oldest_open_seconds);
    if (s.open_paths) json.key("OpenPaths").value(*s.open_paths);
}

std::string to_passthru_json(const SessionRecord& session) {
    std::string out;
    out.reserve(512);
    JsonWriter json(out);
    json.begin_object();
    write_session_properties(json, session);
    json.end_object();
    return out;
}

}  // namespace smbreaper::sessions
