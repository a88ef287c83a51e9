#include "ioa/optimizer/Equivalence.h"

#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/ASTUnit.h>
#include <clang/Frontend/TextDiagnosticBuffer.h>
#include <clang/Tooling/Tooling.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "SymExec.h"
#include "ioa/z3util/Alarm.h"
#include "Unit.h"

#ifndef IOAWB_CLANG_RESOURCE_DIR
#define IOAWB_CLANG_RESOURCE_DIR "/usr/lib/llvm-14/lib/clang/14.0.6"
#endif

namespace ioa::opt {

using namespace clang;

const char* EquivalenceResult::statusName() const {
  switch (status) {
    case Proved: return "proved";
    case Refuted: return "refuted";
    case Unknown: return "unknown";
    case Error: return "error";
  }
  return "error";
}

std::string clangResourceDir() { return IOAWB_CLANG_RESOURCE_DIR; }

namespace {

constexpr const char* kVirtualRoot = "/ioawb-virtual/";

const FunctionDecl* findFunction(DeclContext* dc, const std::string& name) {
  for (Decl* d : dc->decls()) {
    if (auto* fd = dyn_cast<FunctionDecl>(d)) {
      const FunctionDecl* def = nullptr;
      if (fd->getQualifiedNameAsString() == name && fd->hasBody(def)) return def;
    }
    if (auto* ft = dyn_cast<FunctionTemplateDecl>(d)) (void)ft;
    if (auto* inner = dyn_cast<DeclContext>(d))
      if (isa<NamespaceDecl>(d) || isa<CXXRecordDecl>(d) || isa<LinkageSpecDecl>(d))
        if (const FunctionDecl* f = findFunction(inner, name)) return f;
  }
  return nullptr;
}

// Replaces every scalar leaf by a fresh constant named after its path; pointers keep their value.
// The runtime's bounded sequences keep a representation invariant that the
// state must satisfy too: unused slots hold T{}, an empty sequence starts at
// slot 0. With it, equal sequences have equal representations.
void havoc(SymExec& X, SymVal& v, QualType t, const std::string& prefix, unsigned lift, std::vector<z3::expr>& assume) {
  QualType c = t.getCanonicalType();
  if (X.intrinsicOf(c) != SymExec::Intrinsic::None) {
    v = X.fresh(c, prefix, lift);
    return;
  }
  if (v.kind == SymVal::Leaf) {
    v = X.fresh(t, prefix, lift);
    return;
  }
  if (v.kind != SymVal::Struct) return;
  if (const auto* at = X.ast().getAsConstantArrayType(c)) {
    havoc(X, v, at->getElementType(), prefix + "[]", lift + 1, assume);
    return;
  }
  const RecordDecl* rd = c->getAsRecordDecl();
  if (!rd) return;
  std::vector<QualType> ts = X.fieldTypes(c);
  unsigned nb = 0;
  if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd)) nb = cxx->getNumBases();
  std::vector<const FieldDecl*> fs = X.fieldsOf(rd);
  for (size_t i = 0; i < v.fields.size() && i < ts.size(); ++i)
    havoc(X, v.fields[i], ts[i], i < nb ? prefix : prefix + "." + fs[i - nb]->getNameAsString(), lift, assume);
  if (rd->getQualifiedNameAsString() != "ioa::rt::Seq" || lift != 0) return;
  int items = -1, head = -1, size = -1;
  uint64_t n = 0;
  for (size_t i = 0; i < fs.size(); ++i) {
    std::string f = fs[i]->getNameAsString();
    if (f == "items_") {
      items = static_cast<int>(nb + i);
      if (const auto* at = X.ast().getAsConstantArrayType(fs[i]->getType())) n = at->getSize().getZExtValue();
    }
    if (f == "head_") head = static_cast<int>(nb + i);
    if (f == "size_") size = static_cast<int>(nb + i);
  }
  if (items < 0 || head < 0 || size < 0 || !n) return;
  z3::context& z = X.z();
  z3::expr h = *v.fields[head].leaf, sz = *v.fields[size].leaf;
  unsigned w = h.get_sort().bv_size();
  z3::expr nn = z.bv_val(n, w);
  assume.push_back(z3::ule(sz, nn) && z3::ult(h, nn) && z3::implies(sz == z.bv_val(0, w), h == z.bv_val(0, w)));
  // slot j is in use when (j - head) mod N < size
  SymVal zero = X.zero(fs[items - nb]->getType());
  std::function<void(SymVal&, const SymVal&)> restrict = [&](SymVal& x, const SymVal& zx) {
    if (x.kind == SymVal::Leaf) {
      z3::expr j = z.bv_const("slot_j", 64);
      z3::expr j32 = j.extract(w - 1, 0);
      z3::expr rel = z3::urem(j32 - h + nn, nn);
      z3::expr used = z3::ult(j, z.bv_val(n, 64)) && z3::ult(rel, sz);
      x.leaf = z3::lambda(j, z3::ite(used, z3::select(*x.leaf, j), z3::select(*zx.leaf, j)));
      return;
    }
    for (size_t i = 0; i < x.fields.size(); ++i) restrict(x.fields[i], zx.fields[i]);
  };
  restrict(v.fields[items], zero);
}

struct Leaf {
  std::string path;  // with "[]" where an index goes
  z3::expr before;   // initial value
  z3::expr src, tgt; // final values
  std::vector<uint64_t> extents;
  bool isBool;
};

void collect(SymExec& X, const SymVal& init, const SymVal& a, const SymVal& b, QualType t, const std::string& prefix,
             std::vector<uint64_t> extents, std::vector<Leaf>& out, std::vector<std::string>& ptrDiffs) {
  QualType c = t.getCanonicalType();
  if (const auto* at = X.ast().getAsConstantArrayType(c)) {
    extents.push_back(at->getSize().getZExtValue());
    collect(X, init, a, b, at->getElementType(), prefix + "[]", extents, out, ptrDiffs);
    return;
  }
  if (SymExec::Intrinsic k = X.intrinsicOf(c); k != SymExec::Intrinsic::None) {
    // messages and byte strings: lengths and bytes (zero past the length, so arrays compare exactly)
    static const char* msgParts[] = {".hdr", ".hlen", ".pay", ".plen"};
    static const char* bytesParts[] = {".data", ".len"};
    for (size_t i = 0; i < a.fields.size(); ++i) {
      std::vector<uint64_t> ext = extents;
      bool isBytes = a.fields[i].leaf->get_sort().is_array() && i % 2 == 0;
      if (isBytes) ext.push_back(64);  // inputs show the first 64 bytes
      std::string name = prefix + (k == SymExec::Intrinsic::Msg ? msgParts[i] : bytesParts[i]) + (isBytes ? "[]" : "");
      out.push_back({name, *init.fields[i].leaf, *a.fields[i].leaf, *b.fields[i].leaf, ext, false});
    }
    return;
  }
  if (a.kind == SymVal::Leaf && b.kind == SymVal::Leaf && init.kind == SymVal::Leaf) {
    out.push_back({prefix, *init.leaf, *a.leaf, *b.leaf, extents, a.leaf->is_bool() || (a.leaf->is_array() && false)});
    return;
  }
  if (a.kind == SymVal::Ptr || b.kind == SymVal::Ptr) {
    bool same = a.ptr.has_value() == b.ptr.has_value();
    if (same && a.ptr) {
      same = a.ptr->root == b.ptr->root && a.ptr->uid == b.ptr->uid && a.ptr->steps.size() == b.ptr->steps.size();
      for (size_t i = 0; same && i < a.ptr->steps.size(); ++i)
        same = a.ptr->steps[i].kind == b.ptr->steps[i].kind &&
               (a.ptr->steps[i].kind == Step::Field ? a.ptr->steps[i].field == b.ptr->steps[i].field
                                                    : z3::eq(*a.ptr->steps[i].index, *b.ptr->steps[i].index));
    }
    if (!same) ptrDiffs.push_back(prefix);
    return;
  }
  if (a.kind != SymVal::Struct) return;
  const RecordDecl* rd = c->getAsRecordDecl();
  if (!rd) return;
  std::vector<QualType> ts = X.fieldTypes(c);
  unsigned nb = 0;
  if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd)) nb = cxx->getNumBases();
  std::vector<const FieldDecl*> fs = X.fieldsOf(rd);
  for (size_t i = 0; i < a.fields.size() && i < ts.size(); ++i)
    collect(X, init.fields[i], a.fields[i], b.fields[i], ts[i],
            i < nb ? prefix : prefix + "." + fs[i - nb]->getNameAsString(), extents, out, ptrDiffs);
}

// Asserts in `s` that each constant of `m` that `keep` accepts has its value in `m`.
void pinConstants(z3::solver& s, const z3::model& m, const std::function<bool(const z3::func_decl&)>& keep) {
  for (unsigned k = 0; k < m.num_consts(); ++k)
    if (z3::func_decl c = m.get_const_decl(k); keep(c)) s.add(c() == m.get_const_interp(c));
}

std::string valueText(const z3::expr& v) {
  if (v.is_true()) return "true";
  if (v.is_false()) return "false";
  if (v.is_numeral()) return v.get_decimal_string(0);
  return v.to_string();
}

// Where a returned reference or pointer may designate different objects in the source and the
// target: a condition on the inputs (their paths' indices differ; true when the paths go to
// different parameters or members, or one is null and the other not).
z3::expr designationDiffers(z3::context& z, const SymVal& a, const SymVal& b) {
  if (a.kind != SymVal::Ptr || b.kind != SymVal::Ptr) return z.bool_val(true);
  const bool nullA = !a.ptr || a.ptr->root < 0, nullB = !b.ptr || b.ptr->root < 0;
  const z3::expr okA = a.ptrOk ? *a.ptrOk : z.bool_val(!nullA), okB = b.ptrOk ? *b.ptrOk : z.bool_val(!nullB);
  if (nullA || nullB) return z.bool_val(nullA != nullB) || okA != okB;
  const z3::expr same = sameObject(z, *a.ptr, *b.ptr);
  if (same.is_false()) return z.bool_val(true);
  return okA != okB || (okA && !same);
}

// The object a path designates, in the model's terms: `s.q[2]`, `p.b.x` (null: "null").
std::string designationText(SymExec& X, const Store& initial, const std::vector<std::string>& rootNames,
                            const SymVal& v, z3::model& m) {
  if (v.kind != SymVal::Ptr || !v.ptr || v.ptr->root < 0 ||
      (v.ptrOk && m.eval(*v.ptrOk, true).is_false()))
    return "null";
  const Path& p = *v.ptr;
  std::string out = rootNames[static_cast<size_t>(p.root)];
  QualType t = initial[static_cast<size_t>(p.root)].type;
  for (const Step& st : p.steps) {
    QualType c = t.getCanonicalType();
    if (st.kind == Step::Index) {
      out += "[" + valueText(m.eval(*st.index, true)) + "]";
      if (const ArrayType* at = X.ast().getAsArrayType(c)) t = at->getElementType();
      continue;
    }
    std::vector<QualType> ts = X.fieldTypes(c);
    const RecordDecl* rd = c->getAsRecordDecl();
    if (!rd || st.field >= ts.size()) return out + "...";
    unsigned nb = 0;
    if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd)) nb = cxx->getNumBases();
    if (st.field >= nb) out += "." + X.fieldsOf(rd)[st.field - nb]->getNameAsString();
    t = ts[st.field];
  }
  return out;
}

std::string fillIndices(const std::string& path, const std::vector<uint64_t>& idx) {
  std::string out;
  size_t k = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '[' && i + 1 < path.size() && path[i + 1] == ']' && k < idx.size()) {
      out += "[" + std::to_string(idx[k++]) + "]";
      ++i;
    } else {
      out += path[i];
    }
  }
  return out;
}

// Enumerates the concrete elements of a (possibly nested) array leaf in a model.
void enumerate(z3::model& m, const z3::expr& arr, const std::vector<uint64_t>& extents, size_t level,
               std::vector<uint64_t>& idx, const std::function<void(const std::vector<uint64_t>&, const z3::expr&)>& f) {
  if (level == extents.size()) {
    f(idx, m.eval(arr, true));
    return;
  }
  uint64_t n = std::min<uint64_t>(extents[level], 4096);
  for (uint64_t i = 0; i < n; ++i) {
    idx.push_back(i);
    enumerate(m, z3::select(arr, arr.ctx().bv_val(i, 64)), extents, level + 1, idx, f);
    idx.pop_back();
  }
}

}  // namespace

CppUnit::CppUnit() : impl_(std::make_unique<Impl>()) {}
CppUnit::~CppUnit() = default;

std::unique_ptr<CppUnit> CppUnit::parse(const std::vector<CppFile>& files, const std::string& mainFile,
                                        const std::vector<std::string>& includeDirs, std::string& errors) {
  std::vector<std::string> args = {"-std=c++20", "-resource-dir=" + clangResourceDir(), "-Wno-everything",
                                    "-DIOA_TRACE=0", "-I" + std::string(kVirtualRoot)};
  for (const std::string& d : includeDirs) args.push_back("-I" + d);
  auto u = std::unique_ptr<CppUnit>(new CppUnit());
  tooling::FileContentMappings& mapped = u->impl_->mapped;
  std::string mainText;
  bool found = false;
  for (const CppFile& f : files) {
    if (f.path == mainFile) {
      mainText = f.text;
      found = true;
    } else {
      mapped.emplace_back(std::string(kVirtualRoot) + f.path, f.text);
    }
  }
  if (!found) {
    errors = "main file '" + mainFile + "' is not among the sources";
    return nullptr;
  }
  TextDiagnosticBuffer diagBuf;
  u->impl_->unit = tooling::buildASTFromCodeWithArgs(
      mainText, args, std::string(kVirtualRoot) + mainFile, "ioawb-optimize", std::make_shared<PCHContainerOperations>(),
      tooling::getClangStripDependencyFileAdjuster(), mapped, &diagBuf);
  if (!u->impl_->unit) {
    errors = "cannot parse " + mainFile;
    return nullptr;
  }
  if (u->impl_->unit->getDiagnostics().hasErrorOccurred()) {
    const SourceManager& sm = u->impl_->unit->getSourceManager();
    for (auto it = diagBuf.err_begin(); it != diagBuf.err_end(); ++it) {
      PresumedLoc p = sm.getPresumedLoc(it->first);
      std::string where = p.isValid() ? std::string(p.getFilename()) + ":" + std::to_string(p.getLine()) + ":" +
                                            std::to_string(p.getColumn()) + ": "
                                      : "";
      errors += where + "error: " + it->second + "\n";
    }
    return nullptr;
  }
  return u;
}

EquivalenceResult checkEquivalence(const EquivalenceQuery& q) {
  auto t0 = std::chrono::steady_clock::now();
  std::string errors;
  std::unique_ptr<CppUnit> unit = CppUnit::parse(q.files, q.mainFile, q.includeDirs, errors);
  if (!unit) {
    EquivalenceResult res;
    res.message = errors;
    res.timeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return res;
  }
  EquivalenceResult r = unit->check(q);
  r.timeMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

EquivalenceResult CppUnit::check(const EquivalenceQuery& q) {
  auto t0 = std::chrono::steady_clock::now();
  EquivalenceResult res;
  // The obligation's timeout covers all of it: what has been used, and what is left (at least 1 ms).
  auto usedMs = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
  auto leftMs = [&]() -> unsigned {
    double used = usedMs();
    return used >= q.timeoutMs ? 1u : static_cast<unsigned>(q.timeoutMs - used);
  };
  auto cancelled = [&] { return q.cancel && q.cancel->load(); };
  auto finish = [&]() -> EquivalenceResult {
    // (an interrupted check is unknown, or throws: a proof or a refutation found stands)
    if (cancelled() && res.status != EquivalenceResult::Proved && res.status != EquivalenceResult::Refuted) {
      res.status = EquivalenceResult::Unknown;
      res.message = "cancelled";
    }
    res.timeMs = usedMs();
    return res;
  };
  if (cancelled()) return finish();
  ASTContext& ast = impl_->unit->getASTContext();
  TranslationUnitDecl* tu = ast.getTranslationUnitDecl();
  const FunctionDecl* src = findFunction(tu, q.source);
  const FunctionDecl* tgt = findFunction(tu, q.target);
  const FunctionDecl* pre = q.precondition.empty() ? nullptr : findFunction(tu, q.precondition);
  if (!src || !tgt || (!q.precondition.empty() && !pre)) {
    res.message = "function '" + (!src ? q.source : !tgt ? q.target : q.precondition) + "' not found (with a body)";
    return finish();
  }
  if (src->getNumParams() != tgt->getNumParams()) {
    res.message = "'" + q.source + "' and '" + q.target + "' take different parameters";
    return finish();
  }
  z3::context z;
  // The obligation's time limit and the cancel flag interrupt its checks (not Z3's "timeout"
  // parameter: Z3 4.8.12's timer can deadlock once it expires; see z3util::Alarm).
  z3util::Alarm alarm(z, leftMs(), q.cancel);
  try {
    SymExec X(z, ast, ExecConfig{q.loopBound, 96});
    X.setCancel(q.cancel);
    // ---- initial state: one root per parameter (and `this`)
    Store store;
    std::vector<SymVal> argv;
    std::vector<std::string> rootNames;
    std::optional<Path> self;
    std::vector<z3::expr> invariants;  // representation invariants of the initial state
    auto makeRoot = [&](const std::string& name, QualType t) {
      int r = static_cast<int>(store.size());
      store.push_back({name, t, X.zero(t)});
      store = X.construct(std::move(store), r);
      havoc(X, store[r].value, t, name, 0, invariants);
      rootNames.push_back(name);
      Path p;
      p.root = r;
      p.type = t;
      return p;
    };
    if (const auto* md = dyn_cast<CXXMethodDecl>(src); md && md->isInstance()) {
      self = makeRoot("self", ast.getRecordType(md->getParent()));
    }
    for (unsigned i = 0; i < src->getNumParams(); ++i) {
      const ParmVarDecl* p = src->getParamDecl(i);
      QualType t = p->getType();
      std::string name = p->getNameAsString().empty() ? "arg" + std::to_string(i) : p->getNameAsString();
      if (t->isReferenceType() || t->isPointerType()) {
        Path root = makeRoot(name, t->getPointeeType().getUnqualifiedType());
        SymVal pv;
        pv.kind = SymVal::Ptr;
        pv.ptr = root;
        pv.ptrOk = z.bool_val(true);
        argv.push_back(pv);
      } else {
        Path root = makeRoot(name, t.getUnqualifiedType());
        argv.push_back(store[root.root].value);
      }
    }
    const Store initial = store;
    z3::expr assume = z.bool_val(true);
    for (const z3::expr& inv : invariants) assume = assume && inv;
    const z3::expr assumeInvariants = assume;
    // The initial value of every part of the parameters (arrays element by element; zero
    // elements left out, the harness zero-fills arrays first): a counterexample's inputs.
    auto inputsOf = [&](z3::model& m, const std::vector<Leaf>& leaves) {
      for (const Leaf& l : leaves) {
        std::vector<uint64_t> idx;
        enumerate(m, l.before, l.extents, 0, idx, [&](const std::vector<uint64_t>& at, const z3::expr& v) {
          std::string text = valueText(v);
          if (!at.empty() && (text == "0" || text == "false")) return;
          res.inputs.push_back({fillIndices(l.path, at), text});
        });
      }
    };
    std::optional<z3::expr> preUb, preIncomplete;  // when the precondition is undefined / runs out of its bound
    std::pair<size_t, size_t> preSites{0, 0};       // its undefined behaviour's sites (SymExec::ubSite)
    if (pre) {
      preSites.first = X.ubSiteCount();
      RunResult pr = X.call(pre, initial, argv, self);
      preSites.second = X.ubSiteCount();
      preUb = pr.ub;
      preIncomplete = pr.incomplete;
      if (!pr.ret || pr.ret->kind != SymVal::Leaf || !pr.ret->leaf->is_bool()) {
        res.message = "precondition '" + q.precondition + "' must return bool";
        return finish();
      }
      // assumed defined, and proved to be once the claim holds (below)
      assume = assume && *pr.ret->leaf && !pr.ub && !pr.incomplete;
    }
    // Specialise the initial state by the equalities the precondition fixes (x = 0 for an
    // empty queue, flags known true): sound because the obligation only covers states where
    // the precondition holds, and it keeps loops over those fields from being unrolled blindly.
    Store specialized = initial;
    std::vector<SymVal> sargv = argv;
    {
      z3::expr_vector from(z), to(z);
      std::function<void(const z3::expr&)> scan = [&](const z3::expr& e) {
        if (e.is_app() && e.decl().decl_kind() == Z3_OP_AND) {
          for (unsigned i = 0; i < e.num_args(); ++i) scan(e.arg(i));
          return;
        }
        auto isVar = [](const z3::expr& x) { return x.is_const() && !x.is_numeral() && !x.is_true() && !x.is_false(); };
        auto isVal = [](const z3::expr& x) { return x.is_numeral() || x.is_true() || x.is_false(); };
        if (e.is_app() && e.decl().decl_kind() == Z3_OP_EQ && e.num_args() == 2) {
          if (isVar(e.arg(0)) && isVal(e.arg(1))) from.push_back(e.arg(0)), to.push_back(e.arg(1));
          else if (isVar(e.arg(1)) && isVal(e.arg(0))) from.push_back(e.arg(1)), to.push_back(e.arg(0));
        } else if (isVar(e) && e.is_bool()) {
          from.push_back(e), to.push_back(z.bool_val(true));
        } else if (e.is_app() && e.decl().decl_kind() == Z3_OP_NOT && isVar(e.arg(0))) {
          from.push_back(e.arg(0)), to.push_back(z.bool_val(false));
        }
      };
      scan(assume.simplify());
      if (!from.empty()) {
        std::function<void(SymVal&)> apply = [&](SymVal& v) {
          if (v.kind == SymVal::Leaf) v.leaf = v.leaf->substitute(from, to).simplify();
          for (SymVal& f : v.fields) apply(f);
          if (v.ptr)
            for (Step& st : v.ptr->steps)
              if (st.index) st.index = st.index->substitute(from, to).simplify();
        };
        for (Root& r : specialized) apply(r.value);
        for (SymVal& a : sargv) apply(a);
      }
    }
    // A precondition that never holds would make every claim vacuous: say so instead.
    if (pre) {
      z3::solver v(z);
      v.add(X.normalize(assume));  // 0.1 s instead of 6-12 s for the up path's
      z3::check_result vr = v.check();
      if (vr == z3::unsat) {
        res.status = EquivalenceResult::Unknown;
        res.message = "the precondition '" + q.precondition + "' never holds (the claim would be vacuous)";
        return finish();
      }
    }
    const bool debug = std::getenv("IOAWB_OPT_DEBUG") != nullptr;
    X.assume(assume, leftMs());
    const double execStart = usedMs();
    RunResult rs = X.call(src, specialized, sargv, self);
    const size_t targetSites = X.ubSiteCount();
    RunResult rt = X.call(tgt, specialized, sargv, self);
    if (debug)
      std::fprintf(stderr, "[optimizer] %s: symbolic execution %.1f ms, %u pruning queries (%.0f ms, %u undecided), %u branches seen both ways in "
                   "kept models, %u asked again\n",
                   q.name.c_str(), usedMs() - execStart, X.pruningQueries(), X.pruningMs(), X.pruningUnknown(),
                   X.pruningModelHits(), X.pruningRepeats());

    // ---- what must agree: every part of every parameter object, and the result
    std::vector<Leaf> leaves;
    std::vector<std::string> ptrDiffs;
    for (size_t r = 0; r < rootNames.size(); ++r)
      collect(X, initial[r].value, rs.store[r].value, rt.store[r].value, initial[r].type, rootNames[r], {}, leaves,
              ptrDiffs);
    if (!ptrDiffs.empty()) {
      res.status = EquivalenceResult::Unknown;
      res.message = "pointer fields may differ: " + ptrDiffs[0];
      return finish();
    }
    auto ignored = [&](const std::string& path) {
      for (const std::string& p : q.ignore)
        if (path.rfind(p, 0) == 0) return true;
      return false;
    };
    z3::expr differ = rt.ub;
    std::vector<std::pair<std::string, z3::expr>> named;
    for (const Leaf& l : leaves) {
      if (ignored(l.path)) continue;
      z3::expr d = l.src != l.tgt;
      differ = differ || d;
      named.emplace_back(l.path, d);
    }
    bool hasRet = rs.ret && rt.ret && rs.ret->kind == SymVal::Leaf && rt.ret->kind == SymVal::Leaf;
    if (hasRet) differ = differ || (*rs.ret->leaf != *rt.ret->leaf);
    // a returned reference or pointer: the object it designates (a parameter's part; what the
    // object holds is compared with the parameters). One into the function's own parameters,
    // locals or temporaries dangles in its caller: the comparison would be meaningless.
    const bool retPtr = rs.ret && rt.ret && (rs.ret->kind == SymVal::Ptr || rt.ret->kind == SymVal::Ptr);
    std::optional<z3::expr> retDesignation;
    if (retPtr) {
      for (const auto& [fn, v] : {std::pair{src, &*rs.ret}, std::pair{tgt, &*rt.ret}})
        if (v->ptr && v->ptr->root >= static_cast<int>(initial.size())) {
          const FunctionDecl* def = fn->getDefinition() ? fn->getDefinition() : fn;
          throw TranslationError{"'" + fn->getNameAsString() + "' returns a reference or pointer to its own " +
                                     "parameter, local or temporary, which dangles in its caller",
                                 def->getLocation()};
        }
      retDesignation = designationDiffers(z, *rs.ret, *rt.ret);
      differ = differ || *retDesignation;
    }
    // a result that is a struct or a message: every part of it
    std::vector<Leaf> retLeaves;
    if (rs.ret && rt.ret && !hasRet && rs.ret->kind == SymVal::Struct && rt.ret->kind == SymVal::Struct) {
      collect(X, *rs.ret, *rs.ret, *rt.ret, tgt->getReturnType(), "result", {}, retLeaves, ptrDiffs);
      if (!ptrDiffs.empty()) {
        res.status = EquivalenceResult::Unknown;
        res.message = "pointer fields of the result may differ: " + ptrDiffs[0];
        return finish();
      }
      for (const Leaf& l : retLeaves) {
        z3::expr d = l.src != l.tgt;
        differ = differ || d;
        named.emplace_back(l.path, d);
      }
    }

    // ---- loops must not run past the unrolling bound where it matters
    {
      z3::solver s(z);
      s.add(assume && !rs.ub && (rs.incomplete || rt.incomplete));
      z3::check_result cr = s.check();
      if (cr != z3::unsat) {
        res.status = EquivalenceResult::Unknown;
        res.message = cr == z3::sat ? "a loop may run more than " + std::to_string(q.loopBound) +
                                          " iterations (raise the unrolling bound)"
                                    : "solver gave up on the loop-bound check: " +
                                          (usedMs() >= q.timeoutMs ? std::string("timeout") : s.reason_unknown());
        return finish();
      }
    }
    {
      z3::solver whole(z);
      whole.add(assume && !rs.ub && differ);
      res.smt2 = whole.to_smt2();  // the claim as one query, for `z3 -smt2`
    }
    // The disjunction `differ` is unsatisfiable iff each disjunct is: solve one query per
    // part of the state (after dropping parts whose two sides simplify to the same term),
    // so that one hard part cannot hide the others' answers and each query stays small.
    // A state part is first tried without the hypothesis that the source is defined (often
    // a large term): a part that cannot differ even then cannot differ with it. The
    // target's undefined behaviour needs that hypothesis; it is one query (split by case it
    // takes far longer), and the last.
    // Every part is asked in incremental mode (a scope pushed before the facts are added, so
    // that Z3 uses its incremental core, not the default tactics, whose preprocessing blew the
    // up path's undefined behaviour up a hundredfold: 20-25 s, now about 2 s). A part whose
    // values are scalars, and the undefined behaviour, on normalized terms (SymExec::normalize);
    // a part whose values are arrays on the terms as built (normalized, the round trips'
    // header bytes took 1.5-2.5 s instead of 0.3 s). In the default mode the compact
    // receiver's mutant ran out of its 600 s deciding whether the unacknowledged frames'
    // bytes differ (once pruning decided every branch); so they differ after 4-6 s.
    struct Part {
      std::string name;
      z3::expr differs;
      bool tryWithoutDefinedness;
      bool normalized;
    };
    auto ofArrays = [](const z3::expr& d) {
      if (d.is_app() && d.decl().decl_kind() == Z3_OP_DISTINCT) return d.arg(0).is_array();
      return d.is_app() && d.decl().decl_kind() == Z3_OP_NOT && d.arg(0).is_app() &&
             d.arg(0).decl().decl_kind() == Z3_OP_EQ && d.arg(0).arg(0).is_array();
    };
    std::vector<Part> parts;
    for (auto& [path, d] : named) parts.push_back({path, d, true, !ofArrays(d)});
    if (hasRet) parts.push_back({"result", *rs.ret->leaf != *rt.ret->leaf, true, true});
    if (retDesignation) parts.push_back({"result", *retDesignation, true, true});  // which object
    parts.push_back({"undefined behaviour", rt.ub, false, true});
    // A fresh solver for `facts`, within the time left and, for the queries that are only a
    // shortcut or a preference, within a resource count (`rlimit`, about 3 M a second on
    // the development machine): Z3 counts the same on a loaded machine as on an idle one,
    // so those queries answer the same way whatever the load. `incremental`: in incremental
    // mode, with the facts normalized or not (see above); otherwise as built, in the default mode.
    auto query = [&](std::initializer_list<z3::expr> facts, unsigned rlimit, bool incremental, bool normalized) {
      z3::solver sv(z);
      if (rlimit) {
        z3::params sp(z);
        sp.set("rlimit", rlimit);
        sv.set(sp);
      }
      if (incremental) sv.push();
      for (const z3::expr& f : facts) sv.add(incremental && normalized ? X.normalize(f) : f);
      return sv;
    };
    z3::solver s(z);
    z3::check_result cr = z3::unsat;
    std::string unknownPart, unknownReason, differingPart, concreteNote;
    std::optional<z3::model> found;
    auto outOfTime = [&](const Part& part) {
      if (usedMs() < q.timeoutMs && !cancelled()) return false;
      if (unknownPart.empty()) unknownPart = part.name, unknownReason = "timeout";
      cr = z3::unknown;
      return true;
    };
    // Messages and byte strings of at most 64 bytes, preferred in a counterexample: easier to
    // read, and one the runtime can build when it is replayed.
    z3::expr small = z.bool_val(true);
    std::vector<z3::expr> lengths;
    for (const Leaf& l : leaves) {
      const std::string& p = l.path;
      bool isLen = l.extents.empty() && l.before.is_bv() &&
                   ((p.size() > 5 && (p.substr(p.size() - 5) == ".plen" || p.substr(p.size() - 5) == ".hlen")) ||
                    (p.size() > 4 && p.substr(p.size() - 4) == ".len"));
      if (!isLen) continue;
      small = small && z3::ule(l.before, z.bv_val(64, l.before.get_sort().bv_size()));
      lengths.push_back(l.before);
    }
    auto isLength = [&](const z3::func_decl& c) {
      for (const z3::expr& e : lengths)
        if (e.is_const() && z3::eq(e.decl(), c)) return true;
      return false;
    };
    size_t solved = 0;
    for (const Part& part : parts) {
      z3::expr dd = part.differs.simplify();
      if (dd.is_false()) continue;
      if (outOfTime(part)) break;
      ++solved;
      // incremental mode first, on a small count (most parts take milliseconds there); then the
      // default mode, whose preprocessing settles the rest at once (the up path's queue of
      // messages to the application: 1.4 s in incremental mode, 35 ms in the default one)
      // A model found there in which the source is defined is a counterexample as it stands.
      std::optional<z3::model> without;
      auto sameWithoutDefinedness = [&] {
        for (bool incremental : {true, false}) {
          z3::solver w = query({assume, dd}, incremental ? 100000 : 1000000, incremental, part.normalized);
          const z3::check_result wr = w.check();
          if (wr == z3::unsat) return true;
          if (wr == z3::sat) {
            z3::model m = w.get_model();
            if (m.eval(!rs.ub, true).is_true()) without = m;
            return false;
          }
        }
        return false;
      };
      if (part.tryWithoutDefinedness && sameWithoutDefinedness()) {
        if (debug)
          std::fprintf(stderr, "[optimizer] %s: part %s: same (without the definedness hypothesis) at %.0f ms\n",
                       q.name.c_str(), part.name.c_str(), usedMs());
        continue;
      }
      if (outOfTime(part)) break;
      z3::solver ps = query({assume, !rs.ub, dd}, 0, true, part.normalized);
      if (const char* dir = std::getenv("IOAWB_OPT_DUMP_PARTS")) {  // for studying slow parts with `z3 -smt2`
        std::string f = std::string(dir) + "/" + q.name + "-" + std::to_string(solved) + ".smt2";
        if (FILE* out = std::fopen(f.c_str(), "w")) {
          std::fprintf(out, "; %s\n%s", part.name.c_str(), ps.to_smt2().c_str());
          std::fclose(out);
        }
      }
      // The full query (not asked when the model without the hypothesis already is a
      // counterexample). Its solving time is heavy-tailed, and which mode has the tail depends
      // on the query and even on the order its terms were made in (a mutant's differing header
      // bytes: 3 s in one build, over 300 s in incremental mode in another; the default mode
      // ran a compact receiver's mutant out of 600 s where incremental took 15 s). So both
      // modes get a count in turn, rising, before the incremental one gets the time left.
      z3::check_result pr = without ? z3::sat : z3::unknown;
      for (unsigned budget : {3000000u, 30000000u}) {
        for (bool incremental : {true, false}) {
          if (pr != z3::unknown || outOfTime(part)) break;
          z3::solver t = query({assume, !rs.ub, dd}, budget, incremental, part.normalized);
          pr = t.check();
          if (pr != z3::unknown) ps = t;
          if (debug)
            std::fprintf(stderr, "[optimizer] %s: part %s, %s mode, count %u: %s at %.0f ms\n", q.name.c_str(),
                         part.name.c_str(), incremental ? "incremental" : "default", budget,
                         pr == z3::unsat ? "same" : pr == z3::sat ? "differs" : "unknown", usedMs());
        }
      }
      if (pr == z3::unknown && !outOfTime(part)) pr = ps.check();
      if (debug)
        std::fprintf(stderr, "[optimizer] %s: part %s: %s at %.0f ms\n", q.name.c_str(), part.name.c_str(),
                     pr == z3::unsat ? "same" : pr == z3::sat ? (without ? "differs (where the source is defined)" : "differs") : "unknown", usedMs());
      if (pr == z3::sat) {
        found = without ? *without : ps.get_model();
        s = ps;
        // Two tries, each in a fresh solver (the incremental one, after a push, skips the
        // preprocessing that makes these quick): first the model found with only its lengths
        // let go (the difference rarely depends on a length), then small lengths alone.
        z3::solver ss = query({assume, !rs.ub, dd, small}, 6000000, false, false);
        pinConstants(ss, *found, [&](const z3::func_decl& c) { return !isLength(c); });
        z3::check_result smallResult = ss.check();
        if (smallResult != z3::sat) {
          ss = query({assume, !rs.ub, dd, small}, 15000000, false, false);  // a preference: not worth the budget
          smallResult = ss.check();
        }
        if (debug)
          std::fprintf(stderr, "[optimizer] %s: small counterexample: %s at %.0f ms\n", q.name.c_str(),
                       smallResult == z3::sat ? "found" : smallResult == z3::unsat ? "none" : "unknown", usedMs());
        if (smallResult == z3::sat) {
          found = ss.get_model();
          s = ss;
        }
        // The runtime functions modelled as uninterpreted (checksum16) must have their real
        // values in the counterexample, or the compiled code would not show it: pin every
        // application whose model value is not the real one, and ask again.
        std::vector<z3::expr> pins;
        for (int round = 0; round < 4; ++round) {
          unsigned skipped = 0;
          std::vector<z3::expr> more = X.concreteFacts(*found, s.assertions(), skipped);
          if (skipped)
            concreteNote = "a checksum16 over more than 64 KiB, or over bytes the model does not give, is the "
                           "solver's choice in this counterexample";
          size_t before = pins.size();
          for (const z3::expr& f : more) {
            bool known = false;
            for (const z3::expr& g : pins) known = known || z3::eq(f, g);
            if (!known) pins.push_back(f);
          }
          if (pins.size() == before) break;
          // the state as found (which keeps the query small), the arguments chosen again
          z3::solver cs = query({assume, !rs.ub, dd}, 30000000, false, false);
          if (smallResult == z3::sat) cs.add(small);
          for (const z3::expr& f : pins) cs.add(f);
          pinConstants(cs, *found, [](const z3::func_decl& c) { return c.name().str().rfind("self.", 0) == 0; });
          z3::check_result r = cs.check();
          if (debug)
            std::fprintf(stderr, "[optimizer] %s: counterexample with %zu checksums made real: %s at %.0f ms\n",
                         q.name.c_str(), pins.size(), r == z3::sat ? "found" : r == z3::unsat ? "none" : "unknown", usedMs());
          if (r != z3::sat) {
            concreteNote = r == z3::unsat ? "no counterexample was found with the real checksum16 at the model's points; "
                                            "its checksum16 values are the solver's choice"
                                          : "the counterexample's checksum16 values are the solver's choice (the query "
                                            "with the real ones was not decided)";
            break;
          }
          found = cs.get_model();
          s = cs;
          concreteNote.clear();
        }
        z3::params rest(z);
        rest.set("rlimit", 0u);  // no count: the time left
        s.set(rest);
        cr = z3::sat;
        differingPart = part.name;
        break;
      }
      if (pr == z3::unknown) {
        cr = z3::unknown;
        if (unknownPart.empty())
          unknownPart = part.name, unknownReason = usedMs() >= q.timeoutMs ? "timeout" : ps.reason_unknown();
      }
    }
    // The precondition is code too (the guard runs on every message, before either path): it
    // must be defined, and within the loop bound, on every state and input, as the claim above
    // assumed. Asked last, once the claim holds (incremental mode, normalized, like the claim's
    // undefined behaviour).
    if (cr == z3::unsat && preUb) {
      z3::solver d = query({assumeInvariants, *preUb || *preIncomplete}, 0, true, true);
      const z3::check_result dr = d.check();
      if (debug)
        std::fprintf(stderr, "[optimizer] %s: precondition defined: %s at %.0f ms\n", q.name.c_str(),
                     dr == z3::unsat ? "yes" : dr == z3::sat ? "no" : "unknown", usedMs());
      if (dr == z3::unknown) {
        res.status = EquivalenceResult::Unknown;
        res.message = d.reason_unknown() + " (deciding whether the precondition '" + q.precondition +
                      "' is defined on every state and input)";
        return finish();
      }
      if (dr == z3::sat) {
        z3::model m = d.get_model();
        const bool loop = m.eval(*preIncomplete, true).is_true();
        res.status = loop ? EquivalenceResult::Unknown : EquivalenceResult::Refuted;
        res.message = loop ? "a loop of the precondition '" + q.precondition + "' may run more than " +
                                 std::to_string(q.loopBound) + " iterations (raise the unrolling bound)"
                           : "the precondition '" + q.precondition +
                                 "' has undefined behaviour or raises a runtime fault on this state and input";
        if (std::string site = X.ubSite(m, preSites.first, preSites.second); !loop && !site.empty())
          res.message += " (at " + site + ")";
        res.differences.push_back(loop ? "precondition: loop bound exceeded" : "precondition: undefined behaviour");
        inputsOf(m, leaves);
        return finish();
      }
    }
    if (cr == z3::unsat) {
      res.status = EquivalenceResult::Proved;
      return finish();
    }
    if (cr == z3::unknown) {
      res.status = EquivalenceResult::Unknown;
      res.message = unknownReason + " (deciding whether " + unknownPart + " can differ; " + std::to_string(solved) +
                    " of " + std::to_string(parts.size()) + " parts of the state solved)";
      return finish();
    }
    res.status = EquivalenceResult::Refuted;
    res.message = concreteNote;
    z3::model m = *found;
    if (m.eval(rt.ub, true).is_true()) {
      std::string site = X.ubSite(m, targetSites, X.ubSiteCount());
      res.differences.push_back("target has undefined behaviour where the source has none" +
                                (site.empty() ? std::string() : " (at " + site + ")"));
    }
    if (hasRet) {
      z3::expr a = m.eval(*rs.ret->leaf, true), b = m.eval(*rt.ret->leaf, true);
      if (!z3::eq(a, b)) res.differences.push_back("result: source " + valueText(a) + ", target " + valueText(b));
    }
    if (retDesignation && m.eval(*retDesignation, true).is_true())
      res.differences.push_back("result: source returns " + designationText(X, initial, rootNames, *rs.ret, m) +
                                ", target " + designationText(X, initial, rootNames, *rt.ret, m));
    // What differs in the model: a scalar's two values, an array's first differing element.
    auto reportDifference = [&](const Leaf& l) {
      if (z3::expr d = m.eval(l.src != l.tgt, true); !d.is_true()) {
        if (d.is_false()) return;
        // not decided by evaluation (arrays built from lambdas): ask the solver with the inputs fixed
        s.push();
        pinConstants(s, m, [](const z3::func_decl&) { return true; });
        s.add(l.src != l.tgt);
        bool differs = s.check() == z3::sat;
        s.pop();
        if (!differs) return;
        res.differences.push_back(l.path + ": differs (for this input)");
        return;
      }
      if (l.extents.empty()) {
        res.differences.push_back(l.path + ": source " + valueText(m.eval(l.src, true)) + ", target " +
                                  valueText(m.eval(l.tgt, true)));
        return;
      }
      // first differing element
      std::vector<uint64_t> i2;
      bool reported = false;
      enumerate(m, l.src, l.extents, 0, i2, [&](const std::vector<uint64_t>& at, const z3::expr& sv) {
        if (reported) return;
        z3::expr b = l.tgt;
        for (uint64_t k : at) b = z3::select(b, z.bv_val(k, 64));
        z3::expr tv = m.eval(b, true);
        if (z3::eq(sv, tv)) return;
        res.differences.push_back(fillIndices(l.path, at) + ": source " + valueText(sv) + ", target " + valueText(tv));
        reported = true;
      });
      // the model's arrays may differ where no listed element shows it (e.g. past the shown bytes)
      if (!reported) res.differences.push_back(l.path + ": differs (source and target arrays are not equal)");
    };
    inputsOf(m, leaves);
    for (const Leaf& l : leaves)
      if (!ignored(l.path)) reportDifference(l);
    for (const Leaf& l : retLeaves) reportDifference(l);
    // the model satisfies the query of the part found to differ: name it even when evaluating
    // the model could not show it (arrays built from lambdas) and the solver did not answer in time
    bool shown = false;
    for (const std::string& d : res.differences) shown = shown || d.rfind(differingPart, 0) == 0;
    if (!shown && differingPart != "undefined behaviour") res.differences.push_back(differingPart + ": differs (for this input)");
  } catch (const TranslationError& e) {
    res.status = EquivalenceResult::Error;
    res.message = describeLoc(ast, e.loc) + ": unsupported C++ construct: " + e.message;
  } catch (const ExecTimeout&) {
    res.status = EquivalenceResult::Unknown;
    res.message = "timeout: symbolic execution did not finish within " + std::to_string(q.timeoutMs) + " ms";
  } catch (const z3::exception& e) {
    // (past the deadline the alarm interrupts every step of Z3, not only its checks)
    if (usedMs() >= q.timeoutMs) {
      res.status = EquivalenceResult::Unknown;
      res.message = "timeout: the obligation did not finish within " + std::to_string(q.timeoutMs) + " ms";
    } else {
      res.status = EquivalenceResult::Error;
      res.message = std::string("solver error: ") + e.msg();
    }
  }
  return finish();
}

}  // namespace ioa::opt
