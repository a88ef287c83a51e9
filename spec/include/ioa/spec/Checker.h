// The sort checker: resolves names and sorts, annotates every term with its
// sort and semantic operator, enforces the IOA rules, and expands automata,
// compositions and stacks into flat automata.
#pragma once

#include <memory>

#include "ioa/spec/AST.h"
#include "ioa/spec/Diagnostics.h"
#include "ioa/spec/Model.h"

namespace ioa {

// Checks a parsed module. Always returns a model (possibly partial); errors go
// to `diags`. The AST is annotated in place.
std::unique_ptr<Model> checkModule(Module& module, std::shared_ptr<AstArena> arena, DiagnosticEngine& diags);

}  // namespace ioa
