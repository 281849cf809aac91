#include "rules/field.h"

namespace smbreaper {
namespace {

constexpr FieldInfo kFields[] = {
    {Field::SessionId, "session_id", FieldKind::Number},
    {Field::User, "user", FieldKind::Text},
    {Field::Client, "client", FieldKind::Text},
    {Field::Scope, "scope", FieldKind::Text},
    {Field::ClusterNode, "cluster_node", FieldKind::Text},
    {Field::SmbInstance, "smb_instance", FieldKind::Instance},
    {Field::Dialect, "dialect", FieldKind::Dialect},
    {Field::Transport, "transport", FieldKind::Text},
    {Field::OpenFiles, "open_files", FieldKind::Number},
    {Field::Idle, "idle", FieldKind::Duration},
    {Field::Age, "age", FieldKind::Duration},
    {Field::Shares, "shares", FieldKind::Text},
    {Field::Encrypted, "encrypted", FieldKind::Boolean},
    {Field::Signed, "signed", FieldKind::Boolean},
};

}  // namespace

std::span<const FieldInfo> all_fields() { return kFields; }

std::optional<FieldInfo> find_field(std::string_view name) {
    for (const FieldInfo& info : kFields) {
        if (info.name == name) return info;
    }
    return std::nullopt;
}

const FieldInfo& field_info(Field field) { return kFields[static_cast<int>(field)]; }

}  // namespace smbreaper
