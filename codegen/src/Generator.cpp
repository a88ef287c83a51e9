// The generator's driver: picks what to generate, runs the emitters, and lays
// out the files (types header, one header and source per class, the harness,
// a CMakeLists.txt, the runtime).
#include "ioa/codegen/Generator.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "Emit.h"
#include "ioa/spec/Build.h"

namespace ioa::codegen {

using namespace detail;

static std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

Sort parseSortText(Model& m, const std::string& text0, std::string& error) {
  std::string text = trim(text0);
  SortTable& st = m.sorts;
  if (text == "Bool") return st.boolean();
  if (text == "Int") return st.integer();
  if (text == "Nat") return st.nat();
  if (text == "Msg") return st.msg();
  if (text == "Bytes") return st.bytes();
  if (text == "UInt8") return st.uint(8);
  if (text == "UInt16") return st.uint(16);
  if (text == "UInt32") return st.uint(32);
  if (text == "UInt64") return st.uint(64);
  auto inner = [&](const std::string& pre) -> std::string {
    if (text.rfind(pre + "[", 0) == 0 && text.back() == ']') return text.substr(pre.size() + 1, text.size() - pre.size() - 2);
    return "";
  };
  if (text.rfind("Int[", 0) == 0 && text.back() == ']') {
    std::string r = text.substr(4, text.size() - 5);
    size_t dots = r.find("..");
    if (dots == std::string::npos) {
      error = "expected Int[lo..hi]";
      return nullptr;
    }
    try {
      int64_t lo = std::stoll(trim(r.substr(0, dots))), hi = std::stoll(trim(r.substr(dots + 2)));
      if (hi < lo) {
        error = "empty range";
        return nullptr;
      }
      return st.range(lo, hi);
    } catch (...) {
      error = "bad bounds in " + text;
      return nullptr;
    }
  }
  for (const char* c : {"Seq", "Set", "Mset"}) {
    std::string in = inner(c);
    if (in.empty()) continue;
    Sort e = parseSortText(m, in, error);
    if (!e) return nullptr;
    return std::string(c) == "Seq" ? st.seq(e) : std::string(c) == "Set" ? st.set(e) : st.mset(e);
  }
  for (const TypeDef* d : m.types)
    if (d->name == text) return st.named(d);
  error = "unknown sort '" + text + "' (use Bool, Int, Nat, UIntN, Bytes, Int[lo..hi], Seq[..], or a declared type)";
  return nullptr;
}

namespace {

bool sortHasUnbound(const TypeMap& t, Sort s) {
  s = t.resolve(s);
  if (!s) return false;
  if (s->kind == SortKind::Param || s->kind == SortKind::Uninterp) return true;
  for (Sort a : s->args)
    if (sortHasUnbound(t, a)) return true;
  return false;
}

bool automatonHasUnbound(const TypeMap& t, const FlatAutomaton& a) {
  for (const Var* v : a.state)
    if (sortHasUnbound(t, v->sort)) return true;
  for (const FlatAction& act : a.actions)
    for (Sort s : act.params)
      if (sortHasUnbound(t, s)) return true;
  for (const Var* p : a.params)
    if (sortHasUnbound(t, p->sort)) return true;
  return false;
}

// Variables an automaton reads that it does not bind: the index of a
// component array, left in the instantiation made for the composition.
bool hasFreeVariables(const FlatAutomaton& a) {
  std::set<const Var*> bound(a.state.begin(), a.state.end());
  bound.insert(a.params.begin(), a.params.end());
  std::vector<const Expr*> roots;
  std::function<void(const Block&)> stmts = [&](const Block& b) {
    for (const Stmt* s : b) {
      if (s->binder.var) bound.insert(s->binder.var);
      for (const Expr* e : {s->lhs, s->rhs, s->domain, s->filter}) roots.push_back(e);
      for (const Expr* c : s->conds) roots.push_back(c);
      for (const auto& br : s->branches) stmts(br);
      stmts(s->elseBranch);
      stmts(s->body);
    }
  };
  for (const FlatTransition& t : a.transitions) {
    bound.insert(t.params.begin(), t.params.end());
    for (const ParamBinding& b : t.bindings) roots.push_back(b.value);
    roots.push_back(t.guard);
    roots.push_back(t.pre);
    stmts(t.eff);
  }
  for (const Expr* e : a.init) roots.push_back(e);
  roots.push_back(a.initially);
  for (const Expr* r : roots)
    forEachExpr(r, [&](const Expr* x) {
      for (const Binder& b : x->binders)
        if (b.var) bound.insert(b.var);
    });
  bool free = false;
  for (const Expr* r : roots)
    forEachExpr(r, [&](const Expr* x) {
      if (x->op == Op::Var && x->var && x->var->kind != VarKind::Const && !bound.count(x->var)) free = true;
    });
  return free;
}

std::string render(const Compilation& c, const Diags::Item& d) {
  if (!d.range.valid()) return "error: " + d.message;
  LineCol lc = c.sources.lineCol(d.range);
  return c.sources.file(d.range.file).path() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col) +
         ": error: " + d.message;
}

std::string stemOf(const std::string& path) {
  std::string f = path.substr(path.find_last_of('/') + 1);
  size_t dot = f.rfind('.');
  if (dot != std::string::npos && dot > 0) f = f.substr(0, dot);
  return ident(f);
}

}  // namespace

std::string onlyStack(const Compilation& c, std::string& error) {
  const std::vector<Stack> none;
  const std::vector<Stack>& stacks = c.model ? c.model->stacks : none;
  if (stacks.size() == 1) return stacks.front().name;
  std::string list;
  for (const Stack& s : stacks) list += (list.empty() ? "" : ", ") + s.name;
  error = stacks.empty() ? "the spec declares no stack"
                         : "the spec declares " + std::to_string(stacks.size()) + " stacks (" + list +
                               "): choose one with --stack";
  return {};
}

GenResult generate(const Compilation& c, const GenOptions& opts) {
  GenResult r;
  if (!c.model || !c.ok()) {
    r.errors.push_back("error: the spec has errors; fix them before generating code");
    return r;
  }
  Model& m = *c.model;
  std::string base = opts.baseName.empty() ? stemOf(c.sources.file(c.file).path()) : ident(opts.baseName);
  std::string ns = opts.cppNamespace.empty() ? "ioa_gen::" + base : opts.cppNamespace;
  r.baseName = base;
  r.cppNamespace = ns;
  Diags diags;
  WireFormat wire(m);
  TypeMap types(m, opts, diags, wire);
  Shared sh{m, opts, diags, types, wire, {}, {}, base, base + "_types.h", &c.sources};

  // What to generate.
  std::vector<const FlatAutomaton*> autos;
  std::vector<const Stack*> stacks;
  if (!opts.stack.empty()) {
    const Stack* st = m.findStack(opts.stack);
    if (!st) {
      std::string names;
      for (const Stack& s : m.stacks) names += (names.empty() ? "" : ", ") + s.name;
      r.errors.push_back("error: no stack named '" + opts.stack + "'" +
                         (names.empty() ? " (the spec declares no stacks)" : " (stacks: " + names + ")"));
      return r;
    }
    stacks.push_back(st);
  } else {
    for (const FlatAutomaton* a : m.automata()) {
      if (a->stackDecl) continue;  // stacks get a layered stack class below
      if (hasFreeVariables(*a)) {
        r.notes.push_back("instantiation " + a->name + " (a component of an array) skipped: " + a->declName +
                          " is generated with its parameters as constructor arguments");
        continue;
      }
      if (automatonHasUnbound(types, *a)) {
        bool instantiated = false;
        for (const FlatAutomaton* b : m.automata())
          if (b != a && b->declName == a->declName && !automatonHasUnbound(types, *b)) instantiated = true;
        if (instantiated) {
          r.notes.push_back("generic automaton " + a->name + " skipped: its instantiations are generated");
          continue;
        }
      }
      autos.push_back(a);
    }
    for (const Stack& s : m.stacks) stacks.push_back(&s);
  }
  for (const Stack* st : stacks)
    for (const StackLayer& l : st->layers)
      if (l.layer && std::find(autos.begin(), autos.end(), l.layer) == autos.end()) autos.push_back(l.layer);

  UniqueNames classNames;
  std::vector<ClassCode> classes;
  std::map<const FlatAutomaton*, size_t> classOf;
  for (const FlatAutomaton* a : autos) {
    std::string cls = classNames.take(ident(a->name));
    classOf[a] = classes.size();
    classes.push_back(emitAutomaton(sh, *a, cls));
  }
  for (const Stack* st : stacks) {
    std::vector<const ClassCode*> layers;
    bool ok = true;
    for (const StackLayer& l : st->layers) {
      auto it = l.layer ? classOf.find(l.layer) : classOf.end();
      if (it == classOf.end()) {
        ok = false;
        break;
      }
      layers.push_back(&classes[it->second]);
    }
    if (!ok || layers.empty()) {
      diags.error(st->decl ? st->decl->nameRange : SourceRange{}, "stack " + st->name + " has no generated layers");
      continue;
    }
    std::string cls = classNames.take(ident(st->name));
    ClassCode sc = emitStack(sh, *st, cls, layers);
    classes.push_back(std::move(sc));
  }
  bool withHarness = opts.withHarness && !classes.empty();
  std::string harness = withHarness ? emitHarness(sh, classes, ns) : "";

  // Functions and constants the generated code uses (to a fixpoint: they use each other).
  std::string funcProtos, funcDefs;
  std::map<const Var*, std::string> constDef;
  std::set<const FunctionDecl*> doneFns;
  std::set<const Var*> doneConsts;
  for (bool more = true; more;) {
    more = false;
    for (const FunctionDecl* f : m.functions) {
      if (!sh.usedFunctions.count(f) || doneFns.count(f)) continue;
      doneFns.insert(f);
      more = true;
      ExprGen g(m, types, diags);
      g.usedFunctions = &sh.usedFunctions;
      g.usedConsts = &sh.usedConsts;
      std::string sig = types.value(f->result ? f->result->resolved : nullptr, f->range) + " f_" + ident(f->name) + "(";
      for (size_t k = 0; k < f->params.size(); ++k) {
        const Var* p = f->params[k].var;
        std::string pn = "p_" + ident(f->params[k].name);
        g.vars[p] = pn;
        sig += (k ? ", " : "") + types.value(p ? p->sort : nullptr, f->params[k].range) + " " + pn;
      }
      sig += ")";
      funcProtos += "inline " + sig + ";\n";
      std::string body = g.coerceCode(g.expr(f->body), f->body->sort, f->result ? f->result->resolved : nullptr);
      funcDefs += "// function " + f->name + "\ninline " + sig + " {\n  return " + body + ";\n}\n\n";
    }
    for (const Var* v : m.consts) {
      if (!sh.usedConsts.count(v) || doneConsts.count(v)) continue;
      doneConsts.insert(v);
      more = true;
      auto cv = m.constValues.find(v);
      if (cv == m.constValues.end() || !cv->second) continue;
      ExprGen g(m, types, diags);
      g.usedFunctions = &sh.usedFunctions;
      g.usedConsts = &sh.usedConsts;
      const Expr* e = cv->second;
      bool literal = e->op == Op::IntConst || e->op == Op::BoolConst || e->op == Op::EnumConst;
      constDef[v] = std::string("inline ") + (literal ? "constexpr " : "const ") + types.value(v->sort, v->range) +
                   " k_" + ident(v->name) + " = " + g.coerceCode(g.expr(e), e->sort, v->sort) + ";\n";
    }
  }
  std::string constDefs;  // in declaration order: later constants may use earlier ones
  for (const Var* v : m.consts)
    if (constDef.count(v)) constDefs += constDef[v];

  for (const Diags::Item& d : diags.items) r.errors.push_back(render(c, d));
  if (!r.errors.empty()) return r;

  std::string src = c.sources.file(c.file).path();
  std::string banner = "// Generated by ioawb from " + src.substr(src.find_last_of('/') + 1) + ". Do not edit.\n";
  std::string open = "namespace " + ns + " {\n\n", close = "}  // namespace " + ns + "\n";
  std::string typesH = banner + "#pragma once\n\n#include <cstdint>\n\n#include \"ioa/rt/runtime.h\"\n\n" + open;
  typesH += "namespace rt = ioa::rt;\nusing ioa::rt::tw;\n\n";
  typesH += types.definitions();
  if (!constDefs.empty()) typesH += "// constants\n" + constDefs + "\n";
  if (!funcProtos.empty()) typesH += "// functions\n" + funcProtos + "\n" + funcDefs;
  typesH += close;
  r.files.push_back({sh.typesHeader, typesH});
  std::string cmakeSources;
  for (const ClassCode& cc : classes) {
    std::string inc = "#include \"" + sh.typesHeader + "\"\n";
    for (const std::string& l : cc.layerClasses) inc += "#include \"" + base + "_" + l + ".h\"\n";
    r.files.push_back({cc.header, banner + "#pragma once\n\n" + inc + "\n" + open + cc.headerText + "\n" + close});
    r.files.push_back({cc.source, banner + "#include \"" + cc.header + "\"\n\n" + open + cc.sourceText + close});
    cmakeSources += " " + cc.source;
    GeneratedUnit u;
    u.kind = cc.isStack ? GeneratedUnit::Kind::Stack : cc.isLayer ? GeneratedUnit::Kind::Layer : GeneratedUnit::Kind::Automaton;
    u.automaton = cc.automaton ? cc.automaton->name : "";
    u.cppClass = cc.cls;
    u.header = cc.header;
    u.layers = cc.layerClasses;
    r.units.push_back(u);
  }
  if (withHarness) r.files.push_back({"run_" + base + ".cpp", banner + harness});
  std::string cm = "# Generated by ioawb. Builds the generated classes and their random-run harness.\n";
  cm += "cmake_minimum_required(VERSION 3.16)\nproject(" + base + "_generated CXX)\n";
  cm += "set(CMAKE_CXX_STANDARD 20)\nset(CMAKE_CXX_STANDARD_REQUIRED ON)\n";
  cm += "add_library(" + base + "_gen " + (cmakeSources.empty() ? std::string("INTERFACE") : "STATIC" + cmakeSources) +
        ")\n";
  std::string scope = cmakeSources.empty() ? "INTERFACE" : "PUBLIC";
  cm += "target_include_directories(" + base + "_gen " + scope +
        " ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/runtime)\n";
  if (!cmakeSources.empty()) cm += "target_compile_options(" + base + "_gen PRIVATE -Wall -Wextra -Werror)\n";
  if (withHarness) {
    cm += "add_executable(run_" + base + " run_" + base + ".cpp)\n";
    cm += "target_link_libraries(run_" + base + " PRIVATE " + base + "_gen)\n";
    cm += "target_compile_options(run_" + base + " PRIVATE -Wall -Wextra -Werror)\n";
  }
  r.files.push_back({"CMakeLists.txt", cm});
  if (opts.withRuntime)
    for (const GeneratedFile& f : runtimeFiles()) r.files.push_back(f);
  return r;
}

}  // namespace ioa::codegen
