#include "sessions/open_file_json.h"

#include "common/utc_time.h"
#include "sessions/json_input.h"

namespace smbreaper::sessions {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::JsonWriter;

namespace {

void write_time(JsonWriter& json, const char* name, const std::optional<std::chrono::system_clock::time_point>& time) {
    if (time) json.key(name).value(format_utc_timestamp(*time));
}

}  // namespace

void write_open_file_properties(JsonWriter& json, const OpenFileRecord& open) {
    if (const auto number = parse_decimal_u64(open.file_id))
        json.key("FileId").value(*number);
    else
        json.key("FileId").value(open.file_id);
    json.key("SessionId").value(open.session_id);
    json.key("Path").value(open.path);
    json.key("ShareRelativePath").value(open.share_relative_path);
    json.key("ClientComputerName").value(open.client_computer_name);
    json.key("ClientUserName").value(open.client_user_name);
    json.key("Permissions").value(open.permissions);
    json.key("Locks").value(open.locks);
    json.key("ContinuouslyAvailable").value(open.continuously_available);
    json.key("ScopeName").value(open.scope_name);
    json.key("ClusterNodeName").value(open.cluster_node_name);
    if (open.smb_instance)
        json.key("SmbInstance").value(to_string(*open.smb_instance));
    else
        json.key("SmbInstance").null();
    if (open.permissions)
        json.key("Access").value(access_letters(open));
    else
        json.key("Access").null();
    json.key("Writes").value(writes(open));
    write_time(json, "OpenedAt", open.opened_at);
    write_time(json, "FirstSeen", open.first_seen);
    if (open.samba_pid) {
        json.key("SambaServerId").begin_object();
        json.key("Pid").value(*open.samba_pid);
        json.key("Vnn").value(open.samba_vnn);
        json.end_object();
    }
    if (open.uid) json.key("Uid").value(*open.uid);
}

std::string to_open_files_json(const std::vector<const OpenFileRecord*>& opens) {
    std::string out = "[";
    for (std::size_t i = 0; i < opens.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        JsonWriter json(out);
        json.begin_object();
        write_open_file_properties(json, *opens[i]);
        json.end_object();
    }
    out += opens.empty() ? "]\n" : "\n]\n";
    return out;
}

}  // namespace smbreaper::sessions
