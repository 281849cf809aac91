#include "sessions/wmi/smb_session_mapping.h"

#include "sessions/dialect.h"

namespace smbreaper::sessions {
SessionRecord smb_session_from_properties(const WmiProperties& properties) {
    SessionRecord record;
    const auto id = read_property(kSmbSessionClass, properties, "SessionId", wmi_uint64);
    if (!id) throw WmiValueError(std::string(kSmbSessionClass) + ".SessionId: the key is null");
    record.session_id = *id;
    record.client_computer_name = read_property(kSmbSessionClass, properties, "ClientComputerName", wmi_string);
    record.client_user_name = read_property(kSmbSessionClass, properties, "ClientUserName", wmi_string);
    record.scope_name = read_property(kSmbSessionClass, properties, "ScopeName", wmi_string);
    record.cluster_node_name = read_property(kSmbSessionClass, properties, "ClusterNodeName", wmi_string);

    const auto instance = read_property(kSmbSessionClass, properties, "SmbInstance", wmi_uint32);
    if (instance && *instance > static_cast<std::uint32_t>(SmbInstance::SR))
        throw WmiValueError(std::string(kSmbSessionClass) +
                            ".SmbInstance: expected 0 (Default), 1 (CSV), 2 (SBL) or 3 (SR), got " +
                            std::to_string(*instance));
    if (instance) record.smb_instance = static_cast<SmbInstance>(*instance);

    record.num_opens = read_property(kSmbSessionClass, properties, "NumOpens", wmi_uint64);
    record.seconds_idle = read_property(kSmbSessionClass, properties, "SecondsIdle", wmi_uint32);
    record.seconds_exists = read_property(kSmbSessionClass, properties, "SecondsExists", wmi_uint32);
    record.dialect = read_property(kSmbSessionClass, properties, "Dialect", wmi_string);
    if (record.dialect) record.dialect_revision = parse_dialect(*record.dialect);
    record.transport_name = read_property(kSmbSessionClass, properties, "TransportName", wmi_string);
    return record;
}

std::string smb_session_query_by_id(std::uint64_t session_id) {
    return std::string("SELECT * FROM ") + kSmbSessionClass + " WHERE SessionId = " + std::to_string(session_id);
}

}  // namespace smbreaper::sessions
