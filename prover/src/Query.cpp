#include "ioa/prover/Query.h"

namespace ioa::prover {

const char* sideKindName(SideKind k) {
  switch (k) {
    case SideKind::Partial: return "partial";
    case SideKind::Narrowing: return "narrowing";
    case SideKind::Choose: return "choose";
    case SideKind::Enabled: return "enabled";
    case SideKind::Trace: return "trace";
  }
  return "?";
}

bool isSmallFiniteSort(Sort s) {
  switch (s->kind) {
    case SortKind::Bool: return true;
    case SortKind::Enum: return s->def && !s->def->values.empty();
    case SortKind::Range: return s->hi >= s->lo && s->hi - s->lo + 1 <= kSmallFiniteMax;
    default: return false;
  }
}

namespace {
Step make(Step::Kind k) {
  Step s;
  s.kind = k;
  return s;
}
}  // namespace

Query& Query::havoc(std::vector<const Var*> vars, std::string tag) {
  Step s = make(Step::Kind::Havoc);
  s.vars = std::move(vars);
  s.tag = std::move(tag);
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::start(const FlatAutomaton* a, SidePolicy p) {
  Step s = make(Step::Kind::Start);
  s.aut = a;
  s.policy = p;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::startGoal(const FlatAutomaton* a, const Block* witness, bool useCurrent) {
  Step s = make(Step::Kind::StartGoal);
  s.aut = a;
  s.block = witness;
  s.useCurrent = useCurrent;
  s.policy = SidePolicy::proveAll();
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::bind(const Var* v, const Expr* e, SidePolicy p) {
  Step s = make(Step::Kind::Bind);
  s.var = v;
  s.expr = e;
  s.policy = p;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::assume(const Expr* e, std::string label, SidePolicy p, Reach reach) {
  Step s = make(Step::Kind::Assume);
  s.expr = e;
  s.label = std::move(label);
  s.policy = p;
  s.reach = reach;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::goal(const Expr* e, std::string label, SourceRange r, SidePolicy p) {
  Step s = make(Step::Kind::Goal);
  s.expr = e;
  s.label = std::move(label);
  s.range = r;
  s.policy = p;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::wdGoal(const Expr* e, std::string label) {
  Step s = make(Step::Kind::WdGoal);
  s.expr = e;
  s.label = std::move(label);
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::action(const FlatAutomaton* a, int transition, SidePolicy p) {
  Step s = make(Step::Kind::Action);
  s.aut = a;
  s.transition = transition;
  s.policy = p;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::effect(const FlatAutomaton* a, int transition, SidePolicy p, bool assumeEnsuring) {
  Step s = make(Step::Kind::Effect);
  s.aut = a;
  s.transition = transition;
  s.policy = p;
  s.assumeEnsuring = assumeEnsuring;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::ensuringGoal(const FlatAutomaton* a, int transition) {
  Step s = make(Step::Kind::EnsuringGoal);
  s.aut = a;
  s.transition = transition;
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::exec(const Block* b, const FlatAutomaton* fireTarget, SidePolicy p, ExpectedTrace expect, SourceRange at) {
  Step s = make(Step::Kind::Exec);
  s.range = at;
  s.block = b;
  s.aut = fireTarget;
  s.policy = p;
  s.expect = std::move(expect);
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::anyTransition(const FlatAutomaton* a, const FlatAutomaton* abstractAut, std::vector<Fragment> fragments,
                            bool checkDefined) {
  Step s = make(Step::Kind::AnyTransition);
  s.checkDefined = checkDefined;
  s.aut = a;
  s.abstractAut = abstractAut;
  s.fragments = std::move(fragments);
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::snapshot(std::string label, std::vector<const Var*> vars, std::vector<std::string> names) {
  Step s = make(Step::Kind::Snapshot);
  s.label = std::move(label);
  s.vars = std::move(vars);
  s.names = std::move(names);
  steps.push_back(std::move(s));
  return *this;
}

Query& Query::checkpoint() {
  steps.push_back(make(Step::Kind::Checkpoint));
  return *this;
}

}  // namespace ioa::prover
