#include "rules/condition.h"

#include "rules/duration.h"

namespace smbreaper::rules {
using smbreaper::sessions::Dialect;
using smbreaper::sessions::SessionRecord;
using smbreaper::sessions::SmbInstance;
using smbreaper::sessions::windows_spelling;

namespace {

Truth from_bool(bool value) { return value ? Truth::True : Truth::False; }

Truth from_optional(std::optional<bool> value) { return value ? from_bool(*value) : Truth::Unknown; }

Truth compare(const std::vector<Comparison>& comparisons, const std::optional<std::uint64_t>& actual) {
    if (!actual) return Truth::Unknown;
    for (const Comparison& comparison : comparisons) {
        if (comparison.holds(*actual)) return Truth::True;
    }
    return Truth::False;
}

std::string format_value(Field field, std::uint64_t value) {
    switch (field_descriptor(field).kind) {
        case FieldKind::Duration: return std::to_string(value) + "s";
        case FieldKind::Dialect: return std::string(windows_spelling(static_cast<Dialect>(value)));
        default: return std::to_string(value);
    }
}

}  // namespace

Truth FieldTest::evaluate(const SessionView& session) const {
    const SessionRecord& record = session.record;
    const FieldReader& read = field_descriptor(field).read;
    if (const auto* comparisons = std::get_if<std::vector<Comparison>>(&matcher)) {
        return compare(*comparisons, read.number(record));
    }
    if (const auto* text_matcher = std::get_if<TextMatcher>(&matcher)) {
        if (read.texts != nullptr) {  // holds when any of the texts matches
            const auto& texts = record.*read.texts;
            if (!texts) return Truth::Unknown;
            Truth result = Truth::False;
            for (const std::string& text : *texts) {
                const Truth truth = from_optional(text_matcher->matches(text, std::nullopt));
                if (truth == Truth::True) return Truth::True;
                if (truth == Truth::Unknown) result = Truth::Unknown;
            }
            return result;
        }
        const std::optional<std::string>& text = record.*read.text;
        if (!text) return Truth::Unknown;
        const auto& address = field == Field::Client ? session.client_address : std::optional<IpAddress>{};
        return from_optional(text_matcher->matches(*text, address));
    }
    if (const auto* instances = std::get_if<InstanceSet>(&matcher)) {
        const std::optional<SmbInstance> instance = read.instance(record);
        if (!instance) return Truth::Unknown;
        return from_bool((instances->mask >> static_cast<unsigned>(*instance)) & 1u);
    }
    const std::optional<bool> actual = read.flag(record);
    if (!actual) return Truth::Unknown;
    return from_bool(*actual == std::get<bool>(matcher));
}

std::string FieldTest::identity() const {
    if (const auto* text_matcher = std::get_if<TextMatcher>(&matcher)) {
        return std::string(field_descriptor(field).name) + " text " + text_matcher->identity();
    }
    return describe();  // numbers, instance sets and flags print exactly what they accept
}

std::string FieldTest::describe() const {
    const std::string name(field_descriptor(field).name);
    if (const auto* comparisons = std::get_if<std::vector<Comparison>>(&matcher)) {
        const ValueFormatter formatter = [this](std::uint64_t value) { return format_value(field, value); };
        std::string text;
        for (std::size_t i = 0; i < comparisons->size(); ++i) {
            if (i > 0) text += " or ";
            text += name + " " + to_string((*comparisons)[i], formatter);
        }
        return comparisons->size() > 1 ? "(" + text + ")" : text;
    }
    if (const auto* text_matcher = std::get_if<TextMatcher>(&matcher)) {
        return name + " " + text_matcher->describe();
    }
    if (const auto* instances = std::get_if<InstanceSet>(&matcher)) {
        std::string names;
        for (unsigned value = 0; value < 4; ++value) {
            if (!((instances->mask >> value) & 1u)) continue;
            if (!names.empty()) names += ", ";
            names += to_string(static_cast<SmbInstance>(value));
        }
        return name + " in (" + names + ")";
    }
    return name + " == " + (std::get<bool>(matcher) ? "true" : "false");
}

std::string Condition::describe() const {
    switch (kind) {
        case Kind::Test: return test->describe();
        case Kind::Not: return "not (" + children.front().describe() + ")";
        case Kind::All:
        case Kind::Any: {
            if (children.empty()) return kind == Kind::All ? "any session" : "no session";
            std::string text;
            for (const Condition& child : children) {
                if (!text.empty()) text += kind == Kind::All ? " and " : " or ";
                const bool needs_parentheses = child.kind != Kind::Test && child.kind != Kind::Not &&
                                               child.kind != kind && child.children.size() > 1;
                text += needs_parentheses ? "(" + child.describe() + ")" : child.describe();
            }
            return text;
        }
    }
    return "";
}

bool Condition::requires_one_of(std::initializer_list<Field> fields) const {
    switch (kind) {
        case Kind::Test:
            for (Field field : fields) {
                if (test->field == field) return true;
            }
            return false;
        case Kind::Not: return false;
        case Kind::All:
            for (const Condition& child : children) {
                if (child.requires_one_of(fields)) return true;
            }
            return false;
        case Kind::Any:
            // Every alternative must require one, or some session can match without.
            if (children.empty()) return false;
            for (const Condition& child : children) {
                if (!child.requires_one_of(fields)) return false;
            }
            return true;
    }
    return false;
}

void Condition::number_tests(std::map<std::string, std::uint32_t>& numbers) {
    if (kind == Kind::Test) {
        test->id = numbers.emplace(test->identity(), static_cast<std::uint32_t>(numbers.size())).first->second;
        return;
    }
    for (Condition& child : children) child.number_tests(numbers);
}

void Condition::collect_fields(std::vector<Field>& fields) const {
    if (kind == Kind::Test) {
        fields.push_back(test->field);
        return;
    }
    for (const Condition& child : children) child.collect_fields(fields);
}

}  // namespace smbreaper::rules
