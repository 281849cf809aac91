#include "sessions/snapshot/windows_open_files_reader.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>

#include "common/utc_time.h"
#include "sessions/json_input.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {
using smbreaper::common::parse_utc_timestamp;

// Named apart from the session reader's helpers, which a unity build puts in the same file.
namespace open_file_reading {
namespace {

enum class Property {
    FileId,
    SessionId,
    Path,
    ShareRelativePath,
    ClientComputerName,
    ClientUserName,
    Permissions,
    Locks,
    ContinuouslyAvailable,
    ScopeName,
    ClusterNodeName,
    SmbInstance,
    OpenedAt,
    FirstSeen,
    SambaServerId,
    Pid,  // SambaServerId's members
    Vnn,
    Uid,
    Ignored,
};

struct NamedProperty {
    std::string_view name;
    Property property;
};

constexpr NamedProperty open_file_properties[] = {
    {"FileId", Property::FileId},
    {"SessionId", Property::SessionId},
    {"Path", Property::Path},
    {"ShareRelativePath", Property::ShareRelativePath},
    {"ClientComputerName", Property::ClientComputerName},
    {"ClientUserName", Property::ClientUserName},
    {"Permissions", Property::Permissions},
    {"Locks", Property::Locks},
    {"ContinuouslyAvailable", Property::ContinuouslyAvailable},
    {"ScopeName", Property::ScopeName},
    {"ClusterNodeName", Property::ClusterNodeName},
    {"SmbInstance", Property::SmbInstance},
    {"OpenedAt", Property::OpenedAt},
    {"FirstSeen", Property::FirstSeen},
    {"SambaServerId", Property::SambaServerId},
    {"Uid", Property::Uid},
};
constexpr NamedProperty server_id_properties[] = {{"Pid", Property::Pid}, {"Vnn", Property::Vnn}};

template <std::size_t Count>
Property find_property(const NamedProperty (&table)[Count], std::string_view name) {
    for (const NamedProperty& entry : table) {
        if (same_ascii_ignoring_case(entry.name, name)) return entry.property;
    }
    return Property::Ignored;
}

std::string_view name_of(Property property) {
    for (const NamedProperty& entry : open_file_properties) {
        if (entry.property == property) return entry.name;
    }
    for (const NamedProperty& entry : server_id_properties) {
        if (entry.property == property) return entry.name;
    }
    return "(ignored)";
}

// Stops at the first key of the first object: FileId there means open files.
class FirstObjectKeys final : public nlohmann::json_sax<nlohmann::json> {
public:
    bool has_file_id = false;

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
        ++depth_;
        if (objects_++ == 0) first_object_depth_ = depth_;
        return depth_ <= max_json_nesting;
    }
    bool start_array(std::size_t) override { return ++depth_ <= max_json_nesting; }
    bool end_object() override {
        // The first object has ended: its keys are all known.
        return depth_-- != first_object_depth_;
    }
    bool end_array() override { return --depth_, true; }
    bool key(string_t& name) override {
        if (depth_ != first_object_depth_) return true;
        if (same_ascii_ignoring_case(name, "FileId")) {
            has_file_id = true;
            return false;
        }
        // An smbstatus document: told at its first member, without reading the whole table.
        return name != "timestamp" && name != "version" && name != "sessions" && name != "tcons" &&
               name != "open_files";
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

private:
    std::size_t depth_ = 0;
    std::size_t objects_ = 0;
    std::size_t first_object_depth_ = 0;
};

// Parse events to open-file records: the document is an array of flat objects (or one object);
// only SambaServerId nests, one level; ignored properties' values are skipped whatever they hold.
class OpenFileListReader final : public JsonEventReader {
public:
    OpenFileListReader(std::string_view origin, std::vector<OpenFileRecord>& opens)
        : JsonEventReader(origin), opens_(opens) {}

    bool start_object(std::size_t) override {
        enter();
        if (skipping()) return true;
        if (depth_ == 1 || (depth_ == 2 && array_document_)) {
            begin_open();
        } else if (depth_ == object_depth_ + 1 && property_ == Property::SambaServerId) {
            in_server_id_ = true;
        } else if (property_ == Property::Ignored) {
            skip_from_ = depth_;
        } else {
            fail_type("an object");
        }
        return true;
    }

    bool start_array(std::size_t) override {
        enter();
        if (skipping()) return true;
        if (depth_ == 1) {
            array_document_ = true;
        } else if (property_ == Property::Ignored && object_depth_ != 0) {
            skip_from_ = depth_;
        } else if (object_depth_ == 0) {
            fail_document("an array inside the list");
        } else {
            fail_type("an array");
        }
        return true;
    }

    bool key(string_t& name) override {
        if (skipping()) return true;
        property_ =
            in_server_id_ ? find_property(server_id_properties, name) : find_property(open_file_properties, name);
        if (property_ != Property::Ignored) {
            const unsigned bit = 1u << static_cast<unsigned>(property_);
            if (seen_ & bit) fail_property("the property appears twice in one open file");
            seen_ |= bit;
        }
        return true;
    }

    bool end_object() override {
        if (leave_skipped()) return true;
        if (in_server_id_ && depth_ == object_depth_ + 1) {
            in_server_id_ = false;
            if (!opens_.back().samba_pid) fail_open("SambaServerId needs Pid");
        } else if (depth_ == object_depth_) {
            if (!has_file_id_) fail_open("it has no FileId");
            if (!file_ids_.insert(opens_.back().file_id).second) fail_open("its FileId appears twice in the list");
            object_depth_ = 0;
        }
        property_ = Property::Ignored;
        --depth_;
        return true;
    }

    bool end_array() override {
        if (leave_skipped()) return true;
        --depth_;
        return true;
    }

private:
    void enter() {
        if (++depth_ > max_json_nesting) {
            throw SourceError(
                std::string(origin()) + ": values nested deeper than " + std::to_string(max_json_nesting) + " levels",
                SourceErrorKind::Malformed);
        }
    }
    bool skipping() const { return skip_from_ != 0; }
    // Ends a container; true when it was inside a skipped value.
    bool leave_skipped() {
        if (!skipping()) return false;
        if (depth_ == skip_from_) {
            skip_from_ = 0;
            property_ = Property::Ignored;
        }
        --depth_;
        return true;
    }

    void begin_open() {
        opens_.emplace_back();
        object_depth_ = depth_;
        has_file_id_ = false;
        seen_ = 0;
        property_ = Property::Ignored;
    }

    void on_scalar(const JsonScalar& value) override {
        if (skipping()) return;
        if (object_depth_ == 0) fail_document(value.describe());
        if (value.kind == JsonScalar::Kind::Null || property_ == Property::Ignored) return;
        OpenFileRecord& open = opens_.back();
        constexpr std::uint64_t largest_64 = std::numeric_limits<std::uint64_t>::max();
        constexpr std::uint64_t largest_32 = std::numeric_limits<std::uint32_t>::max();
        switch (property_) {
            case Property::FileId:
                if (value.kind == JsonScalar::Kind::Unsigned)
                    open.file_id = std::to_string(value.number);
                else
                    open.file_id = text(value);
                if (open.file_id.empty()) fail_type(value.describe());
                has_file_id_ = true;
                break;
            case Property::SessionId: open.session_id = whole_number(value, largest_64); break;
            case Property::Path: open.path = text(value); break;
            case Property::ShareRelativePath: open.share_relative_path = text(value); break;
            case Property::ClientComputerName: open.client_computer_name = text(value); break;
            case Property::ClientUserName: open.client_user_name = text(value); break;
            case Property::Permissions:
                open.permissions = static_cast<std::uint32_t>(whole_number(value, largest_32));
                break;
            case Property::Locks: open.locks = static_cast<std::uint32_t>(whole_number(value, largest_32)); break;
            case Property::ContinuouslyAvailable:
                if (value.kind != JsonScalar::Kind::Boolean) fail_type(value.describe());
                open.continuously_available = value.boolean;
                break;
            case Property::ScopeName: open.scope_name = text(value); break;
            case Property::ClusterNodeName: open.cluster_node_name = text(value); break;
            case Property::SmbInstance: {
                std::optional<SmbInstance> instance;
                if (value.kind == JsonScalar::Kind::Unsigned && value.number <= 3)
                    instance = static_cast<SmbInstance>(value.number);
                if (value.kind == JsonScalar::Kind::String) instance = parse_smb_instance(value.text);
                if (!instance) fail_type(value.describe());
                open.smb_instance = instance;
                break;
            }
            case Property::OpenedAt: open.opened_at = time(value); break;
            case Property::FirstSeen: open.first_seen = time(value); break;
            case Property::Pid: open.samba_pid = whole_number(value, largest_64); break;
            case Property::Vnn: open.samba_vnn = static_cast<std::uint32_t>(whole_number(value, largest_32)); break;
            case Property::Uid: open.uid = static_cast<std::uint32_t>(whole_number(value, largest_32)); break;
            case Property::SambaServerId: fail_type(value.describe());
            case Property::Ignored: break;
        }
    }

    std::uint64_t whole_number(const JsonScalar& value, std::uint64_t largest) {
        std::optional<std::uint64_t> number;
        if (value.kind == JsonScalar::Kind::Unsigned) number = value.number;
        if (value.kind == JsonScalar::Kind::String) number = parse_decimal_u64(value.text);
        if (!number || *number > largest) fail_type(value.describe());
        return *number;
    }

    std::string text(const JsonScalar& value) {
        if (value.kind != JsonScalar::Kind::String) fail_type(value.describe());
        return std::string(value.text);
    }

    std::chrono::system_clock::time_point time(const JsonScalar& value) {
        std::optional<std::chrono::system_clock::time_point> parsed;
        if (value.kind == JsonScalar::Kind::String) parsed = parse_utc_timestamp(value.text);
        if (!parsed) fail_type(value.describe());
        return *parsed;
    }

    std::string expectation() const {
        switch (property_) {
            case Property::FileId: return "expected a FileId (a whole number, or Samba's \"PID/SHARE_FILE_ID\")";
            case Property::SessionId:
            case Property::Pid: return expected_whole_number(std::numeric_limits<std::uint64_t>::max());
            case Property::Permissions:
            case Property::Locks:
            case Property::Vnn:
            case Property::Uid: return expected_whole_number(std::numeric_limits<std::uint32_t>::max());
            case Property::ContinuouslyAvailable: return "expected true or false";
            case Property::SmbInstance: return "expected Default, CSV, SBL, SR or their numbers 0 to 3";
            case Property::OpenedAt:
            case Property::FirstSeen: return "expected a time such as \"2026-12-07T10:15:00.000Z\"";
            case Property::SambaServerId: return "expected an object {Pid, Vnn}";
            default: return "expected a string";
        }
    }

    std::string open_place() const {
        std::string place = std::string(origin()) + ": open file [" + std::to_string(opens_.size() - 1) + "]";
        if (has_file_id_) place += " (FileId " + opens_.back().file_id + ")";
        return place;
    }

    [[noreturn]] void fail_type(const std::string& got) const { fail_property(expectation() + ", got " + got); }
    [[noreturn]] void fail_property(const std::string& problem) const {
        std::string name(name_of(property_));
        if (in_server_id_) name = "SambaServerId." + name;
        throw SourceError(open_place() + ", " + name + ": " + problem, SourceErrorKind::Malformed);
    }
    [[noreturn]] void fail_open(const std::string& problem) const {
        throw SourceError(open_place() + ": " + problem, SourceErrorKind::Malformed);
    }
    [[noreturn]] void fail_document(const std::string& got) const {
        throw SourceError(
            std::string(origin()) + ": expected an array of open-file objects, or one open-file object, got " + got,
            SourceErrorKind::Malformed);
    }

    std::vector<OpenFileRecord>& opens_;
    std::size_t depth_ = 0;         // containers open around the current event
    std::size_t object_depth_ = 0;  // the depth of the open being read; 0 between opens
    std::size_t skip_from_ = 0;     // the depth of the ignored value being skipped; 0 when not skipping
    bool array_document_ = false;
    bool in_server_id_ = false;
    bool has_file_id_ = false;
    unsigned seen_ = 0;  // one bit per Property, to refuse a property given twice
    std::unordered_set<std::string> file_ids_;
    Property property_ = Property::Ignored;
};

}  // namespace
}  // namespace open_file_reading

bool looks_like_open_files(std::string_view json) {
    const std::string_view text = skip_utf8_bom(json);
    open_file_reading::FirstObjectKeys keys;
    nlohmann::json::sax_parse(text.begin(), text.end(), &keys);
    return keys.has_file_id;
}

std::vector<OpenFileRecord> parse_windows_open_files_json(std::string_view json, std::string_view origin) {
    std::vector<OpenFileRecord> opens;
    open_file_reading::OpenFileListReader reader(origin, opens);
    read_json_events(json, reader);
    return opens;
}

}  // namespace smbreaper::sessions
