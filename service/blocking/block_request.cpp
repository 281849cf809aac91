#include "service/blocking/block_request.h"

#include <algorithm>

#include "common/case_folding.h"
#include "rules/duration.h"
#include "rules/ip_network.h"

namespace smbreaper::blocking {
using smbreaper::common::fold_case;
using smbreaper::sessions::BlockKind;
using smbreaper::sessions::BlockTarget;
using smbreaper::sessions::SessionRecord;

namespace {

bool same_name(std::string_view a, std::string_view b) { return fold_case(a) == fold_case(b); }

}  // namespace

std::optional<std::string> block_refusal(const BlockTarget& target, const rules::Settings& settings,
                                         const sessions::SessionTable& table) {
    const std::string& name = target.name;
    if (name.empty()) return "the name is empty";
    if (name.find_first_of("*?[`") != std::string::npos) {
        return "'" + name + "' holds a wildcard; block takes exact names, so that a typo cannot block everyone";
    }
    if (target.kind == BlockKind::Client &&
        (!rules::parse_ip_address(name) || name.find_first_of("[%") != std::string::npos)) {
        return "'" + name +
               "' is not an IP address; block a client by its address, written plainly (10.0.0.5, fe80::1)";
    }
    if (target.kind == BlockKind::Client && !target.shares.empty()) {
        return "a client is blocked from the whole server (a firewall rule, hosts deny); --share is for users";
    }
    for (const std::string& share : target.shares) {
        if (share.empty() || share.find_first_of("*?[`") != std::string::npos) {
            return "--share '" + share + "' is not one share's name (no wildcards: without --share, every share)";
        }
    }
    if (target.kind == BlockKind::User && settings.protect.machine_accounts && name.back() == '$') {
        return "'" + name + "' is a machine account, which the machine_accounts guard protects";
    }
    const auto& never = settings.blocks.never;
    if (std::any_of(never.begin(), never.end(), [&name](const std::string& other) { return same_name(name, other); })) {
        return "'" + name + "' is in settings.blocks.never";
    }
    return table.block_problem(target);
}

std::variant<std::chrono::seconds, std::string> block_duration(std::string_view text,
                                                               const rules::BlockSettings& settings) {
    const std::optional<std::uint64_t> seconds = rules::parse_duration(text);
    if (!seconds || *seconds == 0) {
        return "--for '" + std::string(text) + "' is not a duration; write one like 30m, 4h or 1d";
    }
    if (*seconds > settings.max_duration_seconds) {
        return "--for " + std::string(text) + " is longer than settings.blocks.max_duration (" +
               rules::format_duration(settings.max_duration_seconds) + "); block for less, and block again if needed";
    }
    return std::chrono::seconds(*seconds);
}

bool covers(const BlockTarget& target, const SessionRecord& session) {
    const std::optional<std::string>& value =
        target.kind == BlockKind::User ? session.client_user_name : session.client_computer_name;
    if (!value) return false;
    if (target.kind == BlockKind::User) return same_name(*value, target.name);
    const auto address = rules::parse_ip_address(*value);
    const auto blocked = rules::parse_ip_address(target.name);
    return address && blocked && address->is_v6 == blocked->is_v6 && address->bytes == blocked->bytes;
}

}  // namespace smbreaper::blocking
