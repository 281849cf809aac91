#include "service/cli/audit_db_location.h"

#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>

namespace smbreaper::cli {

std::filesystem::path audit_db_from_policy(const std::filesystem::path& policy_file) {
    YAML::Node policy;
    try {
        policy = YAML::LoadFile(policy_file.string());
    } catch (const YAML::BadFile&) {
        throw std::runtime_error("cannot read the policy file " + policy_file.string());
    } catch (const YAML::Exception& e) {
        throw std::runtime_error(policy_file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                                 std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    // Looked up through const nodes (the non-const operator[] adds missing keys). A missing key
    // gives an invalid node, which must be tested with IsDefined() before anything else.
    const YAML::Node& root = policy;
    const YAML::Node settings = root.IsMap() ? root["settings"] : YAML::Node();
    const bool has_settings = settings.IsDefined() && settings.IsMap();
    const YAML::Node audit_db = has_settings ? settings["audit_db"] : YAML::Node();
    std::filesystem::path database = "audit.db";
    if (audit_db.IsDefined() && !audit_db.IsNull()) {
        if (!audit_db.IsScalar() || audit_db.Scalar().empty()) {
            throw std::runtime_error(policy_file.string() + ":" + std::to_string(audit_db.Mark().line + 1) +
                                     ": settings.audit_db must be a file name");
        }
        database = audit_db.Scalar();
    }
    if (database.is_absolute()) return database;
    return policy_file.parent_path() / database;
}

}  // namespace smbreaper::cli
