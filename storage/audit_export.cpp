#include "storage/audit_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <ostream>
#include <vector>

#include "common/display_text.h"
#include "common/json_writer.h"
#include "common/text_table.h"
#include "storage/csv.h"

namespace smbreaper::storage {
using smbreaper::common::JsonWriter;
using smbreaper::common::TextTable;

namespace {

// passthru_json and details_json, re-serialised compactly (one line, key order kept) so they can be
// embedded as JSON; nothing for other columns or text that does not parse.
std::optional<std::string> embeddable_json(std::size_t index, const SqlValue& value) {
    const bool json_column = index == static_cast<std::size_t>(AuditColumn::PassthruJson) ||
                             index == static_cast<std::size_t>(AuditColumn::DetailsJson);
    const auto* text = std::get_if<std::string>(&value);
    if (!json_column || !text) return std::nullopt;
    const auto parsed = nlohmann::ordered_json::parse(*text, nullptr, false);
    if (parsed.is_discarded()) return std::nullopt;
    return parsed.dump();
}

class CsvWriter : public EntryWriter {
public:
    explicit CsvWriter(std::ostream& out) : out_(out) {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < kAuditColumnCount; ++i) names.emplace_back(column_name(i));
        out_ << kCsvByteOrderMark << csv_line(names);
    }

    void write(const AuditRow& row) override {
        std::vector<std::string> values;
        for (std::size_t i = 0; i < kAuditColumnCount; ++i) values.push_back(row.text(static_cast<AuditColumn>(i)));
        out_ << csv_line(values);
    }

    void finish() override { out_.flush(); }

private:
    std::ostream& out_;
};

class JsonArrayWriter : public EntryWriter {
public:
    explicit JsonArrayWriter(std::ostream& out) : out_(out) {}

    void write(const AuditRow& row) override {
        out_ << (first_ ? "[\n" : ",\n") << row_to_json(row);
        first_ = false;
    }

    void finish() override { out_ << (first_ ? "[]\n" : "\n]\n") << std::flush; }

private:
    std::ostream& out_;
    bool first_ = true;
};

class JsonLinesWriter : public EntryWriter {
public:
    explicit JsonLinesWriter(std::ostream& out) : out_(out) {}
    void write(const AuditRow& row) override { out_ << row_to_json(row) << '\n'; }
    void finish() override { out_.flush(); }

private:
    std::ostream& out_;
};

// Aligned columns (common/text_table.h); rows are held until finish() so that the widths fit
// every row.
class TableWriter : public EntryWriter {
public:
    explicit TableWriter(std::ostream& out) : out_(out), table_(headings(), "") {}

    void write(const AuditRow& row) override {
        std::vector<std::string> line;
        for (const Field& field : kFields) line.push_back(row.text(field.column));
        show_block_target(row, line);
        table_.add_row(std::move(line));
    }

    void finish() override {
        out_ << table_.render();
        out_.flush();
    }

private:
    struct Field {
        std::string_view heading;
        AuditColumn column;
    };
    static constexpr Field kFields[] = {
        {"SEQ", AuditColumn::Seq},
        {"TIME", AuditColumn::Time},
        {"KIND", AuditColumn::Kind},
        {"MODE", AuditColumn::Mode},
        {"OUTCOME", AuditColumn::Outcome},
        {"RULE", AuditColumn::Rule},
        {"ACTION", AuditColumn::Action},
        {"SESSION", AuditColumn::SessionId},
        {"USER", AuditColumn::ClientUserName},
        {"CLIENT", AuditColumn::ClientComputerName},
        {"OPENS", AuditColumn::NumOpens},
        {"ERROR", AuditColumn::Error},
    };

    // A block's entries carry no session: their user or client (details_json's target and name)
    // goes in the USER or CLIENT column, and a lifting's cause in OUTCOME.
    static void show_block_target(const AuditRow& row, std::vector<std::string>& line) {
        const std::string kind = row.text(AuditColumn::Kind);
        if (kind != "block-set" && kind != "block-lifted") return;
        const nlohmann::json details = nlohmann::json::parse(row.text(AuditColumn::DetailsJson), nullptr, false);
        if (!details.is_object()) return;
        const auto text = [&details](const char* key) {
            const auto found = details.find(key);
            return found != details.end() && found->is_string() ? found->get<std::string>() : std::string();
        };
        const auto column_of = [](std::string_view heading) {
            return static_cast<std::size_t>(std::find_if(std::begin(kFields), std::end(kFields),
                                                         [heading](const Field& f) { return f.heading == heading; }) -
                                            std::begin(kFields));
        };
        line[column_of(text("target") == "client" ? "CLIENT" : "USER")] = text("name");
        if (kind == "block-lifted") line[column_of("OUTCOME")] = text("cause");
    }

    static std::vector<std::string> headings() {
        std::vector<std::string> header;
        for (const Field& field : kFields) header.emplace_back(field.heading);
        return header;
    }

    std::ostream& out_;
    TextTable table_;
};

}  // namespace

std::unique_ptr<EntryWriter> make_entry_writer(ExportFormat format, std::ostream& out) {
    switch (format) {
        case ExportFormat::Table: return std::make_unique<TableWriter>(out);
        case ExportFormat::Csv: return std::make_unique<CsvWriter>(out);
        case ExportFormat::Json: return std::make_unique<JsonArrayWriter>(out);
        case ExportFormat::JsonLines: return std::make_unique<JsonLinesWriter>(out);
    }
    return std::make_unique<JsonLinesWriter>(out);
}

std::string row_to_json(const AuditRow& row) {
    std::string out;
    JsonWriter json(out);
    json.begin_object();
    for (std::size_t i = 0; i < kAuditColumnCount; ++i) {
        json.key(column_name(i));
        const SqlValue& value = row.at(i);
        if (std::holds_alternative<std::monostate>(value)) {
            json.null();
        } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
            json.value(*number);
        } else if (const auto embedded = embeddable_json(i, value)) {
            json.raw(*embedded);
        } else {
            json.value(row.text(static_cast<AuditColumn>(i)));
        }
    }
    json.end_object();
    return out;
}

}  // namespace smbreaper::storage
