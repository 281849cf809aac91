#include "sessions/session_record.h"

#include <cctype>

namespace smbreaper::sessions {

std::string_view to_string(SmbInstance instance) {
    switch (instance) {
        case SmbInstance::Default: return "Default";
        case SmbInstance::CSV: return "CSV";
        case SmbInstance::SBL: return "SBL";
        case SmbInstance::SR: return "SR";
    }
    return "Default";
}

std::optional<SmbInstance> parse_smb_instance(std::string_view text) {
    static constexpr SmbInstance all[] = {SmbInstance::Default, SmbInstance::CSV, SmbInstance::SBL, SmbInstance::SR};
    if (text.size() == 1 && text[0] >= '0' && text[0] <= '3') return all[text[0] - '0'];
    for (SmbInstance instance : all) {
        const std::string_view name = to_string(instance);
        if (name.size() != text.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i) {
            same =
                std::tolower(static_cast<unsigned char>(name[i])) == std::tolower(static_cast<unsigned char>(text[i]));
        }
        if (same) return instance;
    }
    return std::nullopt;
}

}  // namespace smbreaper::sessions
