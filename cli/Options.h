// Validators for the subcommands' option values, in the words of the spec errors: what was
// expected, what was found.
#pragma once

#include <CLI/CLI.hpp>
#include <regex>
#include <string>

namespace ioa::cli {

// A whole number from lo to hi. (CLI11's Range said "Value abc not in range 1 to 86400000" for a
// value that is no number at all.)
inline CLI::Validator wholeNumber(unsigned lo, unsigned hi) {
  return CLI::Validator(
      [lo, hi](std::string& v) -> std::string {
        const std::string range = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
        bool digits = !v.empty() && v.size() <= 19 && v.find_first_not_of("0123456789") == std::string::npos;
        if (!digits) return "expected " + range + ", found '" + v + "'";
        unsigned long long n = std::stoull(v);
        if (n < lo || n > hi) return "expected " + range + ", found " + v;
        return {};
      },
      "UINT in [" + std::to_string(lo) + " - " + std::to_string(hi) + "]");
}

// A folder to write into: not an empty name ("cannot create : Invalid argument" until 2026-12-05).
inline CLI::Validator folderName() {
  return CLI::Validator(
      [](std::string& v) -> std::string { return v.empty() ? "expected a folder, found an empty name" : std::string(); },
      "DIR");
}

// A C++ namespace name (`my_app::net`), checked before any work: until 2026-12-05 '1bad name' went
// into the generated code, and Clang's errors about it named files that exist nowhere.
inline CLI::Validator namespaceName() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        static const std::regex name("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*");
        if (std::regex_match(v, name)) return {};
        return "'" + v + "' is not a C++ namespace name (letters, digits and '_', not starting with a digit, "
               "parts joined by '::', e.g. my_app::net)";
      },
      "NAME");
}

}  // namespace ioa::cli
