// Printing: the pretty printer turns a parsed module back into source that
// parses to the same tree; `dumpModule` gives a structural form for comparing
// trees; `exprToString` renders checked (semantic) terms for messages.
#pragma once

#include <string>

#include "ioa/spec/AST.h"
#include "ioa/spec/Model.h"

namespace ioa {

std::string printModule(const Module& m);
std::string printExpr(const Expr* e);  // syntactic (unchecked trees)
std::string dumpModule(const Module& m);
std::string exprToString(const Expr* e);  // semantic (checked trees)
std::string stmtToString(const Stmt* s, int indent = 0);
std::string flatToString(const FlatAutomaton& a);  // the expanded automaton, for `ioawb check --expand`

}  // namespace ioa
