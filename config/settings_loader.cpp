#include "config/settings_loader.h"

#include <algorithm>
#include <array>

#include "common/utf8.h"
#include "config/listen_address.h"
#include "config/suggestion.h"

namespace smbreaper::config {
using smbreaper::common::path_from_utf8;
using smbreaper::rules::OpenFilesProtection;
using smbreaper::rules::PolicyMode;
using smbreaper::rules::Settings;
using smbreaper::sessions::all_sources;
using smbreaper::sessions::parse_source_choice;
using smbreaper::sessions::source_choices;
using smbreaper::sessions::SourceDescriptor;

namespace {

constexpr std::array<std::string_view, 11> kSettingsKeys = {
    "mode", "poll_interval", "source", "samba", "audit_db", "audit", "limits", "protect", "blocks", "log", "metrics"};
constexpr std::array<std::string_view, 3> kMetricsKeys = {"listen", "allow_remote", "textfile"};
constexpr std::array<std::string_view, 2> kLogKeys = {"file", "level"};
constexpr std::array<std::string_view, 6> kLogLevels = {"trace", "debug", "info", "warn", "error", "critical"};
constexpr std::array<std::string_view, 5> kSambaKeys = {"smb_conf", "smbstatus", "smbcontrol", "timeout",
                                                        "blocks_file"};
constexpr std::array<std::string_view, 2> kBlocksKeys = {"max_duration", "never"};
constexpr std::array<std::string_view, 1> kAuditKeys = {"retention"};
constexpr std::array<std::string_view, 3> kLimitsKeys = {"max_closes_per_cycle", "max_close_fraction", "confirm_polls"};
constexpr std::array<std::string_view, 3> kProtectKeys = {"machine_accounts", "non_default_instances", "open_files"};

constexpr std::uint64_t kMinute = 60, kHour = 3600, kDay = 86400;

std::filesystem::path resolve(const std::filesystem::path& folder, const std::string& text) {
    const std::filesystem::path path = path_from_utf8(text);
    return path.is_absolute() || folder.empty() ? path : folder / path;
}

void load_mode(const YAML::Node& node, YamlReader& reader, Settings& settings) {
    const auto value = reader.text(node, "settings.mode");
    if (!value) return;
    if (*value == "audit") {
        settings.mode = PolicyMode::Audit;
    } else if (*value == "enforce") {
        settings.mode = PolicyMode::Enforce;
    } else {
        constexpr std::array<std::string_view, 2> modes = {"audit", "enforce"};
        reader.diagnostics().error(YamlReader::location(node), "bad-value",
                                   "settings.mode must be 'audit' (record only) or 'enforce' (close), not '" + *value +
                                       "'" + did_you_mean(*value, modes));
    }
}

void load_source(const YAML::Node& node, YamlReader& reader, const std::filesystem::path& folder, Settings& settings) {
    const auto value = reader.text(node, "settings.source");
    if (!value) return;
    if (const auto choice = parse_source_choice(*value, folder)) {
        settings.source.name = choice->name;
        settings.source.file = choice->file;
        return;
    }
    std::vector<std::string> spellings{"auto"};
    for (const SourceDescriptor& source : all_sources()) {
        spellings.push_back(std::string(source.name) + (source.argument.empty() ? "" : ":"));
    }
    const std::vector<std::string_view> candidates(spellings.begin(), spellings.end());
    reader.diagnostics().error(
        YamlReader::location(node), "bad-value",
        "settings.source must be " + source_choices() + ", not '" + *value + "'" + did_you_mean(*value, candidates));
}

void load_samba(const YAML::Node& node, YamlReader& reader, const std::filesystem::path& folder, Settings& settings) {
    if (!reader.expect_mapping(node, "settings.samba")) return;
    reader.check_keys(node, kSambaKeys, "settings.samba");
    if (const auto& n = node["smb_conf"]; n) {
        if (const auto value = reader.text(n, "settings.samba.smb_conf"))
            settings.source.samba.smb_conf = resolve(folder, *value).string();
    }
    if (const auto& n = node["smbstatus"]; n) {
        if (const auto value = reader.text(n, "settings.samba.smbstatus")) settings.source.samba.smbstatus = *value;
    }
    if (const auto& n = node["smbcontrol"]; n) {
        if (const auto value = reader.text(n, "settings.samba.smbcontrol")) settings.source.samba.smbcontrol = *value;
    }
    if (const auto& n = node["timeout"]; n) {
        if (const auto value = reader.duration(n, "settings.samba.timeout", 1, 10 * kMinute)) {
            settings.source.samba.timeout = std::chrono::seconds(*value);
        }
    }
    if (const auto& n = node["blocks_file"]; n) {
        if (const auto value = reader.text(n, "settings.samba.blocks_file"))
            settings.source.samba.blocks_file = resolve(folder, *value).string();
        settings.blocks.configured = true;
    }
}

void load_blocks(const YAML::Node& node, YamlReader& reader, Settings& settings) {
    if (!reader.expect_mapping(node, "settings.blocks")) return;
    reader.check_keys(node, kBlocksKeys, "settings.blocks");
    settings.blocks.configured = true;
    if (const auto& n = node["max_duration"]; n) {
        if (const auto value = reader.duration(n, "settings.blocks.max_duration", kMinute, 366 * kDay)) {
            settings.blocks.max_duration_seconds = *value;
        }
    }
    if (const auto& n = node["never"]; n) {
        if (const auto items = reader.text_list(n, "settings.blocks.never")) {
            for (const auto& [name, at] : *items) settings.blocks.never.push_back(name);
        }
    }
}

void load_limits(const YAML::Node& node, YamlReader& reader, Settings& settings) {
    if (!reader.expect_mapping(node, "settings.limits")) return;
    reader.check_keys(node, kLimitsKeys, "settings.limits");
    if (const auto& n = node["max_closes_per_cycle"]; n) {
        if (const auto value = reader.whole_number(n, "settings.limits.max_closes_per_cycle", 1, 1000000)) {
            settings.limits.max_closes_per_cycle = *value;
        }
    }
    if (const auto& n = node["max_close_fraction"]; n) {
        if (const auto value = reader.fraction(n, "settings.limits.max_close_fraction")) {
            settings.limits.max_close_fraction = *value;
        }
    }
    if (const auto& n = node["confirm_polls"]; n) {
        if (const auto value = reader.whole_number(n, "settings.limits.confirm_polls", 1, 1000)) {
            settings.limits.confirm_polls = *value;
        }
    }
}

// any | writes, or true (any) and false (none).
void load_open_files_protection(const YAML::Node& node, YamlReader& reader, Settings& settings) {
    const auto value = reader.text(node, "settings.protect.open_files");
    if (!value) return;
    if (*value == "any" || *value == "true" || *value == "True" || *value == "TRUE") {
        settings.protect.open_files = OpenFilesProtection::Any;
    } else if (*value == "writes") {
        settings.protect.open_files = OpenFilesProtection::Writes;
    } else if (*value == "false" || *value == "False" || *value == "FALSE") {
        settings.protect.open_files = OpenFilesProtection::Off;
    } else {
        constexpr std::array<std::string_view, 4> choices = {"any", "writes", "true", "false"};
        reader.diagnostics().error(
            YamlReader::location(node), "bad-value",
            "settings.protect.open_files must be 'any' (any open file protects its session), 'writes' (only files "
            "open for writing do), or false (none do), not '" +
                *value + "'" + did_you_mean(*value, choices));
    }
}

void load_protect(const YAML::Node& node, YamlReader& reader, Settings& settings) {
    if (!reader.expect_mapping(node, "settings.protect")) return;
    reader.check_keys(node, kProtectKeys, "settings.protect");
    const auto load_flag = [&](const char* key, bool& flag) {
        if (const auto& n = node[key]; n) {
            if (const auto value = reader.boolean(n, std::string("settings.protect.") + key)) flag = *value;
        }
    };
    load_flag("machine_accounts", settings.protect.machine_accounts);
    load_flag("non_default_instances", settings.protect.non_default_instances);
    if (const auto& n = node["open_files"]; n) load_open_files_protection(n, reader, settings);
}

void load_log(const YAML::Node& node, YamlReader& reader, const std::filesystem::path& folder, Settings& settings) {
    if (!reader.expect_mapping(node, "settings.log")) return;
    reader.check_keys(node, kLogKeys, "settings.log");
    if (const auto& n = node["file"]; n) {
        if (const auto value = reader.text(n, "settings.log.file")) settings.log.file = resolve(folder, *value);
    }
    if (const auto& n = node["level"]; n) {
        const auto value = reader.text(n, "settings.log.level");
        if (!value) return;
        if (std::find(kLogLevels.begin(), kLogLevels.end(), *value) == kLogLevels.end()) {
            reader.diagnostics().error(YamlReader::location(n), "bad-value",
                                       "settings.log.level must be trace, debug, info, warn, error or critical, not '" +
                                           *value + "'" + did_you_mean(*value, kLogLevels));
            return;
        }
        settings.log.level = *value;
    }
}

void load_metrics(const YAML::Node& node, YamlReader& reader, const std::filesystem::path& folder, Settings& settings) {
    if (!reader.expect_mapping(node, "settings.metrics")) return;
    reader.check_keys(node, kMetricsKeys, "settings.metrics");
    if (const auto& n = node["allow_remote"]; n) {
        if (const auto value = reader.boolean(n, "settings.metrics.allow_remote"))
            settings.metrics.allow_remote = *value;
    }
    if (const auto& n = node["listen"]; n) {
        if (const auto value = reader.text(n, "settings.metrics.listen")) {
            const auto parsed = parse_listen_address(*value);
            if (const auto* problem = std::get_if<std::string>(&parsed)) {
                reader.diagnostics().error(
                    YamlReader::location(n), "bad-value",
                    "settings.metrics.listen: " + *problem + " (write PORT or IPv4:PORT, such as 127.0.0.1:9469)");
            } else if (const auto& address = std::get<ListenAddress>(parsed);
                       !address.loopback && !settings.metrics.allow_remote) {
                reader.diagnostics().error(
                    YamlReader::location(n), "metrics-beyond-loopback",
                    "settings.metrics.listen " + address.text() +
                        " is reachable from other machines, which would read the server's sessions and rules: write "
                        "127.0.0.1:" +
                        std::to_string(address.port) +
                        " and scrape through a local Prometheus, or add `allow_remote: true` under settings.metrics "
                        "to serve it beyond loopback");
            } else {
                settings.metrics.listen = address.text();
            }
        }
    }
    if (const auto& n = node["textfile"]; n) {
        if (const auto value = reader.text(n, "settings.metrics.textfile")) {
            if (!value->ends_with(".prom")) {
                reader.diagnostics().error(YamlReader::location(n), "bad-value",
                                           "settings.metrics.textfile must end in .prom, the only files the textfile "
                                           "collectors of node_exporter and windows_exporter read: write '" +
                                               *value + ".prom'");
            } else {
                settings.metrics.textfile = resolve(folder, *value);
            }
        }
    }
}

}  // namespace

Settings load_settings(const YAML::Node& node, YamlReader& reader, const std::filesystem::path& policy_folder) {
    Settings settings;
    settings.audit_db = resolve(policy_folder, settings.audit_db.string());
    if (!node || node.IsNull()) return settings;
    if (!reader.expect_mapping(node, "settings")) return settings;
    reader.check_keys(node, kSettingsKeys, "settings");

    if (const auto& n = node["mode"]; n) load_mode(n, reader, settings);
    if (const auto& n = node["poll_interval"]; n) {
        if (const auto value = reader.duration(n, "settings.poll_interval", 1, kDay))
            settings.poll_interval_seconds = *value;
    }
    if (const auto& n = node["source"]; n) load_source(n, reader, policy_folder, settings);
    if (const auto& n = node["samba"]; n) load_samba(n, reader, policy_folder, settings);
    if (const auto& n = node["audit_db"]; n) {
        if (const auto value = reader.text(n, "settings.audit_db")) settings.audit_db = resolve(policy_folder, *value);
    }
    if (const auto& n = node["audit"]; n && reader.expect_mapping(n, "settings.audit")) {
        reader.check_keys(n, kAuditKeys, "settings.audit");
        if (const auto& retention = n["retention"]; retention) {
            settings.audit_retention_seconds =
                reader.duration(retention, "settings.audit.retention", kHour, std::uint64_t{100} * 366 * kDay);
        }
    }
    if (const auto& n = node["limits"]; n) load_limits(n, reader, settings);
    if (const auto& n = node["protect"]; n) load_protect(n, reader, settings);
    if (const auto& n = node["blocks"]; n) load_blocks(n, reader, settings);
    if (const auto& n = node["log"]; n) load_log(n, reader, policy_folder, settings);
    if (const auto& n = node["metrics"]; n) load_metrics(n, reader, policy_folder, settings);
    return settings;
}

}  // namespace smbreaper::config
