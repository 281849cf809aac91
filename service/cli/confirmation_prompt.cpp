#include "service/cli/confirmation_prompt.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

namespace smbreaper::cli {
namespace {

enum class Choice { Yes, YesToAll, No, NoToAll };

struct Option {
    Choice choice;
    std::string_view letter;
    std::string_view label;
    std::string_view help;
};

constexpr std::array<Option, 4> kOptions{{
    {Choice::Yes, "Y", "Yes", "Continue with only the next step of the operation."},
    {Choice::YesToAll, "A", "Yes to All", "Continue with all the steps of the operation."},
    {Choice::No, "N", "No", "Skip this operation and proceed with the next operation."},
    {Choice::NoToAll, "L", "No to All", "Skip this operation and all subsequent operations."},
}};

constexpr std::string_view kChoices = "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): ";

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

std::optional<Choice> parse_choice(std::string_view answer) {
    if (answer.empty()) return Choice::Yes;
    for (const Option& option : kOptions) {
        if (same_ignoring_case(answer, option.letter) || same_ignoring_case(answer, option.label)) return option.choice;
    }
    return std::nullopt;
}

}  // namespace

bool ConfirmationPrompt::confirm(std::string_view operation, std::string_view target) {
    if (standing_ == Standing::YesToAll) return true;
    if (standing_ == Standing::NoToAll) return false;

    out_ << "\nConfirm\nAre you sure you want to perform this action?\nPerforming operation '" << operation
         << "' on Target '" << target << "'.\n";
    while (true) {
        out_ << kChoices << std::flush;
        std::string line;
        if (!std::getline(in_, line)) {
            out_ << "\n" << std::flush;
            standing_ = Standing::NoToAll;
            return false;
        }
        const std::string_view answer = trimmed(line);
        if (answer == "?") {
            for (const Option& option : kOptions) out_ << option.letter << " - " << option.help << "\n";
            continue;
        }
        const std::optional<Choice> choice = parse_choice(answer);
        if (!choice) continue;
        switch (*choice) {
            case Choice::Yes: return true;
            case Choice::YesToAll: standing_ = Standing::YesToAll; return true;
            case Choice::No: return false;
            case Choice::NoToAll: standing_ = Standing::NoToAll; return false;
        }
    }
}

}  // namespace smbreaper::cli
