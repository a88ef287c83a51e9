#include "ioa/spec/Lexer.h"

#include <array>
#include <cstdio>
#include <unordered_map>

namespace ioa {

const char* tokName(Tok t) {
  switch (t) {
    case Tok::Eof: return "end of file";
    case Tok::Ident: return "identifier";
    case Tok::IntLit: return "integer literal";
    case Tok::Error: return "invalid character";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::Comma: return "','";
    case Tok::Semi: return "';'";
    case Tok::Colon: return "':'";
    case Tok::Assign: return "':='";
    case Tok::Dot: return "'.'";
    case Tok::DotDot: return "'..'";
    case Tok::Prime: return "'''";
    case Tok::Not: return "'~'";
    case Tok::And: return "'/\\'";
    case Tok::Or: return "'\\/'";
    case Tok::Implies: return "'=>'";
    case Tok::Iff: return "'<=>'";
    case Tok::Eq: return "'='";
    case Tok::Neq: return "'~='";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Append: return "'|-'";
    case Tok::Prepend: return "'-|'";
    case Tok::Concat: return "'||'";
    case Tok::Forall: return "'\\A'";
    case Tok::Exists: return "'\\E'";
    case Tok::In: return "'\\in'";
    case Tok::NotIn: return "'\\notin'";
    case Tok::UnionOp: return "'\\union'";
    case Tok::Intersect: return "'\\intersect'";
    case Tok::Subseteq: return "'\\subseteq'";
    case Tok::KwAutomaton: return "'automaton'";
    case Tok::KwSignature: return "'signature'";
    case Tok::KwInput: return "'input'";
    case Tok::KwOutput: return "'output'";
    case Tok::KwInternal: return "'internal'";
    case Tok::KwStates: return "'states'";
    case Tok::KwInitially: return "'initially'";
    case Tok::KwTransitions: return "'transitions'";
    case Tok::KwPre: return "'pre'";
    case Tok::KwEff: return "'eff'";
    case Tok::KwEnsuring: return "'ensuring'";
    case Tok::KwWhere: return "'where'";
    case Tok::KwTasks: return "'tasks'";
    case Tok::KwType: return "'type'";
    case Tok::KwConst: return "'const'";
    case Tok::KwEnumeration: return "'enumeration'";
    case Tok::KwOf: return "'of'";
    case Tok::KwTuple: return "'tuple'";
    case Tok::KwUnion: return "'union'";
    case Tok::KwIf: return "'if'";
    case Tok::KwThen: return "'then'";
    case Tok::KwElseif: return "'elseif'";
    case Tok::KwElse: return "'else'";
    case Tok::KwFi: return "'fi'";
    case Tok::KwFor: return "'for'";
    case Tok::KwIn: return "'in'";
    case Tok::KwDo: return "'do'";
    case Tok::KwOd: return "'od'";
    case Tok::KwChoose: return "'choose'";
    case Tok::KwComponents: return "'components'";
    case Tok::KwHidden: return "'hidden'";
    case Tok::KwRenaming: return "'renaming'";
    case Tok::KwTo: return "'to'";
    case Tok::KwFrom: return "'from'";
    case Tok::KwInvariant: return "'invariant'";
    case Tok::KwForward: return "'forward'";
    case Tok::KwSimulation: return "'simulation'";
    case Tok::KwProof: return "'proof'";
    case Tok::KwFire: return "'fire'";
    case Tok::KwIgnore: return "'ignore'";
    case Tok::KwTrue: return "'true'";
    case Tok::KwFalse: return "'false'";
    case Tok::KwDiv: return "'div'";
    case Tok::KwMod: return "'mod'";
    case Tok::KwBand: return "'band'";
    case Tok::KwBor: return "'bor'";
    case Tok::KwBxor: return "'bxor'";
    case Tok::KwShl: return "'shl'";
    case Tok::KwShr: return "'shr'";
    case Tok::KwIs: return "'is'";
    case Tok::KwUses: return "'uses'";
  }
  return "token";
}

const char* orForConcatMessage() {
  return "'||' is not an operator on Bool in the IOA dialect (it concatenates sequences); write '\\/' for 'or'";
}

static const std::unordered_map<std::string_view, Tok>& keywords() {
  static const std::unordered_map<std::string_view, Tok> kw = {
      {"automaton", Tok::KwAutomaton}, {"signature", Tok::KwSignature}, {"input", Tok::KwInput},
      {"output", Tok::KwOutput}, {"internal", Tok::KwInternal}, {"states", Tok::KwStates},
      {"initially", Tok::KwInitially}, {"transitions", Tok::KwTransitions}, {"pre", Tok::KwPre},
      {"eff", Tok::KwEff}, {"ensuring", Tok::KwEnsuring}, {"where", Tok::KwWhere}, {"tasks", Tok::KwTasks},
      {"type", Tok::KwType}, {"const", Tok::KwConst}, {"enumeration", Tok::KwEnumeration}, {"of", Tok::KwOf},
      {"tuple", Tok::KwTuple}, {"union", Tok::KwUnion}, {"if", Tok::KwIf}, {"then", Tok::KwThen},
      {"elseif", Tok::KwElseif}, {"else", Tok::KwElse}, {"fi", Tok::KwFi}, {"for", Tok::KwFor},
      {"in", Tok::KwIn}, {"do", Tok::KwDo}, {"od", Tok::KwOd}, {"choose", Tok::KwChoose},
      {"components", Tok::KwComponents}, {"hidden", Tok::KwHidden}, {"renaming", Tok::KwRenaming},
      {"to", Tok::KwTo}, {"from", Tok::KwFrom}, {"invariant", Tok::KwInvariant}, {"forward", Tok::KwForward},
      {"simulation", Tok::KwSimulation}, {"proof", Tok::KwProof}, {"fire", Tok::KwFire},
      {"ignore", Tok::KwIgnore}, {"true", Tok::KwTrue}, {"false", Tok::KwFalse}, {"div", Tok::KwDiv},
      {"mod", Tok::KwMod}, {"band", Tok::KwBand}, {"bor", Tok::KwBor}, {"bxor", Tok::KwBxor},
      {"shl", Tok::KwShl}, {"shr", Tok::KwShr}, {"is", Tok::KwIs}, {"uses", Tok::KwUses},
  };
  return kw;
}

static bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }
static bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::vector<Token> Lexer::lexAll() {
  std::vector<Token> out;
  out.reserve(text_.size() / 4 + 1);
  for (;;) {
    Token t = next();
    out.push_back(t);
    if (t.kind == Tok::Eof) break;
  }
  return out;
}

Token Lexer::next() {
  const uint32_t n = static_cast<uint32_t>(text_.size());
  // skip whitespace and comments
  for (;;) {
    while (pos_ < n && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r' ||
                        text_[pos_] == '\f' || text_[pos_] == '\v'))
      ++pos_;
    if (pos_ < n && (text_[pos_] == '%' || (text_[pos_] == '/' && pos_ + 1 < n && text_[pos_ + 1] == '/'))) {
      while (pos_ < n && text_[pos_] != '\n') ++pos_;
      continue;
    }
    break;
  }
  Token t;
  t.begin = pos_;
  auto make = [&](Tok k, uint32_t len) {
    t.kind = k;
    pos_ += len;
    t.end = pos_;
    t.text = text_.substr(t.begin, len);
    return t;
  };
  // A C-style operator (`==`, `!=`, `&&`, `!`): reported with the dialect's spelling, then
  // read as that operator so that the rest of the term parses without further errors.
  auto cStyle = [&](Tok k, uint32_t len, const char* meaning) {
    std::string op(text_.substr(pos_, len));
    diags_.error({file_, pos_, pos_ + len}, "'" + op + "' is not an operator of the IOA dialect; write " +
                                                tokName(k) + " for " + meaning);
    return make(k, len);
  };
  if (pos_ >= n) {
    t.kind = Tok::Eof;
    t.end = pos_;
    return t;
  }
  char c = text_[pos_];
  char c1 = pos_ + 1 < n ? text_[pos_ + 1] : '\0';
  char c2 = pos_ + 2 < n ? text_[pos_ + 2] : '\0';
  if (isIdentStart(c)) {
    uint32_t e = pos_ + 1;
    while (e < n && isIdentChar(text_[e])) ++e;
    std::string_view word = text_.substr(pos_, e - pos_);
    auto it = keywords().find(word);
    return make(it == keywords().end() ? Tok::Ident : it->second, e - pos_);
  }
  if (isDigit(c)) {
    uint32_t e = pos_ + 1;
    if (c == '0' && (c1 == 'x' || c1 == 'X')) {
      e = pos_ + 2;
      while (e < n && std::isxdigit(static_cast<unsigned char>(text_[e]))) ++e;
    } else {
      while (e < n && isDigit(text_[e])) ++e;
    }
    if (e < n && isIdentStart(text_[e])) {
      uint32_t bad = e;
      while (e < n && isIdentChar(text_[e])) ++e;
      diags_.error({file_, bad, e}, "invalid suffix '" + std::string(text_.substr(bad, e - bad)) +
                                        "' on integer literal");
      return make(Tok::Error, e - pos_);
    }
    return make(Tok::IntLit, e - pos_);
  }
  switch (c) {
    case '(': return make(Tok::LParen, 1);
    case ')': return make(Tok::RParen, 1);
    case '[': return make(Tok::LBracket, 1);
    case ']': return make(Tok::RBracket, 1);
    case '{': return make(Tok::LBrace, 1);
    case '}': return make(Tok::RBrace, 1);
    case ',': return make(Tok::Comma, 1);
    case ';': return make(Tok::Semi, 1);
    case '\'': return make(Tok::Prime, 1);
    case ':': return c1 == '=' ? make(Tok::Assign, 2) : make(Tok::Colon, 1);
    case '.': return c1 == '.' ? make(Tok::DotDot, 2) : make(Tok::Dot, 1);
    case '~': return c1 == '=' ? make(Tok::Neq, 2) : make(Tok::Not, 1);
    case '/':
      if (c1 == '\\') return make(Tok::And, 2);
      break;
    case '=':
      if (c1 == '=') return cStyle(Tok::Eq, 2, "equality");
      return c1 == '>' ? make(Tok::Implies, 2) : make(Tok::Eq, 1);
    case '!': return c1 == '=' ? cStyle(Tok::Neq, 2, "inequality") : cStyle(Tok::Not, 1, "'not'");
    case '&':
      if (c1 == '&') return cStyle(Tok::And, 2, "'and'");
      break;
    case '<':
      if (c1 == '=' && c2 == '>') return make(Tok::Iff, 3);
      return c1 == '=' ? make(Tok::Le, 2) : make(Tok::Lt, 1);
    case '>': return c1 == '=' ? make(Tok::Ge, 2) : make(Tok::Gt, 1);
    case '+': return make(Tok::Plus, 1);
    case '-': return c1 == '|' ? make(Tok::Prepend, 2) : make(Tok::Minus, 1);
    case '*': return make(Tok::Star, 1);
    case '|':
      if (c1 == '-') return make(Tok::Append, 2);
      if (c1 == '|') return make(Tok::Concat, 2);
      break;
    case '\\': {
      if (c1 == '/') return make(Tok::Or, 2);
      uint32_t e = pos_ + 1;
      while (e < n && isIdentChar(text_[e])) ++e;
      std::string_view w = text_.substr(pos_ + 1, e - pos_ - 1);
      if (w == "A") return make(Tok::Forall, e - pos_);
      if (w == "E") return make(Tok::Exists, e - pos_);
      if (w == "in") return make(Tok::In, e - pos_);
      if (w == "union") return make(Tok::UnionOp, e - pos_);
      if (w == "intersect") return make(Tok::Intersect, e - pos_);
      if (w == "subseteq") return make(Tok::Subseteq, e - pos_);
      // TLA+'s and LaTeX's spellings: one error with the dialect's, then read as it (until
      // 2026-12-04 `k \notin s` was three errors and the rest of the automaton was skipped)
      static const struct {
        const char* word;
        Tok as;
        const char* write;
      } kForeign[] = {{"notin", Tok::NotIn, "~(x \\in S)"}, {"cup", Tok::UnionOp, "\\union"},
                      {"cap", Tok::Intersect, "\\intersect"}, {"subset", Tok::Subseteq, "\\subseteq"},
                      {"land", Tok::And, "/\\"}, {"lor", Tok::Or, "\\/"}, {"lnot", Tok::Not, "~"},
                      {"neg", Tok::Not, "~"}, {"leq", Tok::Le, "<="}, {"geq", Tok::Ge, ">="},
                      {"neq", Tok::Neq, "~="}, {"implies", Tok::Implies, "=>"}, {"equiv", Tok::Iff, "<=>"}};
      for (const auto& f : kForeign)
        if (w == f.word) {
          diags_.error({file_, pos_, e}, "'\\" + std::string(w) + "' is not an operator of the IOA dialect; write " +
                                             f.write);
          return make(f.as, e - pos_);
        }
      diags_.error({file_, pos_, e}, "unknown operator '\\" + std::string(w) +
                                         "' (expected \\A, \\E, \\in, \\union, \\intersect, \\subseteq or \\/)");
      return make(Tok::Error, e - pos_);
    }
    default: break;
  }
  // invalid character (consume one UTF-8 sequence)
  uint32_t len = 1;
  unsigned char uc = static_cast<unsigned char>(c);
  if (uc >= 0xC0) {
    while (pos_ + len < n && utf8Continuation(text_[pos_ + len]) && len < 4) ++len;
  }
  // a whole UTF-8 character is named as such ('é' (U+00E9)), with the dialect's spelling of the
  // mathematical signs a user may type (until 2026-12-05: "byte 0xc3", and no hint)
  uint32_t cp = 0;
  const uint32_t want = uc >= 0xF0 ? 4 : uc >= 0xE0 ? 3 : uc >= 0xC0 ? 2 : 1;
  if (want > 1 && len == want) {
    cp = uc & (0x7F >> want);
    for (uint32_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text_[pos_ + k]) & 0x3F);
  }
  std::string shown;
  if (uc >= 0x20 && uc < 0x7f) {
    shown = "'" + std::string(1, c) + "'";
  } else if (cp) {
    char u[16];
    std::snprintf(u, sizeof u, "U+%04X", static_cast<unsigned>(cp));
    shown = "'" + std::string(text_.substr(pos_, len)) + "' (" + u + ")";
    static const std::pair<uint32_t, const char*> signs[] = {
        {0x2200, "\\A"},  {0x2203, "\\E"},      {0x2208, "\\in"},        {0x2227, "/\\"}, {0x2228, "\\/"},
        {0x00AC, "~"},    {0x2260, "~="},       {0x2264, "<="},          {0x2265, ">="}, {0x21D2, "=>"},
        {0x2192, "=>"},   {0x21D4, "<=>"},      {0x222A, "\\union"},     {0x2229, "\\intersect"},
        {0x2286, "\\subseteq"}, {0x2209, "~(x \\in S)"}, {0x2237, ":"}};
    for (const auto& [sign, write] : signs)
      if (cp == sign) shown += ": the IOA dialect writes it " + std::string(write);
  } else {
    const char* hex = "0123456789abcdef";
    shown = "byte 0x" + std::string{hex[uc >> 4], hex[uc & 15]} + " (not UTF-8 text)";
  }
  diags_.error({file_, pos_, pos_ + len}, "unexpected character " + shown);
  return make(Tok::Error, len);
}

}  // namespace ioa
