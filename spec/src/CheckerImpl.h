// Internal: the checker's state, shared by Checker.cpp (declarations,
// automata, statements), CheckTerms.cpp (terms) and Expand.cpp (flattening).
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ioa/spec/Build.h"
#include "ioa/spec/Checker.h"

namespace ioa {

struct GlobalSym {
  enum Kind { Type, SortK, Const, Function, Automaton, Stack } kind;
  Decl* decl;
};

// A flat automaton whose state variables terms may name (invariants, simulations).
struct FlatCtx {
  const FlatAutomaton* aut = nullptr;
  std::vector<std::string> qualifiers;  // "Channel", "Channel(Bytes)", ...
};

class Checker {
 public:
  Checker(Module& m, std::shared_ptr<AstArena> arena, DiagnosticEngine& diags);
  std::unique_ptr<Model> run();

  // ---- shared with Expand.cpp
  Model& model() { return *model_; }
  DiagnosticEngine& diags() { return diags_; }
  ExprBuilder& build() { return build_; }
  const FlatAutomaton* instantiate(const AutomatonDecl* d, const std::vector<Expr*>& args,
                                   const std::vector<std::string>& argNames, SourceRange at,
                                   const std::string& displayName);
  const FlatAutomaton* expandStack(const StackDecl* d);
  FlatAutomaton* genericOf(const AutomatonDecl* d);
  FlatAutomaton* buildPrimitive(const AutomatonDecl* d);
  FlatAutomaton* composeDecl(const AutomatonDecl* d);
  FlatAutomaton* cloneFlat(const FlatAutomaton* g, Subst s, const std::string& display);
  struct Child {
    std::string name;
    std::vector<Var*> indexVars;
    const FlatAutomaton* flat = nullptr;
    std::map<std::string, std::string> renamings;
    SourceRange range;
  };
  void compose(FlatAutomaton* out, std::vector<Child>& children, const std::vector<ActionRef>& hidden);

 private:
  friend class Expander;
  // declarations
  void collectGlobals();
  void declareGlobal(const std::string& name, SourceRange r, GlobalSym sym);
  void checkTypeDecl(TypeDecl* d);
  Sort resolveTypeBody(const TypeBody& b, const std::string& name, SourceRange r);
  void checkConst(ConstDecl* d);
  void ensureConst(ConstDecl* d);  // sort and value resolved on first use (ranges may name constants)
  void checkFunction(FunctionDecl* d);
  void checkAutomaton(AutomatonDecl* d);
  void checkLayerInterface(AutomatonDecl* d);
  void checkTransition(AutomatonDecl* d, TransitionDecl& t);
  void checkInvariant(InvariantDecl* d);
  void checkSimulation(SimulationDecl* d);
  void checkStack(StackDecl* d);
  const FlatAutomaton* resolveAutRef(const AutRef& r);

 public:
  // sorts
  Sort resolveSort(SortExpr* s);
  Sort sortFromTerm(Expr* e);  // automaton type arguments are written as terms
  std::optional<int64_t> evalConstInt(const Expr* e, int depth = 0);

  // terms (CheckTerms.cpp)
  Sort check(Expr* e, Sort expected = nullptr);
  Sort checkBool(Expr* e);
  void checkStmts(Block& b, bool proofBlock = false);
  void checkStmt(Stmt* s, bool proofBlock);

  // "did you mean" hints ("; did you mean 'X'?" or ""): among the globals of the given
  // kinds (and `extra` names), and among every name a term may use here
  std::string globalHint(const std::string& name, std::initializer_list<GlobalSym::Kind> kinds,
                         std::initializer_list<std::string_view> extra = {}) const;
  std::string termNameHint(const std::string& name) const;
  std::string functionNameHint(const std::string& name) const;
  std::string actionHint(const FlatAutomaton& a, const std::string& name) const;
  std::set<std::string> rejected_;  // declarations refused (a built-in sort's or operator's name)

  // scopes
  void pushScope() { scopes_.emplace_back(); }
  void popScope() { scopes_.pop_back(); }
  Var* declareLocal(const std::string& name, Sort sort, VarKind kind, SourceRange r);
  Var* lookupLocal(const std::string& name) const;

 private:
  Sort checkName(Expr* e, Sort expected);
  Sort checkUnary(Expr* e, Sort expected);
  Sort checkBinary(Expr* e, Sort expected);
  Sort checkCall(Expr* e, Sort expected);
  Sort checkBuiltin(Expr* e, Sort expected, bool& handled);
  Sort checkField(Expr* e, Sort expected);
  Sort checkIndex(Expr* e, Sort expected);
  Sort checkQuant(Expr* e);
  Sort checkCollectionLit(Expr* e, Sort expected);
  Sort checkChoose(Expr* e, Sort expected);
  bool resolveStatePath(Expr* e, bool& error);
  Sort checkSame(Expr* a, Expr* b, const char* what, SourceRange at);
  Sort checkArith(Expr* e, Op intOp);
  void bindBinders(std::vector<Binder>& bs, VarKind kind);
  Sort fail(Expr* e, const std::string& msg);
  void expectSort(Expr* e, Sort actual, Sort expected, const char* context);
  bool isFlexible(const Expr* e) const;
  Sort headerSortFor(Expr* callee, SourceRange at);
  bool checkLvalue(Expr* e);

 public:
  // context while checking
  const AutomatonDecl* currentLayer_ = nullptr;
  const AutomatonDecl* currentAutomaton_ = nullptr;
  bool allowPrime_ = false;
  const FlatAutomaton* fireTarget_ = nullptr;  // abstract automaton of the proof block being checked
  // The automaton whose variable a bare name means when it could be either's: the abstract one,
  // on the left of an assignment in a proof's `initially` witness (which assigns only its variables)
  const FlatAutomaton* preferredOwner_ = nullptr;
  std::vector<FlatCtx> flat_;
  std::map<std::string, Sort> typeParams_;
  std::vector<std::map<std::string, Var*>> scopes_;
  std::map<std::string, GlobalSym> globals_;
  std::map<std::string, std::vector<std::pair<const TypeDef*, int>>> enumValues_;
  std::map<const AutomatonDecl*, std::map<std::string, Var*>> stateScopes_;  // generic state vars
  std::map<const AutomatonDecl*, Sort> layerHeaders_;
  std::map<const AutomatonDecl*, Var*> fastpathVars_;
  std::map<const AutomatonDecl*, FlatAutomaton*> generics_;
  std::map<std::string, const FlatAutomaton*> instances_;
  struct Clone {
    const FlatAutomaton* generic;
    const FlatAutomaton* instance;
    Subst subst;  // the generic's parameters and state variables to the instance's
  };
  std::vector<Clone> clones_;
  void inheritInvariants();
  std::set<const AutomatonDecl*> expanding_;  // cycle detection for compositions
  std::set<const Decl*> resolvingTypes_;
  std::set<const Decl*> resolvingConsts_;
  std::set<const Decl*> checkedConsts_;
  std::vector<const FunctionDecl*> functionStack_;

 private:
  Module& module_;
  DiagnosticEngine& diags_;
  std::unique_ptr<Model> model_;
  ExprBuilder build_;
};

bool isBuiltinName(const std::string& n);

}  // namespace ioa
