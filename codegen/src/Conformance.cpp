#include "ioa/codegen/Conformance.h"

#include <optional>

#include "ioa/codegen/Generator.h"
#include "ioa/spec/Eval.h"

namespace ioa::codegen {

namespace {

std::vector<std::string_view> tokens(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool hexBytes(std::string_view h, std::vector<uint8_t>& out) {
  if (h.size() % 2) return false;
  out.clear();
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < h.size(); i += 2) {
    int a = nib(h[i]), b = nib(h[i + 1]);
    if (a < 0 || b < 0) return false;
    out.push_back(static_cast<uint8_t>(a * 16 + b));
  }
  return true;
}

bool toInt(std::string_view t, int64_t& v) {
  try {
    size_t used = 0;
    v = std::stoll(std::string(t), &used);
    return used == t.size();
  } catch (...) {
    return false;
  }
}

bool toUInt(std::string_view t, uint64_t& v) {
  try {
    size_t used = 0;
    v = std::stoull(std::string(t), &used);
    return used == t.size();
  } catch (...) {
    return false;
  }
}

// Enumerates the choices of the `choose` terms an effect evaluates, run after run.
// A `choose` over a domain that cannot be enumerated is offered the values of
// matching sort in the observed post-state (the evaluator checks its clause).
class ChoiceSearch : public ChoiceOracle {
 public:
  ChoiceSearch(const FlatAutomaton& a, const std::vector<Value>& post) : a_(a), post_(post) {}
  std::optional<Value> choose(const Expr* e, const std::vector<Value>* cands) override {
    size_t k = depth_++;
    std::vector<Value> hints;
    if (!cands && !e->binders.empty() && e->binders[0].var) {
      for (size_t i = 0; i < a_.state.size() && i < post_.size(); ++i)
        if (a_.state[i]->sort == e->binders[0].var->sort) hints.push_back(post_[i]);
      cands = &hints;
    }
    if (!cands || cands->empty()) return std::nullopt;
    if (k >= path_.size()) {
      path_.push_back(0);
      sizes_.push_back(cands->size());
    }
    sizes_[k] = cands->size();
    size_t i = path_[k] < cands->size() ? path_[k] : 0;
    return (*cands)[i];
  }
  void start() { depth_ = 0; }
  // Next combination; false when all were tried.
  bool next() {
    path_.resize(depth_);
    sizes_.resize(depth_);
    while (!path_.empty()) {
      if (++path_.back() < sizes_.back()) return true;
      path_.pop_back();
      sizes_.pop_back();
    }
    return false;
  }

 private:
  const FlatAutomaton& a_;
  const std::vector<Value>& post_;
  std::vector<size_t> path_, sizes_;
  size_t depth_ = 0;
};

std::string describe(const FlatAutomaton& a, const std::vector<Value>& want, const std::vector<Value>& got) {
  for (size_t k = 0; k < a.state.size() && k < want.size() && k < got.size(); ++k)
    if (!valuesEqual(want[k], got[k], a.state[k]->sort))
      return a.state[k]->name + ": the spec gives " + normalizeValue(want[k], a.state[k]->sort).toString() +
             ", the code has " + normalizeValue(got[k], a.state[k]->sort).toString();
  return "(no difference found)";
}

}  // namespace

bool parseTraceValue(Model& m, const WireFormat& w, Sort s, const std::vector<std::string_view>& toks, size_t& pos,
                     Value& out, std::string& error, const std::map<std::string, Sort>& bound) {
  if (s && (s->kind == SortKind::Param || s->kind == SortKind::Uninterp)) {
    auto it = bound.find(s->name);
    if (it == bound.end()) {
      error = "no binding for sort " + s->name;
      return false;
    }
    s = it->second;
  }
  if (pos >= toks.size()) {
    error = "trace line ends where a value of sort " + sortName(s) + " was expected";
    return false;
  }
  std::string_view t = toks[pos];
  auto expect = [&](std::string_view want) {
    if (pos < toks.size() && toks[pos] == want) {
      ++pos;
      return true;
    }
    error = "expected '" + std::string(want) + "' in a value of sort " + sortName(s) + ", found '" +
            (pos < toks.size() ? std::string(toks[pos]) : std::string("end of line")) + "'";
    return false;
  };
  auto bad = [&]() {
    error = "'" + std::string(t) + "' is not a value of sort " + sortName(s);
    return false;
  };
  switch (s->kind) {
    case SortKind::Bool:
      if (t != "t" && t != "f") return bad();
      out = Value::boolean(t == "t");
      ++pos;
      return true;
    case SortKind::Int:
    case SortKind::Nat:
    case SortKind::Range: {
      int64_t v;
      if (!toInt(t, v)) return bad();
      out = Value::integer(v);
      ++pos;
      return true;
    }
    case SortKind::UInt: {
      uint64_t v;
      if (!toUInt(t, v)) return bad();
      out = Value::uinteger(v, s->width);
      ++pos;
      return true;
    }
    case SortKind::Enum: {
      int64_t v;
      if (!toInt(t, v) || v < 0 || v >= static_cast<int64_t>(s->def->values.size())) return bad();
      out = Value::enumeration(s, static_cast<int>(v));
      ++pos;
      return true;
    }
    case SortKind::Tuple: {
      if (!expect("(")) return false;
      std::vector<Value> fs;
      for (const TypeField& f : s->def->fields) {
        Value v;
        if (!parseTraceValue(m, w, f.sort, toks, pos, v, error, bound)) return false;
        fs.push_back(std::move(v));
      }
      if (!expect(")")) return false;
      out = Value::tuple(s, std::move(fs));
      return true;
    }
    case SortKind::Union: {
      if (!expect("<")) return false;
      int64_t tag;
      if (pos >= toks.size() || !toInt(toks[pos], tag) || tag < 0 || tag >= static_cast<int64_t>(s->def->fields.size()))
        return bad();
      ++pos;
      Value v;
      if (!parseTraceValue(m, w, s->def->fields[tag].sort, toks, pos, v, error, bound)) return false;
      if (!expect(">")) return false;
      out = Value::unionOf(s, static_cast<int>(tag), std::move(v));
      return true;
    }
    case SortKind::Seq: {
      if (s->elem()->kind == SortKind::UInt && s->elem()->width == 8) {
        std::vector<uint8_t> b;
        if (t.empty() || t[0] != 'x' || !hexBytes(t.substr(1), b)) return bad();
        out = bytesValue(b);
        ++pos;
        return true;
      }
      if (!expect("[")) return false;
      std::vector<Value> el;
      while (pos < toks.size() && toks[pos] != "]") {
        Value v;
        if (!parseTraceValue(m, w, s->elem(), toks, pos, v, error, bound)) return false;
        el.push_back(std::move(v));
      }
      if (!expect("]")) return false;
      out = Value::seq(std::move(el));
      return true;
    }
    case SortKind::Set:
    case SortKind::Mset: {
      if (!expect("{")) return false;
      std::vector<Value> el;
      while (pos < toks.size() && toks[pos] != "}") {
        Value v;
        if (!parseTraceValue(m, w, s->elem(), toks, pos, v, error, bound)) return false;
        el.push_back(std::move(v));
      }
      if (!expect("}")) return false;
      if (s->kind == SortKind::Set) {
        out = Value::set(std::move(el));
      } else {
        std::vector<std::pair<Value, int64_t>> c;
        for (Value& v : el) c.emplace_back(std::move(v), 1);
        out = Value::mset(std::move(c));
      }
      return true;
    }
    case SortKind::Map:
    case SortKind::Array: {
      if (!expect("m{")) return false;
      std::vector<std::pair<Value, Value>> entries;
      std::unique_ptr<Value> dflt;
      while (pos < toks.size() && toks[pos] != "}") {
        if (toks[pos] == "*") {
          ++pos;
          Value d;
          if (!parseTraceValue(m, w, s->value(), toks, pos, d, error, bound)) return false;
          dflt = std::make_unique<Value>(std::move(d));
          continue;
        }
        Value k, v;
        if (!parseTraceValue(m, w, s->key(), toks, pos, k, error, bound)) return false;
        if (!parseTraceValue(m, w, s->value(), toks, pos, v, error, bound)) return false;
        entries.emplace_back(std::move(k), std::move(v));
      }
      if (!expect("}")) return false;
      bool dd = dflt != nullptr;
      out = Value::map(std::move(entries), std::move(dflt), dd);
      return true;
    }
    case SortKind::Msg: {
      if (t.empty() || t[0] != 'M') return bad();
      size_t dot = t.find('.');
      std::vector<uint8_t> hb, pb;
      if (dot == std::string_view::npos || !hexBytes(t.substr(1, dot - 1), hb) || !hexBytes(t.substr(dot + 1), pb))
        return bad();
      if (!w.decodeMsg(hb, pb, out, error)) return false;
      ++pos;
      return true;
    }
    default: error = "values of sort " + sortName(s) + " cannot be read from a trace"; return false;
  }
}

ConformanceReport checkTrace(Model& m, const FlatAutomaton& a, std::string_view trace, const ConformanceOptions& opts) {
  ConformanceReport rep;
  WireFormat wire(m);
  Evaluator ev(m);
  std::map<std::string, Sort> bound;
  for (const auto& [name, text] : opts.bindings) {
    std::string err;
    if (Sort s = parseSortText(m, text, err)) {
      bound[name] = s;
      ev.bindSort(name, s);
    }
  }
  Env base;
  std::vector<int> order;  // trace position -> state index
  Evaluator::State cur;
  bool haveNames = false, haveInit = false;
  size_t lineNo = 0;
  auto fail = [&](std::string msg) {
    rep.ok = false;
    rep.line = lineNo;
    rep.error = "line " + std::to_string(lineNo) + ": " + msg;
    return rep;
  };
  auto readState = [&](const std::vector<std::string_view>& toks, size_t& pos, Evaluator::State& st,
                       std::string& err) {
    st.assign(a.state.size(), Value());
    for (int idx : order) {
      Value v;
      if (!parseTraceValue(m, wire, a.state[idx]->sort, toks, pos, v, err, bound)) {
        err = a.state[idx]->name + ": " + err;
        return false;
      }
      st[idx] = std::move(v);
    }
    if (pos != toks.size()) {
      err = "extra tokens after the state";
      return false;
    }
    return true;
  };
  size_t start = 0;
  while (start < trace.size()) {
    size_t end = trace.find('\n', start);
    if (end == std::string_view::npos) end = trace.size();
    std::string_view line = trace.substr(start, end - start);
    start = end + 1;
    ++lineNo;
    if (line.empty()) continue;
    std::vector<std::string_view> toks = tokens(line);
    if (toks.empty()) continue;
    if (toks[0] == "V") {
      order.clear();
      for (size_t k = 1; k < toks.size(); ++k) {
        int idx = a.findState(std::string(toks[k]));
        if (idx < 0) return fail("state variable '" + std::string(toks[k]) + "' is not a variable of " + a.name);
        order.push_back(idx);
      }
      if (order.size() != a.state.size())
        return fail("the trace records " + std::to_string(order.size()) + " state variables, " + a.name + " has " +
                    std::to_string(a.state.size()));
      haveNames = true;
      continue;
    }
    if (!haveNames) return fail("the trace does not start with the state variable names (V line)");
    if (toks[0] == "P") {
      size_t pos = 1;
      for (const Var* p : a.params) {
        Value v;
        std::string err;
        if (!parseTraceValue(m, wire, p->sort, toks, pos, v, err, bound)) return fail("parameter " + p->name + ": " + err);
        base.set(p, std::move(v));
      }
      continue;
    }
    if (toks[0] == "I") {
      size_t pos = 1;
      std::string err;
      if (!readState(toks, pos, cur, err)) return fail("start state: " + err);
      bool isStart = false;
      if (!ev.isStart(a, cur, isStart, &base)) return fail("start condition: " + ev.error().message);
      if (!isStart) {
        Evaluator::State want;
        std::string diff = ev.startState(a, want, &base) ? describe(a, want, cur) : ev.error().message;
        return fail("the start state is not a start state of " + a.name + ": " + diff);
      }
      haveInit = true;
      continue;
    }
    if (toks[0] != "S" || toks.size() < 2) return fail("unrecognised trace line");
    if (!haveInit) return fail("a step before the start state (I line)");
    std::string action(toks[1]);
    int ai = a.findAction(action);
    if (ai < 0) return fail("'" + action + "' is not an action of " + a.name);
    const FlatAction& act = a.actions[ai];
    size_t pos = 2;
    std::vector<Value> args;
    std::string err;
    for (size_t k = 0; k < act.params.size(); ++k) {
      Value v;
      if (!parseTraceValue(m, wire, act.params[k], toks, pos, v, err, bound))
        return fail(action + " argument " + std::to_string(k + 1) + ": " + err);
      args.push_back(std::move(v));
    }
    if (pos >= toks.size() || toks[pos] != "|") return fail("expected '|' after the arguments of " + action);
    ++pos;
    Evaluator::State post;
    if (!readState(toks, pos, post, err)) return fail("state after " + action + ": " + err);
    std::string argText;
    for (size_t k = 0; k < args.size(); ++k) argText += (k ? ", " : "") + args[k].toString();
    std::string step = action + "(" + argText + ")";
    bool anyEnabled = false, accepted = false;
    std::string mismatch;
    for (const FlatTransition& t : a.transitions) {
      if (t.action != ai) continue;
      bool en = false;
      if (!ev.enabled(a, t, cur, args, en, &base))
        return fail(step + ": evaluating the precondition failed: " + ev.error().message);
      if (!en) continue;
      anyEnabled = true;
      ChoiceSearch search(a, post);
      ev.setOracle(&search);
      size_t runs = 0;
      bool more = true;
      while (more && runs < opts.maxChoiceRuns && !accepted) {
        search.start();
        Evaluator::State out;
        ++runs;
        if (!ev.apply(a, t, cur, args, out, &base)) {
          ev.setOracle(nullptr);
          return fail(step + ": the spec's effect is not defined here: " + ev.error().message);
        }
        bool same = true;
        for (size_t k = 0; k < out.size() && same; ++k) same = valuesEqual(out[k], post[k], a.state[k]->sort);
        if (same) accepted = true;
        else if (mismatch.empty()) mismatch = describe(a, out, post);
        more = search.next();
      }
      ev.setOracle(nullptr);
      if (accepted) break;
    }
    if (!accepted && !anyEnabled && act.kind == ActionKind::Input) {
      // an input no transition accepts changes nothing
      bool same = true;
      for (size_t k = 0; k < cur.size() && same; ++k) same = valuesEqual(cur[k], post[k], a.state[k]->sort);
      if (same) accepted = true;
      else mismatch = "no transition of input " + action + " applies, so the state must not change; " + describe(a, cur, post);
    }
    if (!accepted) {
      if (!anyEnabled) return fail("step " + std::to_string(rep.steps + 1) + ": " + step + " is not enabled in the spec");
      return fail("step " + std::to_string(rep.steps + 1) + ": " + step + " leads to a state the spec does not allow: " +
                  mismatch);
    }
    cur = std::move(post);
    ++rep.steps;
  }
  if (!haveInit) {
    lineNo = 0;
    return fail("the trace has no start state");
  }
  rep.ok = true;
  rep.line = 0;
  return rep;
}

}  // namespace ioa::codegen
