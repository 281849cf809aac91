#include "storage/block_entry.h"

#include <nlohmann/json.hpp>

#include "common/utc_time.h"

namespace smbreaper::storage {
using smbreaper::common::format_utc_timestamp;
using smbreaper::common::parse_utc_timestamp;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;

namespace {

std::string dumped(const nlohmann::ordered_json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

AuditEntry block_set_entry(const BlockTarget& target, std::chrono::system_clock::time_point expires_at,
                           const std::string& reason, const std::string& set_by, const std::string& who_json) {
    AuditEntry entry = event_entry(EntryKind::BlockSet);
    entry.mode = Mode::Manual;
    entry.action = "block";
    nlohmann::ordered_json details{{"target", to_string(target.kind)},
                                   {"name", target.name},
                                   {"shares", target.shares},
                                   {"expires_at", format_utc_timestamp(expires_at)},
                                   {"reason", reason},
                                   {"set_by", set_by}};
    if (!who_json.empty()) details["who"] = nlohmann::ordered_json::parse(who_json);
    entry.details_json = dumped(details);
    return entry;
}

std::string_view to_string(LiftCause cause) {
    switch (cause) {
        case LiftCause::Expired: return "expired";
        case LiftCause::Unblocked: return "unblocked";
        case LiftCause::NotInForce: return "not-in-force";
    }
    return "expired";
}

AuditEntry block_lifted_entry(const Block& block, LiftCause cause, const std::string& lifted_by,
                              const std::string& reason) {
    AuditEntry entry = event_entry(EntryKind::BlockLifted);
    if (cause != LiftCause::Expired) entry.mode = Mode::Manual;
    entry.action = "unblock";
    entry.resolves_entry = block.id;
    nlohmann::ordered_json details{{"block", block.id},
                                   {"target", to_string(block.target.kind)},
                                   {"name", block.target.name},
                                   {"cause", to_string(cause)},
                                   {"expires_at", format_utc_timestamp(block.expires_at)}};
    if (cause != LiftCause::Expired) {
        details["lifted_by"] = lifted_by;
        details["reason"] = reason;
    }
    entry.details_json = dumped(details);
    return entry;
}

std::optional<Block> block_of(const AuditEntry& entry) {
    if (entry.kind != EntryKind::BlockSet) return std::nullopt;
    const nlohmann::json details = nlohmann::json::parse(entry.details_json, nullptr, false);
    if (!details.is_object()) return std::nullopt;
    const auto text = [&details](const char* key) -> std::optional<std::string> {
        const auto found = details.find(key);
        if (found == details.end() || !found->is_string()) return std::nullopt;
        return found->get<std::string>();
    };
    const auto target = text("target");
    const auto name = text("name");
    const auto expires = text("expires_at");
    if (!target || !name || !expires || (*target != "user" && *target != "client")) return std::nullopt;
    const auto expires_at = parse_utc_timestamp(*expires);
    if (!expires_at) return std::nullopt;
    Block block;
    block.id = entry.seq;
    block.target = {*target == "user" ? BlockKind::User : BlockKind::Client, *name, {}};
    if (const auto shares = details.find("shares"); shares != details.end() && shares->is_array()) {
        for (const auto& share : *shares) {
            if (!share.is_string()) return std::nullopt;
            block.target.shares.push_back(share.get<std::string>());
        }
    }
    block.set_at = entry.time;
    block.expires_at = *expires_at;
    block.reason = text("reason").value_or("");
    block.set_by = text("set_by").value_or("");
    block.host = entry.host;
    return block;
}

}  // namespace smbreaper::storage
