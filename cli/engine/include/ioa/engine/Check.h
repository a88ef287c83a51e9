// Engine: checking a spec and describing what it declares. The CLI and the
// workbench call this; neither reaches into the modules on its own.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ioa/spec/Frontend.h"

namespace ioa::engine {

// A diagnostic resolved to file/line/column, ready for display.
struct Problem {
  std::string file;
  unsigned line = 0, col = 0, endLine = 0, endCol = 0;
  std::string severity;  // "error", "warning", "note"
  std::string message;
  struct Note {
    std::string file;
    unsigned line = 0, col = 0;
    std::string message;
  };
  std::vector<Note> notes;
};

// An entry of the outline: types, automata (with their actions), invariants,
// simulations and stacks, each with the place it is declared.
struct OutlineItem {
  std::string kind;  // "type", "sort", "const", "function", "automaton", "layer", "composition",
                     // "action", "invariant", "simulation", "stack"
  std::string name;
  std::string detail;  // e.g. "output receive(m: Bytes)"
  unsigned line = 0, col = 0;
  std::vector<OutlineItem> children;
};

struct CheckResult {
  std::unique_ptr<Compilation> compilation;  // null only when the file could not be read
  std::vector<Problem> problems;
  std::vector<OutlineItem> outline;
  std::string ioError;
  bool ok() const { return compilation && compilation->ok(); }
};

CheckResult checkFile(const std::string& path);
CheckResult checkText(const std::string& name, const std::string& text);

std::vector<Problem> problemsOf(const Compilation& c);
std::vector<OutlineItem> outlineOf(const Compilation& c);
std::string problemsToJson(const std::vector<Problem>& ps);
// The place a message starts with, "FILE:LINE:COL: " (FILE may hold ':'; the first ": " ends the
// place): FILE, LINE, COL and where the ':' after COL is. None when the message does not start so.
struct LeadingPlace {
  std::string file;
  unsigned line = 0, col = 0;
  size_t colon = 0;  // the ':' after COL (the message proper starts two further on)
};
std::optional<LeadingPlace> leadingPlace(const std::string& text);
// An error given as text ("t.ioa:94:16: the dn fastpath ...", "no stack named 'X'") as a problem:
// its leading place, when it has one, as the place; otherwise `file` at line 0.
Problem problemOfText(const std::string& file, const std::string& text);
// What `prove` and `optimize` print as JSON when they could not run (an unreadable file, a spec
// error, a usage error about the spec): the problems under "diagnostics", as `check --format json`
// has them, with no obligations and a zero summary (until 2026-12-05 the empty report alone, which
// read as a clean run).
std::string failedRunJson(const std::vector<Problem>& ps);

}  // namespace ioa::engine
