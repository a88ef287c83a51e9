// Building and copying checked expressions: used by composition expansion and
// by every later stage that makes new terms (obligations, encodings).
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "ioa/spec/Model.h"

namespace ioa {

class ExprBuilder {
 public:
  ExprBuilder(AstArena& arena, SortTable& sorts) : arena_(arena), sorts_(sorts) {}
  SortTable& sorts() { return sorts_; }
  AstArena& arena() { return arena_; }

  Expr* var(Var* v, SourceRange r = {});
  Expr* post(Var* v, SourceRange r = {});
  Expr* boolConst(bool b);
  Expr* intConst(int64_t v, Sort s = nullptr);
  Expr* app(Op op, Sort sort, std::vector<Expr*> args, SourceRange r = {});
  Expr* notE(Expr* a);
  Expr* andE(std::vector<Expr*> xs);  // nulls are dropped; empty = true
  Expr* andE(Expr* a, Expr* b) { return andE(std::vector<Expr*>{a, b}); }
  Expr* orE(std::vector<Expr*> xs);
  Expr* implies(Expr* a, Expr* b);
  Expr* eq(Expr* a, Expr* b);
  Expr* ite(Expr* c, Expr* a, Expr* b);
  Expr* select(Expr* m, Expr* k);  // MapGet
  Expr* quant(bool forall, std::vector<Var*> vars, Expr* body);
  Expr* lambda(Var* v, Expr* body, Sort arraySort);

 private:
  AstArena& arena_;
  SortTable& sorts_;
};

// A substitution for copying expressions and statements: variables are replaced
// by terms, sorts by sorts (type parameters), and bound variables are renewed.
struct Subst {
  std::map<const Var*, Expr*> vars;
  std::map<Sort, Sort> sorts;
};

class Cloner {
 public:
  Cloner(Model& model, const Subst& subst) : model_(model), b_(model.arena(), model.sorts), subst_(subst) {}
  Expr* expr(const Expr* e);
  Stmt* stmt(const Stmt* s);
  Block block(const Block& b);
  Sort sort(Sort s);
  Var* renewBound(const Var* v);  // fresh copy of a bound variable, registered in the substitution

 private:
  Expr* primeOf(Expr* e);
  Model& model_;
  ExprBuilder b_;
  Subst subst_;  // extended with renewed bound variables
};

// Visits every sub-expression (pre-order). Statement visitor covers nested blocks.
void forEachExpr(const Expr* e, const std::function<void(const Expr*)>& f);
void forEachExprIn(const Block& b, const std::function<void(const Expr*)>& f);
bool mentionsVar(const Expr* e, const Var* v);

// Splits a conjunction into its conjuncts (And nodes flattened).
std::vector<Expr*> conjuncts(Expr* e);

}  // namespace ioa
