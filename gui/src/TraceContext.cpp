#include "TraceContext.h"

namespace ioa::gui {

bool TraceContext::isAbstractVariable(const std::string& name) const {
  for (const std::string& p : abstractPrefixes)
    if (name.rfind(p, 0) == 0) return true;
  return false;
}

namespace {

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

void describeActions(const Compilation& c, const FlatAutomaton& a, TraceContext& out) {
  for (const FlatTransition& t : a.transitions) {
    if (t.action < 0 || static_cast<size_t>(t.action) >= a.actions.size()) continue;
    const FlatAction& act = a.actions[static_cast<size_t>(t.action)];
    if (out.actions.count(act.name)) continue;  // the first transition stands for the action
    TraceAction ta;
    ta.external = act.kind != ActionKind::Internal;
    // Expansion lists the controlling component first; an input of the
    // composition has none (every listed component receives it).
    size_t first = 0;
    if (act.kind != ActionKind::Input && !t.components.empty()) {
      ta.owner = t.components[0];
      first = 1;
    }
    for (size_t i = first; i < t.components.size(); ++i) ta.receivers.push_back(t.components[i]);
    if (t.range.valid()) {
      LineCol lc = c.sources.lineCol(t.range);
      ta.line = lc.line;
      ta.col = lc.col;
    }
    out.actions.emplace(act.name, std::move(ta));
  }
}

}  // namespace

TraceContext traceContextFor(const engine::CheckResult& check, const engine::ObligationInfo& info) {
  TraceContext out;
  if (!check.compilation || !check.compilation->model) return out;
  const Compilation& c = *check.compilation;
  const Model& m = *c.model;
  const FlatAutomaton* a = m.findAutomaton(info.automaton);
  if (!a) return out;
  for (const FlatComponent& comp : a->components) out.components.push_back(comp.name);
  describeActions(c, *a, out);
  for (const Simulation& s : m.simulations) {
    if (!s.from || !s.to || s.from != a || !endsWith(info.subject, " -> " + s.to->name)) continue;
    out.abstractAutomaton = s.to->name;
    out.abstractPrefixes = {s.to->name + "."};
    if (s.to->declName != s.to->name) out.abstractPrefixes.push_back(s.to->declName + ".");
    describeActions(c, *s.to, out);  // abstract actions the trace may name (fired fragments)
    break;
  }
  return out;
}

}  // namespace ioa::gui
