#pragma once

#include <iosfwd>
#include <string_view>

namespace smbreaper::cli {

// PowerShell's confirmation prompt, as Close-SmbSession shows it for each session:
//
//   Confirm
//   Are you sure you want to perform this action?
//   Performing operation 'Close-Session' on Target '12'.
//   [Y] Yes  [A] Yes to All  [N] No  [L] No to All  [?] Help (default is "Y"):
//
// An answer is a letter or its label, in any case; an empty line is the default, Yes. "Yes to
// All" and "No to All" answer every later question without asking. `?` explains the choices;
// anything else asks again. The end of the input counts as No to All: nothing is done on doubt.
// (PowerShell also offers [S] Suspend, a nested prompt this program does not have.)
class ConfirmationPrompt {
public:
    ConfirmationPrompt(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

    // True when the operation on this target may go ahead.
    bool confirm(std::string_view operation, std::string_view target);

private:
    enum class Standing { Ask, YesToAll, NoToAll };

    std::istream& in_;
    std::ostream& out_;
    Standing standing_ = Standing::Ask;
};

}  // namespace smbreaper::cli
