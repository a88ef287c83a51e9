#include "ioa/optimizer/Collapse.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <map>
#include <cstdio>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "Unit.h"

namespace ioa::opt {

using namespace clang;

namespace {

struct Failure {
  std::string message;
};

// A layer of the stack, as found in the AST of the generated code.
struct Layer {
  std::string member;  // "l1"
  const CXXRecordDecl* cls = nullptr;
  const FunctionDecl* inDn = nullptr;
  const FunctionDecl* inUp = nullptr;
  const FunctionDecl* fastDn = nullptr;
  const FunctionDecl* fastUp = nullptr;
  const FunctionDecl* roomDn = nullptr;  // room_dn / room_up: room for what its inputs keep
  const FunctionDecl* roomUp = nullptr;
  std::string dnq, upq;    // the state fields its dn_out and up_out take messages from
  std::string popHeader;   // "pop_Seqno_Header"
  bool upKeepsHeader = false;  // its up handler passes the message up as received (no header popped)
};

const CXXRecordDecl* findRecord(DeclContext* dc, const std::string& name) {
  for (Decl* d : dc->decls()) {
    if (auto* rd = dyn_cast<CXXRecordDecl>(d); rd && rd->isThisDeclarationADefinition() &&
                                                 rd->getQualifiedNameAsString() == name)
      return rd;
    if (auto* ns = dyn_cast<NamespaceDecl>(d))
      if (const CXXRecordDecl* r = findRecord(ns, name)) return r;
  }
  return nullptr;
}

const CXXMethodDecl* methodDef(const CXXRecordDecl* rd, const std::string& name) {
  for (const CXXMethodDecl* m : rd->methods())
    if (m->getNameAsString() == name) {
      const FunctionDecl* def = nullptr;
      if (m->hasBody(def)) return cast<CXXMethodDecl>(def);
    }
  return nullptr;
}

const FieldDecl* fieldNamed(const CXXRecordDecl* rd, const std::string& name) {
  for (const FieldDecl* f : rd->fields())
    if (f->getNameAsString() == name) return f;
  return nullptr;
}

// `s.q` with an implicit `this`: the name q of a state field.
std::string stateField(const Expr* e) {
  const auto* q = dyn_cast<MemberExpr>(e->IgnoreImplicit());
  if (!q) return {};
  const auto* s = dyn_cast<MemberExpr>(q->getBase()->IgnoreImplicit());
  if (!s || !s->isImplicitAccess() || s->getMemberDecl()->getNameAsString() != "s") return {};
  return q->getMemberDecl()->getNameAsString();
}

const Expr* bare(const Expr* e);

// The state fields (`s.x`) a statement reads or writes.
void stateFields(const Stmt* st, std::set<std::string>& out) {
  if (!st) return;
  if (const auto* e = dyn_cast<Expr>(st))
    if (std::string f = stateField(e); !f.empty()) out.insert(f);
  for (const Stmt* c : st->children()) stateFields(c, out);
}

// The queue a fire_<out> method pops: the field of `rt::seq_pop_front(s.q)`.
std::string poppedQueue(const Stmt* st) {
  if (!st) return {};
  if (const auto* ce = dyn_cast<CallExpr>(st))
    if (const FunctionDecl* f = ce->getDirectCallee();
        f && f->getNameAsString() == "seq_pop_front" && ce->getNumArgs() == 1)
      if (std::string q = stateField(ce->getArg(0)); !q.empty()) return q;
  for (const Stmt* c : st->children())
    if (std::string q = poppedQueue(c); !q.empty()) return q;
  return {};
}

// Where the first transition's code starts in a fire_<out> method: its first `case` body, below the
// `// spec FILE:L:C` mark that the engine maps an error back to the spec by. Invalid when none.
SourceLocation firstCaseBody(const Stmt* st) {
  if (!st) return {};
  if (const auto* cs = dyn_cast<CaseStmt>(st)) {
    const Stmt* sub = cs->getSubStmt();
    if (const auto* block = dyn_cast_or_null<CompoundStmt>(sub); block && !block->body_empty())
      return block->body_back()->getBeginLoc();
    return sub ? sub->getBeginLoc() : SourceLocation();
  }
  for (const Stmt* c : st->children())
    if (SourceLocation at = firstCaseBody(c); at.isValid()) return at;
  return {};
}

bool refersTo(const Stmt* st, const ValueDecl* d) {
  if (!st) return false;
  if (const auto* ce = dyn_cast<CStyleCastExpr>(st); ce && ce->getType()->isVoidType()) return false;  // (void)m
  if (const auto* dr = dyn_cast<DeclRefExpr>(st); dr && dr->getDecl() == d) return true;
  for (const Stmt* c : st->children())
    if (refersTo(c, d)) return true;
  return false;
}

// file:line:col of a location, the file as the generated sources name it.
std::string locationOf(const SourceManager& sm, SourceLocation loc) {
  PresumedLoc p = sm.getPresumedLoc(sm.getSpellingLoc(loc));
  if (!p.isValid()) return "<unknown>";
  std::string f = p.getFilename();
  if (size_t s = f.find("/ioawb-virtual/"); s != std::string::npos) f = f.substr(s + 15);
  return f + ":" + std::to_string(p.getLine()) + ":" + std::to_string(p.getColumn());
}

class Collapser {
 public:
  Collapser(ASTContext& ast, const CollapseRequest& req) : ast_(ast), sm_(ast.getSourceManager()), req_(req) {}

  CollapseResult run() {
    CollapseResult out;
    TranslationUnitDecl* tu = ast_.getTranslationUnitDecl();
    stack_ = findRecord(tu, req_.stackClass);
    if (!stack_) throw Failure{"stack class '" + req_.stackClass + "' not found in the generated sources"};
    ns_ = stack_->getQualifiedNameAsString();
    ns_ = ns_.substr(0, ns_.rfind("::"));
    for (const char* f : {"to_app", "to_net", "blocked_"})
      if (!fieldNamed(stack_, f))
        throw Failure{where(stack_->getLocation()) + ": the stack class has no member '" + f +
                      "' (not a stack generated by ioawb gen?)"};
    for (const FieldDecl* f : stack_->fields()) {
      const CXXRecordDecl* rd = f->getType()->getAsCXXRecordDecl();
      if (!rd || !methodDef(rd, "in_dn")) continue;
      layers_.push_back(layerOf(f->getNameAsString(), rd));
    }
    if (layers_.empty()) throw Failure{where(stack_->getLocation()) + ": the stack has no layers"};
    const CXXMethodDecl* dn = methodDef(stack_, "dn");
    const CXXMethodDecl* up = methodDef(stack_, "up");
    if (!dn || !up) throw Failure{where(stack_->getLocation()) + ": the stack defines no dn/up entry points"};

    collectTags(tu);

    // ---- the bypasses
    std::string cls = stack_->getNameAsString();
    std::string code;
    code += "\n// ---- Collapsed by ioawb optimize: the layers' handlers inlined along each path,\n"
            "// guarded by the common-case predicate; otherwise the layered code runs.\n";
    code += guardDn(cls) + guardUp(cls);
    counter_ = 0;
    code += "void " + cls + "::dn_fast(const rt::Msg& m) {\n" + handler(0, true, "m") + "\n}\n\n";
    counter_ = 0;
    code += "void " + cls + "::up_fast(const rt::Msg& m) {\n" +
            handler(static_cast<int>(layers_.size()) - 1, false, "m", true) +
            "\n}\n\n";
    for (size_t k = 0; k < formats_.size(); ++k)  // (a receiver's acknowledgement may add a format)
      if (std::string u = compactUp(cls, formats_[k]); !u.empty()) compactUp_[formats_[k].id] = u;
    code += compactCode(cls) + proofGuardFull(cls);
    if (!formats_.empty() || !stops_.empty())
      code += "bool " + cls + "::proof_holds(const rt::Msg& m) const {  // for the proofs: true\n  (void)m;\n  return true;\n}\n\n";
    for (const auto& [id, text] : compactUp_) code += text;
    // traced builds (IOA_TRACE=1) keep the layered path: it records every layer's step
    code += "void " + cls + "::dn(const rt::Msg& m) {\n#if !IOA_TRACE\n  if (ccp_dn(m)) {\n    dn_fast(m);\n"
            "    return;\n  }\n#endif\n  dn_layered(m);\n}\n\n";
    if (formats_.empty()) {
      code += "void " + cls + "::up(const rt::Msg& m) {\n#if !IOA_TRACE\n  if (ccp_up(m)) {\n    up_fast(m);\n"
              "    return;\n  }\n#endif\n  up_layered(m);\n}\n\n";
    } else {
      std::string fast;
      for (const auto& [id, text] : compactUp_) {
        std::string n = std::to_string(id);
        fast += "  if (ccp_up_cx" + n + "(frame)) {\n    up_fast_cx" + n + "(frame);\n    return;\n  }\n";
      }
      code += "void " + cls + "::up(const rt::Msg& frame) {\n" +
              (fast.empty() ? "" : "#if !IOA_TRACE\n" + fast + "#endif\n") +
              "  const rt::Msg m = cx_expand(frame);  // a compact frame stands for its full form\n"
              "#if !IOA_TRACE\n  if (ccp_up(m)) {\n    up_fast(m);\n    return;\n  }\n#endif\n  up_layered(m);\n}\n\n";
    }

    // ---- the stack source: dn/up renamed to their layered versions, the bypasses appended
    std::string src = fileText(req_.stackSource);
    std::vector<std::pair<size_t, std::string>> renames;
    for (const CXXMethodDecl* m : {dn, up}) {
      if (fileName(m->getLocation()) != req_.stackSource)
        throw Failure{where(m->getLocation()) + ": " + m->getNameAsString() + " is not defined in " + req_.stackSource};
      renames.emplace_back(offset(m->getLocation()), m->getNameAsString());
    }
    std::sort(renames.rbegin(), renames.rend());
    for (auto& [off, name] : renames) src.replace(off, name.size(), name + "_layered");
    size_t nsEnd = src.rfind("}  // namespace");
    if (nsEnd == std::string::npos) throw Failure{req_.stackSource + ": cannot find the end of the namespace"};
    src.insert(nsEnd, code + "\n");
    dnLine_ = lineOf(src, "void " + cls + "::dn_fast(");
    upLine_ = lineOf(src, "void " + cls + "::up_fast(");

    // ---- the stack header: the new members
    std::string hdr = fileText(req_.stackHeader);
    if (fileName(stack_->getLocation()) != req_.stackHeader)
      throw Failure{where(stack_->getLocation()) + ": the stack class is not declared in " + req_.stackHeader};
    size_t close = offset(stack_->getBraceRange().getEnd());
    hdr.insert(close,
               " public:\n"
               "  // collapsed paths (ioawb optimize): dn/up run these when the common case holds\n"
               "  bool ccp_dn(const rt::Msg& m) const;  // the common-case predicates\n"
               "  bool ccp_up(const rt::Msg& m) const;\n"
               "  void dn_fast(const rt::Msg& m);       // the bypasses\n"
               "  void up_fast(const rt::Msg& m);\n"
               "  void dn_layered(const rt::Msg& m);    // the layered paths\n"
               "  void up_layered(const rt::Msg& m);\n" +
                   compactDecls() + proofGuardDecls() +
                   (formats_.empty() && stops_.empty() ? "" : "  bool proof_holds(const rt::Msg& m) const;  // for the proofs: true\n"));
    out.files.push_back({req_.stackHeader, hdr});
    out.files.push_back({req_.stackSource, src});

    std::string q = req_.stackClass + "::";
    // With compact frames the paths are proved with compact_frames off (every send then builds the
    // full form); the compress obligations prove that a compact frame expands to that full form,
    // and checkCompactSends that compact_frames chooses nothing but the form of a send.
    std::string full = formats_.empty() ? "" : "_full";
    CollapsedPath pd{"dn", q + "dn_layered", q + "dn_fast", q + "ccp_dn" + full, {}, req_.stackSource + ":" + std::to_string(dnLine_), "collapse", "", "", "", ""};
    std::string upGuard = stops_.empty() ? "ccp_up" : "ccp_up_reaches";
    CollapsedPath pu{"up", q + "up_layered", q + "up_fast", q + upGuard + full, {}, req_.stackSource + ":" + std::to_string(upLine_), "collapse", "", "", "", ""};
    for (const Layer& l : layers_) pd.layers.push_back(l.cls->getNameAsString());
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) pu.layers.push_back(it->cls->getNameAsString());
    out.paths = {pd, pu};
    if (!stops_.empty()) {
      // the cases cover ccp_up: wherever it holds, one of them does
      CollapsedPath pc = pu;
      pc.name = "up.cases";
      pc.layered = q + "ccp_up_cases";
      pc.bypass = q + "proof_holds";
      pc.guard = q + "ccp_up";
      pc.line = req_.stackSource + ":" + std::to_string(lineOf(src, "bool " + cls + "::ccp_up_cases("));
      pc.description = "up path's guard: ccp_up(m) implies ccp_up_reaches(m)";
      for (const auto& [guard, layer] : stops_) pc.description += " or " + guard + "(m)";
      out.paths.push_back(pc);
    }
    for (const auto& [guard, layer] : stops_) {
      CollapsedPath ps = pu;
      ps.name = "up.stops." + layer;
      ps.guard = q + guard + full;
      ps.description = "up path, a message " + layer + " keeps: " + pu.bypass + " = " + pu.layered + " where " + ps.guard;
      out.paths.push_back(ps);
    }
    // each compact format the receiver runs a bypass for: its guard implies the up path's guard on
    // the frame's full form, and its bypass equals the up bypass on the full form (which the up
    // path's obligation proves equal to the layered path)
    for (const auto& [fid, text] : compactUp_) {
      std::string id = std::to_string(fid);
      CollapsedPath pc{"up.cx" + id, q + "up_fast_expanded", q + "up_fast_cx" + id, q + "ccp_up_cx" + id + "_full", pu.layers,
                       req_.stackSource + ":" + std::to_string(lineOf(src, "void " + cls + "::up_fast_cx" + id + "(")),
                       "collapse", "", q + "ccp_up_expanded", q + "proof_holds", q + "up_expanded"};
      out.paths.push_back(pc);
    }
    // each compact format: expanding a compact frame gives the full frame it stands for
    for (const Format& f : formats_) {
      std::string id = std::to_string(f.id);
      CollapsedPath pc{"compact" + id, q + "cx" + id + "_full", q + "cx" + id + "_roundtrip", "", {},
                       req_.stackSource + ":" + std::to_string(lineOf(src, "rt::Msg " + cls + "::cx" + id + "_push(")), "compress", "", "", "", ""};
      for (auto it = f.links.rbegin(); it != f.links.rend(); ++it) {
        std::string h = it->hdr->getNameAsString();
        pc.layers.push_back(h.substr(0, h.rfind("_Header")));
      }
      pc.description = "compact frame " + id + " (tag 0x" + hex(f.tag) + ", " + std::to_string(f.size) + " bytes for " +
                       std::to_string(fullSize(f)) + "): cx" + id + "_expand(cx" + id + "_push(m, fields)) = " + "cx" + id +
                       "_full(m, fields)";
      out.paths.push_back(pc);
    }
    return out;
  }

 private:
  ASTContext& ast_;
  SourceManager& sm_;
  const CollapseRequest& req_;
  const CXXRecordDecl* stack_ = nullptr;
  std::string ns_;
  std::vector<Layer> layers_;
  int counter_ = 0;
  int dnLine_ = 0, upLine_ = 0;

  struct Edit {
    size_t b, e;
    std::string text;
  };
  struct NotDeferrable {};
  struct Field {
    std::string constant;  // the constant's C++ text; empty for a field sent in the compact header
    std::string type;      // C++ type of a sent field
    unsigned bytes = 0;
    bool isBool = false;
  };
  struct Link {
    const CXXRecordDecl* hdr;
    std::vector<Field> fields;
  };
  struct Chain {
    std::string base;             // the local holding the message under the chain
    std::vector<Link> links;      // innermost (first pushed) first
    std::vector<std::string> vars;  // locals holding the sent fields, in link then field order
  };
  struct Format {
    int id;
    unsigned tag;
    unsigned size;
    std::vector<Link> links;
    std::string key;
  };
  // A compact frame read on the way up without expanding it: the message at `depth` (0 = the
  // outermost header) is the frame with the chain's headers above it; its headers are read from
  // the locals cxh<depth>, its payload from the frame.
  struct View {
    const Format* format;
    int depth;
  };
  struct NoView {};
  struct Ctx {
    int layer;
    bool down;
    const ParmVarDecl* param;
    std::string msg;
    std::set<const ReturnStmt*> tailReturns;
    std::set<std::string> known;  // conjuncts the common-case predicate established, as rendered
    const Chain* chain = nullptr;  // the message is a deferred push chain (header compression)
    const View* view = nullptr;    // the message is (part of) a compact frame
  };

  static int lineOf(const std::string& text, const std::string& what) {
    size_t p = text.find(what);
    return p == std::string::npos ? 0 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(p), '\n'));
  }

  std::string where(SourceLocation loc) const { return locationOf(sm_, loc); }
  std::string fileName(SourceLocation loc) const {
    std::string w = where(loc);
    return w.substr(0, w.find(':'));
  }
  std::string fileText(const std::string& path) const {
    for (const CppFile& f : req_.files)
      if (f.path == path) return f.text;
    throw Failure{"'" + path + "' is not among the generated sources"};
  }
  // Offsets in the text as written: a token a macro produced stands for the whole macro use
  // (`INT64_C(0)`), a macro argument for its own spelling.
  SourceLocation fileBegin(SourceLocation loc) const { return sm_.getFileLoc(loc); }
  SourceLocation fileEnd(SourceLocation loc) const {
    while (loc.isMacroID())
      loc = sm_.isMacroArgExpansion(loc) ? sm_.getImmediateSpellingLoc(loc) : sm_.getImmediateExpansionRange(loc).getEnd();
    return loc;
  }
  size_t offset(SourceLocation loc) const { return sm_.getFileOffset(fileBegin(loc)); }
  size_t endOffset(SourceLocation loc) const {
    SourceLocation f = fileEnd(loc);
    return sm_.getFileOffset(f) + Lexer::MeasureTokenLength(f, sm_, ast_.getLangOpts());
  }
  StringRef bufferOf(SourceLocation loc) const { return sm_.getBufferData(sm_.getFileID(fileBegin(loc))); }

  Layer layerOf(const std::string& member, const CXXRecordDecl* rd) {
    Layer l;
    l.member = member;
    l.cls = rd;
    std::string name = rd->getNameAsString();
    l.inDn = methodDef(rd, "in_dn");
    l.inUp = methodDef(rd, "in_up");
    l.fastDn = methodDef(rd, "fastpath_dn");
    l.fastUp = methodDef(rd, "fastpath_up");
    l.roomDn = methodDef(rd, "room_dn");
    l.roomUp = methodDef(rd, "room_up");
    const CXXMethodDecl* fd = methodDef(rd, "fire_dn_out");
    const CXXMethodDecl* fu = methodDef(rd, "fire_up_out");
    if (!l.inUp || !fd || !fu)
      throw Failure{where(rd->getLocation()) + ": layer " + name + " lacks in_up/fire_dn_out/fire_up_out"};
    if (!l.fastDn || !l.fastUp)
      throw Failure{where(rd->getLocation()) + ": layer " + name +
                    " has no fastpath clauses; the common-case predicate is composed from them"};
    for (const FunctionDecl* f : {l.inDn, l.inUp})
      if (f->getNumParams() != 1)
        throw Failure{where(f->getLocation()) + ": " + name + "::" + f->getNameAsString() + " must take one message"};
    l.dnq = poppedQueue(fd->getBody());
    l.upq = poppedQueue(fu->getBody());
    // An output that removes no message from a queue (`output up_out(m)` with a precondition on
    // head(upq) and no effect): at its transition in the spec, not at the generated method's first
    // line, which maps back to nothing (until 2026-12-05 the error named a generated .cpp file that
    // optimize never writes).
    for (const auto& [q, f, out] : {std::tuple{&l.dnq, fd, "dn_out"}, std::tuple{&l.upq, fu, "up_out"}})
      if (q->empty()) {
        SourceLocation at = firstCaseBody(f->getBody());
        throw Failure{where(at.isValid() ? at : f->getLocation()) + ": cannot tell which queue layer " + name + "'s " +
                      out + " takes its messages from: its transition removes none from a queue (an output that "
                      "passes a queued message on removes it, e.g. `eff q := tail(q)`)"};
      }
    for (const Decl* d : rd->decls())
      if (const auto* td = dyn_cast<TypedefNameDecl>(d); td && td->getNameAsString() == "Header")
        if (const CXXRecordDecl* h = td->getUnderlyingType()->getAsCXXRecordDecl())
          l.popHeader = "pop_" + h->getNameAsString();
    if (l.popHeader.empty()) throw Failure{where(rd->getLocation()) + ": layer " + name + " declares no Header"};
    // what the up handler passes up: its message with its header popped, or the message as it came
    int pops = 0, same = 0;
    const Expr* other = nullptr;
    const ParmVarDecl* upParam = l.inUp->getParamDecl(0);
    std::function<void(const Stmt*)> passed = [&](const Stmt* st) {
      if (!st) return;
      if (const auto* mc = dyn_cast<CXXMemberCallExpr>(st); mc && mc->getMethodDecl() &&
                                                           mc->getMethodDecl()->getNameAsString() == "push_back" &&
                                                           mc->getNumArgs() == 1 &&
                                                           stateField(mc->getImplicitObjectArgument()) == l.upq) {
        const Expr* a = bare(mc->getArg(0));
        const auto* call = dyn_cast<CallExpr>(a);
        const auto* ref = dyn_cast<DeclRefExpr>(call && call->getNumArgs() == 1 ? bare(call->getArg(0)) : a);
        bool isParam = ref && ref->getDecl() == upParam;
        if (call && isParam && call->getDirectCallee() && call->getDirectCallee()->getNameAsString() == l.popHeader) ++pops;
        else if (!call && isParam) ++same;
        else if (!other) other = mc;
      }
      for (const Stmt* c : st->children()) passed(c);
    };
    passed(l.inUp->getBody());
    if (other || (pops && same))
      throw Failure{where(other ? other->getBeginLoc() : l.inUp->getLocation()) + ": layer " + name +
                    " passes up something other than the message it received, with or without its header; the "
                    "common-case predicate cannot tell which message the layers above see"};
    l.upKeepsHeader = same > 0;
    if (refersTo(l.fastDn->getBody(), l.fastDn->getParamDecl(0)) && member != "l0") {
      // (at the clause's return, under the spec mark that atSpec maps back to the clause; until
      // 2026-12-05 at the function's name, where only the generated file was named)
      const Expr* clause = clauseExpr(l.fastDn);
      throw Failure{where(clause ? clause->getBeginLoc() : l.fastDn->getLocation()) + ": the dn fastpath of " + name +
                    " reads the message; below the top layer only state conditions can be composed (the message a "
                    "lower layer sees on the way down is not the one the stack is given)"};
    }
    return l;
  }

  // Nothing blocked, room at both ends, and every queue between layers empty: the queues' sizes
  // and the blocked mask or-ed together and tested once (one branch, not one per queue).
  std::string quiet() const {
    std::string q = "!to_app.full() && !to_net.full() &&\n         (blocked_";
    for (const Layer& l : layers_) q += " | " + l.member + ".s." + l.dnq + ".size() | " + l.member + ".s." + l.upq + ".size()";
    return q + ") == 0";
  }

  // Layer i's fastpath clause for a direction on `msg`, inlined (its `return <expr>;`) so the
  // compiler sees the whole guard; a call when the clause is more than one return.
  std::string clause(int i, bool down, const std::string& msg) {
    const Layer& l = layers_[static_cast<size_t>(i)];
    const FunctionDecl* fn = down ? l.fastDn : l.fastUp;
    if (const Expr* e = clauseExpr(fn)) {
      Ctx c{i, down, fn->getParamDecl(0), msg, {}, {}};
      return "(" + guardConjuncts(e, c) + ")";
    }
    return l.member + (down ? ".fastpath_dn(" : ".fastpath_up(") + msg + ")";
  }
  // A clause rendered conjunct by conjunct, in order, without those the quiet test (just
  // before it in every guard) has established: a queue between layers is empty.
  // A state queue of a layer is empty, as a clause's conjunct renders it.
  static std::string emptyTest(const Layer& l, const std::string& field) {
    return "rt::coll_size(" + l.member + ".s." + field + ") == 0";
  }
  std::string guardConjuncts(const Expr* e, Ctx& c) {
    std::set<std::string> quietFacts = {"true"};
    for (const Layer& l : layers_)
      for (const std::string& q : {l.dnq, l.upq}) quietFacts.insert(emptyTest(l, q));
    std::vector<const Expr*> cs;
    conjuncts(e, cs);
    std::string out;
    for (const Expr* x : cs) {  // (conjuncts are taken without their parentheses, so rendered bare)
      std::string r = render(x, c);
      if (!quietFacts.count(r)) out += (out.empty() ? "" : " && ") + r;
    }
    return out.empty() ? "true" : out;
  }

  // Layer i's room for its input in a direction (on `msg`), when the quiet test and the layer's
  // fastpath clause leave it open: the layered stack holds a message back (blocked_) while a layer
  // has no room for what its input keeps in a queue of its own state (not one between layers, which
  // the quiet test finds empty), so the bypass must not run then. "" when nothing is left to ask.
  // `messageFree`: the guard has no message for this layer (a compact frame's view, a message below
  // the top on the way down), so a room condition that reads the message cannot be composed.
  std::string roomCheck(int i, bool down, const std::string& msg, bool messageFree) {
    const Layer& l = layers_[static_cast<size_t>(i)];
    const FunctionDecl* room = down ? l.roomDn : l.roomUp;
    if (!room || !room->getBody() || room->getNumParams() != 1) return "";
    std::set<std::string> open;
    stateFields(room->getBody(), open);
    open.erase(l.dnq);
    open.erase(l.upq);
    const FunctionDecl* fp = down ? l.fastDn : l.fastUp;
    if (const Expr* e = clauseExpr(fp); e && !open.empty()) {
      std::vector<const Expr*> cs;
      conjuncts(e, cs);
      const Ctx c{i, down, fp->getParamDecl(0), msg, {}, {}};
      for (const Expr* x : cs) {
        const std::string r = render(x, c);
        for (auto it = open.begin(); it != open.end();) it = r == emptyTest(l, *it) ? open.erase(it) : std::next(it);
      }
    }
    if (open.empty()) return "";
    if (messageFree && refersTo(room->getBody(), room->getParamDecl(0)))
      throw Failure{where(room->getLocation()) + ": the room " + l.cls->getNameAsString() + "'s " + (down ? "dn" : "up") +
                    " input needs depends on the message; the common-case predicate cannot ask it here"};
    return l.member + (down ? ".room_dn(" : ".room_up(") + msg + ")";
  }
  static std::string roomLine(const std::string& room, const Layer& l) {
    return room.empty() ? "" : "  if (!" + room + ") return false;  // room for what " + l.cls->getNameAsString() + " keeps\n";
  }

  std::string guardDn(const std::string& cls) {
    std::string g = "bool " + cls + "::ccp_dn(const rt::Msg& m) const {\n  (void)m;  // read only by a clause that asks\n";
    g += "  // the stack is quiet: nothing queued between layers, nothing blocked, room at both ends\n";
    g += "  if (!(" + quiet() + "))\n    return false;\n  // the layers' fastpath dn clauses (less what the test above established)\n";
    for (size_t i = 0; i < layers_.size(); ++i) {
      if (std::string c = clause(static_cast<int>(i), true, "m"); c != "(true)")
        g += "  if (!" + c + ") return false;  // " + layers_[i].cls->getNameAsString() + "\n";
      g += roomLine(roomCheck(static_cast<int>(i), true, "m", i > 0), layers_[i]);
    }
    return g + "  return true;\n}\n\n";
  }

  // ccp_up, and for the proofs the cases it is made of. A layer that keeps the message (an
  // acknowledgement, a duplicate) hands nothing up, so the clauses of the layers above are not
  // needed then: ccp_up returns true there. The up path is proved one case at a time, each a
  // guard of its own: the message reaches the top (every clause holds), or it stops at layer i
  // (the clauses up to i hold, the layers below pass it up, layer i does not). Their union
  // covers ccp_up; one query per case is far smaller than one for all.
  // The message layer l passes up when it passes `msg` up (see Layer::upKeepsHeader).
  static std::string passedUp(const Layer& l, const std::string& msg) {
    return l.upKeepsHeader ? msg : l.popHeader + "(" + msg + ")";
  }

  std::string guardUp(const std::string& cls) {
    int n = static_cast<int>(layers_.size());
    std::vector<std::string> clauses(static_cast<size_t>(n)), pass(static_cast<size_t>(n)), pops(static_cast<size_t>(n));
    std::string msg = "m";
    for (int i = n - 1; i >= 0; --i) {
      clauses[static_cast<size_t>(i)] = "  if (!" + layers_[static_cast<size_t>(i)].member + ".fastpath_up(" + msg + ")) return false;\n" +
                                        roomLine(roomCheck(i, false, msg, false), layers_[static_cast<size_t>(i)]);
      if (i > 0) {
        pass[static_cast<size_t>(i)] = passUp(i, msg);
        std::string next = "u" + std::to_string(i - 1);
        pops[static_cast<size_t>(i)] = "  const rt::Msg " + next + " = " + passedUp(layers_[static_cast<size_t>(i)], msg) + ";\n";
        msg = next;
      }
    }
    std::string head = "  if (!(" + quiet() + "))\n    return false;\n";
    std::string g = "bool " + cls + "::ccp_up(const rt::Msg& m) const {\n" + head +
                    "  // the layers' fastpath up clauses, each on the message as the layers below pass it up\n";
    std::string reaches = "bool " + cls + "::ccp_up_reaches(const rt::Msg& m) const {\n" + head;
    for (int i = n - 1; i >= 0; --i) {
      const std::string& p = pass[static_cast<size_t>(i)];
      g += clauses[static_cast<size_t>(i)];
      reaches += clauses[static_cast<size_t>(i)];
      if (!p.empty())
        g += "  if (!(" + p + ")) return true;  // " + layers_[static_cast<size_t>(i)].cls->getNameAsString() +
             " does not pass it up\n";
      g += pops[static_cast<size_t>(i)];
      reaches += pops[static_cast<size_t>(i)];
    }
    g += "  return true;\n}\n\n";
    reaches += "  return true;\n}\n\n";
    stops_.clear();
    std::string cases;
    for (int i = n - 1; i > 0; --i) {
      if (pass[static_cast<size_t>(i)].empty()) continue;
      std::string name = "ccp_up_stops_" + layers_[static_cast<size_t>(i)].cls->getNameAsString();
      std::string c = "bool " + cls + "::" + name + "(const rt::Msg& m) const {\n" + head;
      for (int j = n - 1; j >= i; --j) {
        c += clauses[static_cast<size_t>(j)];
        if (j > i) {
          if (!pass[static_cast<size_t>(j)].empty()) c += "  if (!(" + pass[static_cast<size_t>(j)] + ")) return false;\n";
          c += pops[static_cast<size_t>(j)];
        }
      }
      c += "  return !(" + pass[static_cast<size_t>(i)] + ");\n}\n\n";
      cases += c;
      stops_.push_back({name, layers_[static_cast<size_t>(i)].cls->getNameAsString()});
    }
    if (stops_.empty()) return g;
    std::string any = "bool " + cls + "::ccp_up_cases(const rt::Msg& m) const {\n  return ccp_up_reaches(m)";
    for (const auto& [name, layer] : stops_) any += " || " + name + "(m)";
    any += ";\n}\n\n";
    return g + "// for the proofs: the cases ccp_up is made of\n" + reaches + cases + any;
  }
  std::vector<std::pair<std::string, std::string>> stops_;  // ccp_up's stop cases: guard, layer

  // Declarations of the proof guards (with compact frames, also their compact_frames-off forms).
  std::string proofGuardDecls() const {
    if (stops_.empty()) return {};
    std::string d = "  bool ccp_up_reaches(const rt::Msg& m) const;  // for the proofs: the cases of ccp_up\n"
                    "  bool ccp_up_cases(const rt::Msg& m) const;\n";
    for (const auto& [name, layer] : stops_) d += "  bool " + name + "(const rt::Msg& m) const;\n";
    if (!formats_.empty()) {
      d += "  bool ccp_up_reaches_full(const rt::Msg& m) const;\n";
      for (const auto& [name, layer] : stops_) d += "  bool " + name + "_full(const rt::Msg& m) const;\n";
    }
    return d;
  }
  std::string proofGuardFull(const std::string& cls) const {
    if (stops_.empty() || formats_.empty()) return {};
    std::string c;
    std::vector<std::string> names = {"ccp_up_reaches"};
    for (const auto& [name, layer] : stops_) names.push_back(name);
    for (const std::string& n : names)
      c += "bool " + cls + "::" + n + "_full(const rt::Msg& m) const {\n  return !compact_frames && " + n + "(m);\n}\n\n";
    return c;
  }


  // Finds the path to `target` in a handler body: the if conditions around it with their
  // polarity. False when the path is not a plain nest of ifs whose conditions are all tested
  // before the handler changes anything (then the pass-up condition cannot be told).
  static bool pathTo(const Stmt* s, const Stmt* target, std::vector<std::pair<const Expr*, bool>>& conds) {
    if (s == target) return true;
    if (const auto* ewc = dyn_cast<ExprWithCleanups>(s); ewc && ewc->getSubExpr() == target) return true;
    if (const auto* cs = dyn_cast<CompoundStmt>(s)) {
      bool before = true;  // nothing with an effect ran before this statement
      for (const Stmt* ch : cs->body()) {
        if (contains(ch, target)) return before && pathTo(ch, target, conds);
        const auto* cast = dyn_cast<CStyleCastExpr>(ch);
        if (!isa<NullStmt>(ch) && !(cast && cast->getType()->isVoidType())) before = false;
      }
      return false;
    }
    if (const auto* is = dyn_cast<IfStmt>(s); is && !is->getInit() && !is->getConditionVariable()) {
      if (contains(is->getThen(), target)) {
        conds.push_back({is->getCond(), true});
        return pathTo(is->getThen(), target, conds);
      }
      if (is->getElse() && contains(is->getElse(), target)) {
        conds.push_back({is->getCond(), false});
        return pathTo(is->getElse(), target, conds);
      }
    }
    return false;
  }
  static bool contains(const Stmt* s, const Stmt* target) {
    if (!s) return false;
    if (s == target) return true;
    for (const Stmt* c : s->children())
      if (contains(c, target)) return true;
    return false;
  }
  void upPushes(const Stmt* s, const std::string& q, std::vector<const CXXMemberCallExpr*>& out) const {
    if (!s) return;
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(s); mc && mc->getMethodDecl() &&
                                                         mc->getMethodDecl()->getNameAsString() == "push_back" &&
                                                         stateField(mc->getImplicitObjectArgument()) == q)
      out.push_back(mc);
    for (const Stmt* c : s->children()) upPushes(c, q, out);
  }

  // When layer i's up handler hands message `msg` up, as C++ over the stack's pre-state: the
  // conditions around its one push onto its up queue that its fastpath clause does not already
  // give. Empty when the clause implies it, or when it cannot be told (the clauses of the layers
  // above are then required whatever the message).
  std::string passUp(int i, const std::string& msg, const View* view = nullptr) {
    const Layer& l = layers_[static_cast<size_t>(i)];
    std::vector<const CXXMemberCallExpr*> pushes;
    upPushes(l.inUp->getBody(), l.upq, pushes);
    std::vector<std::pair<const Expr*, bool>> conds;
    if (pushes.size() != 1 || !pathTo(l.inUp->getBody(), pushes[0], conds)) return {};
    std::set<std::string> known = upClause(i, msg, view);
    Ctx c{i, false, l.inUp->getParamDecl(0), msg, {}, {}};
    c.view = view;
    std::string out;
    for (auto [e, pol] : conds) {
      e = e->IgnoreParenImpCasts();
      while (const auto* u = dyn_cast<UnaryOperator>(e)) {
        if (u->getOpcode() != UO_LNot) break;
        e = u->getSubExpr()->IgnoreParenImpCasts();
        pol = !pol;
      }
      std::vector<const Expr*> cs;
      if (pol) conjuncts(e, cs);
      else cs.push_back(e);
      bool implied = pol;
      for (const Expr* x : cs) implied = implied && known.count(render(x, c));
      if (implied) continue;
      std::string t = render(e, c);
      out += (out.empty() ? "" : " && ") + (pol ? "(" + t + ")" : "!(" + t + ")");
    }
    return out;
  }

  // ---- inlining


  // ---- header compression
  //
  // A frame the bypass sends is built by a chain of header pushes, one per layer down to the
  // network. When the messages in between are used for nothing but the next push (and their
  // payload, which a push does not change), the chain is not built: its headers are sent as one
  // compact header, tagged with the chain's format, holding only the fields that are not
  // constants. The receiver expands a compact frame into the full form (or runs a bypass that
  // reads the compact fields directly).
  std::deque<Format> formats_;  // stable references: views point into it
  std::map<int, std::string> compactUp_;  // format id -> its up bypass and guard (when a view can run it)
  int chains_ = 0;

  static std::string formatKey(const std::vector<Link>& links) {
    std::string k;
    for (const Link& l : links) {
      k += l.hdr->getNameAsString() + "{";
      for (const Field& f : l.fields) k += (f.constant.empty() ? "_" : f.constant) + ",";
      k += "}";
    }
    return k;
  }

  // The format of a chain (registered on first use).
  const Format& formatOf(const std::vector<Link>& links) {
    std::string key = formatKey(links);
    for (const Format& f : formats_)
      if (f.key == key) return f;
    std::set<unsigned> used;  // header tags of the generated code
    for (const auto& [name, v] : headerTags_) used.insert(v);
    unsigned tag = 0xC1;
    for (const Format& f : formats_) used.insert(f.tag);
    while (used.count(tag)) ++tag;
    unsigned size = 1;
    for (const Link& l : links)
      for (const Field& f : l.fields) size += f.bytes;
    formats_.push_back({static_cast<int>(formats_.size()) + 1, tag, size, links, key});
    return formats_.back();
  }
  std::map<std::string, unsigned> headerTags_;  // kTag_<Header> constants of the generated code

  // The field initialisers of `H{a, b}` (an aggregate header value), or false.
  static bool headerInits(const Expr* e, const CXXRecordDecl*& rd, std::vector<const Expr*>& out) {
    e = e->IgnoreImplicit();
    if (const auto* mt = dyn_cast<MaterializeTemporaryExpr>(e)) e = mt->getSubExpr()->IgnoreImplicit();
    if (const auto* fc = dyn_cast<CXXFunctionalCastExpr>(e)) e = fc->getSubExpr()->IgnoreImplicit();
    const auto* il = dyn_cast<InitListExpr>(e);
    if (!il) return false;
    rd = il->getType()->getAsCXXRecordDecl();
    if (!rd) return false;
    for (const Expr* x : il->inits()) out.push_back(x);
    return true;
  }

  static bool isConstant(const Expr* e) {
    e = e->IgnoreParenImpCasts();
    if (isa<IntegerLiteral>(e) || isa<CXXBoolLiteralExpr>(e)) return true;
    if (const auto* dr = dyn_cast<DeclRefExpr>(e))
      if (const auto* vd = dyn_cast<VarDecl>(dr->getDecl())) return vd->isConstexpr();
    return false;
  }

  // `push_back(push_H(base, H{...}))` onto a down queue, rendered as one link of a compact chain;
  // nothing when the push cannot be deferred (the normal rendering is used).
  std::optional<std::string> deferredPush(const CXXMemberCallExpr* mc, const Ctx& c) {
    const auto* call = dyn_cast<CallExpr>(mc->getArg(0)->IgnoreImplicit());
    const FunctionDecl* fn = call ? call->getDirectCallee() : nullptr;
    const CXXRecordDecl* hdr = nullptr;
    std::vector<const Expr*> inits;
    bool ok = fn && call->getNumArgs() == 2 && fn->getNameAsString().rfind("push_", 0) == 0 &&
              headerInits(call->getArg(1), hdr, inits);
    std::vector<const FieldDecl*> fds;
    if (ok)
      for (const FieldDecl* f : hdr->fields()) fds.push_back(f);
    ok = ok && fds.size() == inits.size() && fn->getNameAsString() == "push_" + hdr->getNameAsString();
    const auto* baseRef = ok ? dyn_cast<DeclRefExpr>(call->getArg(0)->IgnoreParenImpCasts()) : nullptr;
    if (c.chain && !(baseRef && baseRef->getDecl() == c.param)) throw NotDeferrable{};
    if (!ok) return std::nullopt;
    const size_t formatsBefore = formats_.size();
    try {
      Chain chain = c.chain ? *c.chain : Chain{};
      std::string text = "{\n";
      if (!c.chain) {
        chain.base = "cxb" + std::to_string(++chains_);
        text += "  const rt::Msg& " + chain.base + " = " + render(call->getArg(0), c) + ";\n";
      }
      Link link{hdr, {}};
      for (size_t k = 0; k < fds.size(); ++k) {
        Field f;
        if (isConstant(inits[k])) {
          f.constant = render(inits[k], c);
        } else {
          QualType t = fds[k]->getType().getCanonicalType();
          if (t->isBooleanType()) f.isBool = true, f.bytes = 1, f.type = "bool";
          else if (t->isUnsignedIntegerType() && !t->isEnumeralType()) {
            f.bytes = static_cast<unsigned>(ast_.getTypeSize(t) / 8);
            if (f.bytes != 1 && f.bytes != 2 && f.bytes != 4 && f.bytes != 8) throw NotDeferrable{};
            f.type = "uint" + std::to_string(f.bytes * 8) + "_t";
          } else {
            throw NotDeferrable{};  // only Bool and UIntN fields are packed
          }
          std::string var = "cxv" + std::to_string(chains_) + "_" + std::to_string(chain.vars.size());
          text += "  const " + f.type + " " + var + " = " + render(inits[k], c) + ";  // " +
                  hdr->getNameAsString() + "." + fds[k]->getNameAsString() + "\n";
          chain.vars.push_back(var);
        }
        link.fields.push_back(f);
      }
      chain.links.push_back(link);
      if (c.layer + 1 >= static_cast<int>(layers_.size())) {
        const Format& f = formatOf(chain.links);
        std::string args = chain.base;
        for (const std::string& v : chain.vars) args += ", " + v;
        std::string id = std::to_string(f.id);
        text += "  to_net.push_back(compact_frames ? cx" + id + "_push(" + args + ") : cx" + id + "_full(" + args +
                "));  // compact frame " + id + "\n}";
      } else {
        text += handler(c.layer + 1, true, chain.base, false, &chain) + "\n}";
      }
      return text;
    } catch (const NotDeferrable&) {
      if (c.chain) throw;
      while (formats_.size() > formatsBefore) formats_.pop_back();
      return std::nullopt;
    }
  }

  // ---- compact frames: the code

  void collectTags(const DeclContext* dc) {
    for (const Decl* d : dc->decls()) {
      if (const auto* vd = dyn_cast<VarDecl>(d); vd && vd->getNameAsString().rfind("kTag_", 0) == 0 && vd->getInit())
        if (auto v = vd->getInit()->getIntegerConstantExpr(ast_))
          headerTags_[vd->getNameAsString()] = static_cast<unsigned>(v->getZExtValue());
      if (const auto* ns = dyn_cast<NamespaceDecl>(d)) collectTags(ns);
    }
  }
  static std::string hex(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02X", v);
    return b;
  }
  unsigned fullSize(const Format& f) const {
    unsigned n = 0;
    for (const Link& l : f.links) {
      std::string h = l.hdr->getNameAsString();
      for (const Decl* d : l.hdr->getDeclContext()->decls())
        if (const auto* vd = dyn_cast<VarDecl>(d); vd && vd->getNameAsString() == "kSize_" + h && vd->getInit())
          if (auto v = vd->getInit()->getIntegerConstantExpr(ast_))
            n += static_cast<unsigned>(v->getZExtValue());
    }
    return n;
  }
  // The C++ reading a sent field at byte `off` of a compact header `p`.
  static std::string readField(const Field& x, unsigned off) {
    if (x.isBool) return "p[" + std::to_string(off) + "] != 0";
    return "rt::get_u" + std::to_string(x.bytes * 8) + "(p + " + std::to_string(off) + ")";
  }
  static std::string params(const Format& f, bool types) {
    std::string p = types ? "const rt::Msg& m" : "m";
    int k = 0;
    for (const Link& l : f.links)
      for (const Field& x : l.fields)
        if (x.constant.empty()) p += ", " + (types ? x.type + " " : std::string()) + "v" + std::to_string(k++);
    return p;
  }

  std::string compactDecls() const {
    if (formats_.empty()) return {};
    std::string d =
        "  // header compression (ioawb optimize): the bypasses send compact frames, one tagged header\n"
        "  // for a chain of layer headers; the receiver accepts both forms. Both ends must run this\n"
        "  // stack; set compact_frames = false when the peer runs the layered one.\n"
        "  bool compact_frames = true;\n"
        "  static rt::Msg cx_expand(const rt::Msg& frame);  // the full form of a compact frame; others as they are\n"
        "  bool ccp_dn_full(const rt::Msg& m) const;  // for the proofs: the guards with compact_frames off\n"
        "  bool ccp_up_full(const rt::Msg& m) const;\n";
    for (const Format& f : formats_) {
      std::string id = std::to_string(f.id);
      d += "  static rt::Msg cx" + id + "_push(" + params(f, true) + ");\n";
      d += "  static rt::Msg cx" + id + "_full(" + params(f, true) + ");\n";
      d += "  static bool cx" + id + "_has(const rt::Msg& frame);\n";
      d += "  static rt::Msg cx" + id + "_expand(const rt::Msg& frame);\n";
      d += "  static rt::Msg cx" + id + "_roundtrip(" + params(f, true) + ");\n";
      d += "  static rt::Msg cx" + id + "_base(const rt::Msg& frame);  // the message under the compact header\n";
      if (compactUp_.count(f.id)) {
        d += "  bool ccp_up_cx" + id + "(const rt::Msg& frame) const;  // the up bypass of a compact frame\n";
        d += "  void up_fast_cx" + id + "(const rt::Msg& frame);\n";
        d += "  bool ccp_up_cx" + id + "_full(const rt::Msg& frame) const;\n";
      }
    }
    d += "  void up_fast_expanded(const rt::Msg& frame);         // for the proofs: the up bypass on a frame's full form,\n"
         "  bool ccp_up_expanded(const rt::Msg& frame) const;   // its guard there,\n"
         "  void up_expanded(const rt::Msg& frame);             // the layered path on a frame's full form\n";
    return d;
  }

  std::string compactCode(const std::string& cls) const {
    if (formats_.empty()) return {};
    std::string c = "// ---- Header compression: compact frames (one tagged header for the chain of layer headers\n"
                    "// the bypass would push; constant fields are left out).\n";
    for (const Format& f : formats_) {
      std::string id = std::to_string(f.id), size = std::to_string(f.size), tag = "0x" + hex(f.tag);
      std::string layout = "tag " + tag;
      std::string full = "m", reads, checks, writes;
      unsigned off = 1;
      int k = 0;
      for (const Link& l : f.links) {
        std::string h = l.hdr->getNameAsString(), inits;
        std::vector<const FieldDecl*> fds(l.hdr->field_begin(), l.hdr->field_end());
        for (size_t i = 0; i < l.fields.size(); ++i) {
          const Field& x = l.fields[i];
          std::string name = h + "." + fds[i]->getNameAsString();
          if (!x.constant.empty()) {
            inits += (i ? ", " : "") + x.constant;
            layout += ", " + name + " = " + x.constant;
            continue;
          }
          std::string v = "v" + std::to_string(k++), at = "p + " + std::to_string(off);
          inits += (i ? ", " : "") + v;
          layout += ", " + name + " u" + std::to_string(x.bytes * 8);
          reads += ", " + readField(x, off);
          if (x.isBool) {
            writes += "  p[" + std::to_string(off) + "] = " + v + " ? 1 : 0;\n";
            checks += " && p[" + std::to_string(off) + "] <= 1";
          } else {
            writes += "  rt::put_u" + std::to_string(x.bytes * 8) + "(" + at + ", " + v + ");\n";
          }
          off += x.bytes;
        }
        full = "push_" + h + "(" + full + ", " + h + "{" + inits + "})";
      }
      c += "// compact frame " + id + " (" + size + " bytes): " + layout + "\n";
      c += "rt::Msg " + cls + "::cx" + id + "_push(" + params(f, true) + ") {\n  uint8_t* p = nullptr;\n"
           "  rt::Msg r = rt::Msg::pushed(m, " + size + ", p);\n  p[0] = " + tag + ";\n" + writes + "  return r;\n}\n\n";
      c += "rt::Msg " + cls + "::cx" + id + "_full(" + params(f, true) + ") {\n  return " + full + ";\n}\n\n";
      c += "bool " + cls + "::cx" + id + "_has(const rt::Msg& frame) {\n  if (frame.header_len() < " + size +
           ") return false;\n  const uint8_t* p = frame.header_data();\n  return p[0] == " + tag + checks + ";\n}\n\n";
      c += "rt::Msg " + cls + "::cx" + id + "_expand(const rt::Msg& frame) {\n  const uint8_t* p = frame.header_data();\n"
           "  rt::Msg m(frame);\n  m.pop_front(" + size + ");\n  return cx" + id + "_full(m" + reads + ");\n}\n\n";
      c += "rt::Msg " + cls + "::cx" + id + "_base(const rt::Msg& frame) {\n  rt::Msg m(frame);\n  m.pop_front(" + size +
           ");\n  return m;\n}\n\n";
      c += "// the round-trip obligation: cx" + id + "_roundtrip = cx" + id + "_full for every message and field values\n";
      c += "rt::Msg " + cls + "::cx" + id + "_roundtrip(" + params(f, true) + ") {\n  const rt::Msg frame = cx" + id +
           "_push(" + params(f, false) + ");\n  if (!cx" + id + "_has(frame)) return rt::Msg();\n  return cx_expand(frame);\n}\n\n";
    }
    c += "rt::Msg " + cls + "::cx_expand(const rt::Msg& frame) {\n";
    for (const Format& f : formats_) {
      std::string id = std::to_string(f.id);
      c += "  if (cx" + id + "_has(frame)) return cx" + id + "_expand(frame);\n";
    }
    c += "  return frame;\n}\n\n";
    c += "// for the proofs of the compact frames' up bypasses\n";
    c += "void " + cls + "::up_fast_expanded(const rt::Msg& frame) {\n  up_fast(cx_expand(frame));\n}\n\n";
    c += "bool " + cls + "::ccp_up_expanded(const rt::Msg& frame) const {\n  return ccp_up(cx_expand(frame));\n}\n\n";
    c += "void " + cls + "::up_expanded(const rt::Msg& frame) {\n  up_layered(cx_expand(frame));\n}\n\n";
    for (const char* d : {"dn", "up"})
      c += "bool " + cls + "::ccp_" + d + "_full(const rt::Msg& m) const {\n  return !compact_frames && ccp_" + d +
           "(m);\n}\n\n";
    return c;
  }

  // The header at a view's depth (0 = outermost, the last pushed).
  static std::string viewHeader(const View& v) {
    const auto& links = v.format->links;
    return links[links.size() - 1 - static_cast<size_t>(v.depth)].hdr->getNameAsString();
  }

  // The up bypass of a compact format and its guard: the frame's headers are read once from the
  // compact header; nothing is expanded. Empty when a handler uses the message in a way a view
  // cannot give (then a compact frame is expanded and takes the ordinary path).
  std::string compactUp(const std::string& cls, const Format& f) {
    std::string id = std::to_string(f.id);
    std::string reads = "  const uint8_t* p = frame.header_data();\n";
    {
      // the header locals, outermost first
      unsigned off = 1;
      std::vector<std::string> inits(f.links.size());
      for (size_t li = 0; li < f.links.size(); ++li) {
        const Link& l = f.links[li];
        std::string in;
        for (size_t k = 0; k < l.fields.size(); ++k) {
          const Field& x = l.fields[k];
          std::string v;
          if (!x.constant.empty()) {
            v = x.constant;
          } else {
            v = readField(x, off);
            off += x.bytes;
          }
          in += (k ? ", " : "") + v;
        }
        inits[li] = l.hdr->getNameAsString() + " cxh" + std::to_string(f.links.size() - 1 - li) + "{" + in + "};\n";
      }
      for (size_t d = 0; d < f.links.size(); ++d) reads += "  [[maybe_unused]] const " + inits[f.links.size() - 1 - d];
    }
    int n = static_cast<int>(layers_.size());
    int depth = static_cast<int>(f.links.size());
    if (depth > n) return {};
    try {
      // (a frame off the wire has at most 0xFFFF header bytes: its envelope is 16 bits; said here, it
      // spares the proofs the expansion's overflow of a header length near 2^32)
      std::string g = "bool " + cls + "::ccp_up_cx" + id + "(const rt::Msg& frame) const {\n  if (!cx" + id +
                      "_has(frame) || frame.header_len() > 0xFFFF) return false;\n  if (!(" + quiet() +
                      "))\n    return false;\n" + reads;
      std::vector<View> views(f.links.size());
      std::string msg = "frame";
      for (int i = n - 1; i >= 0; --i) {
        int d = n - 1 - i;
        const View* v = nullptr;
        if (d < depth) {
          views[static_cast<size_t>(d)] = View{&f, d};
          v = &views[static_cast<size_t>(d)];
          // each layer in the chain must be the one whose header sits at this depth
          if (layers_[static_cast<size_t>(i)].upKeepsHeader || layers_[static_cast<size_t>(i)].popHeader != "pop_" + viewHeader(*v))
            return {};
          const Expr* clause = upClauseExpr(i);
          if (!clause) return {};
          Ctx c{i, false, layers_[static_cast<size_t>(i)].fastUp->getParamDecl(0), msg, {}, {}};
          c.view = v;
          g += "  if (!(" + guardConjuncts(clause, c) + ")) return false;\n";
          g += roomLine(roomCheck(i, false, msg, true), layers_[static_cast<size_t>(i)]);
        } else {
          g += "  if (!" + clause(i, false, msg) + ") return false;\n";
          g += roomLine(roomCheck(i, false, msg, false), layers_[static_cast<size_t>(i)]);
        }
        if (i > 0) {
          if (std::string pass = passUp(i, msg, v); !pass.empty())
            g += "  if (!(" + pass + ")) return true;  // " + layers_[static_cast<size_t>(i)].cls->getNameAsString() +
                 " does not pass it up\n";
          if (d + 1 == depth) {
            g += "  const rt::Msg u" + std::to_string(i - 1) + " = cx" + id + "_base(frame);\n";
            msg = "u" + std::to_string(i - 1);
          } else if (d + 1 > depth) {
            std::string next = "u" + std::to_string(i - 1);
            g += "  const rt::Msg " + next + " = " + passedUp(layers_[static_cast<size_t>(i)], msg) + ";\n";
            msg = next;
          }
        }
      }
      g += "  return true;\n}\n\n";
      counter_ = 0;
      View top{&f, 0};
      std::string b = "void " + cls + "::up_fast_cx" + id + "(const rt::Msg& frame) {\n" + reads +
                      handler(n - 1, false, "frame", true, nullptr, &top) + "\n}\n\n";
      b += "bool " + cls + "::ccp_up_cx" + id + "_full(const rt::Msg& frame) const {\n  return !compact_frames && ccp_up_cx" +
           id + "(frame);\n}\n\n";
      return g + b;
    } catch (const NoView&) {
      return {};
    }
  }

  // The conjuncts of a condition (`a && b && c`, parentheses and implicit casts ignored).
  static void conjuncts(const Expr* e, std::vector<const Expr*>& out) {
    e = e->IgnoreParenImpCasts();
    if (const auto* bo = dyn_cast<BinaryOperator>(e); bo && bo->getOpcode() == BO_LAnd) {
      conjuncts(bo->getLHS(), out);
      conjuncts(bo->getRHS(), out);
      return;
    }
    out.push_back(e);
  }

  // What the up predicate checked of layer i's message `msg`: its fastpath clause's
  // conjuncts, rendered as the inlined handler renders its own conditions.
  std::set<std::string> upClause(int i, const std::string& msg, const View* view = nullptr) {
    std::set<std::string> out;
    const Expr* clause = upClauseExpr(i);
    if (!clause) return out;
    Ctx c{i, false, layers_[static_cast<size_t>(i)].fastUp->getParamDecl(0), msg, {}, {}};
    c.view = view;
    std::vector<const Expr*> cs;
    conjuncts(clause, cs);
    for (const Expr* e : cs) out.insert(render(e, c));
    return out;
  }
  // The condition of layer i's fastpath up clause (`return <expr>;`), or null.
  const Expr* upClauseExpr(int i) const { return clauseExpr(layers_[static_cast<size_t>(i)].fastUp); }
  // The condition of a fastpath clause whose body is `return <expr>;` (and nothing else), or null.
  static const Expr* clauseExpr(const FunctionDecl* fn) {
    const auto* body = dyn_cast_or_null<CompoundStmt>(fn->getBody());
    const ReturnStmt* ret = body && !body->body_empty() ? dyn_cast<ReturnStmt>(body->body_back()) : nullptr;
    if (!ret || !ret->getRetValue() || fn->getNumParams() != 1) return nullptr;
    for (const Stmt* st : body->body())
      if (st != ret && !isa<NullStmt>(st) && !isVoidCast(st)) return nullptr;
    return ret->getRetValue();
  }
  // `(void)m;`, which the generator puts in front of a clause that may not read its message.
  static bool isVoidCast(const Stmt* st) {
    const auto* cast = dyn_cast<CStyleCastExpr>(st);
    return cast && cast->getType()->isVoidType();
  }

  static void tailReturns(const Stmt* s, std::set<const ReturnStmt*>& out) {
    if (const auto* cs = dyn_cast_or_null<CompoundStmt>(s); cs && !cs->body_empty()) {
      tailReturns(cs->body_back(), out);
    } else if (const auto* rs = dyn_cast_or_null<ReturnStmt>(s); rs && !rs->getRetValue()) {
      out.insert(rs);
    }
  }

  // The body of layer i's handler for one direction, with its state reached through the
  // stack's member, its message renamed, and every message it queues for a neighbour handed
  // straight to that neighbour's (inlined) handler. `checked`: the up predicate checked this
  // message against the layer's fastpath clause (the message the layers below pass up), so a
  // condition made of that clause's conjuncts is known to hold and the handler does not test it
  // again (the equivalence proof checks that the predicate does establish it).
  std::string handler(int i, bool down, const std::string& msg, bool checked = false, const Chain* chain = nullptr,
                      const View* view = nullptr) {
    if (i < 0) return "to_app.push_back(" + msg + ");";
    if (i >= static_cast<int>(layers_.size())) return "to_net.push_back(" + msg + ");";
    const Layer& l = layers_[static_cast<size_t>(i)];
    const FunctionDecl* f = down ? l.inDn : l.inUp;
    Ctx c{i, down, f->getParamDecl(0), msg, {}, {}};
    c.chain = chain;
    c.view = view;
    if (checked && !down) c.known = upClause(i, msg, view);
    tailReturns(f->getBody(), c.tailReturns);
    std::string text = "  // " + l.cls->getNameAsString() + (down ? ".dn" : ".up") + "\n" + render(f->getBody(), c);
    return stripTrace(text);
  }

  std::string render(const Stmt* s, const Ctx& c) {
    std::vector<Edit> edits;
    collect(s, c, edits);
    size_t b = offset(s->getBeginLoc()), e = endOffset(s->getEndLoc());
    StringRef buf = bufferOf(s->getBeginLoc());
    std::sort(edits.begin(), edits.end(), [](const Edit& x, const Edit& y) { return x.b < y.b; });
    std::string out;
    size_t at = b;
    for (const Edit& ed : edits) {
      if (ed.b < at) continue;  // inside an edit already made
      out += buf.substr(at, ed.b - at).str();
      out += ed.text;
      at = ed.e;
    }
    out += buf.substr(at, e - at).str();
    return out;
  }

  void collect(const Stmt* s, const Ctx& c, std::vector<Edit>& edits) {
    if (!s) return;
    const Layer& l = layers_[static_cast<size_t>(c.layer)];
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(s)) {
      std::string q = mc->getMethodDecl() && mc->getMethodDecl()->getNameAsString() == "push_back"
                          ? stateField(mc->getImplicitObjectArgument())
                          : std::string();
      if (!q.empty() && (q == l.dnq || q == l.upq)) {
        if (mc->getNumArgs() != 1) throw Failure{where(mc->getBeginLoc()) + ": push_back with several arguments"};
        bool goesDown = q == l.dnq;
        if (goesDown)
          if (std::optional<std::string> t = deferredPush(mc, c)) {
            size_t e = endOffset(mc->getEndLoc());
            if (StringRef buf = bufferOf(mc->getBeginLoc()); e < buf.size() && buf[e] == ';') ++e;
            edits.push_back({offset(mc->getBeginLoc()), e, *t});
            return;
          }
        std::string var = "m" + std::to_string(++counter_);
        if (c.view && !goesDown) {
          // passed up from a compact frame: the next header of the chain, or the message under it
          const auto* call = dyn_cast<CallExpr>(mc->getArg(0)->IgnoreImplicit());
          const FunctionDecl* fn = call ? call->getDirectCallee() : nullptr;
          const auto* ref = call && call->getNumArgs() == 1 ? dyn_cast<DeclRefExpr>(call->getArg(0)->IgnoreParenImpCasts()) : nullptr;
          if (!fn || !ref || ref->getDecl() != c.param || fn->getNameAsString() != "pop_" + viewHeader(*c.view)) throw NoView{};
          View next{c.view->format, c.view->depth + 1};
          std::string text;
          if (next.depth < static_cast<int>(next.format->links.size())) {
            text = handler(c.layer - 1, false, c.msg, true, nullptr, &next);
          } else {
            text = "{\n  const rt::Msg " + var + " = cx" + std::to_string(next.format->id) + "_base(" + c.msg + ");\n" +
                   handler(c.layer - 1, false, var, true) + "\n}";
          }
          size_t e = endOffset(mc->getEndLoc());
          if (StringRef buf = bufferOf(mc->getBeginLoc()); e < buf.size() && buf[e] == ';') ++e;
          edits.push_back({offset(mc->getBeginLoc()), e, text});
          return;
        }
        std::string arg = render(mc->getArg(0), c);
        // passed up as the predicate passed it: the layer's own header popped off the checked message
        bool checked = !goesDown && !c.known.empty() && arg == passedUp(l, c.msg);
        std::string next = handler(goesDown ? c.layer + 1 : c.layer - 1, goesDown, var, checked);
        std::string text = "{\n  const rt::Msg " + var + " = " + arg + ";\n" + next + "\n}";
        size_t e = endOffset(mc->getEndLoc());
        if (StringRef buf = bufferOf(mc->getBeginLoc()); e < buf.size() && buf[e] == ';') ++e;
        edits.push_back({offset(mc->getBeginLoc()), e, text});
        return;
      }
    }
    if (const auto* is = dyn_cast<IfStmt>(s); is && !c.known.empty() && !is->getInit() && !is->getConditionVariable()) {
      std::vector<const Expr*> cs;
      conjuncts(is->getCond(), cs);
      bool implied = true;
      for (const Expr* e : cs) implied = implied && c.known.count(render(e, c));
      if (implied) {
        edits.push_back({offset(is->getCond()->getBeginLoc()), endOffset(is->getCond()->getEndLoc()),
                         "true /* established by ccp_up */"});
        collect(is->getThen(), c, edits);
        collect(is->getElse(), c, edits);
        return;
      }
    }
    if (c.view) {
      // a compact frame: its headers come from the locals, its payload from the frame
      if (const auto* call = dyn_cast<CallExpr>(s); call && !isa<CXXMemberCallExpr>(s) && call->getDirectCallee() &&
                                                     call->getNumArgs() == 1 && isParam(call->getArg(0), c)) {
        std::string fn = call->getDirectCallee()->getNameAsString(), h = viewHeader(*c.view);
        std::string text;
        if (fn.rfind("hashdr_", 0) == 0) text = fn == "hashdr_" + h ? "true" : "false";
        else if (fn == "hdr_" + h) text = "cxh" + std::to_string(c.view->depth);
        else throw NoView{};
        edits.push_back({offset(call->getBeginLoc()), endOffset(call->getEndLoc()), text});
        return;
      }
      if (payloadOnly(s, c, c.msg, edits)) return;
    }
    if (c.chain && payloadOnly(s, c, c.chain->base, edits)) return;  // a deferred message
    if (const auto* dr = dyn_cast<DeclRefExpr>(s); dr && dr->getDecl() == c.param) {
      edits.push_back({offset(dr->getBeginLoc()), endOffset(dr->getEndLoc()), c.msg});
      return;
    }
    if (const auto* me = dyn_cast<MemberExpr>(s); me && me->isImplicitAccess()) {
      size_t at = offset(me->getMemberLoc());
      edits.push_back({at, at, l.member + "."});
      return;
    }
    if (const auto* rs = dyn_cast<ReturnStmt>(s)) {
      if (!c.tailReturns.count(rs))
        throw Failure{where(rs->getBeginLoc()) + ": a return before the end of a handler cannot be inlined"};
      size_t b = offset(rs->getBeginLoc());
      size_t e = endOffset(rs->getEndLoc());
      StringRef buf = bufferOf(rs->getBeginLoc());
      if (e < buf.size() && buf[e] == ';') ++e;
      edits.push_back({b, e, "// (end of handler)"});
      return;
    }
    if (isa<CXXThisExpr>(s) && !cast<CXXThisExpr>(s)->isImplicit())
      throw Failure{where(s->getBeginLoc()) + ": explicit 'this' in a handler cannot be inlined"};
    if (isa<LambdaExpr>(s) || isa<GotoStmt>(s) || isa<CXXTryStmt>(s))
      throw Failure{where(s->getBeginLoc()) + ": unsupported construct in a handler: " + s->getStmtClassName()};
    for (const Stmt* ch : s->children()) collect(ch, c, edits);
  }

  static bool isParam(const Expr* e, const Ctx& c) {
    const auto* d = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
    return d && d->getDecl() == c.param;
  }
  // A message that is not a value here (a compact frame's view, a deferred push chain): only its
  // payload may be read, from `payload` (a push does not change the payload), and `(void)m`
  // says nothing; any other use cannot be rendered (NoView / NotDeferrable). True when `s` was
  // handled.
  bool payloadOnly(const Stmt* s, const Ctx& c, const std::string& payload, std::vector<Edit>& edits) {
    auto cannot = [&]() {
      if (c.view) throw NoView{};
      throw NotDeferrable{};
    };
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(s); mc && mc->getMethodDecl() && isParam(mc->getImplicitObjectArgument(), c)) {
      std::string m = mc->getMethodDecl()->getNameAsString();
      if (m != "payload_data" && m != "payload_len" && m != "payload") cannot();
      const Expr* obj = mc->getImplicitObjectArgument()->IgnoreParenImpCasts();
      edits.push_back({offset(obj->getBeginLoc()), endOffset(obj->getEndLoc()), payload});
      return true;
    }
    if (const auto* ce = dyn_cast<CStyleCastExpr>(s); ce && ce->getType()->isVoidType() && isParam(ce->getSubExpr(), c)) {
      edits.push_back({offset(ce->getBeginLoc()), endOffset(ce->getEndLoc()), "(void)0"});
      return true;
    }
    if (const auto* dr = dyn_cast<DeclRefExpr>(s); dr && dr->getDecl() == c.param) cannot();
    return false;
  }

  // Drops `#if IOA_TRACE ... #endif` blocks (the bypass runs only when tracing is off).
  static std::string stripTrace(const std::string& text) {
    std::istringstream in(text);
    std::string line, out;
    int skip = 0;
    while (std::getline(in, line)) {
      std::string t = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
      if (skip) {
        if (t.rfind("#if", 0) == 0) ++skip;
        else if (t.rfind("#endif", 0) == 0) --skip;
        continue;
      }
      if (t.rfind("#if IOA_TRACE", 0) == 0) {
        skip = 1;
        continue;
      }
      out += line + "\n";
    }
    if (!out.empty()) out.pop_back();
    return out;
  }
};

// Strips the implicit nodes around a value passed by value (copies, temporaries, casts).
const Expr* bare(const Expr* e) {
  for (;;) {
    e = e->IgnoreParenImpCasts();
    if (const auto* ce = dyn_cast<CXXConstructExpr>(e); ce && ce->getNumArgs() == 1) e = ce->getArg(0);
    else if (const auto* mt = dyn_cast<MaterializeTemporaryExpr>(e)) e = mt->getSubExpr();
    else if (const auto* bt = dyn_cast<CXXBindTemporaryExpr>(e)) e = bt->getSubExpr();
    else if (const auto* ew = dyn_cast<ExprWithCleanups>(e)) e = ew->getSubExpr();
    else return e;
  }
}

bool isCompactFlag(const Expr* e) {
  const auto* me = dyn_cast<MemberExpr>(e->IgnoreParenImpCasts());
  return me && me->getMemberDecl()->getNameAsString() == "compact_frames";
}

// The compact-frame argument of the proofs: the paths are proved with compact_frames off, so
// compact_frames must choose nothing but the form of a frame sent to the network:
// `to_net.push_back(compact_frames ? cxK_push(a...) : cxK_full(a...))`, the same K and the same
// arguments on both sides. Checked on the AST of the stack's member functions (the guards used
// by the proofs, ccp_*_full, may read it). Returns what breaks the rule, with its location.
std::string checkCompactSends(ASTContext& ast, const CXXRecordDecl* stack) {
  std::set<const Expr*> allowed;
  std::string err;
  std::function<void(const Stmt*)> sends = [&](const Stmt* st) {
    if (!st) return;
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(st); mc && mc->getMethodDecl() &&
                                                         mc->getMethodDecl()->getNameAsString() == "push_back" &&
                                                         mc->getNumArgs() == 1) {
      const auto* obj = dyn_cast<MemberExpr>(mc->getImplicitObjectArgument()->IgnoreParenImpCasts());
      const auto* co = dyn_cast<ConditionalOperator>(bare(mc->getArg(0)));
      if (obj && obj->getMemberDecl()->getNameAsString() == "to_net" && co && isCompactFlag(co->getCond())) {
        const auto* t = dyn_cast<CallExpr>(bare(co->getTrueExpr()));
        const auto* f = dyn_cast<CallExpr>(bare(co->getFalseExpr()));
        std::string tn = t && t->getDirectCallee() ? t->getDirectCallee()->getNameAsString() : "";
        std::string fn = f && f->getDirectCallee() ? f->getDirectCallee()->getNameAsString() : "";
        bool ok = tn.size() > 5 && tn.substr(tn.size() - 5) == "_push" && tn.rfind("cx", 0) == 0 &&
                  fn == tn.substr(0, tn.size() - 5) + "_full" && t->getNumArgs() == f->getNumArgs();
        for (unsigned i = 0; ok && i < t->getNumArgs(); ++i) {
          const auto* a = dyn_cast<DeclRefExpr>(bare(t->getArg(i)));
          const auto* b = dyn_cast<DeclRefExpr>(bare(f->getArg(i)));
          ok = a && b && a->getDecl() == b->getDecl();
        }
        if (ok) allowed.insert(co->getCond()->IgnoreParenImpCasts());
      }
    }
    for (const Stmt* c : st->children()) sends(c);
  };
  std::function<void(const Stmt*)> uses = [&](const Stmt* st) {
    if (!st || !err.empty()) return;
    if (const auto* e = dyn_cast<Expr>(st); e && isCompactFlag(e) && !allowed.count(e->IgnoreParenImpCasts())) {
      err = locationOf(ast.getSourceManager(), e->getBeginLoc()) + ": compact_frames is read outside a compact send "
                                      "(to_net.push_back(compact_frames ? cxK_push(...) : cxK_full(...)))";
      return;
    }
    for (const Stmt* c : st->children()) uses(c);
  };
  for (const CXXMethodDecl* m : stack->methods()) {
    const FunctionDecl* def = nullptr;
    if (!m->hasBody(def)) continue;
    std::string n = m->getNameAsString();
    if (n.rfind("ccp_", 0) == 0 && n.size() > 5 && n.substr(n.size() - 5) == "_full") continue;
    sends(def->getBody());
    uses(def->getBody());
  }
  return err;
}

std::string mainText(const CollapseRequest& r) {
  std::string t = "// the layers and the stack, compiled together for the optimizer\n";
  for (const std::string& u : r.units) t += "#include \"" + u + "\"\n";
  return t;
}

constexpr const char* kMain = "ioawb_collapse_main.cpp";

}  // namespace

CollapseResult collapseStack(const CollapseRequest& r) {
  CollapseResult out;
  std::vector<CppFile> files = r.files;
  files.push_back({kMain, mainText(r)});
  std::string errors;
  std::unique_ptr<CppUnit> unit = CppUnit::parse(files, kMain, r.includeDirs, errors);
  if (!unit) {
    out.error = errors;
    return out;
  }
  try {
    Collapser c(unit->internals().unit->getASTContext(), r);
    out = c.run();
  } catch (const Failure& f) {
    out = CollapseResult();
    out.error = f.message;
  }
  return out;
}

namespace {

// One path's obligation on a parsed unit (a compact frame's up path: its guard's claim first).
PathProof provePath(CppUnit& unit, const CollapsedPath& p, const CollapseRequest& r, const std::string& sendsError) {
  if (p.kind == "compress" && !sendsError.empty()) {
    PathProof pp{p, {}};
    pp.result.status = EquivalenceResult::Error;
    pp.result.message = sendsError;
    return pp;
  }
  EquivalenceQuery q;
  q.source = p.layered;
  q.target = p.bypass;
  q.precondition = p.guard;
  q.timeoutMs = r.timeoutMs;
  q.cancel = r.cancel;
  q.name = p.name;
  if (p.guardSource.empty()) return {p, unit.check(q)};
  // a compact frame's up bypass: through the up bypass when its guard implies the up path's
  // guard on the full form (that bypass is proved equal to the layered path), else directly
  // against the layered path on the full form
  EquivalenceQuery g = q;
  g.source = p.guardSource;
  g.target = p.guardTarget;
  g.name = p.name + ".guard";
  EquivalenceResult gr = unit.check(g);
  PathProof pp{p, {}};
  if (gr.status == EquivalenceResult::Proved) {
    pp.result = unit.check(q);
    pp.path.description = "up path of compact frame: " + p.bypass + " = " + p.layered + " where " + p.guard +
                          " (which implies ccp_up of the full form: proved)";
  } else {
    q.source = p.directLayered;
    pp.path.layered = p.directLayered;
    pp.result = unit.check(q);
    pp.path.description = "up path of compact frame: " + p.bypass + " = " + p.directLayered + " where " + p.guard;
  }
  pp.result.timeMs += gr.timeMs;
  return pp;
}

}  // namespace

std::vector<PathProof> proveCollapsed(const CollapseRequest& r, const std::vector<CppFile>& collapsed,
                                      const std::vector<CollapsedPath>& paths, std::string& error) {
  std::vector<CppFile> files = r.files;
  for (const CppFile& c : collapsed)
    for (CppFile& f : files)
      if (f.path == c.path) f.text = c.text;
  files.push_back({kMain, mainText(r)});
  const bool compress =
      std::any_of(paths.begin(), paths.end(), [](const CollapsedPath& p) { return p.kind == "compress"; });
  // The obligations are independent: `jobs` workers take them in turn, each on its own parse
  // of the same sources, made at the same time as the others' (a Clang AST is not shared
  // between threads; every query has its own Z3 context). The up path, the longest by far,
  // goes first. Worker 0 runs here; its parse is the one that tells whether the code compiles.
  std::vector<size_t> order(paths.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return paths[a].name == "up" && paths[b].name != "up"; });
  unsigned jobs = r.jobs ? r.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(jobs, paths.size())));
  std::vector<std::optional<PathProof>> results(paths.size());
  std::atomic<size_t> next{0};
  auto cancelled = [&] { return r.cancel && r.cancel->load(); };
  auto work = [&](std::string& parseError) {
    if (cancelled()) return;  // (a parse takes seconds: none is started after a cancel)
    std::unique_ptr<CppUnit> unit = CppUnit::parse(files, kMain, r.includeDirs, parseError);
    if (!unit) {
      next = order.size();  // nothing is proved: the caller reports the compile error
      return;
    }
    std::string sendsError;  // the same on every worker's parse
    if (compress) {
      ASTContext& ast = unit->internals().unit->getASTContext();
      if (const CXXRecordDecl* st = findRecord(ast.getTranslationUnitDecl(), r.stackClass))
        sendsError = checkCompactSends(ast, st);
      else
        sendsError = "stack class '" + r.stackClass + "' not found";
    }
    for (size_t k; (k = next.fetch_add(1)) < order.size();) {
      const CollapsedPath& p = paths[order[k]];
      try {
        results[order[k]] = provePath(*unit, p, r, sendsError);
      } catch (const std::exception& e) {  // not to end the process from a worker thread
        PathProof pp{p, {}};
        pp.result.status = EquivalenceResult::Error;
        pp.result.message = std::string("internal error: ") + e.what();
        results[order[k]] = pp;
      }
    }
  };
  std::vector<std::string> helperErrors(jobs);
  std::vector<std::thread> helpers;
  for (unsigned j = 1; j < jobs; ++j) helpers.emplace_back(work, std::ref(helperErrors[j]));
  work(error);
  for (std::thread& t : helpers) t.join();
  std::vector<PathProof> proofs;
  if (!error.empty()) return proofs;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (results[i]) {
      proofs.push_back(std::move(*results[i]));
      continue;
    }
    PathProof pp{paths[i], {}};  // taken by a worker whose parse failed (when the first one's did not)
    pp.result.status = cancelled() ? EquivalenceResult::Unknown : EquivalenceResult::Error;
    pp.result.message = cancelled() ? "cancelled" : "the sources did not parse a second time";
    proofs.push_back(pp);
  }
  return proofs;
}

}  // namespace ioa::opt
