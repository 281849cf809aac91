#include "sessions/wmi/share_blocks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/utf8.h"
#include "sessions/atomic_file.h"
#include "sessions/session_table.h"
#include "sessions/wmi/wmi_value.h"

namespace smbreaper::sessions {

namespace {

std::string escaped(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

void call(const WmiConnection& smb, const std::string& share_path, const char* method,
          const std::vector<std::string>& users) {
    const std::optional<WmiObject> output = smb.exec_method(share_path, method, {{"AccountName", users}});
    if (!output) return;  // ran, outcome not handed over (Wine): nothing to judge
    const auto code = wmi_uint32(output->get("ReturnValue"));
    if (code && *code != 0) {
        throw SourceError(std::string(method) + " on " + share_path + " returned " + std::to_string(*code));
    }
}

}  // namespace

std::string smb_share_path(const std::string& name, const std::string& scope) {
    return "MSFT_SmbShare.Name=\"" + escaped(name) + "\",ScopeName=\"" + escaped(scope) + "\"";
}

std::filesystem::path default_share_block_state_file() {
    const wchar_t* program_data = _wgetenv(L"ProgramData");
    const std::filesystem::path base = program_data != nullptr ? program_data : L"C:\\ProgramData";
    return base / L"smbreaper" / L"share-blocks.json";
}

std::vector<std::string> read_share_block_state(const std::filesystem::path& state_file) {
    std::ifstream in(state_file, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json state = nlohmann::json::parse(text.str(), nullptr, false);
    if (!state.is_object() || !state.contains("users") || !state["users"].is_array()) {
        throw SourceError(common::utf8_of(state_file) +
                          " is not smbreaper's record of its share blocks; move it aside and set the blocks again");
    }
    std::vector<std::string> users;
    for (const auto& user : state["users"]) {
        if (user.is_string()) users.push_back(user.get<std::string>());
    }
    return users;
}

std::vector<std::string> enforce_share_blocks(const WmiConnection& smb, const std::vector<std::string>& users,
                                              const std::filesystem::path& state_file) {
    const std::vector<std::string> before = read_share_block_state(state_file);
    std::vector<std::string> lifted;
    for (const std::string& user : before) {
        if (std::find(users.begin(), users.end(), user) == users.end()) lifted.push_back(user);
    }
    std::vector<std::string> warnings;
    if (!users.empty() || !lifted.empty()) {
        std::size_t shares = 0;
        for (const WmiObject& share : smb.query("SELECT * FROM MSFT_SmbShare")) {
            if (wmi_bool(share.get("Special")).value_or(false)) continue;
            const auto name = wmi_string(share.get("Name"));
            if (!name) continue;
            const std::string path = smb_share_path(*name, wmi_string(share.get("ScopeName")).value_or("*"));
            if (!users.empty()) call(smb, path, "BlockAccess", users);
            if (!lifted.empty()) call(smb, path, "UnblockAccess", lifted);
            ++shares;
        }
        if (shares == 0 && !users.empty()) warnings.push_back("the server has no shares to deny the blocked users");
    }
    nlohmann::json state{{"users", users}};
    try {
        std::filesystem::create_directories(state_file.parent_path());
        replace_file_atomically(state_file, state.dump(2) + "\n");
    } catch (const std::exception& error) {
        throw SourceError(std::string("the share blocks are set, but cannot be recorded: ") + error.what());
    }
    return warnings;
}

}  // namespace smbreaper::sessions
