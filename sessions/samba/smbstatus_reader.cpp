#include "sessions/samba/smbstatus_reader.h"

#include <cstddef>
#include <iterator>
#include <limits>
#include <span>
#include <unordered_set>
#include <utility>

#include "sessions/dialect.h"
#include "sessions/json_input.h"
#include "sessions/samba/smbstatus_time.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {

namespace {

constexpr std::uint32_t not_clustered_vnn = 0xFFFFFFFFu;
constexpr std::uint64_t largest_64 = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t largest_32 = std::numeric_limits<std::uint32_t>::max();

// What a container is in an smbstatus document.
enum class Shape {
    Document,
    SessionMap,
    Session,
    SessionServerId,
    Protection,  // "sessions"; one session; its server_id; its encryption or signing
    TconMap,
    Tcon,
    FileMap,
    File,
    OpenMap,
    Open,
    OpenServerId,  // "open_files"; one file; its "opens"; one open; its server_id
    AccessMask,    // an open's access_mask
    Unread,        // what the reader does not use: checked for syntax and nesting only
};

// The members the reader uses.
enum class Field {
    Timestamp,
    Version,
    Sessions,
    Tcons,
    OpenFiles,
    SessionId,
    ServerId,
    Uid,
    Gid,
    UserName,
    GroupName,
    RemoteMachine,
    HostName,
    Dialect,
    Encryption,
    Signing,
    Service,
    ConnectedAt,
    Opens,
    Pid,
    Vnn,
    UniqueId,
    Degree,
    ServicePath,
    FileName,
    AccessMask,
    Hex,
    OpenedAt,
    Entry,  // a member of a map (sessions, tcons, open_files, opens), whatever its key
    Root,   // the document itself
    Unread,
};

struct Member {
    std::string_view name;
    Field field;
    bool required;
};

constexpr Member document_members[] = {{"timestamp", Field::Timestamp, true},
                                       {"version", Field::Version, false},
                                       {"sessions", Field::Sessions, true},
                                       {"tcons", Field::Tcons, false},
                                       {"open_files", Field::OpenFiles, false}};
// A session's key and process are required (without them it can be neither told apart nor
// closed); anything else missing or null is unknown.
constexpr Member session_members[] = {{"session_id", Field::SessionId, true},
                                      {"server_id", Field::ServerId, true},
                                      {"uid", Field::Uid, false},
                                      {"gid", Field::Gid, false},
                                      {"username", Field::UserName, false},
                                      {"groupname", Field::GroupName, false},
                                      {"remote_machine", Field::RemoteMachine, false},
                                      {"hostname", Field::HostName, false},
                                      {"session_dialect", Field::Dialect, false},
                                      {"encryption", Field::Encryption, false},
                                      {"signing", Field::Signing, false}};
// A session's process must be known exactly; an open's only by pid and node, as tcons and opens
// are matched to sessions that way.
constexpr Member session_server_id_members[] = {
    {"pid", Field::Pid, true}, {"vnn", Field::Vnn, true}, {"unique_id", Field::UniqueId, true}};
constexpr Member open_server_id_members[] = {{"pid", Field::Pid, true}, {"vnn", Field::Vnn, true}};
constexpr Member protection_members[] = {{"degree", Field::Degree, true}};
constexpr Member tcon_members[] = {{"session_id", Field::SessionId, true},
                                   {"service", Field::Service, true},
                                   {"connected_at", Field::ConnectedAt, true}};
constexpr Member file_members[] = {
    {"opens", Field::Opens, true}, {"service_path", Field::ServicePath, false}, {"filename", Field::FileName, false}};
constexpr Member open_members[] = {{"server_id", Field::ServerId, true},
                                   {"uid", Field::Uid, false},
                                   {"access_mask", Field::AccessMask, false},
                                   {"opened_at", Field::OpenedAt, false}};
constexpr Member access_mask_members[] = {{"hex", Field::Hex, true}};

// A frame keeps one bit per member of its shape.
static_assert(std::size(document_members) <= 32 && std::size(session_members) <= 32 &&
              std::size(session_server_id_members) <= 32 && std::size(open_server_id_members) <= 32 &&
              std::size(protection_members) <= 32 && std::size(tcon_members) <= 32 && std::size(file_members) <= 32 &&
              std::size(open_members) <= 32 && std::size(access_mask_members) <= 32);

std::span<const Member> members_of(Shape shape) {
    switch (shape) {
        case Shape::Document: return document_members;
        case Shape::Session: return session_members;
        case Shape::SessionServerId: return session_server_id_members;
        case Shape::OpenServerId: return open_server_id_members;
        case Shape::Protection: return protection_members;
        case Shape::Tcon: return tcon_members;
        case Shape::File: return file_members;
        case Shape::Open: return open_members;
        case Shape::AccessMask: return access_mask_members;
        default: return {};
    }
}

bool is_map(Shape shape) {
    return shape == Shape::SessionMap || shape == Shape::TconMap || shape == Shape::FileMap || shape == Shape::OpenMap;
}

// The shape of the object a field holds inside `parent`; nullopt for fields that hold scalars.
std::optional<Shape> object_shape(Shape parent, Field field) {
    switch (field) {
        case Field::Root: return Shape::Document;
        case Field::Sessions: return Shape::SessionMap;
        case Field::Tcons: return Shape::TconMap;
        case Field::OpenFiles: return Shape::FileMap;
        case Field::Opens: return Shape::OpenMap;
        case Field::Encryption:
        case Field::Signing: return Shape::Protection;
        case Field::ServerId: return parent == Shape::Session ? Shape::SessionServerId : Shape::OpenServerId;
        case Field::AccessMask: return Shape::AccessMask;
        case Field::Entry:
            if (parent == Shape::SessionMap) return Shape::Session;
            if (parent == Shape::TconMap) return Shape::Tcon;
            if (parent == Shape::FileMap) return Shape::File;
            return Shape::Open;
        case Field::Unread: return Shape::Unread;
        default: return std::nullopt;
    }
}

// What a field's value must be, for messages.
std::string expectation(Field field) {
    switch (field) {
        case Field::SessionId:
        case Field::Pid:
        case Field::UniqueId: return expected_whole_number(largest_64);
        case Field::Vnn: return expected_whole_number(largest_32);
        case Field::Uid:
        case Field::Gid: return "expected a uid or gid (a whole number from -2147483648 to 4294967295)";
        case Field::Timestamp:
        case Field::ConnectedAt:
        case Field::OpenedAt: return "expected a time such as \"2026-11-23T23:56:06.193829+0000\"";
        case Field::Hex: return "expected an access mask such as \"0x00000003\"";
        case Field::Version:
        case Field::UserName:
        case Field::GroupName:
        case Field::RemoteMachine:
        case Field::HostName:
        case Field::Dialect:
        case Field::Service:
        case Field::ServicePath:
        case Field::FileName:
        case Field::Degree: return "expected a string";
        default: return "expected an object";
    }
}

// encryption.degree and signing.degree: "none", "partial", "full" (and "anonymous" since 4.20).
// Only "full" counts as encrypted or signed. "partial" means the session has seen both protected
// and unprotected packets: with SMB 3.1.1 clients that sign only what the protocol demands (the
// session setup) it is Samba's normal state, while the file traffic itself is unsigned; a rule
// asking `signed: true` must not take that for a signed session. "anonymous" protects with a key
// anyone can derive, so it is not protection either. An unknown degree leaves the value absent.
std::optional<bool> fully_protected(std::string_view degree) {
    if (degree == "full") return true;
    if (degree == "none" || degree == "partial" || degree == "anonymous") return false;
    return std::nullopt;
}

// Turns parse events into the document's parts. Each open container has a frame saying what it
// is; a session, tree connect, open or server_id is filled in as its members arrive and stored
// when it ends. The first problem is kept and thrown once the text has parsed as JSON.
class SmbstatusEventReader final : public JsonEventReader {
public:
    SmbstatusEventReader(std::string_view origin, std::string_view local_node_name, SmbstatusParts& parts)
        : JsonEventReader(origin), local_node_name_(local_node_name), parts_(parts) {
        frames_.reserve(max_json_nesting);
    }

    void throw_first_problem() const {
        if (problem_) throw SourceError(*problem_, SourceErrorKind::Malformed);
    }

    bool start_object(std::size_t) override {
        const Field field = begin_value(false);
        Shape shape = Shape::Unread;
        if (field != Field::Unread) {
            if (const std::optional<Shape> object = object_shape(parent_shape(), field))
                shape = *object;
            else
                problem_here(expectation(field) + ", got an object");
        }
        open(shape, false);
        return true;
    }

    bool start_array(std::size_t) override {
        if (begin_value(false) != Field::Unread) problem_here(expectation(field_being_read()) + ", got an array");
        open(Shape::Unread, true);
        return true;
    }

    bool key(string_t& name) override {
        Frame& frame = frames_.back();
        frame.key.assign(name);
        frame.has_key = true;
        frame.member = -1;
        frame.field = Field::Unread;
        if (is_map(frame.shape)) {
            if (!frame.keys.insert(name).second) problem_here("the key appears twice in one object");
            frame.field = Field::Entry;
            return true;
        }
        const std::span<const Member> members = members_of(frame.shape);
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (members[i].name != name) continue;
            const std::uint32_t bit = 1u << i;
            if (frame.given & bit) problem_here("the key appears twice in one object");
            frame.given |= bit;
            frame.member = static_cast<int>(i);
            frame.field = members[i].field;
            break;
        }
        return true;
    }

    bool end_object() override {
        if (frames_.back().shape != Shape::Unread) finish(frames_.back());
        frames_.pop_back();
        return true;
    }

    bool end_array() override {
        frames_.pop_back();
        return true;
    }

private:
    struct Frame {
        Shape shape = Shape::Unread;
        bool array = false;
        std::size_t elements = 0;  // arrays: the values begun so far
        std::string key;           // objects: the member being read
        bool has_key = false;
        Field field = Field::Unread;           // objects: what the member being read is
        int member = -1;                       // its index in members_of(shape), -1 when not one of them
        std::uint32_t given = 0;               // members_of(shape) named so far, one bit each
        std::uint32_t present = 0;             // those of them whose value was not null
        std::unordered_set<std::string> keys;  // maps: the keys so far
    };

    Shape parent_shape() const { return frames_.empty() ? Shape::Document : frames_.back().shape; }
    Field field_being_read() const { return frames_.empty() ? Field::Root : frames_.back().field; }

    // Called as a value begins: says what it is the value of, and notes a member whose value is
    // not null as present (for the required-members check when its object ends).
    Field begin_value(bool is_null) {
        if (frames_.empty()) return Field::Root;
        Frame& parent = frames_.back();
        if (parent.array) {
            ++parent.elements;
            return Field::Unread;
        }
        if (!is_null && parent.member >= 0) parent.present |= 1u << parent.member;
        return parent.field;
    }

    void open(Shape shape, bool array) {
        if (frames_.size() == max_json_nesting) {
            throw SourceError(std::string(origin()) + ": " + path_or_document(path_to(frames_.size())) +
                                  ": values nested deeper than " + std::to_string(max_json_nesting) + " levels",
                              SourceErrorKind::Malformed);
        }
        // A file or an open is named by its key in the map that holds it.
        if (shape == Shape::File) {
            file_ = SmbstatusFile{frames_.back().key, {}, {}, parts_.opens ? parts_.opens->size() : 0};
        } else if (shape == Shape::Open) {
            open_ = SmbstatusOpen{};
            open_.key = frames_.back().key;
            open_.path = file_.path;
        }
        Frame& frame = frames_.emplace_back();
        frame.shape = shape;
        frame.array = array;
        switch (shape) {
            case Shape::Session: session_ = SessionRecord{}; break;
            case Shape::SessionServerId:
            case Shape::OpenServerId: server_id_ = SambaServerId{}; break;
            case Shape::Protection: degree_.clear(); break;
            case Shape::TconMap:
                if (!parts_.tree_connects) parts_.tree_connects.emplace();
                break;
            case Shape::Tcon: tree_connect_ = SmbstatusTreeConnect{}; break;
            case Shape::FileMap:
                if (!parts_.opens) parts_.opens.emplace();
                break;
            default: break;
        }
    }

    void on_scalar(const JsonScalar& value) override {
        const bool is_null = value.kind == JsonScalar::Kind::Null;
        const Field field = begin_value(is_null);
        if (field == Field::Unread) return;
        const Shape shape = parent_shape();
        if (object_shape(shape, field)) {
            // null is an absent member; but the document itself, and each session, tree connect,
            // file and open in a map, must be an object: a null open would count as no open.
            if (!is_null || field == Field::Root || field == Field::Entry) wrong_value(field, value);
            return;
        }
        if (!is_null) set(shape, field, value);
    }

    void set(Shape shape, Field field, const JsonScalar& value) {
        switch (field) {
            case Field::Timestamp: parts_.timestamp = time(field, value); break;
            case Field::Version: parts_.samba_version = text(field, value); break;
            case Field::SessionId:
                (shape == Shape::Session ? session_.session_id : tree_connect_.session_id) = whole_number(field, value);
                break;
            case Field::Uid: (shape == Shape::Session ? session_.uid : open_.uid) = unix_id(field, value); break;
            case Field::Gid: session_.gid = unix_id(field, value); break;
            case Field::UserName: session_.client_user_name = account_name(field, value); break;
            case Field::GroupName: session_.group_name = account_name(field, value); break;
            case Field::RemoteMachine: session_.client_computer_name = text(field, value); break;
            case Field::HostName: session_.peer_address = text(field, value); break;
            case Field::Dialect: {
                std::string dialect = text(field, value);
                session_.dialect_revision = parse_dialect(dialect);
                session_.dialect = session_.dialect_revision ? std::string(windows_spelling(*session_.dialect_revision))
                                                             : std::move(dialect);
                break;
            }
            case Field::Service: tree_connect_.share = text(field, value); break;
            case Field::ConnectedAt: tree_connect_.connected_at = time(field, value); break;
            case Field::Pid: server_id_.pid = whole_number(field, value); break;
            case Field::Vnn: server_id_.vnn = static_cast<std::uint32_t>(whole_number(field, value)); break;
            case Field::UniqueId: server_id_.unique_id = whole_number(field, value); break;
            case Field::Degree: degree_ = text(field, value); break;
            case Field::ServicePath: file_.service_path = text(field, value); break;
            case Field::FileName: file_.filename = text(field, value); break;
            case Field::Hex: open_.access_mask = access_mask(field, value); break;
            case Field::OpenedAt: open_.opened_at = time(field, value); break;
            default: break;
        }
    }

    // An object has ended: its required members must have been there; then it is stored.
    void finish(const Frame& frame) {
        if (problem_) return;  // the document is refused: nothing more is stored
        const std::span<const Member> members = members_of(frame.shape);
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (!members[i].required || (frame.present & (1u << i))) continue;
            if (members[i].field == Field::Sessions) {
                problem_at(object_path(),
                           "no \"sessions\" member: this is not a session list (smbstatus prints such "
                           "a stub when it is not run as root)");
            } else {
                problem_at(object_path(), "the member \"" + std::string(members[i].name) + "\" is missing");
            }
            return;
        }
        switch (frame.shape) {
            case Shape::Session: finish_session(); break;
            case Shape::SessionServerId: session_.samba_server_id = server_id_; break;
            case Shape::OpenServerId:
                open_.vnn = server_id_.vnn;
                open_.pid = server_id_.pid;
                break;
            case Shape::Protection: {
                // encryption and signing are members of a session only: the frame under this
                // one is the session's, reading one of them.
                const bool encryption = frames_[frames_.size() - 2].field == Field::Encryption;
                (encryption ? session_.encrypted : session_.signing) = fully_protected(degree_);
                break;
            }
            case Shape::Tcon: parts_.tree_connects->push_back(std::move(tree_connect_)); break;
            case Shape::Open: parts_.opens->push_back(std::move(open_)); break;
            case Shape::File:
                // service_path and filename may come after "opens": given to its opens at the end.
                for (std::size_t i = file_.first_open; i < parts_.opens->size(); ++i) {
                    (*parts_.opens)[i].service_path = file_.service_path;
                    (*parts_.opens)[i].filename = file_.filename;
                }
                break;
            default: break;
        }
    }

    void finish_session() {
        if (!session_ids_.insert(session_.session_id).second) {
            problem_at(json_member_path(object_path(), "session_id"),
                       "session_id " + std::to_string(session_.session_id) + " appears twice");
        }
        const std::uint32_t vnn = session_.samba_server_id ? session_.samba_server_id->vnn : not_clustered_vnn;
        session_.cluster_node_name = vnn == not_clustered_vnn ? std::string(local_node_name_) : std::to_string(vnn);
        session_.scope_name = "*";
        session_.transport_name = "tcp";
        session_.smb_instance = SmbInstance::Default;
        parts_.sessions.push_back(std::move(session_));
    }

    // Typed values; a wrong one is a problem, and the value returned then does not matter. ----
    std::uint64_t whole_number(Field field, const JsonScalar& value) {
        const std::uint64_t largest = field == Field::Vnn ? largest_32 : largest_64;
        std::optional<std::uint64_t> number;
        if (value.kind == JsonScalar::Kind::Unsigned) number = value.number;
        if (value.kind == JsonScalar::Kind::String) number = parse_decimal_u64(value.text);
        if (number && *number <= largest) return *number;
        wrong_value(field, value);
        return 0;
    }

    // uid and gid: Samba prints uid_t and gid_t through a C int, so ids above 2147483647 appear
    // negative; they are turned back into the 32-bit id. -1 (4294967295) is "no id": nullopt.
    std::optional<std::uint32_t> unix_id(Field field, const JsonScalar& value) {
        std::optional<std::uint32_t> id;
        if (value.kind == JsonScalar::Kind::Unsigned && value.number <= largest_32) {
            id = static_cast<std::uint32_t>(value.number);
        } else if (value.kind == JsonScalar::Kind::Negative &&
                   value.negative >= std::numeric_limits<std::int32_t>::min()) {
            id = static_cast<std::uint32_t>(static_cast<std::int32_t>(value.negative));
        } else {
            wrong_value(field, value);
        }
        if (id == 0xFFFFFFFFu) return std::nullopt;
        return id;
    }

    // username and groupname: a name, or the numeric id when Samba could not resolve it.
    std::string account_name(Field field, const JsonScalar& value) {
        if (value.kind == JsonScalar::Kind::Unsigned) return std::to_string(value.number);
        if (value.kind == JsonScalar::Kind::Negative) return std::string(value.text);
        return text(field, value);
    }

    std::string text(Field field, const JsonScalar& value) {
        if (value.kind == JsonScalar::Kind::String) return std::string(value.text);
        wrong_value(field, value);
        return {};
    }

    // access_mask.hex: "0x" and up to eight hexadecimal digits.
    std::uint32_t access_mask(Field field, const JsonScalar& value) {
        if (value.kind == JsonScalar::Kind::String && value.text.size() > 2 && value.text.size() <= 10 &&
            value.text.substr(0, 2) == "0x") {
            std::uint32_t mask = 0;
            bool hex = true;
            for (const char c : value.text.substr(2)) {
                const int digit = c >= '0' && c <= '9'   ? c - '0'
                                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                         : -1;
                if (digit < 0) hex = false;
                mask = mask << 4 | static_cast<std::uint32_t>(digit < 0 ? 0 : digit);
            }
            if (hex) return mask;
        }
        wrong_value(field, value);
        return 0;
    }

    std::chrono::system_clock::time_point time(Field field, const JsonScalar& value) {
        std::optional<std::chrono::system_clock::time_point> parsed;
        if (value.kind == JsonScalar::Kind::String) parsed = parse_smbstatus_time(value.text);
        if (parsed) return *parsed;
        wrong_value(field, value);
        return {};
    }

    // Problems, placed by JSON path. ------------------------------------------------------------
    void wrong_value(Field field, const JsonScalar& value) {
        if (!problem_) problem_here(expectation(field) + ", got " + value.describe());
    }

    // At the value being read.
    void problem_here(const std::string& text) {
        if (!problem_) problem_at(path_to(frames_.size()), text);
    }

    void problem_at(const std::string& path, const std::string& text) {
        if (!problem_) problem_ = std::string(origin()) + ": " + path_or_document(path) + ": " + text;
    }

    // The object being ended (the innermost frame), without the member it read last.
    std::string object_path() const { return path_to(frames_.size() - 1); }

    std::string path_to(std::size_t depth) const {
        std::string path;
        for (std::size_t i = 0; i < depth; ++i) {
            const Frame& frame = frames_[i];
            if (frame.array) {
                if (frame.elements > 0) path += "[" + std::to_string(frame.elements - 1) + "]";
            } else if (frame.has_key) {
                path = json_member_path(path, frame.key);
            }
        }
        return path;
    }

    static std::string path_or_document(const std::string& path) { return path.empty() ? "(the document)" : path; }

    std::string_view local_node_name_;
    SmbstatusParts& parts_;
    std::vector<Frame> frames_;
    std::optional<std::string> problem_;

    // The record being read. One of each is enough: the document's shape nests a server_id only
    // in a session or an open, and nothing else in a session, tree connect or open.
    SessionRecord session_;
    SambaServerId server_id_;
    std::string degree_;
    SmbstatusTreeConnect tree_connect_;
    // The file whose opens are being read: its key, and where its opens begin in parts_.opens.
    struct SmbstatusFile {
        std::string path;
        std::optional<std::string> service_path;
        std::optional<std::string> filename;
        std::size_t first_open = 0;
    };
    SmbstatusFile file_;
    SmbstatusOpen open_;
    std::unordered_set<std::uint64_t> session_ids_;
};

}  // namespace

SmbstatusParts read_smbstatus_parts(std::string_view json, std::string_view origin, std::string_view local_node_name) {
    SmbstatusParts parts;
    SmbstatusEventReader reader(origin, local_node_name, parts);
    read_json_events(json, reader);
    reader.throw_first_problem();
    return parts;
}

}  // namespace smbreaper::sessions
