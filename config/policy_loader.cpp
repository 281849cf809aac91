#include "config/policy_loader.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/regular_file.h"
#include "config/condition_loader.h"
#include "config/policy_lint.h"
#include "config/rule_loader.h"
#include "config/settings_loader.h"
#include "config/yaml_documents.h"

namespace smbreaper::config {
using smbreaper::common::FileReadError;
using smbreaper::common::read_regular_file;
using smbreaper::rules::Condition;
using smbreaper::rules::Policy;
using smbreaper::rules::Rule;
using smbreaper::rules::SourceLocation;

namespace {

constexpr std::array<std::string_view, 4> kTopLevelKeys = {"version", "settings", "lists", "rules"};
constexpr int kSupportedVersion = 1;

// yaml-cpp's messages are terse; add what to write instead for the mistakes admins make most.
std::string explain_syntax_error(const std::string& message, const std::string& line) {
    std::string text = "YAML syntax error: " + message;
    const auto colon = line.find(':');
    const std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    if (first != std::string::npos &&
        (value[first] == '>' || value[first] == '*' || value[first] == '&' || value[first] == '!' ||
         value[first] == '|' || value[first] == '%' || value[first] == '@' || value[first] == '`')) {
        text += "; a value starting with '" + std::string(1, value[first]) +
                "' must be quoted, e.g. idle: '>= 2h' or user: '*admin'";
    } else if (line.find('\t') != std::string::npos) {
        text += "; YAML does not allow tabs for indentation: use spaces";
    }
    return text;
}

std::string nth_line(std::string_view text, int line) {
    std::istringstream stream{std::string(text)};
    std::string current;
    for (int i = 0; i < line && std::getline(stream, current); ++i) {}
    return current;
}

bool has_control_bytes(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0 || (byte < 0x20 && c != '\n' && c != '\r' && c != '\t')) return true;
    }
    return false;
}

void load_lists(const YAML::Node& node, YamlReader& reader, Policy& policy) {
    if (!reader.expect_mapping(node, "lists")) return;
    std::set<std::string> seen;
    for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
            reader.diagnostics().error(YamlReader::location(entry.first), "bad-key", "list names must be plain words");
            continue;
        }
        const std::string& name = entry.first.Scalar();
        if (!seen.insert(name).second) {
            reader.diagnostics().error(YamlReader::location(entry.first), "duplicate-key",
                                       "the list '" + name + "' is defined twice: keep one");
            continue;
        }
        const auto items = reader.text_list(entry.second, "list '" + name + "'");
        if (!items) continue;
        auto& patterns = policy.lists[name];
        for (const auto& [text, at] : *items) patterns.push_back(text);
    }
}

}  // namespace

PolicyLoadResult load_policy_text(std::string_view text, const std::filesystem::path& file) {
    // PowerShell and Notepad write a UTF-8 byte order mark; it is not part of the YAML.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    PolicyLoadResult result{std::nullopt, Diagnostics(file, std::string(text))};
    Diagnostics& diagnostics = result.diagnostics;

    if (text.size() > kMaxPolicyBytes) {
        diagnostics.error({}, "too-large", "the policy file is larger than 4 MiB; is it the right file?");
        return result;
    }
    if (has_control_bytes(text)) {
        diagnostics.error({}, "binary", "the policy file holds control characters or NUL bytes; is it a text file?");
        return result;
    }

    YamlDocuments documents;
    try {
        documents = read_yaml_documents(std::string(text));
    } catch (const YAML::Exception& error) {
        const SourceLocation where =
            error.mark.is_null() ? SourceLocation{} : SourceLocation{error.mark.line + 1, error.mark.column + 1};
        diagnostics.error(where, "yaml-syntax", explain_syntax_error(error.msg, nth_line(text, where.line)));
        return result;
    }
    if (documents.count == 0 || documents.first.IsNull()) {
        diagnostics.error({1, 1}, "empty", "the policy is empty: it must start with 'version: 1'");
        return result;
    }
    if (documents.count > 1) {
        diagnostics.error({documents.second_start.line + 1, documents.second_start.column + 1}, "several-documents",
                          "the file holds several YAML documents (separated by '---'): keep one policy per file");
    }

    const YAML::Node& root = documents.first;
    YamlReader reader(diagnostics);
    if (!reader.expect_mapping(root, "the policy")) return result;
    reader.check_keys(root, kTopLevelKeys, "the policy");

    Policy policy;
    policy.file = file;
    const std::filesystem::path folder = file.parent_path();

    if (const YAML::Node version = root["version"]; !version) {
        diagnostics.error({1, 1}, "missing-key", "the policy has no version: add 'version: 1' as its first line");
    } else if (const auto number = reader.text(version, "version")) {
        if (*number != std::to_string(kSupportedVersion)) {
            diagnostics.error(YamlReader::location(version), "unsupported-version",
                              "version " + *number + " is not supported by this smbreaper: write 'version: 1'");
        }
    }
    policy.settings = load_settings(root["settings"], reader, folder);
    if (const YAML::Node lists = root["lists"]; lists && !lists.IsNull()) load_lists(lists, reader, policy);

    ConditionLoader conditions(reader, policy.lists);
    if (const YAML::Node rules = root["rules"]; rules) {
        policy.rules = load_rules(rules, reader, conditions);
    } else {
        diagnostics.error({1, 1}, "missing-key", "the policy has no rules: add 'rules:' with at least one rule");
    }
    policy.client_networks_used = conditions.client_networks_used();
    std::map<std::string, std::uint32_t> test_numbers;
    for (Rule& rule : policy.rules) {
        rule.match.number_tests(test_numbers);
        for (Condition& exception : rule.exceptions) exception.number_tests(test_numbers);
    }

    lint_policy(policy, root, conditions.used_lists(), diagnostics);
    if (!diagnostics.has_errors()) result.policy = std::move(policy);
    return result;
}

PolicyLoadResult load_policy_file(const std::filesystem::path& file) {
    std::string text;
    try {
        text = read_regular_file(file, "the policy file", kMaxPolicyBytes);
    } catch (const FileReadError& error) {
        PolicyLoadResult result{std::nullopt, Diagnostics(file, "")};
        const bool too_large = error.reason() == FileReadError::Reason::TooLarge;
        result.diagnostics.error({}, too_large ? "too-large" : "unreadable", error.what());
        return result;
    }
    return load_policy_text(text, file);
}

}  // namespace smbreaper::config
