// What a counterexample view needs beyond the engine's CounterexampleView:
// the components of the automaton (lifelines of the sequence chart), for each
// action the component that controls it, the ones that take it as input and
// where its transition is written, and, for simulations, which variables are
// the abstract automaton's. Read from the checked model of the proved text;
// display data only (see the report: the engine's counterexample should carry it).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ioa/engine/Check.h"
#include "ioa/engine/Prove.h"

namespace ioa::gui {

struct TraceAction {
  std::string owner;                   // component that controls it; "" = the environment (an input)
  std::vector<std::string> receivers;  // components that take it as an input
  bool external = false;               // an input or output of the automaton (the environment sees it)
  unsigned line = 0, col = 0;          // its (first) transition in the spec
};

struct TraceContext {
  std::vector<std::string> components;  // in declaration order; empty for a primitive automaton
  std::string abstractAutomaton;        // simulations and refinements: the `to` side
  std::vector<std::string> abstractPrefixes;  // "Channel." ...: its variables in counterexamples
  std::map<std::string, TraceAction> actions;

  bool isAbstractVariable(const std::string& name) const;
};

TraceContext traceContextFor(const engine::CheckResult& check, const engine::ObligationInfo& info);

}  // namespace ioa::gui
