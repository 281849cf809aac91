#include "sessions/wmi/smb_open_file_mapping.h"

namespace smbreaper::sessions {
OpenFileRecord smb_open_file_from_properties(const WmiProperties& properties) {
    OpenFileRecord record;
    const auto id = read_property(kSmbOpenFileClass, properties, "FileId", wmi_uint64);
    if (!id) throw WmiValueError(std::string(kSmbOpenFileClass) + ".FileId: the key is null");
    record.file_id = std::to_string(*id);
    record.session_id = read_property(kSmbOpenFileClass, properties, "SessionId", wmi_uint64);
    record.path = read_property(kSmbOpenFileClass, properties, "Path", wmi_string);
    record.share_relative_path = read_property(kSmbOpenFileClass, properties, "ShareRelativePath", wmi_string);
    record.client_computer_name = read_property(kSmbOpenFileClass, properties, "ClientComputerName", wmi_string);
    record.client_user_name = read_property(kSmbOpenFileClass, properties, "ClientUserName", wmi_string);
    record.permissions = read_property(kSmbOpenFileClass, properties, "Permissions", wmi_uint32);
    record.locks = read_property(kSmbOpenFileClass, properties, "Locks", wmi_uint32);
    record.continuously_available = read_property(kSmbOpenFileClass, properties, "ContinuouslyAvailable", wmi_bool);
    record.scope_name = read_property(kSmbOpenFileClass, properties, "ScopeName", wmi_string);
    record.cluster_node_name = read_property(kSmbOpenFileClass, properties, "ClusterNodeName", wmi_string);
    const auto instance = read_property(kSmbOpenFileClass, properties, "SmbInstance", wmi_uint32);
    if (instance && *instance > static_cast<std::uint32_t>(SmbInstance::SR))
        throw WmiValueError(std::string(kSmbOpenFileClass) +
                            ".SmbInstance: expected 0 (Default), 1 (CSV), 2 (SBL) or 3 (SR), got " +
                            std::to_string(*instance));
    if (instance) record.smb_instance = static_cast<SmbInstance>(*instance);
    return record;
}

std::string smb_open_file_query_by_id(std::uint64_t file_id) {
    return std::string("SELECT * FROM ") + kSmbOpenFileClass + " WHERE FileId = " + std::to_string(file_id);
}

}  // namespace smbreaper::sessions
