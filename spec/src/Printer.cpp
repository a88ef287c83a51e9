#include "ioa/spec/Printer.h"

#include <sstream>

namespace ioa {

namespace {

// ------------------------------------------------------------------ syntactic printer

int precOf(const Expr* e) {
  switch (e->kind) {
    case ExprKind::Binary:
      switch (e->tok) {
        case Tok::Iff: return 1;
        case Tok::Implies: return 2;
        case Tok::Or: return 3;
        case Tok::And: return 4;
        case Tok::Eq:
        case Tok::Neq:
        case Tok::Lt:
        case Tok::Le:
        case Tok::Gt:
        case Tok::Ge:
        case Tok::In:
        case Tok::Subseteq: return 6;
        case Tok::Append:
        case Tok::Prepend:
        case Tok::Concat:
        case Tok::UnionOp:
        case Tok::Intersect: return 7;
        case Tok::Plus:
        case Tok::Minus: return 8;
        default: return 9;
      }
    case ExprKind::Unary: return e->tok == Tok::Not ? 5 : 10;
    case ExprKind::Is: return 6;
    case ExprKind::Ite:
    case ExprKind::Choose: return 0;
    default: return 12;
  }
}

const char* opText(Tok t) {
  switch (t) {
    case Tok::Iff: return "<=>";
    case Tok::Implies: return "=>";
    case Tok::Or: return "\\/";
    case Tok::And: return "/\\";
    case Tok::Eq: return "=";
    case Tok::Neq: return "~=";
    case Tok::Lt: return "<";
    case Tok::Le: return "<=";
    case Tok::Gt: return ">";
    case Tok::Ge: return ">=";
    case Tok::In: return "\\in";
    case Tok::Subseteq: return "\\subseteq";
    case Tok::Append: return "|-";
    case Tok::Prepend: return "-|";
    case Tok::Concat: return "||";
    case Tok::UnionOp: return "\\union";
    case Tok::Intersect: return "\\intersect";
    case Tok::Plus: return "+";
    case Tok::Minus: return "-";
    case Tok::Star: return "*";
    case Tok::KwDiv: return "div";
    case Tok::KwMod: return "mod";
    case Tok::KwBand: return "band";
    case Tok::KwBor: return "bor";
    case Tok::KwBxor: return "bxor";
    case Tok::KwShl: return "shl";
    case Tok::KwShr: return "shr";
    case Tok::Not: return "~";
    default: return "?";
  }
}

std::string sortText(const SortExpr* s);

std::string binders(const std::vector<Binder>& bs) {
  std::string out;
  for (size_t i = 0; i < bs.size(); ++i) {
    if (i) out += ", ";
    out += bs[i].name;
    if (bs[i].sort) out += ": " + sortText(bs[i].sort);
  }
  return out;
}

void printE(std::string& out, const Expr* e, int need);

void printArgs(std::string& out, const std::vector<Expr*>& args, const std::vector<std::string>& names) {
  out += "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    if (i < names.size() && !names[i].empty()) out += names[i] + ": ";
    printE(out, args[i], 0);
  }
  out += ")";
}

void printE(std::string& out, const Expr* e, int need) {
  if (!e) {
    out += "?";
    return;
  }
  int p = precOf(e);
  bool paren = p < need;
  if (paren) out += "(";
  switch (e->kind) {
    case ExprKind::IntLit: out += std::to_string(e->intValue); break;
    case ExprKind::BoolLit: out += e->boolValue ? "true" : "false"; break;
    case ExprKind::Name: out += e->name; break;
    case ExprKind::Unary:
      out += e->tok == Tok::Not ? "~" : "-";
      printE(out, e->surfaceArgs()[0], p);
      break;
    case ExprKind::Binary: {
      bool right = e->tok == Tok::Implies || e->tok == Tok::Prepend;
      bool nonassoc = p == 6;
      printE(out, e->surfaceArgs()[0], right || nonassoc ? p + 1 : p);
      out += " ";
      out += opText(e->tok);
      out += " ";
      printE(out, e->surfaceArgs()[1], right ? p : p + 1);
      break;
    }
    case ExprKind::Ite:
      out += "if ";
      printE(out, e->surfaceArgs()[0], 0);
      out += " then ";
      printE(out, e->surfaceArgs()[1], 0);
      out += " else ";
      printE(out, e->surfaceArgs()[2], 0);
      break;
    case ExprKind::Quant:
      out += e->boolValue ? "\\A " : "\\E ";
      out += binders(e->binders);
      out += " (";
      printE(out, e->surfaceArgs()[0], 0);
      out += ")";
      break;
    case ExprKind::Choose:
      out += "choose " + binders(e->binders);
      if (!e->surfaceArgs().empty()) {
        out += " where ";
        printE(out, e->surfaceArgs()[0], 0);
      }
      break;
    case ExprKind::Call:
      if (e->callee) printE(out, e->callee, 12);
      else out += e->name;
      printArgs(out, e->surfaceArgs(), e->surfaceNames());
      break;
    case ExprKind::Field:
      printE(out, e->surfaceArgs()[0], 12);
      out += "." + e->name;
      break;
    case ExprKind::Index:
      printE(out, e->surfaceArgs()[0], 12);
      out += "[";
      for (size_t i = 1; i < e->surfaceArgs().size(); ++i) {
        if (i > 1) out += e->tok == Tok::DotDot ? " .. " : ", ";
        printE(out, e->surfaceArgs()[i], 0);
      }
      out += "]";
      break;
    case ExprKind::Prime:
      printE(out, e->surfaceArgs()[0], 12);
      out += "'";
      break;
    case ExprKind::SeqLit:
    case ExprKind::SetLit:
      out += e->kind == ExprKind::SeqLit ? "[" : "{";
      for (size_t i = 0; i < e->surfaceArgs().size(); ++i) {
        if (i) out += ", ";
        printE(out, e->surfaceArgs()[i], 0);
      }
      out += e->kind == ExprKind::SeqLit ? "]" : "}";
      break;
    case ExprKind::Is:
      printE(out, e->surfaceArgs()[0], 7);
      out += " is " + e->name;
      break;
    case ExprKind::Error: out += "?"; break;
  }
  if (paren) out += ")";
}

std::string sortText(const SortExpr* s) {
  if (!s) return "?";
  std::string out = s->name;
  if (s->lo) {
    out += "[";
    printE(out, s->lo, 0);
    out += "..";
    printE(out, s->hi, 0);
    out += "]";
  } else if (!s->args.empty()) {
    out += "[";
    for (size_t i = 0; i < s->args.size(); ++i) out += (i ? ", " : "") + sortText(s->args[i]);
    out += "]";
  }
  return out;
}

std::string params(const std::vector<Param>& ps) {
  std::string out = "(";
  for (size_t i = 0; i < ps.size(); ++i) {
    if (i) out += ", ";
    if (ps[i].isConst) out += "const ";
    if (ps[i].constTerm && ps[i].name.empty()) {
      printE(out, ps[i].constTerm, 0);
      continue;
    }
    out += ps[i].name + ": " + (ps[i].isType ? std::string("type") : sortText(ps[i].sort));
  }
  return out + ")";
}

std::string typeBody(const TypeBody& b) {
  std::string out;
  switch (b.kind) {
    case TypeBodyKind::Alias: return sortText(b.alias);
    case TypeBodyKind::Enumeration:
      out = "enumeration of ";
      for (size_t i = 0; i < b.values.size(); ++i) out += (i ? ", " : "") + b.values[i];
      return out;
    case TypeBodyKind::Tuple:
    case TypeBodyKind::Union:
      out = b.kind == TypeBodyKind::Tuple ? "tuple of " : "union of ";
      for (size_t i = 0; i < b.fieldNames.size(); ++i)
        out += (i ? ", " : "") + b.fieldNames[i] + ": " + sortText(b.fieldSorts[i]);
      return out;
  }
  return out;
}

std::string ind(int n) { return std::string(static_cast<size_t>(n) * 2, ' '); }

void printStmts(std::string& out, const Block& b, int indent);

void printStmt(std::string& out, const Stmt* s, int indent) {
  out += ind(indent);
  switch (s->kind) {
    case StmtKind::Assign:
      printE(out, s->lhs, 12);
      out += " := ";
      printE(out, s->rhs, 0);
      out += "\n";
      break;
    case StmtKind::If:
      for (size_t i = 0; i < s->conds.size(); ++i) {
        if (i) out += ind(indent);
        out += i ? "elseif " : "if ";
        printE(out, s->conds[i], 0);
        out += " then\n";
        printStmts(out, s->branches[i], indent + 1);
      }
      if (s->hasElse) {
        out += ind(indent) + "else\n";
        printStmts(out, s->elseBranch, indent + 1);
      }
      out += ind(indent) + "fi\n";
      break;
    case StmtKind::For:
      out += "for " + s->binder.name + ": " + sortText(s->binder.sort);
      if (s->domain) {
        out += " in ";
        printE(out, s->domain, 0);
      } else if (s->filter) {
        out += " where ";
        printE(out, s->filter, 0);
      }
      out += " do\n";
      printStmts(out, s->body, indent + 1);
      out += ind(indent) + "od\n";
      break;
    case StmtKind::Fire:
      out += std::string("fire ") + actionKindName(s->fireKind) + " " + s->fireAction;
      if (!s->fireArgs.empty()) printArgs(out, s->fireArgs, {});
      out += "\n";
      break;
    case StmtKind::Ignore: out += "ignore\n"; break;
  }
}

void printStmts(std::string& out, const Block& b, int indent) {
  for (const Stmt* s : b) printStmt(out, s, indent);
}

std::string autRef(const AutRef& r) {
  std::string out = r.name;
  if (!r.args.empty()) printArgs(out, r.args, r.argNames);
  return out;
}

std::string actionRef(const ActionRef& a) {
  std::string out = a.name;
  if (!a.args.empty()) printArgs(out, a.args, {});
  return out;
}

void printAutomaton(std::string& out, const AutomatonDecl* d) {
  out += (d->isLayer ? "layer " : "automaton ") + d->name;
  if (!d->params.empty()) out += params(d->params);
  out += "\n";
  if (d->hasHeader) out += "  header " + typeBody(d->header) + "\n";
  if (d->hasComponents) {
    out += "  components\n";
    for (const ComponentDecl& c : d->components) {
      out += "    " + c.name;
      if (!c.indices.empty()) out += "[" + binders(c.indices) + "]";
      out += ": " + c.automaton;
      if (!c.args.empty()) printArgs(out, c.args, {});
      if (!c.renamings.empty()) {
        out += " renaming ";
        for (size_t i = 0; i < c.renamings.size(); ++i)
          out += (i ? ", " : "") + c.renamings[i].from + " to " + c.renamings[i].to;
      }
      out += ";\n";
    }
  }
  if (!d->hidden.empty()) {
    out += "  hidden ";
    for (size_t i = 0; i < d->hidden.size(); ++i) out += (i ? ", " : "") + actionRef(d->hidden[i]);
    out += "\n";
  }
  if (d->hasSignature) {
    out += "  signature\n";
    for (const ActionDecl& a : d->signature) {
      out += std::string("    ") + actionKindName(a.kind) + " " + a.name;
      if (!a.params.empty()) out += params(a.params);
      if (a.where) {
        out += " where ";
        printE(out, a.where, 0);
      }
      out += "\n";
    }
  }
  if (d->hasStates) {
    out += "  states\n";
    for (size_t i = 0; i < d->states.size(); ++i) {
      const StateVarDecl& v = d->states[i];
      out += "    " + v.name + ": " + sortText(v.sort);
      if (v.init) {
        out += " := ";
        printE(out, v.init, 0);
      }
      out += i + 1 < d->states.size() ? ",\n" : "\n";
    }
  }
  if (d->initially) {
    out += "  initially ";
    printE(out, d->initially, 0);
    out += "\n";
  }
  if (d->hasTransitions) {
    out += "  transitions\n";
    for (const TransitionDecl& t : d->transitions) {
      out += std::string("    ") + actionKindName(t.kind) + " " + t.action;
      if (!t.args.empty() && !t.implicitArgs) {
        out += "(";
        for (size_t i = 0; i < t.args.size(); ++i) {
          if (i) out += ", ";
          if (i < t.argConst.size() && t.argConst[i]) out += "const ";
          printE(out, t.args[i], 0);
        }
        out += ")";
      }
      out += "\n";
      if (t.where) {
        out += "      where ";
        printE(out, t.where, 0);
        out += "\n";
      }
      if (t.pre) {
        out += "      pre ";
        printE(out, t.pre, 0);
        out += "\n";
      }
      if (t.hasEff) {
        out += "      eff\n";
        printStmts(out, t.eff, 4);
      }
      if (t.ensuring) {
        out += "      ensuring ";
        printE(out, t.ensuring, 0);
        out += "\n";
      }
    }
  }
  if (d->hasTasks) {
    out += "  tasks\n";
    for (size_t i = 0; i < d->tasks.size(); ++i) {
      const TaskDecl& t = d->tasks[i];
      out += "    {";
      for (size_t k = 0; k < t.actions.size(); ++k) out += (k ? ", " : "") + actionRef(t.actions[k]);
      if (!t.binders.empty()) out += " for " + binders(t.binders);
      if (t.where) {
        out += " where ";
        printE(out, t.where, 0);
      }
      out += i + 1 < d->tasks.size() ? "};\n" : "}\n";
    }
  }
  for (const FastpathDecl& f : d->fastpaths) {
    out += "  fastpath " + f.path + ": ";
    printE(out, f.pred, 0);
    out += "\n";
  }
}

}  // namespace

std::string printExpr(const Expr* e) {
  std::string out;
  printE(out, e, 0);
  return out;
}

std::string printModule(const Module& m) {
  std::string out;
  for (const Decl* d : m.decls) {
    switch (d->kind) {
      case DeclKind::Type: out += "type " + d->name + " = " + typeBody(static_cast<const TypeDecl*>(d)->body) + "\n"; break;
      case DeclKind::Sort: out += "sort " + d->name + "\n"; break;
      case DeclKind::Const: {
        auto* c = static_cast<const ConstDecl*>(d);
        out += "const " + c->name + ": " + sortText(c->sort);
        if (c->value) out += " = " + printExpr(c->value);
        out += "\n";
        break;
      }
      case DeclKind::Function: {
        auto* f = static_cast<const FunctionDecl*>(d);
        out += "function " + f->name + params(f->params) + ": " + sortText(f->result);
        if (f->body) out += " = " + printExpr(f->body);
        out += "\n";
        break;
      }
      case DeclKind::Axiom: {
        auto* a = static_cast<const AxiomDecl*>(d);
        out += "axiom ";
        if (!a->name.empty()) out += a->name + ": ";
        out += printExpr(a->body) + "\n";
        break;
      }
      case DeclKind::Uses: out += d->name + "\n"; break;
      case DeclKind::Automaton: printAutomaton(out, static_cast<const AutomatonDecl*>(d)); break;
      case DeclKind::Invariant: {
        auto* i = static_cast<const InvariantDecl*>(d);
        out += "invariant ";
        if (!i->name.empty()) out += i->name + " ";
        out += "of " + autRef(i->automaton) + ":\n  " + printExpr(i->body) + "\n";
        break;
      }
      case DeclKind::Simulation: {
        auto* s = static_cast<const SimulationDecl*>(d);
        out += s->simKind == SimulationKind::Forward ? "forward simulation" : "refinement";
        out += " from " + autRef(s->from) + " to " + autRef(s->to) + ":" +
               (s->mappingName.empty() ? "" : " " + s->mappingName) + "\n  " + printExpr(s->relation) + "\n";
        if (s->hasProof) {
          out += "proof\n";
          if (!s->proofInit.empty()) {
            out += "  initially\n";
            printStmts(out, s->proofInit, 2);
          }
          for (const ProofEntry& e : s->entries) {
            out += std::string("  for ") + actionKindName(e.kind) + " " + e.action;
            if (!e.args.empty()) printArgs(out, e.args, {});
            if (e.ignore) {
              out += " ignore\n";
            } else {
              out += " do\n";
              printStmts(out, e.body, 2);
              out += "  od\n";
            }
          }
        }
        break;
      }
      case DeclKind::Stack: {
        auto* s = static_cast<const StackDecl*>(d);
        out += "stack " + s->name + " = ";
        for (size_t i = 0; i < s->layers.size(); ++i) {
          if (i) out += " ; ";
          out += s->layers[i].name;
          if (!s->layers[i].args.empty()) printArgs(out, s->layers[i].args, s->layers[i].argNames);
        }
        out += "\n";
        break;
      }
    }
    out += "\n";
  }
  return out;
}

// ------------------------------------------------------------------ structural dump

namespace {

struct Dumper {
  std::ostringstream o;
  void expr(const Expr* e) {
    if (!e) {
      o << "nil";
      return;
    }
    o << "(" << static_cast<int>(e->kind);
    if (e->kind == ExprKind::Unary || e->kind == ExprKind::Binary || e->kind == ExprKind::Index)
      o << " op" << static_cast<int>(e->tok);
    if (!e->name.empty()) o << " '" << e->name << "'";
    if (e->kind == ExprKind::IntLit) o << " " << e->intValue;
    if (e->kind == ExprKind::BoolLit || e->kind == ExprKind::Quant) o << (e->boolValue ? " T" : " F");
    for (const Binder& b : e->binders) {
      o << " [" << b.name << ":";
      sort(b.sort);
      o << "]";
    }
    if (e->callee) {
      o << " callee:";
      expr(e->callee);
    }
    for (size_t i = 0; i < e->surfaceArgs().size(); ++i) {
      o << " ";
      if (i < e->surfaceNames().size() && !e->surfaceNames()[i].empty()) o << e->surfaceNames()[i] << "=";
      expr(e->surfaceArgs()[i]);
    }
    o << ")";
  }
  void sort(const SortExpr* s) {
    if (!s) {
      o << "nil";
      return;
    }
    o << "<" << s->name;
    if (s->lo) {
      o << " ";
      expr(s->lo);
      o << "..";
      expr(s->hi);
    }
    for (const SortExpr* a : s->args) {
      o << " ";
      sort(a);
    }
    o << ">";
  }
  void block(const Block& b) {
    o << "{";
    for (const Stmt* s : b) stmt(s);
    o << "}";
  }
  void stmt(const Stmt* s) {
    o << "(stmt" << static_cast<int>(s->kind) << " ";
    expr(s->lhs);
    o << " ";
    expr(s->rhs);
    for (size_t i = 0; i < s->conds.size(); ++i) {
      o << " if:";
      expr(s->conds[i]);
      block(s->branches[i]);
    }
    if (s->hasElse) {
      o << " else:";
      block(s->elseBranch);
    }
    if (s->kind == StmtKind::For) {
      o << " for:" << s->binder.name << ":";
      sort(s->binder.sort);
      expr(s->domain);
      expr(s->filter);
      block(s->body);
    }
    if (s->kind == StmtKind::Fire) {
      o << " fire:" << static_cast<int>(s->fireKind) << s->fireAction;
      for (const Expr* a : s->fireArgs) expr(a);
    }
    o << ")";
  }
  void params(const std::vector<Param>& ps) {
    o << "(";
    for (const Param& p : ps) {
      o << (p.isConst ? "const " : "") << p.name << ":" << (p.isType ? "type" : "");
      if (p.constTerm && p.name.empty()) expr(p.constTerm);
      sort(p.sort);
      o << ";";
    }
    o << ")";
  }
  void typeBody(const TypeBody& b) {
    o << "{tb" << static_cast<int>(b.kind);
    sort(b.alias);
    for (const auto& v : b.values) o << " " << v;
    for (size_t i = 0; i < b.fieldNames.size(); ++i) {
      o << " " << b.fieldNames[i] << ":";
      sort(b.fieldSorts[i]);
    }
    o << "}";
  }
  void autRef(const AutRef& r) {
    o << r.name << "(";
    for (size_t i = 0; i < r.args.size(); ++i) {
      if (i < r.argNames.size()) o << r.argNames[i] << "=";
      expr(r.args[i]);
    }
    o << ")";
  }
  void actionRef(const ActionRef& a) {
    o << a.name << "(";
    for (const Expr* e : a.args) expr(e);
    o << ")";
  }
  void decl(const Decl* d) {
    o << "DECL" << static_cast<int>(d->kind) << " " << d->name << "\n";
    switch (d->kind) {
      case DeclKind::Type: typeBody(static_cast<const TypeDecl*>(d)->body); break;
      case DeclKind::Const: {
        auto* c = static_cast<const ConstDecl*>(d);
        sort(c->sort);
        expr(c->value);
        break;
      }
      case DeclKind::Function: {
        auto* f = static_cast<const FunctionDecl*>(d);
        params(f->params);
        sort(f->result);
        expr(f->body);
        break;
      }
      case DeclKind::Axiom: expr(static_cast<const AxiomDecl*>(d)->body); break;
      case DeclKind::Automaton: {
        auto* a = static_cast<const AutomatonDecl*>(d);
        o << (a->isLayer ? "layer" : "aut");
        params(a->params);
        if (a->hasHeader) typeBody(a->header);
        for (const ActionDecl& ad : a->signature) {
          o << "\n sig" << static_cast<int>(ad.kind) << " " << ad.name;
          params(ad.params);
          expr(ad.where);
        }
        for (const StateVarDecl& v : a->states) {
          o << "\n state " << v.name;
          sort(v.sort);
          expr(v.init);
        }
        o << "\n init ";
        expr(a->initially);
        for (const TransitionDecl& t : a->transitions) {
          o << "\n tr" << static_cast<int>(t.kind) << " " << t.action;
          for (size_t i = 0; i < t.args.size(); ++i) {
            o << (t.argConst[i] ? " const" : " ");
            expr(t.args[i]);
          }
          o << " where:";
          expr(t.where);
          o << " pre:";
          expr(t.pre);
          o << " eff" << t.hasEff << ":";
          block(t.eff);
          o << " ens:";
          expr(t.ensuring);
        }
        for (const TaskDecl& t : a->tasks) {
          o << "\n task";
          for (const ActionRef& r : t.actions) actionRef(r);
          for (const Binder& b : t.binders) {
            o << b.name;
            sort(b.sort);
          }
          expr(t.where);
        }
        for (const ComponentDecl& c : a->components) {
          o << "\n comp " << c.name;
          for (const Binder& b : c.indices) {
            o << "[" << b.name;
            sort(b.sort);
            o << "]";
          }
          o << c.automaton;
          for (const Expr* e : c.args) expr(e);
          for (const Renaming& r : c.renamings) o << " " << r.from << "->" << r.to;
        }
        for (const ActionRef& h : a->hidden) {
          o << "\n hidden ";
          actionRef(h);
        }
        for (const FastpathDecl& f : a->fastpaths) {
          o << "\n fastpath " << f.path;
          expr(f.pred);
        }
        break;
      }
      case DeclKind::Invariant: {
        auto* i = static_cast<const InvariantDecl*>(d);
        autRef(i->automaton);
        expr(i->body);
        break;
      }
      case DeclKind::Simulation: {
        auto* s = static_cast<const SimulationDecl*>(d);
        o << static_cast<int>(s->simKind);
        autRef(s->from);
        autRef(s->to);
        o << " name " << s->mappingName;
        expr(s->relation);
        o << " proof" << s->hasProof;
        block(s->proofInit);
        for (const ProofEntry& e : s->entries) {
          o << "\n entry" << static_cast<int>(e.kind) << e.action << e.ignore;
          for (const Expr* a : e.args) expr(a);
          block(e.body);
        }
        break;
      }
      case DeclKind::Stack: {
        auto* s = static_cast<const StackDecl*>(d);
        for (const StackLayerRef& l : s->layers) {
          o << " " << l.name << "(";
          for (size_t i = 0; i < l.args.size(); ++i) {
            o << l.argNames[i] << "=";
            expr(l.args[i]);
          }
          o << ")";
        }
        break;
      }
      default: break;
    }
    o << "\n";
  }
};

}  // namespace

std::string dumpModule(const Module& m) {
  Dumper d;
  for (const Decl* x : m.decls) d.decl(x);
  return d.o.str();
}

// ------------------------------------------------------------------ semantic printer

namespace {

const char* opSym(Op op) {
  switch (op) {
    case Op::And: return "/\\";
    case Op::Or: return "\\/";
    case Op::Implies: return "=>";
    case Op::Iff: return "<=>";
    case Op::Eq: return "=";
    case Op::Neq: return "~=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "div";
    case Op::Mod: return "mod";
    case Op::BAnd: return "band";
    case Op::BOr: return "bor";
    case Op::BXor: return "bxor";
    case Op::Shl: return "shl";
    case Op::Shr: return "shr";
    case Op::Append: return "|-";
    case Op::Prepend: return "-|";
    case Op::Concat: return "||";
    case Op::SeqIn:
    case Op::SetIn:
    case Op::MsetIn: return "\\in";
    case Op::SetUnion:
    case Op::MsetUnion: return "\\union";
    case Op::SetIntersect: return "\\intersect";
    case Op::SetDiff: return "-";
    case Op::SetSubseteq: return "\\subseteq";
    default: return nullptr;
  }
}

const char* fnName(Op op) {
  switch (op) {
    case Op::Head: return "head";
    case Op::Tail: return "tail";
    case Op::Last: return "last";
    case Op::Init: return "init";
    case Op::Len: return "len";
    case Op::SubSeq: return "sub";
    case Op::SetInsert:
    case Op::MsetInsert: return "insert";
    case Op::SetDelete:
    case Op::MsetDelete: return "delete";
    case Op::SetSize:
    case Op::MsetSize: return "size";
    case Op::MsetCount: return "count";
    case Op::MapUpdate: return "update";
    case Op::MapDefined: return "defined";
    case Op::MapTotal: return "total";
    case Op::MapConst: return "constant";
    case Op::MsgMake: return "msg";
    case Op::MsgPayload: return "payload";
    case Op::MsgPush: return "push";
    case Op::MsgHdr: return "hdr";
    case Op::MsgPop: return "pop";
    case Op::MsgHasHdr: return "hashdr";
    case Op::Checksum16: return "checksum16";
    default: return nullptr;
  }
}

void sem(std::string& out, const Expr* e, bool top);

void semArgs(std::string& out, const std::vector<Expr*>& args, size_t from = 0) {
  out += "(";
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    sem(out, args[i], true);
  }
  out += ")";
}

void sem(std::string& out, const Expr* e, bool top) {
  if (!e) {
    out += "true";
    return;
  }
  if (const char* s = opSym(e->op)) {
    if (!top) out += "(";
    sem(out, e->args[0], false);
    out += " ";
    out += s;
    out += " ";
    sem(out, e->args[1], false);
    if (!top) out += ")";
    return;
  }
  if (const char* f = fnName(e->op)) {
    if (e->op == Op::MsgHdr || e->op == Op::MsgPop || e->op == Op::MsgPush || e->op == Op::MsgHasHdr) {
      std::string h = e->aux ? sortName(e->aux) : "";
      auto dot = h.find('.');
      if (dot != std::string::npos) out += h.substr(0, dot) + ".";
    }
    out += f;
    semArgs(out, e->args);
    return;
  }
  switch (e->op) {
    case Op::IntConst: out += std::to_string(e->intValue); return;
    case Op::BoolConst: out += e->boolValue ? "true" : "false"; return;
    case Op::Var: out += e->var ? e->var->name : e->name; return;
    case Op::Post: out += (e->var ? e->var->name : e->name) + "'"; return;
    case Op::EnumConst:
      if (e->sort && e->sort->def && e->index >= 0 && e->index < static_cast<int>(e->sort->def->values.size()))
        out += e->sort->def->values[e->index];
      else
        out += e->name;
      return;
    case Op::Not:
      out += "~";
      sem(out, e->args[0], false);
      return;
    case Op::Neg:
      out += "-";
      sem(out, e->args[0], false);
      return;
    case Op::Ite:
      if (!top) out += "(";
      out += "if ";
      sem(out, e->args[0], true);
      out += " then ";
      sem(out, e->args[1], true);
      out += " else ";
      sem(out, e->args[2], true);
      if (!top) out += ")";
      return;
    case Op::Forall:
    case Op::Exists:
    case Op::Lambda:
      out += e->op == Op::Forall ? "\\A " : e->op == Op::Exists ? "\\E " : "lambda ";
      for (size_t i = 0; i < e->binders.size(); ++i) {
        if (i) out += ", ";
        out += e->binders[i].name;
        if (e->binders[i].var) out += ": " + sortName(e->binders[i].var->sort);
      }
      out += " (";
      sem(out, e->args[0], true);
      out += ")";
      return;
    case Op::Choose:
      out += "choose " + (e->binders.empty() ? std::string("?") : e->binders[0].name);
      if (!e->args.empty()) {
        out += " where ";
        sem(out, e->args[0], true);
      }
      return;
    case Op::ToInt:
    case Op::ToUInt:
      out += sortName(e->sort);
      semArgs(out, e->args);
      return;
    case Op::SeqEmpty:
    case Op::SetEmpty:
    case Op::MsetEmpty:
    case Op::MapEmpty: out += "{}"; return;
    case Op::SeqLit:
      out += "[";
      for (size_t i = 0; i < e->args.size(); ++i) {
        if (i) out += ", ";
        sem(out, e->args[i], true);
      }
      out += "]";
      return;
    case Op::SetLit:
    case Op::MsetLit:
      out += "{";
      for (size_t i = 0; i < e->args.size(); ++i) {
        if (i) out += ", ";
        sem(out, e->args[i], true);
      }
      out += "}";
      return;
    case Op::SeqIndex:
    case Op::MapGet:
      sem(out, e->args[0], false);
      out += "[";
      sem(out, e->args[1], true);
      out += "]";
      return;
    case Op::TupleMake:
      out += sortName(e->sort);
      semArgs(out, e->args);
      return;
    case Op::TupleGet:
    case Op::UnionGet:
      sem(out, e->args[0], false);
      out += ".";
      if (e->args[0]->sort && e->args[0]->sort->def && e->index >= 0 &&
          e->index < static_cast<int>(e->args[0]->sort->def->fields.size()))
        out += e->args[0]->sort->def->fields[e->index].name;
      else
        out += e->name;
      return;
    case Op::UnionMake:
      out += sortName(e->sort) + ".";
      if (e->sort && e->sort->def && e->index >= 0) out += e->sort->def->fields[e->index].name;
      semArgs(out, e->args);
      return;
    case Op::UnionIs:
      sem(out, e->args[0], false);
      out += " is ";
      if (e->args[0]->sort && e->args[0]->sort->def && e->index >= 0) out += e->args[0]->sort->def->fields[e->index].name;
      return;
    case Op::FuncApp:
      out += e->fn ? e->fn->name : e->name;
      if (e->fn && !e->fn->params.empty()) semArgs(out, e->args);
      return;
    default: out += "?"; return;
  }
}

}  // namespace

std::string exprToString(const Expr* e) {
  std::string out;
  sem(out, e, true);
  return out;
}

std::string stmtToString(const Stmt* s, int indent) {
  std::string out = ind(indent);
  switch (s->kind) {
    case StmtKind::Assign: out += exprToString(s->lhs) + " := " + exprToString(s->rhs) + "\n"; break;
    case StmtKind::If:
      for (size_t i = 0; i < s->conds.size(); ++i) {
        out += (i ? ind(indent) + "elseif " : "if ") + exprToString(s->conds[i]) + " then\n";
        for (const Stmt* x : s->branches[i]) out += stmtToString(x, indent + 1);
      }
      if (s->hasElse) {
        out += ind(indent) + "else\n";
        for (const Stmt* x : s->elseBranch) out += stmtToString(x, indent + 1);
      }
      out += ind(indent) + "fi\n";
      break;
    case StmtKind::For:
      out += "for " + s->binder.name + ": " + (s->binder.var ? sortName(s->binder.var->sort) : "?");
      if (s->domain) out += " in " + exprToString(s->domain);
      if (s->filter) out += " where " + exprToString(s->filter);
      out += " do\n";
      for (const Stmt* x : s->body) out += stmtToString(x, indent + 1);
      out += ind(indent) + "od\n";
      break;
    case StmtKind::Fire: {
      out += std::string("fire ") + actionKindName(s->fireKind) + " " + s->fireAction + "(";
      for (size_t i = 0; i < s->fireArgs.size(); ++i) out += (i ? ", " : "") + exprToString(s->fireArgs[i]);
      out += ")\n";
      break;
    }
    case StmtKind::Ignore: out += "ignore\n"; break;
  }
  return out;
}

std::string flatToString(const FlatAutomaton& a) {
  std::string out = "automaton " + a.name + "   % expanded\n";
  if (!a.params.empty()) {
    out += "  % free parameters:";
    for (const Var* p : a.params) out += " " + p->name + ": " + sortName(p->sort);
    out += "\n";
  }
  out += "  signature\n";
  for (const FlatAction& act : a.actions) {
    out += std::string("    ") + actionKindName(act.kind) + " " + act.name + "(";
    for (size_t i = 0; i < act.params.size(); ++i)
      out += (i ? ", " : "") + (i < act.paramNames.size() ? act.paramNames[i] : "p") + ": " + sortName(act.params[i]);
    out += ")\n";
  }
  out += "  states\n";
  for (size_t i = 0; i < a.state.size(); ++i) {
    out += "    " + a.state[i]->name + ": " + sortName(a.state[i]->sort);
    if (a.init[i]) out += " := " + exprToString(a.init[i]);
    out += "\n";
  }
  if (a.initially) out += "  initially " + exprToString(a.initially) + "\n";
  out += "  transitions\n";
  for (const FlatTransition& t : a.transitions) {
    const FlatAction& act = a.actions[t.action];
    out += std::string("    ") + actionKindName(act.kind) + " " + act.name + "(";
    for (size_t i = 0; i < t.params.size(); ++i) out += (i ? ", " : "") + t.params[i]->name;
    out += ")   % " + t.label + "\n";
    for (const ParamBinding& b : t.bindings)
      out += "      where " + t.params[b.param]->name + " = " + exprToString(b.value) + "\n";
    if (t.guard) out += "      where " + exprToString(t.guard) + "\n";
    if (t.pre) out += "      pre " + exprToString(t.pre) + "\n";
    if (!t.eff.empty()) {
      out += "      eff\n";
      for (const Stmt* s : t.eff) out += stmtToString(s, 4);
    }
    if (t.ensuring) out += "      ensuring " + exprToString(t.ensuring) + "\n";
  }
  if (a.fastpathDn) out += "  fastpath dn: " + exprToString(a.fastpathDn) + "\n";
  if (a.fastpathUp) out += "  fastpath up: " + exprToString(a.fastpathUp) + "\n";
  return out;
}

}  // namespace ioa
