#include "bench/generator/windows_table.h"

#include <sstream>

#include "bench/generator/chunked_output.h"
#include "common/json_writer.h"

namespace smbreaper::bench {
using smbreaper::common::append_json_string;
using smbreaper::sessions::SessionRecord;

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// One "Name":  value line of a session object, as PowerShell 5.1 indents it.
void property(std::string& out, std::string_view name, std::string_view json_value, bool last = false) {
    out += "        \"";
    out += name;
    out += "\":  ";
    out += json_value;
    out += last ? "\r\n" : ",\r\n";
}

std::string quoted(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

// What `Select-Object *` adds to every session: the CIM class, every property once more as
// "Name = value" text, and where the instance came from.
void cim_properties(std::string& out, const SessionRecord& s,
                    const std::vector<std::pair<std::string_view, std::string>>& values) {
    out +=
        "        \"CimClass\":  {\r\n"
        "                         \"CimSuperClassName\":  null,\r\n"
        "                         \"CimSuperClass\":  null,\r\n"
        "                         \"CimClassProperties\":  \"ClientComputerName ClientUserName ClusterNodeName "
        "Dialect NumOpens ScopeName SecondsExists SecondsIdle SessionId SmbInstance TransportName\",\r\n"
        "                         \"CimClassQualifiers\":  \"dynamic = True locale = 1033 provider = "
        "\\\"SmbWmiV2\\\" ClassVersion = \\\"1.0\\\"\",\r\n"
        "                         \"CimClassMethods\":  \"ForceClose\",\r\n"
        "                         \"CimSystemProperties\":  "
        "\"Microsoft.Management.Infrastructure.CimSystemProperties\"\r\n"
        "                     },\r\n"
        "        \"CimInstanceProperties\":  [\r\n";
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += "                                      ";
        out += quoted(std::string(values[i].first) + " = " + values[i].second);
        out += i + 1 < values.size() ? ",\r\n" : "\r\n";
    }
    out +=
        "                                  ],\r\n"
        "        \"CimSystemProperties\":  {\r\n"
        "                                    \"Namespace\":  \"ROOT/Microsoft/Windows/SMB\",\r\n"
        "                                    \"ServerName\":  ";
    out += quoted(*s.cluster_node_name);
    out +=
        ",\r\n"
        "                                    \"ClassName\":  \"MSFT_SmbSession\",\r\n"
        "                                    \"Path\":  null\r\n"
        "                                }\r\n";
}

void session_object(std::string& out, const SessionRecord& s, bool cim) {
    // MSFT_SmbSession's properties in the order PowerShell lists them; CIM text quotes strings.
    const std::vector<std::pair<std::string_view, std::string>> values = {
        {"ClientComputerName", quoted(*s.client_computer_name)},
        {"ClientUserName", quoted(*s.client_user_name)},
        {"ClusterNodeName", quoted(*s.cluster_node_name)},
        {"Dialect", quoted(*s.dialect)},
        {"NumOpens", std::to_string(s.num_opens.value_or(0))},
        {"ScopeName", quoted(*s.scope_name)},
        {"SecondsExists", std::to_string(s.seconds_exists.value_or(0))},
        {"SecondsIdle", std::to_string(s.seconds_idle.value_or(0))},
        {"SessionId", std::to_string(s.session_id)},
        {"SmbInstance", std::to_string(static_cast<unsigned>(*s.smb_instance))},
        {"TransportName", quoted(*s.transport_name)},
    };
    out += "    {\r\n";
    for (const auto& [name, value] : values) property(out, name, value);
    property(out, "PSComputerName", "null", !cim);
    if (cim) cim_properties(out, s, values);
    out += "    }";
}

}  // namespace

void write_windows_table(std::ostream& out, const WindowsTableOptions& options) {
    SessionMix mix(options.seed);
    std::string chunk(kBom);
    chunk += "[\r\n";
    for (std::size_t i = 0; i < options.sessions; ++i) {
        session_object(chunk, mix.next(), options.cim_properties);
        chunk += i + 1 < options.sessions ? ",\r\n" : "\r\n";
        write_chunk_if_large(out, chunk);
    }
    chunk += "]\r\n";
    write_chunk(out, chunk);
}

std::string windows_table(const WindowsTableOptions& options) {
    std::ostringstream out;
    write_windows_table(out, options);
    return std::move(out).str();
}

}  // namespace smbreaper::bench
