#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "service/cli/record_filter.h"

using smbreaper::cli::FilterValues;
using smbreaper::cli::SessionFilter;
using smbreaper::cli::SessionSelection;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;

using namespace smbreaper;

namespace {

SessionRecord session(std::uint64_t id, const std::string& user, const std::string& client,
                      SmbInstance instance = SmbInstance::Default, const std::string& node = "FS1") {
    SessionRecord s;
    s.session_id = id;
    s.client_user_name = user;
    s.client_computer_name = client;
    s.cluster_node_name = node;
    s.scope_name = "*";
    s.smb_instance = instance;
    return s;
}

const std::vector<SessionRecord> kTable = {
    session(1, "CORP\\alice", "10.0.5.21"),
    session(2, "CORP\\bob", "10.0.5.22"),
    session(3, "CORP\\alice", "LAB-7", SmbInstance::CSV, "FS2"),
    session(4, "CORP\\ext-frank", "10.0.9.3"),
};

std::vector<std::uint64_t> ids(const SessionSelection& selection) {
    std::vector<std::uint64_t> out;
    for (const SessionRecord* s : selection.records) out.push_back(s->session_id);
    return out;
}

std::vector<std::uint64_t> select_ids(const FilterValues& values) { return ids(SessionFilter(values).select(kTable)); }

}  // namespace

TEST_CASE("no filter selects every session", "[filter]") {
    const SessionFilter filter(FilterValues{});
    CHECK(filter.empty());
    const SessionSelection selection = filter.select(kTable);
    CHECK(ids(selection) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(selection.unmatched.empty());
}

TEST_CASE("each filter selects by its property", "[filter]") {
    FilterValues by_id;
    by_id.session_ids = {2};
    CHECK(select_ids(by_id) == std::vector<std::uint64_t>{2});

    FilterValues by_user;
    by_user.client_user_names = {"CORP\\alice"};
    CHECK(select_ids(by_user) == std::vector<std::uint64_t>{1, 3});

    FilterValues by_client;
    by_client.client_computer_names = {"10.0.5.*"};
    CHECK(select_ids(by_client) == std::vector<std::uint64_t>{1, 2});

    FilterValues by_scope;
    by_scope.scope_names = {"*"};  // every session's ScopeName is "*": the pattern * matches it
    CHECK(select_ids(by_scope) == std::vector<std::uint64_t>{1, 2, 3, 4});
    by_scope.scope_names = {"`*"};  // the literal "*"
    CHECK(select_ids(by_scope) == std::vector<std::uint64_t>{1, 2, 3, 4});
    by_scope.scope_names = {"FS1-SCOPE"};
    CHECK(select_ids(by_scope).empty());

    FilterValues by_node;
    by_node.cluster_node_names = {"fs2"};
    CHECK(select_ids(by_node) == std::vector<std::uint64_t>{3});

    FilterValues by_instance;
    by_instance.smb_instances = {SmbInstance::CSV};
    CHECK(select_ids(by_instance) == std::vector<std::uint64_t>{3});
}

TEST_CASE("string filters compare case-insensitively and take wildcards", "[filter]") {
    FilterValues values;
    values.client_user_names = {"corp\\ALICE"};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{1, 3});
    values.client_user_names = {"Corp\\Ext-*"};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{4});
    values.client_user_names = {"corp\\[ab]*"};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{1, 2, 3});
    values.client_computer_names = {"lab-?"};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{3});
}

TEST_CASE("values of one filter are alternatives; different filters must all hold", "[filter]") {
    FilterValues values;
    values.client_user_names = {"CORP\\alice", "CORP\\bob"};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{1, 2, 3});
    values.client_computer_names = {"10.0.5.*"};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{1, 2});
    values.session_ids = {2, 3};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{2});
    values.smb_instances = {SmbInstance::Default, SmbInstance::SR};
    CHECK(select_ids(values) == std::vector<std::uint64_t>{2});
}

TEST_CASE("a value that no selected session matches is reported as Close-SmbSession reports it", "[filter]") {
    FilterValues values;
    values.client_user_names = {"CORP\\bob", "CORP\\nobody"};
    SessionSelection selection = SessionFilter(values).select(kTable);
    CHECK(ids(selection) == std::vector<std::uint64_t>{2});
    REQUIRE(selection.unmatched.size() == 1);
    CHECK(selection.unmatched[0] ==
          "No MSFT_SmbSession objects found with property 'ClientUserName' equal to 'CORP\\nobody'. "
          "Verify the value of the property and retry.");

    // Each value exists, but not together: both are reported.
    FilterValues apart;
    apart.session_ids = {4};
    apart.client_user_names = {"CORP\\alice"};
    selection = SessionFilter(apart).select(kTable);
    CHECK(selection.records.empty());
    REQUIRE(selection.unmatched.size() == 2);
    CHECK(selection.unmatched[0].find("property 'SessionId' equal to '4'") != std::string::npos);
    CHECK(selection.unmatched[1].find("property 'ClientUserName' equal to 'CORP\\alice'") != std::string::npos);

    FilterValues wildcard;
    wildcard.client_computer_names = {"192.168.*"};
    selection = SessionFilter(wildcard).select(kTable);
    REQUIRE(selection.unmatched.size() == 1);
    CHECK(selection.unmatched[0].find("property 'ClientComputerName' like '192.168.*'") != std::string::npos);

    FilterValues instance;
    instance.smb_instances = {SmbInstance::SBL};
    selection = SessionFilter(instance).select(kTable);
    REQUIRE(selection.unmatched.size() == 1);
    CHECK(selection.unmatched[0].find("property 'SmbInstance' equal to 'SBL'") != std::string::npos);
}

TEST_CASE("an invalid pattern is refused when the filter is built", "[filter]") {
    FilterValues values;
    values.client_user_names = {"CORP\\[alice"};
    CHECK_THROWS_AS(SessionFilter(values), std::invalid_argument);
}

TEST_CASE("the filters as JSON for the audit trail", "[filter]") {
    FilterValues values;
    values.session_ids = {18446744073709551615ull};
    values.client_user_names = {"CORP\\a*"};
    values.smb_instances = {SmbInstance::Default};
    const auto json = nlohmann::json::parse(SessionFilter(values).to_json());
    CHECK(json["SessionId"][0].get<std::uint64_t>() == 18446744073709551615ull);
    CHECK(json["ClientUserName"] == nlohmann::json::array({"CORP\\a*"}));
    CHECK(json["SmbInstance"] == nlohmann::json::array({"Default"}));
    CHECK(json.size() == 3);
    CHECK(SessionFilter(FilterValues{}).to_json() == "{}");
}

TEST_CASE("a value the source did not give matches no filter, not even *", "[filter][unknown]") {
    std::vector<SessionRecord> table = {session(1, "CORP\\alice", "10.0.5.21"), session(2, "CORP\\bob", "10.0.5.22")};
    table[1].client_user_name.reset();
    table[1].client_computer_name.reset();
    table[1].scope_name.reset();
    table[1].cluster_node_name.reset();
    table[1].smb_instance.reset();
    const auto selected = [&table](const FilterValues& values) { return ids(SessionFilter(values).select(table)); };
    FilterValues by_user;
    by_user.client_user_names = {"*"};
    CHECK(selected(by_user) == std::vector<std::uint64_t>{1});
    FilterValues by_client;
    by_client.client_computer_names = {"*"};
    CHECK(selected(by_client) == std::vector<std::uint64_t>{1});
    FilterValues by_scope;
    by_scope.scope_names = {"*"};
    CHECK(selected(by_scope) == std::vector<std::uint64_t>{1});
    FilterValues by_node;
    by_node.cluster_node_names = {"*"};
    CHECK(selected(by_node) == std::vector<std::uint64_t>{1});
    FilterValues by_instance;
    by_instance.smb_instances = {SmbInstance::Default};
    CHECK(selected(by_instance) == std::vector<std::uint64_t>{1});
    // By its key alone it is still found.
    FilterValues by_id;
    by_id.session_ids = {2};
    CHECK(selected(by_id) == std::vector<std::uint64_t>{2});
}
