#include "bench/generator/policy_generator.h"

#include <cstdio>
#include <set>
#include <string_view>

namespace smbreaper::bench {
namespace {

constexpr std::string_view kSurnames[] = {"smith", "jones", "taylor", "brown", "wilson", "evans", "thomas", "walker"};

// printf into a std::string, for the rule templates.
template <typename... Args>
std::string format(const char* pattern, Args... args) {
    const int length = std::snprintf(nullptr, 0, pattern, args...);
    std::string text(static_cast<std::size_t>(length) + 1, '\0');
    std::snprintf(text.data(), text.size(), pattern, args...);
    text.pop_back();
    return text;
}

// The lists a policy may use; only those its rules use are written.
struct ListDefinition {
    std::string_view name;
    std::string_view yaml;
};
constexpr ListDefinition kLists[] = {
    {"service_accounts", "['CORP\\svc_*', 'backup', 'FS01\\Administrator']"},
    {"admins", "['CORP\\adm-*', 'CORP\\domain admins']"},
    {"lab_clients", "['10.40.0.0/16', 'fd00:28::/32', 'LAB-*', 'WKS-0000?']"},
    {"legacy_clients", "['10.1.0.0/16', '10.2.0.0/16', '172.16.0.0/12', 'WKS-1*', 'fe80::/10']"},
};

// Rule number `index` (1-based, between the first and the last rule), of kind index % 8.
std::string middle_rule(std::size_t index, std::set<std::string_view>& lists_used) {
    // The kind is index % 8; `round` (how many rules of that kind came before) varies the rest,
    // so that no generated rule repeats an earlier one.
    const std::size_t round = index / 8;
    const unsigned site = 1 + static_cast<unsigned>(index % 40);
    const unsigned hours = 1 + static_cast<unsigned>(round % 4);
    const std::string_view surname = kSurnames[round % std::size(kSurnames)];
    const char first_initial = static_cast<char>('a' + round / std::size(kSurnames) % 24);
    switch (index % 8) {
        case 0:
            lists_used.insert("admins");
            return format(
                "  - name: close-site%u-idle-%zu\n"
                "    action: close\n"
                "    match:\n"
                "      client: '10.%u.0.0/16'\n"
                "      idle: '>= %uh'\n"
                "      open_files: 0\n"
                "    except:\n"
                "      - user: {in: admins}\n",
                site, index, site, hours);
        case 1:
            return format(
                "  - name: audit-contractors-site%u-%zu\n"
                "    action: audit\n"
                "    when: {days: [mon-fri], hours: '19:00-07:00'}\n"
                "    match:\n"
                "      user: 'CORP\\ext-*'\n"
                "      client: ['10.%u.*', 'fd00:%x::/32']\n"
                "      idle: '> 15m'\n",
                site, index, site, site);
        case 2:
            lists_used.insert("legacy_clients");
            lists_used.insert("lab_clients");
            return format(
                "  - name: close-legacy-%zu\n"
                "    action: close\n"
                "    allow_open_files: true\n"
                "    match:\n"
                "      dialect: '< 3.0'\n"
                "      client: {in: legacy_clients}\n"
                "      idle: '>= %um'\n"
                "    except:\n"
                "      - client: {in: lab_clients}\n",
                index, 15u * hours);
        case 3:
            return format(
                "  - name: keep-vip-%zu\n"
                "    action: keep\n"
                "    match:\n"
                "      user: {regex: 'CORP\\\\[%c-%c]%.*s\\d*'}\n",
                index, first_initial, first_initial + 2, static_cast<int>(surname.size()), surname.data());
        case 4:
            return format(
                "  - name: close-remote-%zu\n"
                "    action: close\n"
                "    match:\n"
                "      any:\n"
                "        - client: '172.16.0.0/12'\n"
                "        - client: 'fd00:%x::/32'\n"
                "      idle: '>= %uh'\n"
                "      age: '> 1d'\n",
                index, site, 2 + hours);
        case 5:
            return format(
                "  - name: audit-finance-%zu\n"
                "    action: audit\n"
                "    match:\n"
                "      shares: [finance, 'payroll*']\n"
                "      encrypted: false\n"
                "      idle: '>= %uh'\n"
                "      not: {smb_instance: CSV}\n",
                index, hours);
        case 6:
            lists_used.insert("service_accounts");
            return format(
                "  - name: close-weekend-%zu\n"
                "    action: close\n"
                "    when: {days: [sat, sun]}\n"
                "    match:\n"
                "      idle: '>= %uh'\n"
                "      not: {user: {in: service_accounts}}\n",
                index, 4 + hours);
        default:
            return format(
                "  - name: keep-hosts-site%u-%zu\n"
                "    action: keep\n"
                "    match:\n"
                "      user: '*$'\n"
                "      client: ['HV-*', '10.%u.%zu.*', 'fd00:%x:%zx::/48']\n",
                site, index, site, 10 + round, site, 10 + round);
    }
}

}  // namespace

std::string generate_policy(std::size_t rules) {
    if (rules == 0) rules = 1;
    std::set<std::string_view> lists_used;
    std::string body;
    if (rules > 1) {
        lists_used.insert("service_accounts");
        body +=
            "  - name: keep-service-accounts\n"
            "    action: keep\n"
            "    match:\n"
            "      user: {in: service_accounts}\n";
    }
    for (std::size_t index = 1; index + 1 < rules; ++index) body += middle_rule(index, lists_used);
    body +=
        "  - name: idle-2h\n"
        "    description: Sessions idle for two hours with nothing open\n"
        "    action: close\n"
        "    match:\n"
        "      idle: '>= 2h'\n"
        "      open_files: 0\n";

    std::string policy = format(
        "# Generated by smbreaper-benchgen: %zu rules (bench/generator/policy_generator.cpp).\n"
        "version: 1\n"
        "\n"
        "settings:\n"
        "  mode: audit\n"
        "  poll_interval: 30s\n",
        rules);
    if (!lists_used.empty()) {
        policy += "\nlists:\n";
        for (const ListDefinition& list : kLists) {
            if (lists_used.contains(list.name))
                policy += format("  %.*s: ", static_cast<int>(list.name.size()), list.name.data()) +
                          std::string(list.yaml) + "\n";
        }
    }
    return policy + "\nrules:\n" + body;
}

}  // namespace smbreaper::bench
