#include "sessions/wmi/firewall_blocks.h"

// The firewall's class and interface ids are defined here (MinGW's import libraries lack them).
#include <initguid.h>
#include <netfw.h>

#include <algorithm>
#include <set>

#include "common/windows/wide_text.h"
#include "sessions/session_table.h"
#include "sessions/wmi/com_owners.h"
#include "sessions/wmi/wmi_error_text.h"

namespace smbreaper::sessions {
using smbreaper::common::to_wide;

namespace {

constexpr std::string_view kAction = "setting Windows Firewall rules for blocked clients";

void check(HRESULT result, const std::string& what) {
    if (FAILED(result)) throw WmiError(static_cast<std::uint32_t>(result), what, "Windows Firewall");
}

std::wstring rule_name(const std::string& address) { return to_wide(std::string(kFirewallRulePrefix) + address); }

// The names of the rules that are smbreaper's.
std::set<std::wstring> our_rules(INetFwRules* rules) {
    std::set<std::wstring> names;
    ComPtr<IUnknown> enumerator_unknown;
    check(rules->get__NewEnum(enumerator_unknown.put()), "listing the firewall rules");
    ComPtr<IEnumVARIANT> enumerator;
    check(enumerator_unknown->QueryInterface(IID_IEnumVARIANT, enumerator.put_void()), "listing the firewall rules");
    const std::wstring prefix = to_wide(kFirewallRulePrefix);
    for (;;) {
        VARIANT item;
        VariantInit(&item);
        ULONG fetched = 0;
        const HRESULT next = enumerator->Next(1, &item, &fetched);
        check(next, "listing the firewall rules");  // a failure is not the end of the list
        if (next != S_OK || fetched == 0) break;
        ComPtr<INetFwRule> rule;
        if (item.vt == VT_DISPATCH && item.pdispVal != nullptr &&
            SUCCEEDED(item.pdispVal->QueryInterface(IID_INetFwRule, rule.put_void()))) {
            Bstr name;
            if (SUCCEEDED(rule->get_Name(name.put())) && name.view().starts_with(prefix)) {
                names.emplace(name.view());
            }
        }
        VariantClear(&item);
    }
    return names;
}

void add_rule(INetFwRules* rules, const std::string& address) {
    const std::string what = "adding the firewall rule for " + address;
    ComPtr<INetFwRule> rule;
    check(CoCreateInstance(CLSID_NetFwRule, nullptr, CLSCTX_INPROC_SERVER, IID_INetFwRule, rule.put_void()), what);
    const Bstr name(rule_name(address));
    const Bstr description(L"Written by smbreaper block: SMB from this address is refused until the block ends.");
    const Bstr port(L"445,139");  // SMB, and SMB over NetBIOS
    const Bstr remote(to_wide(address));
    check(rule->put_Name(name.get()), what);
    check(rule->put_Description(description.get()), what);
    check(rule->put_Protocol(NET_FW_IP_PROTOCOL_TCP), what);
    check(rule->put_LocalPorts(port.get()), what);
    check(rule->put_RemoteAddresses(remote.get()), what);
    check(rule->put_Direction(NET_FW_RULE_DIR_IN), what);
    check(rule->put_Action(NET_FW_ACTION_BLOCK), what);
    check(rule->put_Profiles(NET_FW_PROFILE2_ALL), what);
    check(rule->put_Enabled(VARIANT_TRUE), what);
    check(rules->Add(rule.get()), what);
}

}  // namespace

void enforce_firewall_blocks(const std::vector<std::string>& addresses, const WmiWaitLimits& limits) {
    try {
        run_bounded(
            [addresses] {
                ComPtr<INetFwPolicy2> policy;
                check(CoCreateInstance(CLSID_NetFwPolicy2, nullptr, CLSCTX_INPROC_SERVER, IID_INetFwPolicy2,
                                       policy.put_void()),
                      "opening the Windows Firewall policy");
                ComPtr<INetFwRules> rules;
                check(policy->get_Rules(rules.put()), "reading the firewall rules");
                std::set<std::wstring> wanted;
                for (const std::string& address : addresses) wanted.insert(rule_name(address));
                const std::set<std::wstring> present = our_rules(rules.get());
                for (const std::wstring& name : present) {
                    if (wanted.count(name) != 0) continue;
                    const Bstr text(name);
                    check(rules->Remove(text.get()), "removing a lifted block's firewall rule");
                }
                for (const std::string& address : addresses) {
                    if (present.count(rule_name(address)) == 0) add_rule(rules.get(), address);
                }
            },
            limits, std::string(kAction), "Windows Firewall");
    } catch (const WmiError& error) {
        throw SourceError(error.what());
    }
}

}  // namespace smbreaper::sessions
