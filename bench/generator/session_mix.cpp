#include "bench/generator/session_mix.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <string_view>

namespace smbreaper::bench {
using smbreaper::sessions::Dialect;
using smbreaper::sessions::SambaServerId;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::windows_spelling;

namespace {

template <typename T>
struct Weighted {
    double percent;
    T value;
};

// One of `choices`, each with its share in percent (the shares add up to 100).
template <typename T, std::size_t N>
T weighted(Random& random, const std::array<Weighted<T>, N>& choices) {
    double roll = static_cast<double>(random.below(100'000)) / 1000.0;
    for (const Weighted<T>& choice : choices) {
        if (roll < choice.percent) return choice.value;
        roll -= choice.percent;
    }
    return choices.back().value;
}

template <typename... Args>
std::string format(const char* pattern, Args... args) {
    char buffer[96];
    const int length = std::snprintf(buffer, sizeof buffer, pattern, args...);
    return std::string(buffer, static_cast<std::size_t>(length));
}

constexpr std::array<std::string_view, 48> kSurnames = {
    "smith",    "jones",    "taylor",   "brown",    "wilson", "evans",    "thomas", "johnson", "roberts", "walker",
    "wright",   "robinson", "thompson", "white",    "hughes", "edwards",  "green",  "hall",    "wood",    "harris",
    "lewis",    "martin",   "jackson",  "clarke",   "clark",  "turner",   "hill",   "scott",   "cooper",  "morris",
    "ward",     "moore",    "king",     "watson",   "baker",  "harrison", "morgan", "patel",   "young",   "allen",
    "mitchell", "james",    "anderson", "phillips", "lee",    "bell",     "parker", "davies"};
constexpr std::array<std::string_view, 12> kServices = {"backup", "sql01", "sql02", "web",    "print", "scan",
                                                        "deploy", "veeam", "sccm",  "splunk", "erp",   "archive"};
constexpr std::array<std::string_view, 4> kMachinePrefixes = {"HV-NODE", "FS-N", "WKS-", "SQL-"};
constexpr std::array<std::string_view, 6> kShares = {"projects", "home", "finance", "scans", "software", "public"};

// A person's account name from a pool index: "jsmith", "jsmith2", ...
std::string person(std::uint32_t index) {
    const std::uint32_t per_round = static_cast<std::uint32_t>(kSurnames.size()) * 26;
    std::string name(1, static_cast<char>('a' + index / kSurnames.size() % 26));
    name += kSurnames[index % kSurnames.size()];
    if (index >= per_round) name += std::to_string(index / per_round + 1);
    return name;
}

enum class Account { Staff, Contractor, Service, Admin, Machine, Other };
enum class ClientKind { Office, Vpn, Ula, LinkLocal, Name };

constexpr std::array<Weighted<Account>, 6> kAccounts = {{{82, Account::Staff},
                                                         {5, Account::Contractor},
                                                         {3, Account::Service},
                                                         {1, Account::Admin},
                                                         {7, Account::Machine},
                                                         {2, Account::Other}}};
constexpr std::array<Weighted<ClientKind>, 5> kClients = {{{71, ClientKind::Office},
                                                           {8, ClientKind::Vpn},
                                                           {12, ClientKind::Ula},
                                                           {3, ClientKind::LinkLocal},
                                                           {6, ClientKind::Name}}};
constexpr std::array<Weighted<Dialect>, 5> kDialects = {{{68, Dialect::Smb3_1_1},
                                                         {17, Dialect::Smb3_0_2},
                                                         {5, Dialect::Smb3_0},
                                                         {7, Dialect::Smb2_1},
                                                         {3, Dialect::Smb2_0_2}}};
constexpr std::array<Weighted<SmbInstance>, 4> kInstances = {
    {{96, SmbInstance::Default}, {2.5, SmbInstance::CSV}, {1, SmbInstance::SBL}, {0.5, SmbInstance::SR}}};

// Pool sizes: how many distinct accounts of each kind the company has.
constexpr std::uint32_t kStaff = 20'000;
constexpr std::uint32_t kContractors = 1'500;
constexpr std::uint32_t kAdmins = 60;
constexpr std::uint32_t kMachines = 3'000;
constexpr std::uint32_t kSites = 40;

}  // namespace

SessionMix::SessionMix(std::uint64_t seed) : random_(seed) {}

void SessionMix::draw_user(SessionRecord& record) {
    switch (weighted(random_, kAccounts)) {
        case Account::Staff:
            user_index_ = static_cast<std::uint32_t>(random_.below(kStaff));
            record.client_user_name = "CORP\\" + person(user_index_);
            break;
        case Account::Contractor:
            user_index_ = kStaff + static_cast<std::uint32_t>(random_.below(kContractors));
            record.client_user_name = "CORP\\ext-" + person(user_index_);
            break;
        case Account::Service: {
            const std::size_t service = random_.below(kServices.size());
            user_index_ = kStaff + kContractors + static_cast<std::uint32_t>(service);
            record.client_user_name = "CORP\\svc_" + std::string(kServices[service]);
            break;
        }
        case Account::Admin:
            user_index_ = kStaff + kContractors + 100 + static_cast<std::uint32_t>(random_.below(kAdmins));
            record.client_user_name = "CORP\\adm-" + person(user_index_);
            break;
        case Account::Machine: {
            const auto machine = static_cast<std::uint32_t>(random_.below(kMachines));
            user_index_ = kStaff + kContractors + 200 + machine;
            record.client_user_name =
                "CORP\\" + std::string(kMachinePrefixes[machine % kMachinePrefixes.size()]) + format("%02u$", machine);
            break;
        }
        case Account::Other:
            user_index_ = kStaff + kContractors + 200 + kMachines + static_cast<std::uint32_t>(random_.below(50));
            record.client_user_name =
                random_.percent(30) ? std::string("FS01\\Administrator") : "LAB\\" + person(user_index_);
            break;
    }
}

void SessionMix::draw_client(SessionRecord& record) {
    const auto site = static_cast<unsigned>(random_.between(1, kSites));
    const auto port = static_cast<unsigned>(random_.between(49152, 65535));
    const ClientKind kind = weighted(random_, kClients);
    std::string address;
    switch (kind) {
        case ClientKind::Office:
        case ClientKind::Name:
            address = format("10.%u.%u.%u", site, static_cast<unsigned>(random_.below(256)),
                             static_cast<unsigned>(random_.between(1, 254)));
            break;
        case ClientKind::Vpn:
            address = format("172.%u.%u.%u", 16 + site % 16, static_cast<unsigned>(random_.below(256)),
                             static_cast<unsigned>(random_.between(1, 254)));
            break;
        case ClientKind::Ula:
            address = format("fd00:%x:%x::%x", site, static_cast<unsigned>(random_.below(0x100)),
                             static_cast<unsigned>(random_.between(1, 0xffff)));
            break;
        case ClientKind::LinkLocal:
            address =
                format("fe80::%x:%x:%x:%x", static_cast<unsigned>(random_.below(0x10000)),
                       static_cast<unsigned>(random_.below(0x10000)), static_cast<unsigned>(random_.below(0x10000)),
                       static_cast<unsigned>(random_.between(1, 0xffff)));
            break;
    }
    const bool v6 = kind == ClientKind::Ula || kind == ClientKind::LinkLocal;
    if (kind == ClientKind::Name) {
        record.client_computer_name = format("WKS-%05u", static_cast<unsigned>(random_.below(60'000)));
    } else {
        record.client_computer_name = v6 ? "[" + address + "]" : address;
    }
    record.peer_address = (v6 ? "ipv6:" : "ipv4:") + address + format(":%u", port);
}

void SessionMix::draw_protocol(SessionRecord& record) {
    record.dialect_revision = weighted(random_, kDialects);
    record.dialect = std::string(windows_spelling(*record.dialect_revision));
    record.smb_instance = weighted(random_, kInstances);
    record.transport_name = "TCP";
    // A two-node cluster: most sessions reach the clustered role, a few a node by its own name.
    const bool node_two = random_.percent(50);
    record.cluster_node_name = node_two ? "FSCLUSTER-N2" : "FSCLUSTER-N1";
    record.scope_name = random_.percent(90) ? "FSCLUSTER" : (node_two ? "FSCLUSTER-N2" : "FSCLUSTER-N1");
}

void SessionMix::draw_activity(SessionRecord& record) {
    const std::uint64_t roll = random_.below(100);
    std::uint64_t idle = 0;
    if (roll < 40)
        idle = random_.below(300);
    else if (roll < 70)
        idle = random_.between(300, 7'199);
    else if (roll < 90)
        idle = random_.between(7'200, 86'399);
    else
        idle = random_.between(86'400, 14 * 86'400);
    record.seconds_idle = static_cast<std::uint32_t>(idle);
    record.seconds_exists = static_cast<std::uint32_t>(idle + random_.below(7 * 86'400));

    const std::uint64_t opens_roll = random_.below(100);
    std::uint64_t opens = 0;
    if (opens_roll < 62)
        opens = 0;
    else if (opens_roll < 78)
        opens = 1;
    else if (opens_roll < 90)
        opens = random_.between(2, 3);
    else if (opens_roll < 98)
        opens = random_.between(4, 10);
    else
        opens = random_.between(11, 60);
    record.num_opens = opens;
}

void SessionMix::draw_samba_facts(SessionRecord& record) {
    record.uid = 100'000 + user_index_;
    record.gid = 100'513;  // CORP\domain users
    record.group_name = "CORP\\domain users";
    const std::size_t share_count = 1 + random_.below(3);
    record.shares.emplace();
    for (std::size_t i = 0; i < share_count; ++i) {
        const std::string share(kShares[random_.below(kShares.size())]);
        if (std::find(record.shares->begin(), record.shares->end(), share) == record.shares->end())
            record.shares->push_back(share);
    }
    record.encrypted = random_.percent(8);
    record.signing = random_.percent(25);
}

SessionRecord SessionMix::next() {
    SessionRecord record;
    record.session_id = next_session_id_;
    next_session_id_ += 4 * random_.between(1, 3);

    const bool shares_connection = previous_.samba_server_id && random_.percent(2);
    if (shares_connection) {
        // A second session on the same client connection: the same client and smbd process.
        record.client_computer_name = previous_.client_computer_name;
        record.peer_address = previous_.peer_address;
        record.samba_server_id = previous_.samba_server_id;
        draw_user(record);
    } else {
        draw_user(record);
        draw_client(record);
        next_pid_ += random_.between(1, 7);
        record.samba_server_id = SambaServerId{next_pid_, 0xFFFFFFFFu, random_.next() >> 1};
    }
    draw_protocol(record);
    if (shares_connection) {  // the dialect is negotiated once per connection
        record.dialect = previous_.dialect;
        record.dialect_revision = previous_.dialect_revision;
    }
    draw_activity(record);
    draw_samba_facts(record);
    previous_ = record;
    return record;
}

std::vector<SessionRecord> generate_sessions(std::size_t count, std::uint64_t seed) {
    SessionMix mix(seed);
    std::vector<SessionRecord> sessions;
    sessions.reserve(count);
    for (std::size_t i = 0; i < count; ++i) sessions.push_back(mix.next());
    return sessions;
}

}  // namespace smbreaper::bench
