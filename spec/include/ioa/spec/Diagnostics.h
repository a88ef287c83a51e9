// Diagnostics a user can act on: file:line:col, a message, the source line
// with a caret, and notes pointing at related places.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ioa/spec/Source.h"

namespace ioa {

enum class Severity { Error, Warning, Note };

struct DiagNote {
  SourceRange range;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceRange range;
  std::string message;
  std::vector<DiagNote> notes;
};

class DiagnosticEngine {
 public:
  explicit DiagnosticEngine(const SourceManager& sm, size_t errorLimit = 50)
      : sm_(sm), errorLimit_(errorLimit) {}

  Diagnostic& error(SourceRange r, std::string msg);
  Diagnostic& warning(SourceRange r, std::string msg);
  // Adds a diagnostic; errors beyond the limit are counted but dropped.
  Diagnostic& report(Diagnostic d);

  // After syntax errors the checker sees a partial tree; its warnings would mostly be echoes.
  void setSuppressWarnings(bool s) { suppressWarnings_ = s; }
  size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ > 0; }
  bool limitReached() const { return errors_ >= errorLimit_; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  // The diagnostics by place (file, then offset; those without a place first), as reported
  // to users: the lexer's errors come before the parser's, which read in line order.
  std::vector<const Diagnostic*> inSourceOrder() const;
  const SourceManager& sources() const { return sm_; }

  // "file:line:col: error: message" + source line + caret, notes likewise.
  std::string renderText(const Diagnostic& d) const;
  std::string renderAllText() const;
  // {"file","line","col","severity","message","notes":[{"file","line","col","message"}]}
  std::string renderJsonObject(const Diagnostic& d) const;

 private:
  const SourceManager& sm_;
  size_t errorLimit_;
  size_t errors_ = 0;
  std::vector<Diagnostic> diags_;
  Diagnostic overflow_;  // sink for diagnostics beyond the limit and suppressed warnings
  bool suppressWarnings_ = false;
};

std::string jsonEscape(std::string_view s);

// Optimal string alignment distance (insertions, deletions, substitutions and
// transpositions of adjacent letters each cost 1), ignoring case.
size_t editDistance(std::string_view a, std::string_view b);
// The index of the candidate that `word` most likely misspells: within edit distance 1
// (2 for candidates longer than four letters), or the same ignoring case; the first of
// equally close ones; candidates.size() when none is close. For "did you mean" hints.
size_t closestSpelling(std::string_view word, const std::vector<std::string_view>& candidates);
// "; did you mean 'X'?" for the closest candidate, or "" when none is close.
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates);
const char* severityName(Severity s);

}  // namespace ioa
