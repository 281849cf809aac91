#include "rules/field_coverage.h"

namespace smbreaper::rules {
using smbreaper::sessions::all_sources;
using smbreaper::sessions::SourceDescriptor;

bool source_provides(const SourceDescriptor& source, Field field) {
    return source.provides(field_descriptor(field).property);
}

std::vector<Field> fields_not_provided(const SourceDescriptor& source) {
    std::vector<Field> missing;
    for (const FieldDescriptor& field : all_fields()) {
        if (!source_provides(source, field.field)) missing.push_back(field.field);
    }
    return missing;
}

std::string live_sources_of(Field field) {
    std::string names;
    for (const SourceDescriptor& source : all_sources()) {
        if (source.every_property || !source_provides(source, field)) continue;
        names += (names.empty() ? "" : ", ") + std::string(source.name);
    }
    return names.empty() ? "none" : names;
}

}  // namespace smbreaper::rules
