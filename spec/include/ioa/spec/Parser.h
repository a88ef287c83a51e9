// Recursive-descent parser for the IOA dialect with error recovery: after an
// error it skips to the next transition, section or top-level declaration, so
// one run reports several independent errors.
#pragma once

#include "ioa/spec/AST.h"
#include "ioa/spec/Diagnostics.h"

namespace ioa {

// Parses file `fileId` of the diagnostics' SourceManager. Never throws; errors
// go to `diags`. The returned module holds whatever declarations parsed.
Module parseFile(uint32_t fileId, AstArena& arena, DiagnosticEngine& diags);

// Parses a single term (used by tests and by tools that take predicates on the
// command line). Returns nullptr after reporting an error.
Expr* parseTerm(uint32_t fileId, AstArena& arena, DiagnosticEngine& diags);

}  // namespace ioa
