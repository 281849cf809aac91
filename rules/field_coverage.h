#pragma once

#include <string>
#include <vector>

#include "rules/field.h"
#include "sessions/session_source.h"

namespace smbreaper::rules {

// Whether `source` can give `field` (its descriptor lists the field's property). A field the
// configured source cannot give is unknown for every session: `check` warns about rules testing
// one, and `check --explain` names them.
bool source_provides(const sessions::SourceDescriptor& source, Field field);

// The fields `source` cannot give, in field order.
std::vector<Field> fields_not_provided(const sessions::SourceDescriptor& source);

// The live sources that give `field` (not the file sources, which hold whatever their writer
// knew), by name: "samba, wmi"; "none" when none does.
std::string live_sources_of(Field field);

}  // namespace smbreaper::rules
