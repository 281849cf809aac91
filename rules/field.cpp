#include "rules/field.h"

namespace smbreaper::rules {
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

namespace {

// Readers: member pointers for text, captureless lambdas (plain function pointers) for the rest.
constexpr FieldReader text_reader(std::optional<std::string> SessionRecord::*read) {
    FieldReader reader;
    reader.text = read;
    return reader;
}
constexpr FieldReader number_reader(std::optional<std::uint64_t> (*read)(const SessionRecord&)) {
    FieldReader reader;
    reader.number = read;
    return reader;
}
constexpr FieldReader flag_reader(std::optional<bool> (*read)(const SessionRecord&)) {
    FieldReader reader;
    reader.flag = read;
    return reader;
}
constexpr FieldReader instance_reader(std::optional<SmbInstance> (*read)(const SessionRecord&)) {
    FieldReader reader;
    reader.instance = read;
    return reader;
}
constexpr FieldReader texts_reader(std::optional<std::vector<std::string>> SessionRecord::*read) {
    FieldReader reader;
    reader.texts = read;
    return reader;
}

template <typename T>
std::optional<std::uint64_t> widened(const std::optional<T>& value) {
    if (!value) return std::nullopt;
    return static_cast<std::uint64_t>(*value);
}

using R = const SessionRecord&;

// In the order of the Field enumeration.
constexpr FieldDescriptor kFields[] = {
    {Field::SessionId, "session_id", FieldKind::Number, "SessionId",
     number_reader([](R r) -> std::optional<std::uint64_t> { return r.session_id; }), "the session's key on the server",
     "session_id: 1099511627777"},
    {Field::User, "user", FieldKind::Text, "ClientUserName", text_reader(&SessionRecord::client_user_name),
     "the account, as DOMAIN\\name on Windows", "user: 'CORP\\svc_*'"},
    {Field::Client, "client", FieldKind::Text, "ClientComputerName", text_reader(&SessionRecord::client_computer_name),
     "the client's address or name; addresses also match CIDR blocks", "client: '10.20.0.0/16'"},
    {Field::Scope, "scope", FieldKind::Text, "ScopeName", text_reader(&SessionRecord::scope_name),
     "the server name the client connected to (`*` on Samba)", "scope: 'FS01'"},
    {Field::ClusterNode, "cluster_node", FieldKind::Text, "ClusterNodeName",
     text_reader(&SessionRecord::cluster_node_name),
     "the cluster node serving the session (Samba: the host, or the CTDB node number)", "cluster_node: 'FS-N1'"},
    {Field::SmbInstance, "smb_instance", FieldKind::Instance, "SmbInstance",
     instance_reader([](R r) { return r.smb_instance; }),
     "Default, CSV, SBL or SR (Samba: always Default; Windows Server 2012: unknown)", "smb_instance: Default"},
    {Field::Dialect, "dialect", FieldKind::Dialect, "Dialect",
     number_reader([](R r) { return widened(r.dialect_revision); }),
     "the SMB dialect; unknown when the source prints one smbreaper does not recognise", "dialect: '< 3.0'"},
    {Field::Transport, "transport", FieldKind::Text, "TransportName", text_reader(&SessionRecord::transport_name),
     "the transport, such as TCP (Samba: tcp)", "transport: tcp"},
    {Field::OpenFiles, "open_files", FieldKind::Number, "NumOpens", number_reader([](R r) { return r.num_opens; }),
     "how many files the session holds open", "open_files: 0"},
    {Field::Idle, "idle", FieldKind::Duration, "SecondsIdle",
     number_reader([](R r) { return widened(r.seconds_idle); }),
     "time since the session's last request (Samba: measured, docs/SAMBA-IDLE.md)", "idle: '>= 2h'"},
    {Field::Age, "age", FieldKind::Duration, "SecondsExists",
     number_reader([](R r) { return widened(r.seconds_exists); }), "time since the session began", "age: '>= 12h'"},
    {Field::Shares, "shares", FieldKind::Text, "Shares", texts_reader(&SessionRecord::shares),
     "the shares the session has connected; holds when any of them matches", "shares: 'finance'"},
    {Field::Encrypted, "encrypted", FieldKind::Boolean, "Encrypted", flag_reader([](R r) { return r.encrypted; }),
     "whether all of the session's traffic is encrypted", "encrypted: false"},
    {Field::Signed, "signed", FieldKind::Boolean, "Signed", flag_reader([](R r) { return r.signing; }),
     "whether all of the session's traffic is signed", "signed: false"},
    {Field::WriteOpens, "write_opens", FieldKind::Number, "WriteOpens",
     number_reader([](R r) { return r.write_opens; }),
     "how many of its open files it may write (write, append or delete access; unknown access counts)",
     "write_opens: 0"},
    {Field::OldestOpen, "oldest_open", FieldKind::Duration, "OldestOpen",
     number_reader([](R r) { return widened(r.oldest_open_seconds); }),
     "time since its oldest open file was opened (Windows: first seen by the service; unknown for opens older "
     "than its start); 0 when it holds none",
     "oldest_open: '> 8h'"},
    {Field::OpenPaths, "open_paths", FieldKind::Text, "OpenPaths", texts_reader(&SessionRecord::open_paths),
     "the share-relative paths of the files it holds open; holds when any of them matches", "open_paths: '*.pst'"},
};

constexpr bool in_enumeration_order() {
    for (std::size_t i = 0; i < std::size(kFields); ++i) {
        if (static_cast<std::size_t>(kFields[i].field) != i) return false;
    }
    return true;
}
static_assert(in_enumeration_order(), "kFields must list the fields in the order of enum Field");

// Exactly the reader the kind needs, so that no field can silently read as nothing.
constexpr bool readers_match_kinds() {
    for (const FieldDescriptor& d : kFields) {
        const int set = (d.read.text != nullptr) + (d.read.texts != nullptr) + (d.read.number != nullptr) +
                        (d.read.instance != nullptr) + (d.read.flag != nullptr);
        if (set != 1) return false;
        switch (d.kind) {
            case FieldKind::Text:
                if (d.read.text == nullptr && d.read.texts == nullptr) return false;
                break;
            case FieldKind::Number:
            case FieldKind::Duration:
            case FieldKind::Dialect:
                if (d.read.number == nullptr) return false;
                break;
            case FieldKind::Instance:
                if (d.read.instance == nullptr) return false;
                break;
            case FieldKind::Boolean:
                if (d.read.flag == nullptr) return false;
                break;
        }
    }
    return true;
}
static_assert(readers_match_kinds(), "each field needs exactly the reader its kind uses");

}  // namespace

std::span<const FieldDescriptor> all_fields() { return kFields; }

const FieldDescriptor* find_field(std::string_view name) {
    for (const FieldDescriptor& descriptor : kFields) {
        if (descriptor.name == name) return &descriptor;
    }
    return nullptr;
}

const FieldDescriptor& field_descriptor(Field field) { return kFields[static_cast<int>(field)]; }

std::string_view to_string(FieldKind kind) {
    switch (kind) {
        case FieldKind::Text: return "text";
        case FieldKind::Number: return "number";
        case FieldKind::Duration: return "duration";
        case FieldKind::Dialect: return "dialect";
        case FieldKind::Instance: return "instance names";
        case FieldKind::Boolean: return "boolean";
    }
    return "text";
}

}  // namespace smbreaper::rules
