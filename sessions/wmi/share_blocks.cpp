#include "sessions/wmi/share_blocks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/case_folding.h"
#include "common/utf8.h"
#include "sessions/session_table.h"
#include "sessions/wmi/wmi_error_text.h"
#include "sessions/wmi/wmi_value.h"

namespace smbreaper::sessions {
using smbreaper::common::replace_file_atomically;

namespace {

// MSFT_SmbShareAccessControlEntry.AccessControlType of a deny.
constexpr std::int64_t kDeny = 1;

std::string escaped(const std::string& text, char quote) {
    std::string out;
    for (const char c : text) {
        if (c == quote || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

bool is_same_account(const std::string& a, const std::string& b) {
    return common::fold_case(a) == common::fold_case(b);
}

struct Share {
    std::string name;
    std::string scope;
    std::string path() const { return smb_share_path(name, scope); }
};

// The shares a block covers: all but the special ones (ADMIN$, C$, IPC$).
std::vector<Share> blockable_shares(const WmiConnection& smb) {
    std::vector<Share> shares;
    for (const WmiObject& share : smb.query("SELECT * FROM MSFT_SmbShare")) {
        if (wmi_bool(share.get("Special")).value_or(false)) continue;
        const auto name = wmi_string(share.get("Name"));
        if (name) shares.push_back({*name, wmi_string(share.get("ScopeName")).value_or("*")});
    }
    return shares;
}

// The accounts denied on `share` now, whoever denied them (what Get-SmbShareAccess shows).
std::vector<std::string> denied_on(const WmiConnection& smb, const Share& share) {
    std::vector<std::string> denied;
    const std::string query = "SELECT * FROM MSFT_SmbShareAccessControlEntry WHERE Name = '" +
                              escaped(share.name, '\'') + "' AND ScopeName = '" + escaped(share.scope, '\'') + "'";
    for (const WmiObject& entry : smb.query(query)) {
        const auto type = entry.get("AccessControlType");
        const auto* number = std::get_if<std::int64_t>(&type);
        const auto account = wmi_string(entry.get("AccountName"));
        if (number != nullptr && *number == kDeny && account) denied.push_back(*account);
    }
    return denied;
}

// BlockAccess or UnblockAccess for one user on one share; the reason when it failed.
std::optional<std::string> call(const WmiConnection& smb, const Share& share, const char* method,
                                const std::string& user) {
    try {
        const std::optional<WmiObject> output = smb.exec_method(share.path(), method, {{"AccountName", {user}}});
        if (!output) return std::nullopt;  // ran, outcome not handed over (Wine): nothing to judge
        const auto code = wmi_uint32(output->get("ReturnValue"));
        if (code && *code != 0) return std::string(method) + " returned " + std::to_string(*code);
        return std::nullopt;
    } catch (const std::exception& error) {  // WmiError, and a ReturnValue of the wrong type
        return std::string(error.what());
    }
}

// Whether `user` is still denied on `share` (false when the share is gone): after a call failed,
// whether its record still stands for a deny that exists.
bool still_denied(const WmiConnection& smb, const std::vector<Share>& shares, const ShareDeny& deny) {
    const bool share_exists = std::any_of(
        shares.begin(), shares.end(), [&](const Share& s) { return s.name == deny.share && s.scope == deny.scope; });
    if (!share_exists) return false;
    try {
        const std::vector<std::string> denied = denied_on(smb, {deny.share, deny.scope});
        return std::any_of(denied.begin(), denied.end(),
                           [&](const std::string& a) { return is_same_account(a, deny.user); });
    } catch (const std::exception&) {
        return true;  // cannot tell: the record stays, and the lift is tried again
    }
}

void write_state(const std::filesystem::path& state_file, const std::set<ShareDeny>& denies) {
    nlohmann::json list = nlohmann::json::array();
    for (const ShareDeny& deny : denies) {
        list.push_back({{"share", deny.share}, {"scope", deny.scope}, {"user", deny.user}});
    }
    try {
        std::filesystem::create_directories(state_file.parent_path());
        replace_file_atomically(state_file, nlohmann::json{{"denies", list}}.dump(2) + "\n");
    } catch (const std::exception& error) {
        throw SourceError(std::string("cannot record the share blocks smbreaper set: ") + error.what());
    }
}

}  // namespace

std::string smb_share_path(const std::string& name, const std::string& scope) {
    return "MSFT_SmbShare.Name=\"" + escaped(name, '"') + "\",ScopeName=\"" + escaped(scope, '"') + "\"";
}

std::filesystem::path default_share_block_state_file() {
    const wchar_t* program_data = _wgetenv(L"ProgramData");
    const std::filesystem::path base = program_data != nullptr ? program_data : L"C:\\ProgramData";
    return base / L"smbreaper" / L"share-blocks.json";
}

std::set<ShareDeny> read_share_block_state(const std::filesystem::path& state_file) {
    std::ifstream in(state_file, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json state = nlohmann::json::parse(text.str(), nullptr, false);
    if (!state.is_object() || !state.contains("denies") || !state["denies"].is_array()) {
        throw SourceError(common::utf8_of(state_file) +
                          " is not smbreaper's record of its share blocks; move it aside and set the blocks again");
    }
    std::set<ShareDeny> denies;
    for (const auto& deny : state["denies"]) {
        if (deny.is_object() && deny.value("share", nlohmann::json()).is_string() &&
            deny.value("scope", nlohmann::json()).is_string() && deny.value("user", nlohmann::json()).is_string()) {
            denies.insert(
                {deny["share"].get<std::string>(), deny["scope"].get<std::string>(), deny["user"].get<std::string>()});
        }
    }
    return denies;
}

std::vector<std::string> enforce_share_blocks(const WmiConnection& smb, const std::vector<BlockTarget>& users,
                                              const std::filesystem::path& state_file) {
    std::set<ShareDeny> ours = read_share_block_state(state_file);
    const std::vector<Share> shares = users.empty() && ours.empty() ? std::vector<Share>() : blockable_shares(smb);
    std::vector<ShareAccess> accesses;
    for (const Share& share : shares) {
        accesses.push_back(
            {share.name, share.scope, users.empty() ? std::vector<std::string>() : denied_on(smb, share)});
    }
    const ShareDenyPlan plan = plan_share_denies(ours, users, accesses);
    std::vector<std::string> failures;

    // One failure stops no other call. A lift that fails while its deny is still there stays
    // recorded and is tried again next time; a record whose deny is gone (its share deleted, the
    // deny removed by hand) is dropped.
    for (const ShareDeny& deny : plan.lift) {
        const auto failure = call(smb, {deny.share, deny.scope}, "UnblockAccess", deny.user);
        if (failure && still_denied(smb, shares, deny)) {
            failures.push_back(*failure);
        } else {
            ours.erase(deny);
        }
    }
    write_state(state_file, ours);

    // Each deny is recorded before it is asked for, so a call that fails or is given up on is
    // lifted later rather than forgotten; one refused outright (an account Windows cannot
    // resolve) leaves nothing to lift and is not kept.
    for (const ShareDeny& deny : plan.add) {
        ours.insert(deny);
        write_state(state_file, ours);
        if (const auto failure = call(smb, {deny.share, deny.scope}, "BlockAccess", deny.user)) {
            failures.push_back(*failure);
            if (!still_denied(smb, shares, deny)) ours.erase(deny);
        }
    }
    write_state(state_file, ours);
    if (!failures.empty()) {
        std::string text = "the share blocks are not all in force: " + failures.front();
        if (failures.size() > 1) text += " (and " + std::to_string(failures.size() - 1) + " more)";
        throw SourceError(text);
    }
    return plan.warnings;
}

}  // namespace smbreaper::sessions
