// Conformance of generated code to its spec: a trace recorded by the
// generated code (IOA_TRACE=1, format in runtime/ioa/rt/trace.h) is replayed
// against the checked model with the interpreter (ioa/spec/Eval.h). The start
// state must satisfy the start condition, and every observed step must be a
// transition of the spec from the current state: the action enabled with the
// observed arguments, and the observed state after it one the effect can
// produce (searching the choices of `choose`).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ioa/codegen/WireFormat.h"
#include "ioa/spec/Model.h"
#include "ioa/spec/Value.h"

namespace ioa::codegen {

struct ConformanceOptions {
  std::map<std::string, std::string> bindings;  // as for generation (--bind)
  size_t maxChoiceRuns = 4096;                  // effect runs tried per step when it has `choose`
};

struct ConformanceReport {
  bool ok = false;
  size_t steps = 0;  // steps replayed successfully
  size_t line = 0;   // 1-based trace line of the first problem (0: none)
  std::string error;
};

ConformanceReport checkTrace(Model& m, const FlatAutomaton& a, std::string_view trace,
                             const ConformanceOptions& opts = {});

// Reads one value of sort `s` written by the generated code's trace writers,
// starting at token `pos` (advanced past it).
bool parseTraceValue(Model& m, const WireFormat& w, Sort s, const std::vector<std::string_view>& toks, size_t& pos,
                     Value& out, std::string& error, const std::map<std::string, Sort>& bound = {});

}  // namespace ioa::codegen
