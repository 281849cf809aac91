#include <catch2/catch.hpp>

#include <re2/re2.h>

#include <random>
#include <string>
#include <variant>
#include <vector>

#include "rules/regex.h"

using smbreaper::rules::Regex;
using smbreaper::rules::RegexProblem;

using namespace smbreaper;

namespace {

Regex compiled(const std::string& expression) {
    auto result = Regex::compile(expression);
    REQUIRE(std::holds_alternative<Regex>(result));
    return std::get<Regex>(std::move(result));
}

RegexProblem refused(const std::string& expression) {
    auto result = Regex::compile(expression);
    REQUIRE(std::holds_alternative<RegexProblem>(result));
    return std::get<RegexProblem>(result);
}

}  // namespace

TEST_CASE("a regex matches the whole value, without case", "[regex]") {
    const Regex svc = compiled(R"(CORP\\svc_[a-z]+\d*)");
    CHECK(svc.matches("corp\\SVC_backup42") == true);
    CHECK(svc.matches("xCORP\\svc_backup") == false);  // the whole value, not a part
    CHECK(svc.matches("CORP\\svc_backup-old") == false);
    CHECK(compiled("jörg").matches("JÖRG") == true);  // letters beyond ASCII fold too
    CHECK(compiled("a.c").matches("a\xC3\xB6"
                                  "c") == true);  // . is one character, not one byte
}

TEST_CASE("a value that is not UTF-8 is unknown to a regex", "[regex]") {
    const Regex any = compiled("svc_.*");
    CHECK_FALSE(any.matches("svc_\xff").has_value());
    CHECK_FALSE(any.matches("\xC3").has_value());              // truncated
    CHECK_FALSE(any.matches("svc_\xC0\xAF").has_value());      // overlong
    CHECK_FALSE(any.matches("svc_\xED\xA0\x80").has_value());  // a surrogate
    CHECK(any.matches("svc_ok") == true);
}

TEST_CASE("matching takes linear time whatever the pattern", "[regex]") {
    // Each of these stalls a backtracking matcher for minutes at a few dozen characters.
    const std::string long_run(200'000, 'a');
    CHECK(compiled("(a+)+$").matches(long_run + "!") == false);
    CHECK(compiled("(a|a)*b").matches(long_run) == false);
    CHECK(compiled("(a*)*c").matches(long_run) == false);
    CHECK(compiled("(.*a){20}").matches(long_run) == true);
}

TEST_CASE("what RE2 does not support is refused with what to write instead", "[regex]") {
    const RegexProblem lookahead = refused("svc_(?!test).*");
    CHECK(lookahead.offset == 4);
    CHECK(lookahead.instead.find("lookahead and lookbehind are not supported") != std::string::npos);
    CHECK(refused("(?<=a)b").instead.find("lookahead and lookbehind") != std::string::npos);
    const RegexProblem backreference = refused("(ws)-\\1");
    CHECK(backreference.offset == 5);
    CHECK(backreference.instead.find("backreferences are not supported") != std::string::npos);
    CHECK(refused("[a-").instead.find("close the character class") != std::string::npos);
    CHECK(refused("(a").instead.find("close the group") != std::string::npos);
    CHECK(refused("a)").instead.find("remove the )") != std::string::npos);
    CHECK(refused("*a").instead.find("quantifier") != std::string::npos);
    CHECK(refused("a{1001}").instead.find("up to 1000") != std::string::npos);
    CHECK(refused("bad\xff").message.find("UTF-8") != std::string::npos);
    CHECK(refused(std::string(Regex::max_pattern_length + 1, 'a')).message.find("longer than") != std::string::npos);
    CHECK(std::holds_alternative<Regex>(Regex::compile(std::string(Regex::max_pattern_length, 'a'))));
}

TEST_CASE("copies share the compiled expression", "[regex]") {
    const Regex original = compiled("lab-\\d+");
    const Regex copy = original;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
    CHECK(copy.expression() == "lab-\\d+");
    CHECK(copy.matches("LAB-7") == true);
}

TEST_CASE("the prefilter never turns away a value RE2 itself would match", "[regex][prefilter]") {
    // Regex::matches skips RE2 when the literal texts RE2's own prefilter requires are absent.
    // Compared here with a plain RE2 full match, over patterns with literals, classes,
    // alternations and repetitions, and values made of their pieces in mixed case.
    const std::vector<std::string> patterns = {R"(CORP\\[a-c]wilson\d*)",
                                               R"(svc_.*)",
                                               R"(.*svc_.*)",
                                               R"((?:lab|dev)-\d+)",
                                               R"(ws-(x|y)+z)",
                                               R"(ab{2,3}c)",
                                               R"(a.*b.*c)",
                                               R"((?:corp|contoso)\\[^$]+)",
                                               R"(x?yz)",
                                               R"(k)",
                                               R"(.*s.*)"};
    const std::vector<std::string> pieces = {
        "CORP\\", "corp\\", "a", "B", "c", "wilson", "WILSON", "svc_",    "SVC_",         "lab", "dev",
        "-",      "7",      "x", "Y", "z", "bb",     "$",      "contoso", "\xE2\x84\xAA", "s",   "k"};
    std::mt19937 random(42);
    re2::RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    std::size_t matched = 0;
    for (const std::string& pattern : patterns) {
        const Regex regex = compiled(pattern);
        const re2::RE2 plain(pattern, options);
        REQUIRE(plain.ok());
        for (int i = 0; i < 3000; ++i) {
            std::string text;
            const int count = static_cast<int>(random() % 5);
            for (int k = 0; k < count; ++k) text += pieces[random() % pieces.size()];
            const bool expected = re2::RE2::FullMatch(text, plain);
            INFO(pattern << " against " << text);
            CHECK(regex.matches(text) == expected);
            matched += expected ? 1 : 0;
        }
    }
    CHECK(matched > 500);  // the values do reach the matches, not only the misses
}

TEST_CASE("letters beyond ASCII that fold onto ASCII ones still match", "[regex][prefilter]") {
    // The Kelvin sign folds to k and the long s to s: a value holding them is given to RE2
    // whatever its ASCII letters say.
    CHECK(compiled("k").matches("\xE2\x84\xAA") == true);
    CHECK(compiled("svc_.*").matches("\xC5\xBFvc_backup") == true);
}
