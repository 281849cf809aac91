#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace smbreaper {

// The session fields a rule can test (DESIGN.md section 4).
enum class Field {
    SessionId,
    User,
    Client,
    Scope,
    ClusterNode,
    SmbInstance,
    Dialect,
    Transport,
    OpenFiles,
    Idle,
    Age,
    Shares,
    Encrypted,
    Signed,
};

// How a field's matcher is written and compared.
enum class FieldKind {
    Text,      // globs, lists, regex (client also CIDR); shares: any of several names
    Number,    // comparisons and ranges over whole numbers
    Duration,  // comparisons and ranges over seconds, written as 90s, 15m, 2h...
    Dialect,   // comparisons over SMB dialect revisions
    Instance,  // one or several SmbInstance names
    Boolean,
};

struct FieldInfo {
    Field field;
    std::string_view name;  // as written in a policy
    FieldKind kind;
};

std::span<const FieldInfo> all_fields();
std::optional<FieldInfo> find_field(std::string_view name);
const FieldInfo& field_info(Field field);

}  // namespace smbreaper
