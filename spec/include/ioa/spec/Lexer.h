// Tokens of the IOA dialect. Comments run from `%` or `//` to end of line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ioa/spec/Diagnostics.h"

namespace ioa {

enum class Tok : uint8_t {
  Eof, Ident, IntLit, Error,
  // punctuation
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Semi, Colon, Assign /* := */,
  Dot, DotDot, Prime,
  // operators
  Not /* ~ */, And /* /\ */, Or /* \/ */, Implies /* => */, Iff /* <=> */, Eq, Neq /* ~= */,
  Lt, Le, Gt, Ge, Plus, Minus, Star, Append /* |- */, Prepend /* -| */, Concat /* || */,
  Forall /* \A */, Exists /* \E */, In /* \in */, UnionOp /* \union */, Intersect /* \intersect */,
  Subseteq /* \subseteq */, NotIn /* TLA+'s \notin: reported, read as ~(x \in S) */,
  // reserved words
  KwAutomaton, KwSignature, KwInput, KwOutput, KwInternal, KwStates, KwInitially, KwTransitions,
  KwPre, KwEff, KwEnsuring, KwWhere, KwTasks, KwType, KwConst, KwEnumeration, KwOf, KwTuple,
  KwUnion, KwIf, KwThen, KwElseif, KwElse, KwFi, KwFor, KwIn, KwDo, KwOd, KwChoose, KwComponents,
  KwHidden, KwRenaming, KwTo, KwFrom, KwInvariant, KwForward, KwSimulation, KwProof, KwFire,
  KwIgnore, KwTrue, KwFalse, KwDiv, KwMod, KwBand, KwBor, KwBxor, KwShl, KwShr, KwIs, KwUses,
};

struct Token {
  Tok kind = Tok::Eof;
  uint32_t begin = 0, end = 0;
  std::string_view text;
};

const char* tokName(Tok t);  // for "expected X, found Y"
// The error for C's `||` used as "or" (in the dialect `||` concatenates sequences).
const char* orForConcatMessage();

class Lexer {
 public:
  Lexer(uint32_t fileId, std::string_view text, DiagnosticEngine& diags)
      : file_(fileId), text_(text), diags_(diags) {}
  // Lexes the whole file; ends with an Eof token. Bad characters become Error
  // tokens after a diagnostic.
  std::vector<Token> lexAll();

 private:
  Token next();
  uint32_t file_;
  std::string_view text_;
  DiagnosticEngine& diags_;
  uint32_t pos_ = 0;
};

}  // namespace ioa
