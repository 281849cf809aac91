#include "sessions/samba/samba_blocks.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/atomic_file.h"
#include "sessions/posix/process_runner.h"
#include "sessions/session_table.h"

namespace smbreaper::sessions {
using smbreaper::common::replace_file_atomically;

namespace {

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// "name = value" as testparm and smb.conf write it; nothing for other lines.
std::optional<std::pair<std::string, std::string>> parameter_line(std::string_view line) {
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    return std::make_pair(lowered(trimmed(line.substr(0, equals))), trimmed(line.substr(equals + 1)));
}

bool has_kind(const std::vector<BlockTarget>& blocks, BlockKind kind) {
    return blocks.empty() ||
           std::any_of(blocks.begin(), blocks.end(), [kind](const BlockTarget& b) { return b.kind == kind; });
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "[" : ", [") + name + "]";
    return text;
}

std::string run_testparm(const SambaSettings& settings, const std::string& testparm,
                         const std::vector<std::string>& arguments, const std::string& what) {
    const ProcessResult result = run_process({testparm, arguments, settings.timeout});
    if (!result.succeeded()) throw SourceError("testparm " + result.describe() + " (" + what + ")");
    std::string value = result.standard_output;
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return value;
}

std::string global_parameter(const SambaSettings& settings, const std::string& testparm, const std::string& conf,
                             const std::string& name) {
    return run_testparm(settings, testparm, {"-s", "--parameter-name", name, "--section-name", "global", conf},
                        "reading '" + name + "' of " + conf);
}

// smb.conf without the line that includes the blocks file, in a temporary file of its own: what
// testparm reads there is what the admin set.
class ConfWithoutBlocks {
public:
    ConfWithoutBlocks(const SambaSettings& settings) {
        std::ifstream in(settings.smb_conf);
        if (!in) throw SourceError("cannot read " + settings.smb_conf);
        std::ostringstream copy;
        std::string line;
        while (std::getline(in, line)) {
            const auto parameter = parameter_line(line);
            const bool ours = parameter && parameter->first == "include" && parameter->second == settings.blocks_file;
            if (!ours) copy << line << '\n';
        }
        std::string name = (std::filesystem::temp_directory_path() / "smbreaper-smb.conf.XXXXXX").string();
        const int descriptor = ::mkstemp(name.data());
        if (descriptor < 0) throw SourceError("cannot create a temporary copy of " + settings.smb_conf);
        ::close(descriptor);
        path_ = name;
        std::ofstream out(path_, std::ios::trunc);
        out << copy.str();
        if (!out.flush()) {
            std::error_code ignored;
            std::filesystem::remove(path_, ignored);
            throw SourceError("cannot write the temporary copy " + path_ + " of " + settings.smb_conf);
        }
    }
    ~ConfWithoutBlocks() {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    ConfWithoutBlocks(const ConfWithoutBlocks&) = delete;
    ConfWithoutBlocks& operator=(const ConfWithoutBlocks&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace

std::optional<std::string> samba_block_problem(const BlockTarget& target) {
    const std::string& name = target.name;
    if (!target.shares.empty()) {
        return "a block on Samba covers every share (smb.conf's global invalid users); --share is for Windows";
    }
    if (name.empty()) return "the name is empty";
    if (name.front() == '@' || name.front() == '+' || name.front() == '&')
        return "a name starting with '" + name.substr(0, 1) + "' is a group to Samba, not one account";
    for (const char c : name) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "it holds a control character";
        if (c == '"' || c == '%' || c == ',' || c == ';')
            return std::string("'") + c + "' cannot be written into smb.conf's list";
    }
    if (name.front() == ' ' || name.back() == ' ') return "it starts or ends with a space";
    return std::nullopt;
}

SambaBlocksSetup parse_samba_blocks_setup(std::string_view testparm_dump, std::string_view blocks_file) {
    SambaBlocksSetup setup;
    std::istringstream lines{std::string(testparm_dump)};
    std::string line;
    std::string section;
    while (std::getline(lines, line)) {
        const std::string text = trimmed(line);
        if (text.empty() || text.front() == '#' || text.front() == ';') continue;
        if (text.front() == '[' && text.back() == ']') {
            section = text.substr(1, text.size() - 2);
            continue;
        }
        const auto parameter = parameter_line(text);
        if (!parameter) continue;
        const bool global = lowered(section) == "global";
        if (global && parameter->first == "include" && parameter->second == blocks_file) setup.included = true;
        if (!global && parameter->first == "invalid users") setup.own_invalid_users.push_back(section);
        if (!global && parameter->first == "hosts deny") setup.own_hosts_deny.push_back(section);
        if (parameter->first == "hosts allow" && !parameter->second.empty()) {
            if (global) {
                setup.global_hosts_allow = true;
            } else {
                setup.own_hosts_allow.push_back(section);
            }
        }
    }
    return setup;
}

std::vector<std::string> samba_blocks_setup_problems(const SambaBlocksSetup& setup, const SambaSettings& settings,
                                                     const std::vector<BlockTarget>& blocks) {
    std::vector<std::string> problems;
    if (!setup.included) {
        problems.push_back(settings.smb_conf +
                           " does not include the blocks file, so no block can be put in force: add "
                           "the line 'include = " +
                           settings.blocks_file + "' at the end of [global]");
    }
    if (has_kind(blocks, BlockKind::Client) && setup.global_hosts_allow) {
        problems.emplace_back(
            "[global] sets 'hosts allow', which wins over 'hosts deny': an address it lists gets in "
            "whatever a block says, so clients cannot be blocked by address here; block the user "
            "instead");
    }
    if (has_kind(blocks, BlockKind::Client) && !setup.own_hosts_allow.empty()) {
        problems.push_back("the shares " + joined(setup.own_hosts_allow) +
                           " set their own 'hosts allow', which wins over 'hosts deny': an address it lists can "
                           "still connect to them");
    }
    if (has_kind(blocks, BlockKind::User) && !setup.own_invalid_users.empty()) {
        problems.push_back("the shares " + joined(setup.own_invalid_users) +
                           " set their own 'invalid users', which replaces the global one: a blocked user can still "
                           "connect to them; remove it there, or add the blocked names to it");
    }
    if (has_kind(blocks, BlockKind::Client) && !setup.own_hosts_deny.empty()) {
        problems.push_back("the shares " + joined(setup.own_hosts_deny) +
                           " set their own 'hosts deny', which replaces the global one: a blocked client can still "
                           "connect to them; remove it there, or add the blocked addresses to it");
    }
    return problems;
}

std::vector<std::string> split_samba_list(std::string_view value) {
    std::vector<std::string> names;
    std::string current;
    bool quoted = false;
    bool any = false;
    for (const char c : value) {
        if (c == '"') {
            quoted = !quoted;
            any = true;
        } else if (!quoted && (c == ' ' || c == '\t' || c == ',')) {
            if (any) names.push_back(std::move(current));
            current.clear();
            any = false;
        } else {
            current.push_back(c);
            any = true;
        }
    }
    if (any) names.push_back(std::move(current));
    return names;
}

std::string samba_blocks_file_text(const std::vector<BlockTarget>& blocks, std::string_view own_invalid_users,
                                   std::string_view own_hosts_deny, std::string_view blocks_file) {
    std::string users;
    std::string hosts;
    for (const BlockTarget& block : blocks) {
        if (const auto problem = samba_block_problem(block)) {
            throw std::invalid_argument("cannot block " + describe(block) + " on Samba: " + *problem);
        }
        std::string& list = block.kind == BlockKind::User ? users : hosts;
        list += (list.empty() ? "" : " ") + ("\"" + block.name + "\"");
    }
    std::string text =
        "# smbreaper's incident blocks (smbreaper blocks lists them). Written by smbreaper at each change;\n"
        "# do not edit. smb.conf includes it as the last line of [global]:\n"
        "#   include = " +
        std::string(blocks_file) + "\n";
    const auto line = [&text](std::string_view name, std::string_view own, const std::string& blocked) {
        if (blocked.empty()) return;
        text += std::string(name) + " = " + (own.empty() ? "" : std::string(own) + " ") + blocked + "\n";
    };
    line("invalid users", own_invalid_users, users);
    line("hosts deny", own_hosts_deny, hosts);
    return text;
}

std::optional<std::string> samba_client_block_problem(const SambaSettings& settings, const std::string& testparm) {
    const SambaBlocksSetup setup = parse_samba_blocks_setup(
        run_testparm(settings, testparm, {"-s", settings.smb_conf}, "reading " + settings.smb_conf),
        settings.blocks_file);
    if (!setup.global_hosts_allow) return std::nullopt;
    return samba_blocks_setup_problems(setup, settings, {{BlockKind::Client, "", {}}}).at(setup.included ? 0 : 1);
}

std::vector<std::string> samba_blocks_setup_problems(const SambaSettings& settings, const std::string& testparm) {
    const SambaBlocksSetup setup = parse_samba_blocks_setup(
        run_testparm(settings, testparm, {"-s", settings.smb_conf}, "reading " + settings.smb_conf),
        settings.blocks_file);
    return samba_blocks_setup_problems(setup, settings, {});
}

std::vector<std::string> enforce_samba_blocks(const SambaSettings& settings, const std::string& testparm,
                                              const std::vector<BlockTarget>& blocks) {
    // 1. smb.conf must include the file, or nothing written there is in force.
    const SambaBlocksSetup setup = parse_samba_blocks_setup(
        run_testparm(settings, testparm, {"-s", settings.smb_conf}, "reading " + settings.smb_conf),
        settings.blocks_file);
    std::vector<std::string> warnings = samba_blocks_setup_problems(setup, settings, blocks);
    if (!setup.included) throw SourceError(warnings.front());

    // 2. What smb.conf itself sets, which the file must keep.
    std::string own_users;
    std::string own_hosts;
    if (!blocks.empty()) {
        const ConfWithoutBlocks own(settings);
        if (has_kind(blocks, BlockKind::User))
            own_users = global_parameter(settings, testparm, own.path(), "invalid users");
        if (has_kind(blocks, BlockKind::Client))
            own_hosts = global_parameter(settings, testparm, own.path(), "hosts deny");
    }

    // 3. The file, then smbd.
    std::string text;
    try {
        text = samba_blocks_file_text(blocks, own_users, own_hosts, settings.blocks_file);
    } catch (const std::invalid_argument& error) {
        throw SourceError(error.what());
    }
    try {
        std::filesystem::create_directories(std::filesystem::path(settings.blocks_file).parent_path());
        replace_file_atomically(settings.blocks_file, text);
    } catch (const std::exception& error) {
        throw SourceError(std::string("cannot write the blocks file: ") + error.what());
    }
    const ProcessResult reload =
        run_process({settings.smbcontrol, {"-s", settings.smb_conf, "smbd", "reload-config"}, settings.timeout});
    if (!reload.succeeded()) throw SourceError("smbcontrol smbd reload-config " + reload.describe());

    // 4. Read back as smbd reads it.
    for (const BlockKind kind : {BlockKind::User, BlockKind::Client}) {
        if (!has_kind(blocks, kind) || blocks.empty()) continue;
        const std::string parameter = kind == BlockKind::User ? "invalid users" : "hosts deny";
        const std::vector<std::string> in_force =
            split_samba_list(global_parameter(settings, testparm, settings.smb_conf, parameter));
        for (const BlockTarget& block : blocks) {
            if (block.kind != kind) continue;
            if (std::find(in_force.begin(), in_force.end(), block.name) == in_force.end()) {
                throw SourceError("after writing " + settings.blocks_file + ", testparm does not list " + block.name +
                                  " in " + parameter + " of [global]; is the include the last line of [global]?");
            }
        }
    }
    return warnings;
}

}  // namespace smbreaper::sessions
