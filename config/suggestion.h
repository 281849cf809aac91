#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace smbreaper::config {

// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
std::optional<std::string> closest_match(std::string_view word, std::span<const std::string_view> candidates);

// " (did you mean 'user'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace smbreaper::config
