#include "sessions/snapshot/windows_snapshot_reader.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "sessions/json_input.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {

namespace {

enum class Property {
    SessionId,
    ClientComputerName,
    ClientUserName,
    ScopeName,
    ClusterNodeName,
    SmbInstance,
    NumOpens,
    SecondsIdle,
    SecondsExists,
    Dialect,
    TransportName,
    Shares,
    Encrypted,
    Signed,
    GroupName,
    Uid,
    Gid,
    SambaServerId,
    PeerAddress,
    WriteOpens,
    OldestOpen,
    OpenPaths,
    Ignored,  // anything else: CimClass, PSComputerName, ...
};

enum class ServerIdPart { Pid, Vnn, UniqueId, Ignored };

template <typename Id>
struct Named {
    std::string_view name;
    Id id;
};

constexpr Named<Property> session_properties[] = {
    {"SessionId", Property::SessionId},
    {"ClientComputerName", Property::ClientComputerName},
    {"ClientUserName", Property::ClientUserName},
    {"ScopeName", Property::ScopeName},
    {"ClusterNodeName", Property::ClusterNodeName},
    {"SmbInstance", Property::SmbInstance},
    {"NumOpens", Property::NumOpens},
    {"SecondsIdle", Property::SecondsIdle},
    {"SecondsExists", Property::SecondsExists},
    {"Dialect", Property::Dialect},
    {"TransportName", Property::TransportName},
    {"Shares", Property::Shares},
    {"Encrypted", Property::Encrypted},
    {"Signed", Property::Signed},
    {"GroupName", Property::GroupName},
    {"Uid", Property::Uid},
    {"Gid", Property::Gid},
    {"SambaServerId", Property::SambaServerId},
    {"PeerAddress", Property::PeerAddress},
    {"WriteOpens", Property::WriteOpens},
    {"OldestOpen", Property::OldestOpen},
    {"OpenPaths", Property::OpenPaths},
};

constexpr Named<ServerIdPart> server_id_parts[] = {
    {"Pid", ServerIdPart::Pid}, {"Vnn", ServerIdPart::Vnn}, {"UniqueId", ServerIdPart::UniqueId}};

template <typename Id, std::size_t Count>
Id find_by_name(const Named<Id> (&table)[Count], std::string_view name, Id otherwise) {
    for (const Named<Id>& entry : table) {
        if (same_ascii_ignoring_case(entry.name, name)) return entry.id;
    }
    return otherwise;
}

template <typename Id, std::size_t Count>
std::string_view name_of(const Named<Id> (&table)[Count], Id id) {
    for (const Named<Id>& entry : table) {
        if (entry.id == id) return entry.name;
    }
    return "(ignored)";
}

using Scalar = JsonScalar;

// Turns parse events into session records. What the next event may be is kept in `expecting_`;
// subtrees of ignored properties are passed over by counting their depth.
class SessionListReader final : public JsonEventReader {
public:
    SessionListReader(std::string_view origin, std::vector<SessionRecord>& sessions)
        : JsonEventReader(origin), sessions_(sessions) {}

    bool start_object(std::size_t) override { return begin_container(Container::Object); }
    bool start_array(std::size_t) override { return begin_container(Container::Array); }

    bool key(string_t& name) override {
        if (skip_depth_ > 0) return true;
        if (expecting_ == Expecting::PropertyOrEnd) {
            property_ = find_by_name(session_properties, name, Property::Ignored);
            if (property_ != Property::Ignored) note_once(seen_properties_, static_cast<unsigned>(property_));
            expecting_ = Expecting::PropertyValue;
        } else {
            part_ = find_by_name(server_id_parts, name, ServerIdPart::Ignored);
            if (part_ != ServerIdPart::Ignored) note_once(seen_parts_, static_cast<unsigned>(part_));
            expecting_ = Expecting::ServerIdPartValue;
        }
        return true;
    }

    bool end_object() override {
        leave_container();
        if (skip_depth_ > 0) {
            end_skipped_container();
        } else if (expecting_ == Expecting::PropertyOrEnd) {
            if (!has_session_id_) fail_session("it has no SessionId");
            expecting_ = single_session_ ? Expecting::Nothing : Expecting::SessionOrEnd;
        } else {  // the end of SambaServerId
            if (seen_parts_ != 0b111) fail_session("SambaServerId needs Pid, Vnn and UniqueId");
            expecting_ = Expecting::PropertyOrEnd;
        }
        return true;
    }

    bool end_array() override {
        leave_container();
        if (skip_depth_ > 0) {
            end_skipped_container();
        } else {
            expecting_ = expecting_ == Expecting::ListItemOrEnd ? Expecting::PropertyOrEnd : Expecting::Nothing;
        }
        return true;
    }

private:
    enum class Expecting {
        Document,           // the top-level value
        SessionOrEnd,       // an element of the top-level array
        PropertyOrEnd,      // a session's next property name
        PropertyValue,      // the value of property_
        ListItemOrEnd,      // an element of Shares or OpenPaths
        ServerIdPartOrEnd,  // SambaServerId's next member name
        ServerIdPartValue,  // the value of part_
        Nothing,            // the document is complete
    };

    enum class Container { Object, Array };

    bool begin_container(Container container) {
        enter_container();
        if (skip_depth_ > 0) {
            ++skip_depth_;
            return true;
        }
        const bool object = container == Container::Object;
        const char* const what = object ? "an object" : "an array";
        switch (expecting_) {
            case Expecting::Document:
                single_session_ = object;
                if (object)
                    begin_session();
                else
                    expecting_ = Expecting::SessionOrEnd;
                break;
            case Expecting::SessionOrEnd:
                if (!object) fail_unexpected(what);
                begin_session();
                break;
            case Expecting::PropertyValue:
                if (property_ == Property::Ignored)
                    skip_value(Expecting::PropertyOrEnd);
                else if (object && property_ == Property::SambaServerId)
                    begin_server_id();
                else if (!object && (property_ == Property::Shares || property_ == Property::OpenPaths))
                    begin_list();
                else
                    fail_type(what);
                break;
            case Expecting::ServerIdPartValue:
                if (part_ != ServerIdPart::Ignored) fail_type(what);
                skip_value(Expecting::ServerIdPartOrEnd);
                break;
            default: fail_unexpected(what);
        }
        return true;
    }

    SessionRecord& session() { return sessions_.back(); }

    void begin_session() {
        sessions_.emplace_back();
        has_session_id_ = false;
        seen_properties_ = 0;
        expecting_ = Expecting::PropertyOrEnd;
    }

    void begin_server_id() {
        session().samba_server_id.emplace();
        seen_parts_ = 0;
        expecting_ = Expecting::ServerIdPartOrEnd;
    }

    // Shares or OpenPaths: a list of strings.
    void begin_list() {
        list_ = property_ == Property::Shares ? &SessionRecord::shares : &SessionRecord::open_paths;
        (session().*list_).emplace();
        expecting_ = Expecting::ListItemOrEnd;
    }

    void skip_value(Expecting after) {
        skip_depth_ = 1;
        resume_ = after;
    }

    void end_skipped_container() {
        if (--skip_depth_ == 0) expecting_ = resume_;
    }

    void enter_container() {
        if (++depth_ > max_json_nesting) {
            fail_at_session("values nested deeper than " + std::to_string(max_json_nesting) + " levels");
        }
    }
    void leave_container() { --depth_; }

    void note_once(unsigned& seen, unsigned bit) {
        if (seen & (1u << bit)) fail_property_problem("the property appears twice in one session");
        seen |= 1u << bit;
    }

    void on_scalar(const Scalar& value) override {
        if (skip_depth_ > 0) return;
        switch (expecting_) {
            case Expecting::PropertyValue:
                set_property(value);
                expecting_ = Expecting::PropertyOrEnd;
                break;
            case Expecting::ServerIdPartValue:
                set_server_id_part(value);
                expecting_ = Expecting::ServerIdPartOrEnd;
                break;
            case Expecting::ListItemOrEnd:
                if (value.kind != Scalar::Kind::String) fail_unexpected(value.describe());
                (session().*list_)->emplace_back(value.text);
                break;
            default: fail_unexpected(value.describe());
        }
    }

    void set_property(const Scalar& value) {
        if (value.kind == Scalar::Kind::Null) return;  // null: the property is absent
        SessionRecord& record = session();
        switch (property_) {
            case Property::SessionId:
                record.session_id = whole_number(value, std::numeric_limits<std::uint64_t>::max());
                has_session_id_ = true;
                break;
            case Property::ClientComputerName: record.client_computer_name = text(value); break;
            case Property::ClientUserName: record.client_user_name = text(value); break;
            case Property::ScopeName: record.scope_name = text(value); break;
            case Property::ClusterNodeName: record.cluster_node_name = text(value); break;
            case Property::SmbInstance: record.smb_instance = smb_instance(value); break;
            case Property::NumOpens:
                record.num_opens = whole_number(value, std::numeric_limits<std::uint64_t>::max());
                break;
            case Property::SecondsIdle: record.seconds_idle = whole_number_32(value); break;
            case Property::SecondsExists: record.seconds_exists = whole_number_32(value); break;
            case Property::Dialect:
                record.dialect = text(value);
                record.dialect_revision = parse_dialect(*record.dialect);
                break;
            case Property::TransportName: record.transport_name = text(value); break;
            case Property::Encrypted: record.encrypted = flag(value); break;
            case Property::Signed: record.signing = flag(value); break;
            case Property::GroupName: record.group_name = text(value); break;
            case Property::Uid: record.uid = whole_number_32(value); break;
            case Property::Gid: record.gid = whole_number_32(value); break;
            case Property::PeerAddress: record.peer_address = text(value); break;
            case Property::WriteOpens:
                record.write_opens = whole_number(value, std::numeric_limits<std::uint64_t>::max());
                break;
            case Property::OldestOpen: record.oldest_open_seconds = whole_number_32(value); break;
            case Property::OpenPaths:
            case Property::Shares:
            case Property::SambaServerId: fail_type(value.describe());
            case Property::Ignored: break;
        }
    }

    void set_server_id_part(const Scalar& value) {
        SambaServerId& id = *session().samba_server_id;
        switch (part_) {
            case ServerIdPart::Pid: id.pid = whole_number(value, std::numeric_limits<std::uint64_t>::max()); break;
            case ServerIdPart::Vnn: id.vnn = whole_number_32(value); break;
            case ServerIdPart::UniqueId:
                id.unique_id = whole_number(value, std::numeric_limits<std::uint64_t>::max());
                break;
            case ServerIdPart::Ignored: break;
        }
    }

    std::uint64_t whole_number(const Scalar& value, std::uint64_t largest) {
        std::optional<std::uint64_t> number;
        if (value.kind == Scalar::Kind::Unsigned) number = value.number;
        if (value.kind == Scalar::Kind::String) number = parse_decimal_u64(value.text);
        if (!number || *number > largest) fail_type(value.describe());
        return *number;
    }

    std::uint32_t whole_number_32(const Scalar& value) {
        return static_cast<std::uint32_t>(whole_number(value, std::numeric_limits<std::uint32_t>::max()));
    }

    std::string text(const Scalar& value) {
        if (value.kind != Scalar::Kind::String) fail_type(value.describe());
        return std::string(value.text);
    }

    bool flag(const Scalar& value) {
        if (value.kind != Scalar::Kind::Boolean) fail_type(value.describe());
        return value.boolean;
    }

    SmbInstance smb_instance(const Scalar& value) {
        std::optional<SmbInstance> instance;
        if (value.kind == Scalar::Kind::Unsigned && value.number <= 3) {
            instance = static_cast<SmbInstance>(value.number);
        }
        if (value.kind == Scalar::Kind::String) instance = parse_smb_instance(value.text);
        if (!instance) fail_type(value.describe());
        return *instance;
    }

    // "FILE: session [3] (SessionId 42), NumOpens: ..." -----------------------------------------
    std::string session_place() const {
        std::string place = std::string(origin()) + ": session [" + std::to_string(sessions_.size() - 1) + "]";
        if (has_session_id_) place += " (SessionId " + std::to_string(sessions_.back().session_id) + ")";
        return place;
    }

    std::string property_name() const {
        std::string name(name_of(session_properties, property_));
        if (expecting_ == Expecting::ServerIdPartValue || expecting_ == Expecting::ServerIdPartOrEnd) {
            name += "." + std::string(name_of(server_id_parts, part_));
        }
        return name;
    }

    // What the value of the current property must be, for messages.
    std::string expectation() const {
        constexpr std::uint64_t largest_64 = std::numeric_limits<std::uint64_t>::max();
        constexpr std::uint64_t largest_32 = std::numeric_limits<std::uint32_t>::max();
        if (expecting_ == Expecting::ServerIdPartValue) {
            return expected_whole_number(part_ == ServerIdPart::Vnn ? largest_32 : largest_64);
        }
        switch (property_) {
            case Property::SessionId:
            case Property::NumOpens:
            case Property::WriteOpens: return expected_whole_number(largest_64);
            case Property::SecondsIdle:
            case Property::SecondsExists:
            case Property::OldestOpen:
            case Property::Uid:
            case Property::Gid: return expected_whole_number(largest_32);
            case Property::SmbInstance: return "expected Default, CSV, SBL, SR or their numbers 0 to 3";
            case Property::Encrypted:
            case Property::Signed: return "expected true or false";
            case Property::Shares: return "expected a list of share names";
            case Property::OpenPaths: return "expected a list of paths";
            case Property::SambaServerId: return "expected an object {Pid, Vnn, UniqueId}";
            default: return "expected a string";
        }
    }

    [[noreturn]] void fail_type(const std::string& got) const { fail_property_problem(expectation() + ", got " + got); }

    [[noreturn]] void fail_property_problem(const std::string& problem) const {
        throw SourceError(session_place() + ", " + property_name() + ": " + problem, SourceErrorKind::Malformed);
    }

    [[noreturn]] void fail_session(const std::string& problem) const {
        throw SourceError(session_place() + ": " + problem, SourceErrorKind::Malformed);
    }

    [[noreturn]] void fail_at_session(const std::string& problem) const {
        if (sessions_.empty()) throw SourceError(std::string(origin()) + ": " + problem, SourceErrorKind::Malformed);
        fail_session(problem);
    }

    [[noreturn]] void fail_unexpected(const std::string& got) const {
        if (expecting_ == Expecting::SessionOrEnd) {
            throw SourceError(std::string(origin()) + ": session [" + std::to_string(sessions_.size()) +
                                  "]: expected a session object, got " + got,
                              SourceErrorKind::Malformed);
        }
        if (expecting_ == Expecting::ListItemOrEnd) {
            fail_property_problem(
                std::string(property_ == Property::Shares ? "expected a share name" : "expected a path") +
                " (a string), got " + got);
        }
        throw SourceError(
            std::string(origin()) + ": expected an array of session objects, or one session object, got " + got,
            SourceErrorKind::Malformed);
    }

    std::vector<SessionRecord>& sessions_;

    Expecting expecting_ = Expecting::Document;
    bool single_session_ = false;
    Property property_ = Property::Ignored;
    ServerIdPart part_ = ServerIdPart::Ignored;
    std::optional<std::vector<std::string>> SessionRecord::*list_ = &SessionRecord::shares;  // the list being read
    bool has_session_id_ = false;
    unsigned seen_properties_ = 0;                 // one bit per Property, to refuse a property given twice
    unsigned seen_parts_ = 0;                      // one bit per ServerIdPart
    std::size_t depth_ = 0;                        // containers open around the current event
    std::size_t skip_depth_ = 0;                   // containers open inside an ignored value; 0 when not skipping
    Expecting resume_ = Expecting::PropertyOrEnd;  // where to go once the ignored value ends
};

}  // namespace

std::vector<SessionRecord> parse_windows_sessions_json(std::string_view json, std::string_view origin) {
    std::vector<SessionRecord> sessions;
    // No session takes fewer than about 200 bytes as ConvertTo-Json or this program writes it.
    // Reserving for that many avoids copying a large table while it grows; memory reserved but
    // never filled is not touched, so it costs address space, not RAM.
    sessions.reserve(json.size() / 200);
    SessionListReader reader(origin, sessions);
    read_json_events(json, reader);
    return sessions;
}

}  // namespace smbreaper::sessions
