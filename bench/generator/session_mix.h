#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bench/generator/random.h"
#include "sessions/session_record.h"

namespace smbreaper::bench {

inline constexpr std::uint64_t kDefaultSeed = 20261124;

// The sessions of an imaginary clustered file server of a large company, drawn one at a time from
// a seed. The same seed gives the same sequence, and a smaller table is the start of a larger one.
//
// Every record carries what both formats need: the MSFT_SmbSession properties, and what a Samba
// server adds (shares, encryption, signing, uid/gid, server id, peer address). Each table writer
// takes what its format has. The proportions (docs/BENCHMARKS.md lists them) are:
//   users        82 % staff (CORP\jsmith), 5 % contractors (CORP\ext-...), 3 % service accounts
//                (CORP\svc_...), 1 % admins (CORP\adm-...), 7 % machine accounts (...$), 2 % others
//   clients      71 % IPv4 office subnets 10.SITE.x.y, 8 % VPN 172.16-31.x.y, 12 % bracketed
//                IPv6 [fd00:SITE:...], 3 % link-local [fe80::...], 6 % NetBIOS names
//   dialects     3.1.1 68 %, 3.0.2 17 %, 3.0 5 %, 2.1 7 %, 2.0.2 3 %
//   instances    Default 96 %, CSV 2.5 %, SBL 1 %, SR 0.5 %
//   open files   none 62 %, 1: 16 %, 2-3: 12 %, 4-10: 8 %, 11-60: 2 %
//   idle         under 5 min 40 %, 5 min-2 h 30 %, 2 h-1 d 20 %, 1-14 d 10 %
//   connections  2 % of sessions share the previous session's connection (smbd process)
class SessionMix {
public:
    explicit SessionMix(std::uint64_t seed = kDefaultSeed);

    sessions::SessionRecord next();

private:
    void draw_user(sessions::SessionRecord& record);
    void draw_client(sessions::SessionRecord& record);
    void draw_protocol(sessions::SessionRecord& record);
    void draw_activity(sessions::SessionRecord& record);
    void draw_samba_facts(sessions::SessionRecord& record);

    Random random_;
    std::uint64_t next_session_id_ = 13194139533313ull;  // 0xC0000000001, as Windows numbers them
    std::uint64_t next_pid_ = 20000;
    std::uint32_t user_index_ = 0;  // of the current session's user, for its uid
    sessions::SessionRecord previous_;
};

// The first `count` sessions of the mix.
std::vector<sessions::SessionRecord> generate_sessions(std::size_t count, std::uint64_t seed = kDefaultSeed);

}  // namespace smbreaper::bench
