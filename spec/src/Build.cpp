#include "ioa/spec/Build.h"

namespace ioa {

Expr* ExprBuilder::var(Var* v, SourceRange r) {
  Expr* e = arena_.expr();
  e->kind = ExprKind::Name;
  e->name = v->name;
  e->op = Op::Var;
  e->var = v;
  e->sort = v->sort;
  e->range = r;
  return e;
}

Expr* ExprBuilder::post(Var* v, SourceRange r) {
  Expr* e = var(v, r);
  e->kind = ExprKind::Prime;
  e->op = Op::Post;
  return e;
}

Expr* ExprBuilder::boolConst(bool b) {
  Expr* e = arena_.expr();
  e->kind = ExprKind::BoolLit;
  e->op = Op::BoolConst;
  e->boolValue = b;
  e->sort = sorts_.boolean();
  return e;
}

Expr* ExprBuilder::intConst(int64_t v, Sort s) {
  Expr* e = arena_.expr();
  e->kind = ExprKind::IntLit;
  e->op = Op::IntConst;
  if (v < 0) {
    e->intValue = static_cast<uint64_t>(-v);
    e->sort = s ? s : sorts_.integer();
    Expr* n = app(Op::Neg, e->sort, {e});
    return n;
  }
  e->intValue = static_cast<uint64_t>(v);
  e->sort = s ? s : sorts_.integer();
  return e;
}

Expr* ExprBuilder::app(Op op, Sort sort, std::vector<Expr*> args, SourceRange r) {
  Expr* e = arena_.expr();
  e->kind = ExprKind::Call;
  e->op = op;
  e->sort = sort;
  e->args = std::move(args);
  e->range = r;
  return e;
}

Expr* ExprBuilder::notE(Expr* a) {
  if (a->op == Op::BoolConst) return boolConst(!a->boolValue);
  return app(Op::Not, sorts_.boolean(), {a}, a->range);
}

Expr* ExprBuilder::andE(std::vector<Expr*> xs) {
  std::vector<Expr*> keep;
  for (Expr* x : xs) {
    if (!x) continue;
    if (x->op == Op::BoolConst && x->boolValue) continue;
    if (x->op == Op::BoolConst && !x->boolValue) return x;
    keep.push_back(x);
  }
  if (keep.empty()) return boolConst(true);
  if (keep.size() == 1) return keep[0];
  Expr* e = keep[0];
  for (size_t i = 1; i < keep.size(); ++i) e = app(Op::And, sorts_.boolean(), {e, keep[i]});
  return e;
}

Expr* ExprBuilder::orE(std::vector<Expr*> xs) {
  std::vector<Expr*> keep;
  for (Expr* x : xs) {
    if (!x) continue;
    if (x->op == Op::BoolConst && !x->boolValue) continue;
    if (x->op == Op::BoolConst && x->boolValue) return x;
    keep.push_back(x);
  }
  if (keep.empty()) return boolConst(false);
  Expr* e = keep[0];
  for (size_t i = 1; i < keep.size(); ++i) e = app(Op::Or, sorts_.boolean(), {e, keep[i]});
  return e;
}

Expr* ExprBuilder::implies(Expr* a, Expr* b) {
  if (!a || (a->op == Op::BoolConst && a->boolValue)) return b;
  return app(Op::Implies, sorts_.boolean(), {a, b});
}

Expr* ExprBuilder::eq(Expr* a, Expr* b) { return app(Op::Eq, sorts_.boolean(), {a, b}); }

Expr* ExprBuilder::ite(Expr* c, Expr* a, Expr* b) { return app(Op::Ite, a->sort, {c, a, b}); }

Expr* ExprBuilder::select(Expr* m, Expr* k) {
  Sort s = m->sort && (m->sort->kind == SortKind::Map || m->sort->kind == SortKind::Array) ? m->sort->value()
                                                                                            : sorts_.error();
  return app(Op::MapGet, s, {m, k});
}

Expr* ExprBuilder::quant(bool forall, std::vector<Var*> vars, Expr* body) {
  if (vars.empty()) return body;
  Expr* e = app(forall ? Op::Forall : Op::Exists, sorts_.boolean(), {body});
  e->kind = ExprKind::Quant;
  e->boolValue = forall;
  for (Var* v : vars) {
    Binder bd;
    bd.name = v->name;
    bd.var = v;
    e->binders.push_back(bd);
  }
  return e;
}

Expr* ExprBuilder::lambda(Var* v, Expr* body, Sort arraySort) {
  Expr* e = app(Op::Lambda, arraySort, {body});
  e->kind = ExprKind::Quant;
  Binder bd;
  bd.name = v->name;
  bd.var = v;
  e->binders.push_back(bd);
  return e;
}

// ------------------------------------------------------------------ cloning

Sort Cloner::sort(Sort s) { return subst_.sorts.empty() ? s : substituteSort(model_.sorts, s, subst_.sorts); }

Var* Cloner::renewBound(const Var* v) {
  Var* nv = model_.newVar(v->name, sort(v->sort), v->kind, v->range);
  subst_.vars[v] = b_.var(nv, v->range);
  return nv;
}

Expr* Cloner::primeOf(Expr* e) {
  if (e->op == Op::Var) return b_.post(e->var, e->range);
  if (e->op == Op::MapGet) return b_.select(primeOf(e->args[0]), e->args[1]);
  return e;  // not a state location; leave as is
}

Expr* Cloner::expr(const Expr* e) {
  if (!e) return nullptr;
  if (e->op == Op::Var) {
    auto it = subst_.vars.find(e->var);
    if (it != subst_.vars.end()) return it->second;
  }
  if (e->op == Op::Post) {
    auto it = subst_.vars.find(e->var);
    if (it != subst_.vars.end()) return primeOf(it->second);
  }
  Expr* c = model_.arena().expr(*e);
  c->sort = sort(e->sort);
  // renew binders before copying the body so references are redirected
  for (Binder& bd : c->binders)
    if (bd.var) bd.var = renewBound(bd.var);
  for (Expr*& a : c->args) a = expr(a);
  if (c->callee) c->callee = nullptr;  // semantic trees do not need the syntactic callee
  return c;
}

Stmt* Cloner::stmt(const Stmt* s) {
  Stmt* c = model_.arena().stmt(*s);
  c->lhs = expr(s->lhs);
  c->rhs = expr(s->rhs);
  for (Expr*& e : c->conds) e = expr(e);
  for (auto& br : c->branches) br = block(br);
  c->elseBranch = block(s->elseBranch);
  if (s->binder.var) c->binder.var = renewBound(s->binder.var);
  c->domain = expr(s->domain);
  c->filter = expr(s->filter);
  c->body = block(s->body);
  for (Expr*& e : c->fireArgs) e = expr(e);
  return c;
}

Block Cloner::block(const Block& b) {
  Block out;
  out.reserve(b.size());
  for (const Stmt* s : b) out.push_back(stmt(s));
  return out;
}

void forEachExpr(const Expr* e, const std::function<void(const Expr*)>& f) {
  if (!e) return;
  f(e);
  for (const Expr* a : e->args) forEachExpr(a, f);
}

void forEachExprIn(const Block& b, const std::function<void(const Expr*)>& f) {
  for (const Stmt* s : b) {
    forEachExpr(s->lhs, f);
    forEachExpr(s->rhs, f);
    for (const Expr* c : s->conds) forEachExpr(c, f);
    for (const auto& br : s->branches) forEachExprIn(br, f);
    forEachExprIn(s->elseBranch, f);
    forEachExpr(s->domain, f);
    forEachExpr(s->filter, f);
    forEachExprIn(s->body, f);
    for (const Expr* a : s->fireArgs) forEachExpr(a, f);
  }
}

bool mentionsVar(const Expr* e, const Var* v) {
  bool found = false;
  forEachExpr(e, [&](const Expr* x) {
    if ((x->op == Op::Var || x->op == Op::Post) && x->var == v) found = true;
  });
  return found;
}

std::vector<Expr*> conjuncts(Expr* e) {
  std::vector<Expr*> out;
  std::function<void(Expr*)> go = [&](Expr* x) {
    if (x && x->op == Op::And) {
      for (Expr* a : x->args) go(a);
    } else if (x) {
      out.push_back(x);
    }
  };
  go(e);
  return out;
}

}  // namespace ioa
