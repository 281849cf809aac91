#include "storage/entry_hash.h"

#include <stdexcept>

#include "common/sha256.h"

namespace smbreaper::storage {
using smbreaper::common::sha256_hex;

namespace {

// Names this serialisation; a future change to it gets a new tag.
constexpr std::string_view kFormatTag = "smbreaper-audit-entry-v1";

void append_text(std::string& out, std::string_view text) {
    out += 't';
    out += std::to_string(text.size());
    out += ':';
    out += text;
}

void append_value(std::string& out, const SqlValue& value, std::size_t column) {
    if (std::holds_alternative<std::monostate>(value)) {
        out += 'n';
    } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
        out += 'i';
        out += std::to_string(*number);
        out += ';';
    } else if (const auto* text = std::get_if<std::string>(&value)) {
        append_text(out, *text);
    } else {
        throw std::invalid_argument("column " + std::string(column_name(column)) + " holds a " +
                                    std::get<ForeignValue>(value).type + " value, which has no canonical form");
    }
}

}  // namespace

std::string canonical_serialisation(const AuditRow& row) {
    std::string out;
    out.reserve(1024);
    append_text(out, kFormatTag);
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        if (i == static_cast<std::size_t>(AuditColumn::Hash)) continue;
        append_value(out, row.at(i), i);
    }
    return out;
}

std::string entry_hash(const AuditRow& row) { return sha256_hex(canonical_serialisation(row)); }

}  // namespace smbreaper::storage
