// One matcher kind per benchmark, on a text (or address) it matches and one it does not: the
// building blocks of a rule's cost per session.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "rules/comparison.h"
#include "rules/glob.h"
#include "rules/ip_network.h"
#include "rules/text_matcher.h"

namespace smbreaper::bench {
using smbreaper::rules::CompareOp;
using smbreaper::rules::Comparison;
using smbreaper::rules::Glob;
using smbreaper::rules::IpAddress;
using smbreaper::rules::IpNetwork;
using smbreaper::rules::parse_ip_address;
using smbreaper::rules::Regex;
using smbreaper::rules::TextMatcher;

namespace {

const std::string kUser = "CORP\\ext-awilson3";
const std::string kOtherUser = "CORP\\jsmith";
const std::string kVip = "CORP\\bwilson12";

void glob(benchmark::State& state, const char* pattern, const std::string* text) {
    const Glob compiled(pattern);
    for (auto _ : state) benchmark::DoNotOptimize(compiled.matches(*text));
}
BENCHMARK_CAPTURE(glob, exact_hit, "corp\\EXT-AWILSON3", &kUser);
BENCHMARK_CAPTURE(glob, exact_miss, "corp\\ext-awilson4", &kUser);
BENCHMARK_CAPTURE(glob, prefix_hit, "CORP\\ext-*", &kUser);
BENCHMARK_CAPTURE(glob, prefix_miss, "CORP\\ext-*", &kOtherUser);
BENCHMARK_CAPTURE(glob, suffix_hit, "*3", &kUser);
BENCHMARK_CAPTURE(glob, suffix_miss, "*$", &kUser);
BENCHMARK_CAPTURE(glob, general_hit, "CORP\\*wil?on*", &kUser);
BENCHMARK_CAPTURE(glob, general_miss, "CORP\\*wil?on*", &kOtherUser);

void regex(benchmark::State& state, const std::string* text) {
    TextMatcher matcher;
    matcher.add_regex(std::get<Regex>(Regex::compile("CORP\\\\[a-c]wilson\\d*")));
    for (auto _ : state) benchmark::DoNotOptimize(matcher.matches(*text, std::nullopt));
}
BENCHMARK_CAPTURE(regex, hit, &kVip);
BENCHMARK_CAPTURE(regex, miss, &kOtherUser);

// `user: {in: LIST}` with twenty globs, none of which matches: every one is tried.
void glob_list_miss(benchmark::State& state) {
    TextMatcher matcher;
    for (int i = 0; i < 20; ++i) matcher.add_glob("CORP\\svc_" + std::to_string(i) + "*");
    for (auto _ : state) benchmark::DoNotOptimize(matcher.matches(kOtherUser, std::nullopt));
}
BENCHMARK(glob_list_miss);

void parse_address(benchmark::State& state, const char* text) {
    for (auto _ : state) benchmark::DoNotOptimize(parse_ip_address(text));
}
BENCHMARK_CAPTURE(parse_address, ipv4, "10.17.200.33");
BENCHMARK_CAPTURE(parse_address, ipv6_bracketed, "[fd00:11:2a::8d4c]");
BENCHMARK_CAPTURE(parse_address, name, "WKS-01234");

void cidr(benchmark::State& state, const char* block, const char* address) {
    const IpNetwork network = *IpNetwork::parse(block);
    const IpAddress parsed = *parse_ip_address(address);
    for (auto _ : state) benchmark::DoNotOptimize(network.contains(parsed));
}
BENCHMARK_CAPTURE(cidr, ipv4_hit, "10.17.0.0/16", "10.17.200.33");
BENCHMARK_CAPTURE(cidr, ipv4_miss, "10.18.0.0/16", "10.17.200.33");
BENCHMARK_CAPTURE(cidr, ipv6_hit, "fd00:11::/32", "fd00:11:2a::8d4c");
BENCHMARK_CAPTURE(cidr, ipv6_miss, "fd00:12::/32", "fd00:11:2a::8d4c");

void comparison(benchmark::State& state) {
    const Comparison at_least_two_hours{CompareOp::GreaterEqual, 7200};
    std::uint64_t idle = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(at_least_two_hours.holds(idle));
        idle += 997;
    }
}
BENCHMARK(comparison);

}  // namespace
}  // namespace smbreaper::bench
