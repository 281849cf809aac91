#include "rules/explain.h"

namespace smbreaper::rules {

std::string explain_rule(const Rule& rule) {
    std::string line = std::string(to_string(rule.action)) + " " + rule.name + ": " + rule.match.describe();
    if (!rule.exceptions.empty()) {
        line += " except ";
        for (std::size_t i = 0; i < rule.exceptions.size(); ++i) {
            if (i > 0) line += " or ";
            const Condition& exception = rule.exceptions[i];
            const bool compound = exception.kind == Condition::Kind::All && exception.children.size() > 1;
            line += compound ? "(" + exception.describe() + ")" : exception.describe();
        }
    }
    if (rule.files) line += " files " + rule.files->describe();
    if (rule.when) line += " when " + rule.when->describe();
    if (rule.allow_open_files) line += " [allow_open_files]";
    if (!rule.enabled) line += " [disabled]";
    return line;
}

}  // namespace smbreaper::rules
