// The syntax tree of an .ioa file, with source ranges on every node. The sort
// checker annotates expressions in place (sort, semantic operator, resolved
// variable), so later stages read `Expr::op` rather than the surface syntax.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "ioa/spec/Lexer.h"
#include "ioa/spec/Sort.h"
#include "ioa/spec/Source.h"

namespace ioa {

struct Expr;
struct Stmt;
struct SortExpr;
struct Var;
struct FunctionDecl;

// ---------------------------------------------------------------- sorts (syntax)

struct SortExpr {
  SourceRange range;
  std::string name;                 // Int, Seq, Map, a declared type, a type parameter ...
  std::vector<SortExpr*> args;      // Seq[T], Map[K, V]
  Expr* lo = nullptr;               // Int[lo..hi]
  Expr* hi = nullptr;
  Sort resolved = nullptr;          // set by the checker
};

// ---------------------------------------------------------------- expressions

enum class ExprKind : uint8_t {
  IntLit, BoolLit, Name, Unary, Binary, Ite, Quant, Call, Field, Index, Prime, SeqLit, SetLit, Is, Choose, Error
};

// Semantic operators, chosen by the checker from syntax and operand sorts.
enum class Op : uint16_t {
  None,
  IntConst, BoolConst, Var, EnumConst,
  Not, And, Or, Implies, Iff, Eq, Neq, Ite, Forall, Exists,
  Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod, Neg,
  BAnd, BOr, BXor, Shl, Shr,
  ToInt, ToUInt,                                    // Int(x), UInt32(x)...: conversions
  SeqEmpty, SeqLit, Append, Prepend, Concat, Head, Tail, Last, Init, Len, SeqIndex, SeqIn, SubSeq,
  SetEmpty, SetLit, SetInsert, SetDelete, SetIn, SetUnion, SetIntersect, SetDiff, SetSize, SetSubseteq,
  MsetEmpty, MsetLit, MsetInsert, MsetDelete, MsetIn, MsetUnion, MsetSize, MsetCount,
  MapGet, MapUpdate, MapDefined, MapConst, MapEmpty,          // Map and Array (Array: defined always true)
  TupleMake, TupleGet, TupleSet,                    // TupleSet only from codegen/encoding helpers
  UnionMake, UnionGet, UnionIs,
  FuncApp,                                          // user function (defined or uninterpreted)
  MsgMake, MsgPayload, MsgPush, MsgHdr, MsgPop, MsgHasHdr, MsgSize,
  Checksum16,                                       // checksum16(b: Bytes): UInt16, RFC 1071 ones'-complement sum
  Choose,                                           // choose x: T where P (effects and initial values only)
  Post,                                             // x' in ensuring clauses
  Lambda,                                           // array with a[i] = body (binders[0] = i); made by expansion
  MapTotal,                                         // total(m): every key of map m defined; made by the prover's
                                                    // derived invariants (refine), not written in specs
};

struct Binder {
  std::string name;
  SortExpr* sort = nullptr;
  SourceRange range;
  Var* var = nullptr;  // set by the checker
};

struct Expr {
  ExprKind kind = ExprKind::Error;
  SourceRange range;
  Tok tok = Tok::Eof;                 // Unary/Binary: the operator token
  std::string name;                   // Name, Field, Call (callee), Is (tag)
  uint64_t intValue = 0;              // IntLit
  bool boolValue = false;             // BoolLit; Quant: true = forall
  std::vector<Expr*> args;            // children
  std::vector<std::string> argNames;  // Call: named arguments ("" when positional)
  std::vector<Binder> binders;        // Quant, Choose
  Expr* callee = nullptr;             // Call with a qualified callee, e.g. Frame.ack(5)

  // Filled by the checker.
  Op op = Op::None;
  Sort sort = nullptr;
  Var* var = nullptr;                 // Op::Var (and Post)
  int index = -1;                     // tuple field, union variant, enum value
  const FunctionDecl* fn = nullptr;   // FuncApp
  Sort aux = nullptr;                 // Msg header operations: the header sort they act on

  // When the checker rewrites `args` into semantic form (qualified names, named
  // constructor arguments, min/max), the surface children are kept here so the
  // pretty printer still prints what was written.
  bool rewritten = false;
  std::vector<Expr*> syntaxArgs;
  std::vector<std::string> syntaxNames;
  const std::vector<Expr*>& surfaceArgs() const { return rewritten ? syntaxArgs : args; }
  const std::vector<std::string>& surfaceNames() const { return rewritten ? syntaxNames : argNames; }
  void keepSurface() {
    if (rewritten) return;
    rewritten = true;
    syntaxArgs = args;
    syntaxNames = argNames;
  }
};

// ---------------------------------------------------------------- statements

enum class StmtKind : uint8_t { Assign, If, For, Fire, Ignore };
enum class ActionKind : uint8_t { Input, Output, Internal };
const char* actionKindName(ActionKind k);

struct Stmt {
  StmtKind kind = StmtKind::Assign;
  SourceRange range;
  // Assign: lhs := rhs (rhs may be a Choose expression)
  Expr* lhs = nullptr;
  Expr* rhs = nullptr;
  // If: conds[i] guards branches[i]; elseBranch when hasElse
  std::vector<Expr*> conds;
  std::vector<std::vector<Stmt*>> branches;
  std::vector<Stmt*> elseBranch;
  bool hasElse = false;
  // For: `for x: T in S do` (domain) or `for x: T where P do` (filter)
  Binder binder;
  Expr* domain = nullptr;
  Expr* filter = nullptr;
  std::vector<Stmt*> body;
  // Fire (proof blocks): fire kind name(args)
  ActionKind fireKind = ActionKind::Input;
  std::string fireAction;
  std::vector<Expr*> fireArgs;
  SourceRange fireNameRange;
  int fireActionIndex = -1;  // set by the checker (index into the abstract automaton's actions)
};
using Block = std::vector<Stmt*>;

// ---------------------------------------------------------------- declarations

enum class DeclKind : uint8_t { Type, Sort, Const, Function, Axiom, Automaton, Invariant, Simulation, Stack, Uses };

struct Decl {
  DeclKind kind;
  SourceRange range;
  SourceRange nameRange;
  std::string name;
  explicit Decl(DeclKind k) : kind(k) {}
  virtual ~Decl() = default;
};

enum class TypeBodyKind : uint8_t { Alias, Enumeration, Tuple, Union };

struct TypeBody {
  TypeBodyKind kind = TypeBodyKind::Alias;
  SourceRange range;
  SortExpr* alias = nullptr;
  std::vector<std::string> values;
  std::vector<SourceRange> valueRanges;
  std::vector<std::string> fieldNames;
  std::vector<SortExpr*> fieldSorts;
  std::vector<SourceRange> fieldRanges;
};

struct TypeDecl : Decl {
  TypeBody body;
  Sort resolved = nullptr;
  TypeDecl() : Decl(DeclKind::Type) {}
};

struct SortDecl : Decl {
  Sort resolved = nullptr;
  SortDecl() : Decl(DeclKind::Sort) {}
};

struct ConstDecl : Decl {
  SortExpr* sort = nullptr;
  Expr* value = nullptr;
  Var* var = nullptr;
  ConstDecl() : Decl(DeclKind::Const) {}
};

struct Param {
  std::string name;
  SortExpr* sort = nullptr;  // null for a type parameter
  bool isType = false;
  bool isConst = false;      // `const` action parameter
  Expr* constTerm = nullptr; // IOA's `const left(i)`: the parameter is fixed to this term (name is empty)
  SourceRange range;
  Var* var = nullptr;
  Sort typeSort = nullptr;   // type parameter: its Param sort
};

struct FunctionDecl : Decl {
  std::vector<Param> params;
  SortExpr* result = nullptr;
  Expr* body = nullptr;  // null: uninterpreted
  FunctionDecl() : Decl(DeclKind::Function) {}
};

struct AxiomDecl : Decl {
  Expr* body = nullptr;
  AxiomDecl() : Decl(DeclKind::Axiom) {}
};

struct UsesDecl : Decl {
  UsesDecl() : Decl(DeclKind::Uses) {}
};

struct ActionDecl {
  ActionKind kind = ActionKind::Input;
  std::string name;
  std::vector<Param> params;
  Expr* where = nullptr;
  SourceRange range;
};

struct StateVarDecl {
  std::string name;
  SortExpr* sort = nullptr;
  Expr* init = nullptr;  // may be ExprKind::Choose
  SourceRange range;
  Var* var = nullptr;
};

struct TransitionDecl {
  ActionKind kind = ActionKind::Input;
  std::string action;
  SourceRange range;        // whole transition
  SourceRange headerRange;  // `output receive(m)`
  std::vector<Expr*> args;
  std::vector<bool> argConst;
  std::vector<Var*> argVars;  // set by the checker: variable bound by each argument (null for a pattern)
  Expr* where = nullptr;
  Expr* pre = nullptr;
  bool hasEff = false;
  Block eff;
  Expr* ensuring = nullptr;
  int actionIndex = -1;  // set by the checker (index into the signature)
  bool implicitArgs = false;  // `output tick` with the signature's parameter names filled in by the checker
};

struct ActionRef {
  std::string name;  // may be qualified: C1.send
  std::vector<Expr*> args;
  SourceRange range;
};

struct TaskDecl {
  std::vector<ActionRef> actions;
  std::vector<Binder> binders;  // `for x: T`
  Expr* where = nullptr;
  SourceRange range;
};

struct Renaming {
  std::string from, to;
  SourceRange range;
};

struct ComponentDecl {
  std::string name;
  std::vector<Binder> indices;  // P[i: Node]
  std::string automaton;
  std::vector<Expr*> args;      // automaton arguments (sorts are written as terms and reinterpreted)
  std::vector<Renaming> renamings;
  SourceRange range;
  SourceRange automatonRange;
};

struct FastpathDecl {
  std::string path;  // "dn" or "up"
  Expr* pred = nullptr;
  SourceRange range;
};

struct AutomatonDecl : Decl {
  bool isLayer = false;
  std::vector<Param> params;
  // layer header: a tuple body (or alias) describing this layer's wire header
  bool hasHeader = false;
  TypeBody header;
  Sort headerSort = nullptr;
  std::vector<ActionDecl> signature;
  bool hasSignature = false;
  bool hasStates = false;
  std::vector<StateVarDecl> states;
  Expr* initially = nullptr;
  bool hasTransitions = false;
  std::vector<TransitionDecl> transitions;
  bool hasTasks = false;
  std::vector<TaskDecl> tasks;
  bool hasComponents = false;
  std::vector<ComponentDecl> components;
  std::vector<ActionRef> hidden;
  std::vector<FastpathDecl> fastpaths;
  AutomatonDecl() : Decl(DeclKind::Automaton) {}
  bool isComposite() const { return hasComponents; }
};

struct AutRef {
  std::string name;
  std::vector<Expr*> args;
  std::vector<std::string> argNames;
  SourceRange range;
};

struct InvariantDecl : Decl {
  AutRef automaton;
  Expr* body = nullptr;
  InvariantDecl() : Decl(DeclKind::Invariant) {}
};

struct ProofEntry {
  ActionKind kind = ActionKind::Input;
  std::string action;  // may be qualified
  std::vector<Expr*> args;
  bool ignore = false;
  Block body;
  SourceRange range;
};

enum class SimulationKind : uint8_t { Forward, Refinement };

struct SimulationDecl : Decl {
  SimulationKind simKind = SimulationKind::Forward;
  AutRef from, to;
  Expr* relation = nullptr;
  std::string mappingName;  // refinement: the optional name after the colon (`refinement from A to B: f`)
  bool hasProof = false;
  Block proofInit;  // `initially` witness assignments to abstract state
  SourceRange proofInitRange;
  std::vector<ProofEntry> entries;
  SimulationDecl() : Decl(DeclKind::Simulation) {}
};

struct StackLayerRef {
  std::string name;
  std::vector<std::string> argNames;
  std::vector<Expr*> args;
  SourceRange range;
};

struct StackDecl : Decl {
  std::vector<StackLayerRef> layers;
  StackDecl() : Decl(DeclKind::Stack) {}
};

// Owns every node of a parse (and nodes the checker and expander create).
class AstArena {
 public:
  Expr* expr() { return &exprs_.emplace_back(); }
  Expr* expr(const Expr& copy) { return &exprs_.emplace_back(copy); }
  Stmt* stmt() { return &stmts_.emplace_back(); }
  Stmt* stmt(const Stmt& copy) { return &stmts_.emplace_back(copy); }
  SortExpr* sortExpr() { return &sortExprs_.emplace_back(); }
  template <class D>
  D* decl() {
    decls_.push_back(std::make_unique<D>());
    return static_cast<D*>(decls_.back().get());
  }

 private:
  std::deque<Expr> exprs_;
  std::deque<Stmt> stmts_;
  std::deque<SortExpr> sortExprs_;
  std::vector<std::unique_ptr<Decl>> decls_;
};

struct Module {
  uint32_t file = 0;
  std::vector<Decl*> decls;
};

}  // namespace ioa
