#include <catch2/catch.hpp>

#include <sstream>

#include "service/cli/confirmation_prompt.h"

using smbreaper::cli::ConfirmationPrompt;

using smbreaper::cli::ConfirmationPrompt;

namespace {

// Asks about targets 1..count with the given typed lines; returns which were confirmed.
std::string answers(const std::string& typed, int count, std::string* shown = nullptr) {
    std::istringstream in(typed);
    std::ostringstream out;
    ConfirmationPrompt prompt(in, out);
    std::string confirmed;
    for (int target = 1; target <= count; ++target) {
        confirmed += prompt.confirm("Close-Session", std::to_string(target)) ? 'y' : 'n';
    }
    if (shown) *shown = out.str();
    return confirmed;
}

}  // namespace

TEST_CASE("the prompt looks like PowerShell's", "[prompt]") {
    std::string shown;
    answers("y\n", 1, &shown);
    CHECK(shown ==
          "\nConfirm\n"
          "Are you sure you want to perform this action?\n"
          "Performing operation 'Close-Session' on Target '1'.\n"
          "[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is \"Y\"): ");
}

TEST_CASE("Yes and No answer one question each", "[prompt]") {
    CHECK(answers("y\nn\nY\nN\n", 4) == "ynyn");
    CHECK(answers("yes\nNO\n", 2) == "yn");
}

TEST_CASE("an empty answer is the default, Yes", "[prompt]") { CHECK(answers("\n  \nn\n", 3) == "yyn"); }

TEST_CASE("Yes to All and No to All answer every later question without asking", "[prompt]") {
    std::string shown;
    CHECK(answers("n\na\n", 4, &shown) == "nyyy");
    CHECK(shown.find("Target '3'") == std::string::npos);
    CHECK(answers("y\nl\n", 4, &shown) == "ynnn");
    CHECK(shown.find("Target '3'") == std::string::npos);
    CHECK(answers("Yes to All\n", 3) == "yyy");
    CHECK(answers("no to all\n", 3) == "nnn");
}

TEST_CASE("? explains the choices and anything else asks again", "[prompt]") {
    std::string shown;
    CHECK(answers("?\nmaybe\nn\n", 1, &shown) == "n");
    CHECK(shown.find("Y - Continue with only the next step of the operation.\n") != std::string::npos);
    CHECK(shown.find("L - Skip this operation and all subsequent operations.\n") != std::string::npos);
    std::size_t choices = 0;
    for (std::size_t at = shown.find("[Y] Yes"); at != std::string::npos; at = shown.find("[Y] Yes", at + 1)) ++choices;
    CHECK(choices == 3);
}

TEST_CASE("the end of the input declines this one and every later one", "[prompt]") {
    CHECK(answers("y\n", 3) == "ynn");
    CHECK(answers("", 2) == "nn");
}
