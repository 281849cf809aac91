#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "storage/audit_row.h"
#include "storage/csv.h"  // csv_field, for callers of the CSV format

namespace smbreaper::storage {

enum class ExportFormat {
    Table,      // aligned columns for a terminal: the most useful ten columns
    Csv,        // every column, for Excel: UTF-8 BOM, CRLF, RFC 4180 quoting, formulas neutralised
    Json,       // every column, one JSON array
    JsonLines,  // every column, one JSON object per line
};

// Writes entries to a stream in one format. Call write() for each row, then finish() once.
class EntryWriter {
public:
    virtual ~EntryWriter() = default;
    virtual void write(const AuditRow& row) = 0;
    virtual void finish() = 0;
};

std::unique_ptr<EntryWriter> make_entry_writer(ExportFormat format, std::ostream& out);

// The row as one JSON object: the column names as keys, passthru_json and details_json embedded
// as JSON (as strings if they do not parse).
std::string row_to_json(const AuditRow& row);

}  // namespace smbreaper::storage
