#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/session_record.h"

namespace smbreaper::rules {

// The session fields a rule can test. Each has one descriptor (field_descriptor()), from which
// the policy loader, the evaluator, `check`'s warnings and the field table of docs/POLICY.md are
// all derived: a field is added there and nowhere else in rules/ and config/.
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
    WriteOpens,
    OldestOpen,
    OpenPaths,
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

// How a field is read from a record; exactly the reader that matches the field's kind is set:
// Text fields read text (or, for shares, a list of texts), Number, Duration and Dialect a number,
// Instance an instance, Boolean a flag. Each answers nothing when the value is unknown. Text is
// read through a member pointer rather than a function: it is the test nearly every rule makes,
// and an offset costs no call.
struct FieldReader {
    std::optional<std::string> sessions::SessionRecord::*text = nullptr;
    std::optional<std::vector<std::string>> sessions::SessionRecord::*texts = nullptr;
    std::optional<std::uint64_t> (*number)(const sessions::SessionRecord&) = nullptr;
    std::optional<sessions::SmbInstance> (*instance)(const sessions::SessionRecord&) = nullptr;
    std::optional<bool> (*flag)(const sessions::SessionRecord&) = nullptr;
};

struct FieldDescriptor {
    Field field;
    std::string_view name;  // as written in a policy: "user"
    FieldKind kind;
    // The MSFT_SmbSession property or the record's extra: "ClientUserName". Which sources give it
    // is theirs to say (sessions/session_source.h, rules/field_coverage.h).
    std::string_view property;
    FieldReader read;
    std::string_view description;  // one line, for people
    std::string_view example;      // a test as written in a policy: "user: 'CORP\\svc_*'"
};

std::span<const FieldDescriptor> all_fields();
const FieldDescriptor* find_field(std::string_view name);
const FieldDescriptor& field_descriptor(Field field);

// The kind's name for people: "text", "duration"...
std::string_view to_string(FieldKind kind);

}  // namespace smbreaper::rules
