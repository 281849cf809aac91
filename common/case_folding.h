#pragma once

#include <string>
#include <string_view>

namespace smbreaper::common {

// UTF-8 text as characters folded for a case-insensitive comparison, the way PowerShell compares
// names: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic and full-width Latin letters fold to
// their lower case; every other character stays as it is. A byte that is not valid UTF-8 becomes
// a character of its own (U+DC80 + byte, never produced by valid text), so such names still
// compare exactly.
std::u32string fold_case(std::string_view utf8);

// One character folded as fold_case() folds it.
char32_t fold_case(char32_t character);

}  // namespace smbreaper::common
