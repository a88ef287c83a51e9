// A stack as the layered composition of its layers: each event crosses the
// generic layer interface once per layer (a call, then a dispatch on the
// layer index and one on the event's direction), each layer pushes or pops its
// own header. This is the honest modular form the optimizer starts from and
// must prove its bypass code equal to; nothing here is collapsed.
#include "Emit.h"

namespace ioa::codegen::detail {

ClassCode emitStack(Shared& sh, const Stack& st, const std::string& cls, const std::vector<const ClassCode*>& layers) {
  ClassCode out;
  out.cls = cls;
  out.header = sh.base + "_" + cls + ".h";
  out.source = sh.base + "_" + cls + ".cpp";
  out.automaton = st.automaton;
  out.isStack = true;
  for (const ClassCode* l : layers) out.layerClasses.push_back(l->cls);
  const FlatAutomaton* sa = st.automaton;
  size_t n = layers.size();
  std::string N = std::to_string(n);
  auto stepName = [&](const std::string& name, SourceRange at) {
    if (sa && sa->findAction(name) < 0)
      sh.diags.error(at, "stack " + st.name + " has no action '" + name + "' (internal error in the stack expansion?)");
    return cppString(name);
  };
  SourceRange at = st.decl ? st.decl->nameRange : SourceRange{};
  // Names of the stack automaton's actions for each crossing, for the trace.
  std::vector<std::string> stepDn(n), stepUp(n);
  for (size_t i = 0; i < n; ++i) {
    stepDn[i] = i == 0 ? stepName("dn", at) : stepName(st.layers[i].name + ".dn", at);
    stepUp[i] = i + 1 == n ? stepName("up", at) : stepName(st.layers[i].name + ".up", at);
  }
  std::string dnOut = stepName("dn_out", at), upOut = stepName("up_out", at);
  // State order must be the stack automaton's: layer by layer.
  size_t total = 0;
  for (const ClassCode* l : layers) total += l->automaton->state.size();
  if (sa && total != sa->state.size())
    sh.diags.error(at, "stack " + st.name + ": layer state does not match the expanded stack");

  std::string h, c;
  h += "// stack " + st.name + " = ";
  for (size_t i = 0; i < n; ++i) h += (i ? " ; " : "") + st.layers[i].name;
  h += "\nclass " + cls + " {\n public:\n";
  h += "  static constexpr int kLayers = " + N + ";\n";
  h += "  static constexpr uint32_t kOutbox = " + std::to_string(sh.opts.seqCapacity) + ";\n";
  h += "  static constexpr int kInternals = INTERNALS_PLACEHOLDER;  // internal actions (timers) of the layers\n";
  for (size_t i = 0; i < n; ++i)
    h += "  " + layers[i]->cls + " l" + std::to_string(i) + ";  // layer " + st.layers[i].name + "\n";
  h += "  rt::Seq<rt::Msg, kOutbox> to_app;  // up_out of the top layer: deliveries to the application\n";
  h += "  rt::Seq<rt::Msg, kOutbox> to_net;  // dn_out of the bottom layer: messages for the network\n";
  h += "  uint64_t refused = 0;              // messages from the network the bottom layer had no room for\n\n";
  h += "  bool room_dn(const rt::Msg& m) const;  // may the application send now?\n";
  h += "  void dn(const rt::Msg& m);             // input dn(m): from the application\n";
  h += "  void up(const rt::Msg& m);             // input up(m): from the network (header stack decoded)\n";
  h += "  bool tick();                           // scheduler hook: one enabled internal action of a layer\n";
  h += "  void resettle();                       // retry outputs held back for lack of room\n";
  h += "  bool held() const { return blocked_ != 0; }  // some output waits for room (resettle() has work)\n";
  h += "  void set_trace(rt::TraceOut* t);\n  void trace_state(rt::TraceOut& o) const;\n";
  h += "  static constexpr const char* kName = " + cppString(st.name) + ";\n\n";
  h += " private:\n";
  h += "  void handle(int i, const rt::Event& ev);\n  bool room(int i, const rt::Event& ev) const;\n";
  h += "  bool peek(int i, rt::Dir d, rt::Event& ev) const;\n  void fire(int i, const rt::Event& ev);\n";
  h += "  bool room_next(int i, const rt::Event& ev) const;\n  void pass(int from, const rt::Event& ev);\n";
  h += "  void settle(int i);\n  void after();\n  void trace_step(const char* name, const rt::Msg& m);\n";
  h += "  uint32_t blocked_ = 0;\n  [[maybe_unused]] uint32_t tick_next_ = 0;  // unused by a stack without internal actions\n  rt::TraceOut* trace_ = nullptr;\n};\n";

  auto sw = [&](const std::string& head, const std::string& each, const std::string& tail) {
    std::string s = head + "  switch (i) {\n";
    for (size_t i = 0; i < n; ++i) {
      std::string e = each;
      size_t p;
      while ((p = e.find("$L")) != std::string::npos) e.replace(p, 2, "l" + std::to_string(i));
      s += "    case " + std::to_string(i) + ": " + e + "\n";
    }
    return s + "  }\n" + tail;
  };
  std::string C = cls + "::";
  c += "// The generic dispatch: one switch on the layer, then the layer's own switch on the direction.\n";
  c += "void " + C + "handle(int i, const rt::Event& ev) {\n" + sw("", "$L.handle(ev); break;", "") + "}\n\n";
  c += "bool " + C + "room(int i, const rt::Event& ev) const {\n" + sw("", "return $L.room(ev);", "  return false;\n") +
       "}\n\n";
  c += "bool " + C + "peek(int i, rt::Dir d, rt::Event& ev) const {\n" +
       sw("", "return $L.peek(d, ev);", "  return false;\n") + "}\n\n";
  c += "void " + C + "fire(int i, const rt::Event& ev) {\n" + sw("", "$L.fire(ev); break;", "") + "}\n\n";
  c += "bool " + C + "room_next(int i, const rt::Event& ev) const {\n";
  c += "  int to = ev.dir == rt::Dir::Dn ? i + 1 : i - 1;\n";
  c += "  if (to < 0) return !to_app.full();\n  if (to >= kLayers) return !to_net.full();\n";
  c += "  return room(to, ev);\n}\n\n";
  c += "// Hands an output of layer `from` to its neighbour (or out of the stack), then lets the neighbour run.\n";
  c += "void " + C + "pass(int from, const rt::Event& ev) {\n";
  c += "  int to = ev.dir == rt::Dir::Dn ? from + 1 : from - 1;\n";
  c += "  if (to < 0) {\n    to_app.push_back(ev.msg);\n#if IOA_TRACE\n    trace_step(" + upOut +
       ", ev.msg);\n#endif\n    return;\n  }\n";
  c += "  if (to >= kLayers) {\n    to_net.push_back(ev.msg);\n#if IOA_TRACE\n    trace_step(" + dnOut +
       ", ev.msg);\n#endif\n    return;\n  }\n";
  c += "  handle(to, ev);\n#if IOA_TRACE\n";
  c += "  static const char* const kStepDn[kLayers] = {";
  for (size_t i = 0; i < n; ++i) c += (i ? ", " : "") + stepDn[i];
  c += "};\n  static const char* const kStepUp[kLayers] = {";
  for (size_t i = 0; i < n; ++i) c += (i ? ", " : "") + stepUp[i];
  c += "};\n  trace_step(ev.dir == rt::Dir::Dn ? kStepDn[to] : kStepUp[to], ev.msg);\n#endif\n";
  c += "  settle(to);\n}\n\n";
  c += "// Runs layer i's enabled outputs until none is left (or the receiver has no room).\n";
  c += "void " + C + "settle(int i) {\n  rt::Event ev;\n  for (;;) {\n    bool moved = false;\n";
  for (const char* d : {"Dn", "Up"}) {
    c += "    if (peek(i, rt::Dir::" + std::string(d) + ", ev)) {\n";
    c += "      if (room_next(i, ev)) {\n        fire(i, ev);\n        pass(i, ev);\n        moved = true;\n";
    c += "      } else {\n        blocked_ |= 1u << i;\n      }\n    }\n";
  }
  c += "    if (!moved) return;\n  }\n}\n\n";
  c += "void " + C + "after() {\n  if (blocked_) resettle();\n}\n\n";
  c += "void " + C + "resettle() {\n  for (int round = 0; blocked_ && round < kLayers; ++round) {\n";
  c += "    uint32_t b = blocked_;\n    blocked_ = 0;\n";
  c += "    for (int i = 0; i < kLayers; ++i)\n      if (b & (1u << i)) settle(i);\n";
  c += "    if (blocked_ == b) break;\n  }\n}\n\n";
  c += "bool " + C + "room_dn(const rt::Msg& m) const {\n  return l0.room_from_above(m);\n}\n\n";
  c += "void " + C + "dn(const rt::Msg& m) {\n  rt::Event ev;\n  ev.dir = rt::Dir::Dn;\n  ev.msg = m;\n";
  c += "  handle(0, ev);\n#if IOA_TRACE\n  trace_step(" + stepDn[0] + ", m);\n#endif\n  settle(0);\n  after();\n}\n\n";
  c += "void " + C + "up(const rt::Msg& m) {\n  rt::Event ev;\n  ev.dir = rt::Dir::Up;\n  ev.msg = m;\n";
  c += "  if (!room(kLayers - 1, ev)) {\n    ++refused;\n    return;\n  }\n";
  c += "  handle(kLayers - 1, ev);\n#if IOA_TRACE\n  trace_step(" + stepUp[n - 1] +
       ", m);\n#endif\n  settle(kLayers - 1);\n  after();\n}\n\n";
  // internal actions of the layers, reachable through tick()
  struct Internal {
    size_t layer;
    const ActionCode* ac;
  };
  std::vector<Internal> internals;
  for (size_t i = 0; i < n; ++i)
    for (const ActionCode& ac : layers[i]->actions)
      if (ac.kind == ActionKind::Internal) internals.push_back({i, &ac});
  c += "bool " + C + "tick() {\n";
  if (internals.empty()) {
    c += "  return false;\n}\n\n";
  } else {
    c += "  const uint32_t count = " + std::to_string(internals.size()) + ";\n";
    c += "  for (uint32_t k = 0; k < count; ++k) {\n    uint32_t j = (tick_next_ + k) % count;\n    switch (j) {\n";
    for (size_t k = 0; k < internals.size(); ++k) {
      const Internal& in = internals[k];
      std::string L = "l" + std::to_string(in.layer);
      std::string A = layers[in.layer]->cls + "::" + in.ac->id + "_args";
      std::string name = stepName(st.layers[in.layer].name + "." + in.ac->name, at);
      c += "      case " + std::to_string(k) + ": {\n        " + A + " a;\n        if (" + L + ".enabled_" + in.ac->id +
           "(a) && " + L + ".room_" + in.ac->id + "(a)) {\n          " + L + ".fire_" + in.ac->id + "(a);\n";
      c += "#if IOA_TRACE\n          if (trace_) {\n            trace_->begin_step(" + name + ");\n            " +
           layers[in.layer]->cls + "::tw_args(*trace_, a);\n            trace_->state_sep();\n";
      c += "            trace_state(*trace_);\n            trace_->end_line();\n          }\n#endif\n";
      c += "          tick_next_ = j + 1;\n          settle(" + std::to_string(in.layer) +
           ");\n          after();\n          return true;\n        }\n        break;\n      }\n";
    }
    c += "      default: break;\n    }\n  }\n  return false;\n}\n\n";
  }
  c += "void " + C + "set_trace(rt::TraceOut* t) {\n  trace_ = t;\n  if (!t) return;\n  t->begin_names();\n";
  if (sa)
    for (const Var* v : sa->state) c += "  t->name(" + cppString(v->name) + ");\n";
  c += "  t->end_line();\n  t->begin_init();\n  trace_state(*t);\n  t->end_line();\n}\n\n";
  c += "void " + C + "trace_state(rt::TraceOut& o) const {\n";
  for (size_t i = 0; i < n; ++i) c += "  l" + std::to_string(i) + ".trace_state(o);\n";
  c += "}\n\n";
  c += "void " + C + "trace_step(const char* name, const rt::Msg& m) {\n  if (!trace_) return;\n";
  c += "  trace_->begin_step(name);\n  tw(*trace_, m);\n  trace_->state_sep();\n  trace_state(*trace_);\n";
  c += "  trace_->end_line();\n}\n\n";
  size_t ph = h.find("INTERNALS_PLACEHOLDER");
  h.replace(ph, std::string("INTERNALS_PLACEHOLDER").size(), std::to_string(internals.size()));
  out.headerText = h;
  out.sourceText = c;
  return out;
}

}  // namespace ioa::codegen::detail
