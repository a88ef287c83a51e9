#include "ioa/spec/Parser.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace ioa {

const char* actionKindName(ActionKind k) {
  switch (k) {
    case ActionKind::Input: return "input";
    case ActionKind::Output: return "output";
    case ActionKind::Internal: return "internal";
  }
  return "input";
}

namespace {

// Thrown after a syntax error has been reported; caught at a recovery point.
struct ParseAbort {};

bool isReserved(Tok t) { return t >= Tok::KwAutomaton && t <= Tok::KwUses; }

// A keyword the parser may expect: a reserved word (`kind` its token) or a word that is a
// keyword only where a declaration or section starts (`kind` Tok::Ident: sort, function ...).
struct Word {
  const char* text;
  Tok kind;
};
using Words = std::vector<Word>;

const Words kTopWords = {{"automaton", Tok::KwAutomaton}, {"invariant", Tok::KwInvariant},
                         {"forward", Tok::KwForward},     {"type", Tok::KwType},
                         {"const", Tok::KwConst},         {"uses", Tok::KwUses},
                         {"sort", Tok::Ident},            {"function", Tok::Ident},
                         {"axiom", Tok::Ident},           {"layer", Tok::Ident},
                         {"stack", Tok::Ident},           {"refinement", Tok::Ident}};
const Words kSectionWords = {{"signature", Tok::KwSignature},     {"states", Tok::KwStates},
                             {"initially", Tok::KwInitially},     {"transitions", Tok::KwTransitions},
                             {"tasks", Tok::KwTasks},             {"components", Tok::KwComponents},
                             {"hidden", Tok::KwHidden}};
const Words kLayerWords = {{"header", Tok::Ident}, {"fastpath", Tok::Ident}};  // a layer's clauses (contextual words)
const Words kKindWords = {{"input", Tok::KwInput}, {"output", Tok::KwOutput}, {"internal", Tok::KwInternal}};
const Words kClauseWords = {{"where", Tok::KwWhere}, {"pre", Tok::KwPre}, {"eff", Tok::KwEff},
                            {"ensuring", Tok::KwEnsuring}};

Words operator+(Words a, const Words& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The keyword of `words` that `word` most likely misspells (see closestSpelling).
const Word* closestWord(std::string_view word, const Words& words) {
  std::vector<std::string_view> texts;
  texts.reserve(words.size());
  for (const Word& w : words) texts.emplace_back(w.text);
  size_t i = closestSpelling(word, texts);
  return i < words.size() ? &words[i] : nullptr;
}

constexpr int kMaxDepth = 200;
constexpr int kMaxTreeDepth = 400;  // a term's depth, operator chains included (see checkTreeDepth)

class Parser {
 public:
  Parser(uint32_t file, AstArena& arena, DiagnosticEngine& diags)
      : file_(file), arena_(arena), diags_(diags), text_(diags.sources().file(file).text()) {
    Lexer lx(file, text_, diags);
    toks_ = lx.lexAll();
    // Error tokens were already reported by the lexer; drop them so the parser
    // does not report the same place twice.
    std::vector<Token> clean;
    clean.reserve(toks_.size());
    for (const Token& t : toks_)
      if (t.kind != Tok::Error) clean.push_back(t);
    toks_ = std::move(clean);
  }

  Module parseModule() {
    Module m;
    m.file = file_;
    while (!at(Tok::Eof) && !diags_.limitReached()) {
      size_t start = pos_;
      try {
        if (Decl* d = parseTopDecl()) m.decls.push_back(d);
      } catch (ParseAbort&) {
        syncTopLevel(start);
      }
    }
    return m;
  }

  Expr* parseStandaloneTerm() {
    try {
      Expr* e = parseExpr();
      if (!at(Tok::Eof)) errorExpected("end of term");
      return e;
    } catch (ParseAbort&) {
      return nullptr;
    }
  }

 private:
  // ------------------------------------------------------------ token helpers
  const Token& cur() const { return toks_[pos_]; }
  const Token& peek(size_t k = 1) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  bool at(Tok k) const { return cur().kind == k; }
  bool atIdent(std::string_view word) const { return cur().kind == Tok::Ident && cur().text == word; }
  SourceRange rangeOf(const Token& t) const { return {file_, t.begin, t.end}; }
  SourceRange curRange() const { return rangeOf(cur()); }
  SourceRange prevRange() const { return pos_ > 0 ? rangeOf(toks_[pos_ - 1]) : curRange(); }
  SourceRange from(SourceRange start) const {
    SourceRange p = prevRange();
    return {file_, start.begin, p.end > start.begin ? p.end : start.end};
  }
  void advance() {
    if (!at(Tok::Eof)) ++pos_;
  }
  bool accept(Tok k) {
    if (at(k)) {
      advance();
      return true;
    }
    return false;
  }
  // Whether the current token is the first on its line.
  bool atLineStart() const {
    uint32_t b = cur().begin;
    while (b > 0) {
      char c = text_[b - 1];
      if (c == '\n') return true;
      if (c != ' ' && c != '\t' && c != '\r') return false;
      --b;
    }
    return true;
  }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::Eof: return "end of file";
      case Tok::Ident: return "identifier '" + std::string(t.text) + "'";
      case Tok::IntLit: return "integer '" + std::string(t.text) + "'";
      default: return tokName(t.kind);
    }
  }

  // "; did you mean 'transitions'?" when the current token is an identifier that looks
  // like a misspelling of one of the keywords expected here.
  std::string didYouMean(const Words& expected) const {
    if (!at(Tok::Ident)) return {};
    const Word* w = closestWord(cur().text, expected);
    return w ? std::string("; did you mean '") + w->text + "'?" : std::string();
  }
  [[noreturn]] void errorExpected(const std::string& what, const Words& expected = {}) {
    noteRemainderComment(diags_.error(curRange(), "expected " + what + ", found " + describe(cur()) + didYouMean(expected)));
    throw ParseAbort{};
  }
  // A '%' between the last token and this one where a remainder operator would stand (after an
  // operand, before another: `has[(i + 1) % 4] := true`) began a comment that hid the rest of
  // its line: the error here gets a note saying so (a new user's ring read "expected ']' to
  // close the index, found 'invariant'", a line further down).
  void noteRemainderComment(Diagnostic& d) const {
    if (pos_ == 0) return;
    const Tok prev = toks_[pos_ - 1].kind;
    if (prev != Tok::Ident && prev != Tok::IntLit && prev != Tok::RParen && prev != Tok::RBracket) return;
    auto blank = [&](size_t k) { return k < text_.size() && (text_[k] == ' ' || text_[k] == '\t'); };
    size_t p = toks_[pos_ - 1].end;
    while (blank(p)) ++p;
    if (p >= cur().begin || text_[p] != '%') return;
    size_t q = p + 1;
    while (blank(q)) ++q;
    // an operand follows: '(', or a word followed by punctuation or the line's end, not by
    // another word (`% close it later` is prose)
    auto word = [&](size_t k) {
      return k < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[k])) || text_[k] == '_');
    };
    if (q >= text_.size() || (text_[q] != '(' && !word(q))) return;
    if (text_[q] != '(') {
      while (word(q)) ++q;
      while (blank(q)) ++q;
      if (word(q)) return;
    }
    const uint32_t at = static_cast<uint32_t>(p);
    d.notes.push_back({{file_, at, at + 1},
                       "'%' starts a comment, which runs to the end of the line; the remainder is written 'mod'"});
  }
  [[noreturn]] void errorAt(SourceRange r, const std::string& msg) {
    diags_.error(r, msg);
    throw ParseAbort{};
  }
  // When the current token is an identifier that misspells one of the keywords expected
  // here, reports it (with the suggestion) and reads it as that keyword, so that the
  // rest of the construct parses as the user meant it.
  bool recoverKeywordTypo(const Words& expected, const std::string& what) {
    if (!at(Tok::Ident)) return false;
    const Word* w = closestWord(cur().text, expected);
    if (!w) return false;
    diags_.error(curRange(), "expected " + what + ", found " + describe(cur()) + "; did you mean '" + w->text + "'?");
    toks_[pos_].kind = w->kind;
    if (w->kind == Tok::Ident) toks_[pos_].text = w->text;  // `sort`, `function` ...: read by their text
    return true;
  }
  // Whether `t`, after a word, makes the word read as a name (a declaration, an
  // assignment, an argument) rather than as a keyword.
  static bool followsName(Tok t) {
    switch (t) {
      case Tok::Colon:
      case Tok::Comma:
      case Tok::LParen:
      case Tok::RParen:
      case Tok::Assign:
      case Tok::Eq:
      case Tok::LBracket:
      case Tok::Dot: return true;
      default: return false;
    }
  }
  // The token that opened the construct a closing token is expected for (`(` for `)`,
  // `if` for `fi`): the error about the missing closer gets a note pointing at it.
  struct Opener {
    SourceRange range;
    Tok kind;
  };
  Token expect(Tok k, const char* what = nullptr, const Opener* opener = nullptr) {
    if (!at(k)) {
      std::string w = what ? std::string(what) : std::string(tokName(k));
      // a misspelt keyword (`thn` for `then`): say so and go on as if it were spelt right
      if (isReserved(k) && !followsName(peek().kind)) {
        std::string kw(tokName(k));
        kw = kw.substr(1, kw.size() - 2);
        if (recoverKeywordTypo({{kw.c_str(), k}}, w)) {
          Token t = cur();
          advance();
          return t;
        }
      }
      if (!opener) errorExpected(w);
      Diagnostic& d = diags_.error(curRange(), "expected " + w + ", found " + describe(cur()));
      d.notes.push_back({opener->range, std::string("to match this ") + tokName(opener->kind)});
      noteRemainderComment(d);
      throw ParseAbort{};
    }
    Token t = cur();
    advance();
    return t;
  }
  // Expects the token closing what `open` opened; see Opener.
  Token expectClosing(Tok k, const char* what, const Token& open) {
    Opener o{rangeOf(open), open.kind};
    return expect(k, what, &o);
  }
  // A reserved word where a name is expected (`uses: Nat := 0`), followed by what follows
  // a name: reported once per word, and from then on read as the name it was meant to
  // be, so that its uses do not give an error each.
  bool atReservedName() const {
    if (!isReserved(cur().kind) || !followsName(peek().kind)) return false;
    if (atLineStart() && (isTopStarter() || isSectionStarter() || isTransitionStarter())) return false;
    return true;
  }
  void reservedAsName(const std::string& what) {
    if (reservedNames_.insert(cur().kind).second) {
      std::string word(cur().text);
      diags_.error(curRange(), "expected " + what + ", found '" + word + "': '" + word +
                                   "' is a reserved word; it cannot be used as a name");
    }
  }
  // The current token as a name, whatever it is.
  std::string takeName(SourceRange* r) {
    if (r) *r = curRange();
    std::string s(cur().text);
    advance();
    return s;
  }
  std::string expectIdent(const char* what, SourceRange* r = nullptr) {
    if (atReservedName()) reservedAsName(what);
    else if (!at(Tok::Ident)) errorExpected(what);
    return takeName(r);
  }

  // ------------------------------------------------------------ recovery
  bool isTopStarter() const {
    switch (cur().kind) {
      case Tok::KwAutomaton:
      case Tok::KwInvariant:
      case Tok::KwForward: return true;
      case Tok::KwUses: return peek().kind == Tok::Ident;  // `uses Trait`
      case Tok::KwType:
      case Tok::KwConst: return atLineStart() && peek().kind == Tok::Ident;
      case Tok::Ident:
        if (!atLineStart()) return false;
        if (cur().text == "refinement") return peek().kind == Tok::KwFrom;
        if (cur().text == "sort" || cur().text == "function" || cur().text == "layer" || cur().text == "stack")
          return peek().kind == Tok::Ident;
        if (cur().text == "axiom") return true;
        return false;
      default: return false;
    }
  }
  void syncTopLevel(size_t start) {
    if (pos_ == start) advance();
    while (!at(Tok::Eof) && !isTopStarter()) advance();
  }
  bool isSectionStarter() const {
    switch (cur().kind) {
      case Tok::KwSignature:
      case Tok::KwStates:
      case Tok::KwTransitions:
      case Tok::KwTasks:
      case Tok::KwComponents:
      case Tok::KwHidden: return true;
      case Tok::KwInitially: return true;
      case Tok::Ident:
        return (cur().text == "fastpath" || cur().text == "header") && atLineStart() &&
               peek().kind != Tok::Assign && peek().kind != Tok::Colon;
      default: return false;
    }
  }
  bool isTransitionStarter() const {
    return (at(Tok::KwInput) || at(Tok::KwOutput) || at(Tok::KwInternal)) && peek().kind == Tok::Ident;
  }
  // To the next state variable (`name:` at the start of a line: after a ',' it could be a named
  // argument, `T(a: 1, b: 2)`) or section.
  void syncStateVar() {
    while (!at(Tok::Eof) && !isTopStarter() && !isSectionStarter() && !at(Tok::KwInitially)) {
      advance();
      if (atLineStart() && (at(Tok::Ident) || atReservedName()) && peek().kind == Tok::Colon) return;
    }
  }
  void syncTransition(size_t start) {
    if (pos_ == start) advance();
    while (!at(Tok::Eof) && !isTopStarter() && !isSectionStarter() && !isTransitionStarter()) advance();
  }

  // ------------------------------------------------------------ top level
  Decl* parseTopDecl() {
    SourceRange start = curRange();
    switch (cur().kind) {
      case Tok::KwType: return parseTypeDecl();
      case Tok::KwConst: return parseConstDecl();
      case Tok::KwAutomaton: return parseAutomaton(false);
      case Tok::KwInvariant: return parseInvariant();
      case Tok::KwForward: return parseSimulation();
      case Tok::KwUses: return parseUses();
      case Tok::Ident:
        if (cur().text == "sort") return parseSortDecl();
        if (cur().text == "function") return parseFunction();
        if (cur().text == "axiom") return parseAxiom();
        if (cur().text == "layer") return parseAutomaton(true);
        if (cur().text == "stack") return parseStack();
        if (cur().text == "refinement") return parseSimulation();
        break;
      default: break;
    }
    (void)start;
    static const char* kDeclaration =
        "a declaration (type, sort, const, function, axiom, automaton, layer, stack, invariant, "
        "forward simulation or refinement)";
    if (atLineStart() && !followsName(peek().kind) && recoverKeywordTypo(kTopWords, kDeclaration))
      return parseTopDecl();
    // (the prover names one "simulation Ring -> Queue", which a new user wrote as its declaration)
    if (at(Tok::KwSimulation))
      errorAt(curRange(), std::string("expected ") + kDeclaration + ", found 'simulation': a simulation is declared "
                                                                 "'forward simulation from A to B:', then its relation");
    errorExpected(kDeclaration, kTopWords + kSectionWords + kKindWords + kClauseWords);
  }

  Decl* parseUses() {
    auto* d = arena_.decl<UsesDecl>();
    SourceRange start = curRange();
    advance();
    // `uses Trait(args)`: LSL trait imports of the MIT toolset. Their operators are built in
    // here, so the clause is kept for round-tripping and otherwise ignored.
    d->nameRange = curRange();
    expectIdent("a trait name after 'uses'");
    if (accept(Tok::LParen)) {
      int depth = 1;
      while (!at(Tok::Eof) && depth > 0) {
        if (at(Tok::LParen)) ++depth;
        if (at(Tok::RParen)) --depth;
        advance();
      }
    }
    while (accept(Tok::Comma)) {
      expectIdent("a trait name");
      if (accept(Tok::LParen)) {
        int depth = 1;
        while (!at(Tok::Eof) && depth > 0) {
          if (at(Tok::LParen)) ++depth;
          if (at(Tok::RParen)) --depth;
          advance();
        }
      }
    }
    d->range = from(start);
    d->name = std::string(diags_.sources().textOf(d->range));
    diags_.warning(d->range, "'uses' clause ignored: sequence, set, map and arithmetic operators are built in");
    return d;
  }

  Decl* parseTypeDecl() {
    auto* d = arena_.decl<TypeDecl>();
    SourceRange start = curRange();
    advance();
    d->name = expectIdent("a type name after 'type'", &d->nameRange);
    expect(Tok::Eq, "'=' after the type name");
    d->body = parseTypeBody();
    d->range = from(start);
    return d;
  }

  TypeBody parseTypeBody() {
    TypeBody b;
    SourceRange start = curRange();
    // `enum {A, B}`, `enumeration {A, B}`, `enumeration of {A, B}` (other languages' forms): one
    // error that shows the dialect's form, and the constants are kept, so that their uses are
    // not reported again as unknown names
    bool enumWord = at(Tok::Ident) && cur().text == "enum" && (peek().kind == Tok::LBrace || peek().kind == Tok::KwOf);
    if (at(Tok::KwEnumeration) || enumWord) {
      b.kind = TypeBodyKind::Enumeration;
      SourceRange word = curRange();
      advance();
      bool of = accept(Tok::KwOf);
      bool brace = at(Tok::LBrace);
      if (!of && !brace) expect(Tok::KwOf, "'of' after 'enumeration'");
      SourceRange open = curRange();
      if (brace) advance();
      do {
        SourceRange r;
        b.values.push_back(expectIdent("an enumeration constant", &r));
        b.valueRanges.push_back(r);
      } while (accept(Tok::Comma));
      if (brace) expect(Tok::RBrace, "'}' after the enumeration constants");
      if (enumWord || brace) {
        std::string list;
        for (const std::string& v : b.values) list += (list.empty() ? "" : ", ") + v;
        diags_.error(enumWord ? word : open,
                     "an enumeration is written 'enumeration of " + list + "' (no braces" +
                         (enumWord ? ", and the word is 'enumeration'" : "") + ")");
      }
    } else if (at(Tok::KwTuple) || at(Tok::KwUnion)) {
      b.kind = at(Tok::KwTuple) ? TypeBodyKind::Tuple : TypeBodyKind::Union;
      advance();
      expect(Tok::KwOf, b.kind == TypeBodyKind::Tuple ? "'of' after 'tuple'" : "'of' after 'union'");
      do {
        SourceRange r;
        b.fieldNames.push_back(expectIdent(b.kind == TypeBodyKind::Tuple ? "a field name" : "a variant name", &r));
        b.fieldRanges.push_back(r);
        expect(Tok::Colon, "':' after the field name");
        b.fieldSorts.push_back(parseSort());
      } while (accept(Tok::Comma));
    } else {
      b.kind = TypeBodyKind::Alias;
      b.alias = parseSort();
    }
    b.range = from(start);
    return b;
  }

  Decl* parseSortDecl() {
    auto* d = arena_.decl<SortDecl>();
    SourceRange start = curRange();
    advance();
    d->name = expectIdent("a sort name after 'sort'", &d->nameRange);
    d->range = from(start);
    return d;
  }

  Decl* parseConstDecl() {
    auto* d = arena_.decl<ConstDecl>();
    SourceRange start = curRange();
    advance();
    d->name = expectIdent("a constant name after 'const'", &d->nameRange);
    if (at(Tok::Eq) && (peek().kind == Tok::IntLit || peek().kind == Tok::KwTrue || peek().kind == Tok::KwFalse)) {
      // `const N = 3`: the sort is missing; said once, and the constant is declared with the
      // literal's sort, so its uses are not reported again as unknown names
      bool isBool = peek().kind != Tok::IntLit;
      diags_.error(curRange(), std::string("expected ':' and a sort after the constant name, found '='; write 'const ") +
                                   d->name + (isBool ? ": Bool = " : ": Nat = ") + std::string(peek().text) + "'");
      d->sort = arena_.sortExpr();
      d->sort->name = isBool ? "Bool" : "Int";
      d->sort->range = curRange();
      advance();
      d->value = parseExpr();
      d->range = from(start);
      return d;
    }
    expect(Tok::Colon, "':' and a sort after the constant name");
    d->sort = parseSort();
    if (accept(Tok::Eq)) d->value = parseExpr();
    d->range = from(start);
    return d;
  }

  Decl* parseFunction() {
    auto* d = arena_.decl<FunctionDecl>();
    SourceRange start = curRange();
    advance();
    d->name = expectIdent("a function name after 'function'", &d->nameRange);
    if (at(Tok::LParen)) d->params = parseParams(false, false);
    expect(Tok::Colon, "':' and the result sort");
    d->result = parseSort();
    if (accept(Tok::Eq)) {
      size_t before = pos_;
      try {
        d->body = parseExpr();
      } catch (ParseAbort&) {
        // the signature stands, so its uses are not reported again as unknown functions;
        // the body is an error term (no obligations are made from a spec with errors)
        d->body = mk(ExprKind::Error, curRange());
        syncTopLevel(before);
      }
    }
    d->range = from(start);
    return d;
  }

  Decl* parseAxiom() {
    auto* d = arena_.decl<AxiomDecl>();
    SourceRange start = curRange();
    advance();
    if (at(Tok::Ident) && peek().kind == Tok::Colon) {
      d->name = std::string(cur().text);
      d->nameRange = curRange();
      advance();
      advance();
    }
    d->body = parseExpr();
    d->range = from(start);
    return d;
  }

  // (a: T, b, c: U, M: type, const i: Node)
  std::vector<Param> parseParams(bool allowType, bool allowConst) {
    std::vector<Param> out;
    parseParamsInto(out, allowType, allowConst);
    return out;
  }
  // The same into `out`, which keeps the parameters read before an error (a signature's action
  // is then declared with them: see parseSignature).
  void parseParamsInto(std::vector<Param>& out, bool allowType, bool allowConst) {
    expect(Tok::LParen);
    if (accept(Tok::RParen)) return;
    size_t pending = 0;  // params still waiting for a sort (`i, j: Node`)
    for (;;) {
      Param p;
      SourceRange start = curRange();
      if (at(Tok::KwConst)) {
        if (!allowConst) errorAt(curRange(), "'const' parameters are only allowed in action signatures");
        p.isConst = true;
        advance();
        if (!(at(Tok::Ident) && peek().kind == Tok::Colon)) {
          // `const left(i)`: fixed to a term over the automaton's parameters
          if (pending) errorExpected("':' and a sort for parameter '" + out.back().name + "'");
          p.constTerm = parseExpr();
          p.range = from(start);
          out.push_back(p);
          if (accept(Tok::Comma)) continue;
          expect(Tok::RParen, "',' or ')' in the parameter list");
          return;
        }
      }
      p.name = expectIdent("a parameter name");
      p.range = from(start);
      if (accept(Tok::Colon)) {
        if (at(Tok::KwType)) {
          if (!allowType) errorAt(curRange(), "type parameters are only allowed on automata");
          advance();
          p.isType = true;
        } else {
          p.sort = parseSort();
        }
        for (size_t i = out.size() - pending; i < out.size(); ++i) {
          out[i].isType = p.isType;
          out[i].sort = p.sort;
        }
        pending = 0;
      } else {
        ++pending;
      }
      out.push_back(p);
      if (accept(Tok::Comma)) continue;
      if (pending) {
        SourceRange r = out.back().range;
        diags_.error(r, "expected ':' and a sort for parameter '" + out.back().name + "', found " + describe(cur()));
        throw ParseAbort{};
      }
      expect(Tok::RParen, "',' or ')' in the parameter list");
      return;
    }
  }

  // ------------------------------------------------------------ sorts
  SortExpr* parseSort() {
    DepthGuard g(*this);
    SortExpr* s = arena_.sortExpr();
    SourceRange start = curRange();
    if (at(Tok::KwType)) errorAt(curRange(), "'type' is only allowed as the sort of an automaton type parameter");
    s->name = expectIdent("a sort");
    if (accept(Tok::LBracket)) {
      if (s->name == "Int") {
        s->lo = parseExpr();
        expect(Tok::DotDot, "'..' in the integer range");
        s->hi = parseExpr();
      } else {
        do {
          s->args.push_back(parseSort());
        } while (accept(Tok::Comma));
      }
      expect(Tok::RBracket, "']' to close the sort arguments");
    }
    s->range = from(start);
    return s;
  }

  // ------------------------------------------------------------ automata and layers
  Decl* parseAutomaton(bool isLayer) {
    auto* d = arena_.decl<AutomatonDecl>();
    d->isLayer = isLayer;
    SourceRange start = curRange();
    advance();
    d->name = expectIdent(isLayer ? "a layer name" : "an automaton name", &d->nameRange);
    if (at(Tok::LParen)) d->params = parseParams(!isLayer, false);
    for (;;) {
      if (diags_.limitReached()) break;
      size_t before = pos_;
      try {
        if (!parseSection(d)) break;
      } catch (ParseAbort&) {
        syncTransition(before);
      }
    }
    d->range = from(start);
    return d;
  }

  void duplicateSection(bool seen, const char* name) {
    if (seen) errorAt(curRange(), std::string("duplicate '") + name + "' section");
  }

  // Returns false when the token does not start a section of an automaton.
  bool parseSection(AutomatonDecl* d) {
    switch (cur().kind) {
      case Tok::KwSignature:
        duplicateSection(d->hasSignature, "signature");
        advance();
        d->hasSignature = true;
        parseSignature(d);
        return true;
      case Tok::KwStates:
        duplicateSection(d->hasStates, "states");
        advance();
        d->hasStates = true;
        parseStates(d);
        return true;
      case Tok::KwInitially:
        if (!d->hasStates) errorAt(curRange(), "'initially' must follow the 'states' section");
        if (d->initially) errorAt(curRange(), "duplicate 'initially' clause");
        advance();
        d->initially = parseExpr();
        return true;
      case Tok::KwTransitions:
        duplicateSection(d->hasTransitions, "transitions");
        advance();
        d->hasTransitions = true;
        parseTransitions(d);
        return true;
      case Tok::KwTasks:
        duplicateSection(d->hasTasks, "tasks");
        advance();
        d->hasTasks = true;
        parseTasks(d);
        return true;
      case Tok::KwComponents:
        if (d->isLayer) errorAt(curRange(), "a layer cannot have components; compose layers with 'stack'");
        duplicateSection(d->hasComponents, "components");
        advance();
        d->hasComponents = true;
        parseComponents(d);
        return true;
      case Tok::KwHidden:
        advance();
        do {
          d->hidden.push_back(parseActionRef());
        } while (accept(Tok::Comma));
        return true;
      case Tok::Ident:
        if (d->isLayer && cur().text == "header" && peek().kind != Tok::Assign) {
          duplicateSection(d->hasHeader, "header");
          advance();
          d->hasHeader = true;
          d->header = parseTypeBody();
          if (d->header.kind == TypeBodyKind::Enumeration)
            errorAt(d->header.range, "a layer header must be a tuple, a union or a sort, not an enumeration");
          return true;
        }
        if (d->isLayer && cur().text == "fastpath" && peek().kind != Tok::Assign) {
          FastpathDecl f;
          SourceRange start = curRange();
          advance();
          SourceRange pr;
          f.path = expectIdent("'dn' or 'up' after 'fastpath'", &pr);
          if (f.path != "dn" && f.path != "up") errorAt(pr, "expected 'dn' or 'up' after 'fastpath', found '" + f.path + "'");
          for (const auto& o : d->fastpaths)
            if (o.path == f.path) {
              Diagnostic& dg = diags_.error(pr, "duplicate 'fastpath " + f.path + "' clause");
              dg.notes.push_back({o.range, "previous clause here"});
              throw ParseAbort{};
            }
          expect(Tok::Colon, "':' after the fastpath direction");
          f.pred = parseExpr();
          f.range = from(start);
          d->fastpaths.push_back(f);
          return true;
        }
        if (cur().text == "assumes" && atLineStart()) {
          // `assumes Trait(args)`: an LSL trait of the MIT toolset; declare its sorts,
          // functions and axioms at the top level instead
          SourceRange r = curRange();
          advance();
          expectIdent("a trait name after 'assumes'");
          if (accept(Tok::LParen)) {
            int depth = 1;
            while (!at(Tok::Eof) && depth > 0) {
              if (at(Tok::LParen)) ++depth;
              if (at(Tok::RParen)) --depth;
              advance();
            }
          }
          diags_.warning(from(r), "'assumes' clause ignored: declare the trait's sorts, functions and axioms at the top level");
          return true;
        }
        if (!d->isLayer && (cur().text == "header" || cur().text == "fastpath") && atLineStart())
          errorAt(curRange(), "'" + std::string(cur().text) + "' clauses are only allowed in layers");
        if (atLineStart() && !followsName(peek().kind)) {
          // a misspelt section keyword (`transitons`); one closer to a declaration keyword
          // ends the automaton and is reported there
          // (a layer's `fastpth` too: until 2026-12-04 it ended the layer, and the error listed the
          // declarations, without the clause that was meant)
          const Words sections = d->isLayer ? kSectionWords + kLayerWords : kSectionWords;
          const Words both = sections + kTopWords;
          const Word* w = closestWord(cur().text, both);
          if (w && w < both.data() + sections.size() &&
              recoverKeywordTypo(sections, d->isLayer ? "a section (signature, states, transitions, header, fastpath, ...) "
                                                        "or a declaration"
                                                      : "a section (signature, states, transitions, tasks, ...) or a declaration"))
            return parseSection(d);
        }
        return false;
      case Tok::KwInput:
      case Tok::KwOutput:
      case Tok::KwInternal:
        if (!isTopStarter())
          errorAt(curRange(), std::string("action ") + tokName(cur().kind) +
                                  " outside a section (expected 'signature' or 'transitions' before it)");
        return false;
      case Tok::KwPre:
      case Tok::KwEff:
      case Tok::KwEnsuring:
      case Tok::KwWhere:
        errorAt(curRange(), std::string(tokName(cur().kind)) + " clause outside a transition");
      default: return false;
    }
  }

  static ActionKind kindOf(Tok t) {
    return t == Tok::KwInput ? ActionKind::Input : t == Tok::KwOutput ? ActionKind::Output : ActionKind::Internal;
  }

  // At `input`, `output` or `internal`, or at a misspelling of one followed by an action
  // name (reported, then read as the keyword).
  bool atActionKind(const char* what) {
    if (at(Tok::KwInput) || at(Tok::KwOutput) || at(Tok::KwInternal)) return true;
    return peek().kind == Tok::Ident && recoverKeywordTypo(kKindWords, what);
  }

  void parseSignature(AutomatonDecl* d) {
    static const char* kWhat = "'input', 'output' or 'internal' in the signature";
    if (!atActionKind(kWhat)) errorExpected(kWhat, kKindWords);
    while (atActionKind(kWhat)) {
      ActionKind k = kindOf(cur().kind);
      advance();
      do {
        ActionDecl a;
        a.kind = k;
        SourceRange start = curRange();
        a.name = expectIdent("an action name");
        const size_t afterName = pos_;
        try {
          if (at(Tok::LParen)) parseParamsInto(a.params, false, true);
          if (accept(Tok::KwWhere)) a.where = parseExpr();
        } catch (ParseAbort&) {
          // An error in an action's parameters or `where`: the action is declared with the
          // parameters read before it (those given a sort), and the signature goes on after its
          // closing ')' (until 2026-12-05 the rest of the signature was lost, and a layer's `dn(m:
          // Msg=>)` gave eleven errors more: undeclared actions, actions "outside a section", and
          // the stack's hiding of actions its layers lacked).
          if (diags_.limitReached()) throw;
          std::erase_if(a.params, [](const Param& p) { return !p.sort && !p.isType && !p.constTerm; });
          a.range = from(start);
          d->signature.push_back(std::move(a));
          syncSignatureAction(afterName);
          continue;
        }
        a.range = from(start);
        d->signature.push_back(std::move(a));
      } while (accept(Tok::Comma));
      accept(Tok::Semi);
    }
  }
  // After an error in an action declared from token `from` on: to the ',' that starts the next
  // action of its line (past the closing ')' of the one in error), or to the next line that
  // starts an action kind, a section or a declaration.
  void syncSignatureAction(size_t from) {
    int depth = 0;
    for (size_t i = from; i < pos_ && i < toks_.size(); ++i) depth += bracketDelta(toks_[i].kind);
    while (!at(Tok::Eof)) {
      if (pos_ > from && atLineStart() &&
          (at(Tok::KwInput) || at(Tok::KwOutput) || at(Tok::KwInternal) || isSectionStarter() || isTopStarter()))
        return;
      if (depth <= 0 && (at(Tok::Comma) || at(Tok::Semi))) return;
      depth += bracketDelta(cur().kind);
      advance();
    }
  }
  static int bracketDelta(Tok t) {
    switch (t) {
      case Tok::LParen:
      case Tok::LBracket:
      case Tok::LBrace: return 1;
      case Tok::RParen:
      case Tok::RBracket:
      case Tok::RBrace: return -1;
      default: return 0;
    }
  }

  void parseStates(AutomatonDecl* d) {
    while ((at(Tok::Ident) || atReservedName()) && peek().kind == Tok::Colon) {
      StateVarDecl v;
      SourceRange start = curRange();
      v.name = expectIdent("a state variable name");
      advance();
      v.sort = parseSort();
      try {
        if (accept(Tok::Assign)) v.init = at(Tok::KwChoose) ? parseChoose() : parseExpr();
        else if (at(Tok::Eq)) errorAt(curRange(), "expected ':=' for the initial value, found '='");
      } catch (ParseAbort&) {
        // an initial value in error: the variable is declared all the same, and the next one
        // parses (a map written `{0 -> 1}` lost the variables after it, and each of their uses
        // was an "unknown name")
        v.init = nullptr;
        v.range = from(start);
        d->states.push_back(v);
        if (diags_.limitReached()) throw;
        syncStateVar();
        continue;
      }
      v.range = from(start);
      d->states.push_back(v);
      if (!accept(Tok::Comma)) accept(Tok::Semi);
    }
    if (d->states.empty() && !at(Tok::KwInitially) && !isSectionStarter())
      errorExpected("a state variable 'name: Sort'");
  }

  void parseTransitions(AutomatonDecl* d) {
    static const char* kWhat = "a transition ('input', 'output' or 'internal' and an action name)";
    if (!isTransitionStarter() && !atActionKind(kWhat)) errorExpected(kWhat, kKindWords);
    while ((isTransitionStarter() || atActionKind(kWhat)) && !diags_.limitReached()) {
      size_t before = pos_;
      try {
        d->transitions.push_back(parseTransition());
      } catch (ParseAbort&) {
        syncTransition(before);
      }
    }
  }

  TransitionDecl parseTransition() {
    TransitionDecl t;
    SourceRange start = curRange();
    t.kind = kindOf(cur().kind);
    advance();
    t.action = expectIdent("an action name");
    if (at(Tok::LParen)) {
      Token open = cur();
      advance();
      if (!at(Tok::RParen)) {
        do {
          bool c = accept(Tok::KwConst);
          t.args.push_back(parseExpr());
          t.argConst.push_back(c);
        } while (accept(Tok::Comma));
      }
      expectClosing(Tok::RParen, "',' or ')' after the action arguments", open);
    }
    t.headerRange = from(start);
    // a misspelt clause keyword (`ef x := 1`): reported, then read as the keyword
    auto clauseTypo = [&] {
      if (!followsName(peek().kind))
        recoverKeywordTypo(kClauseWords, "a transition clause ('where', 'pre', 'eff' or 'ensuring')");
    };
    clauseTypo();
    if (accept(Tok::KwWhere)) t.where = parseExpr();
    clauseTypo();
    if (at(Tok::KwPre)) {
      SourceRange pr = curRange();
      advance();
      t.pre = parseExpr();
      if (t.kind == ActionKind::Input)
        diags_.error(pr, "input actions have no precondition ('pre'): inputs are always enabled");
    }
    clauseTypo();
    if (!at(Tok::KwEff) && !at(Tok::KwFire) && atStmtStart()) {
      // statements without `eff` (`pre x < 10` and on the next line `x := x + 1`): say so,
      // and read them as the effect
      diags_.error(curRange(), "expected 'eff' before the statements of transition '" + t.action + "', found " +
                                   describe(cur()));
      t.hasEff = true;
      t.eff = parseStmts();
    }
    if (accept(Tok::KwEff)) {
      t.hasEff = true;
      t.eff = parseStmts();
    }
    clauseTypo();
    if (accept(Tok::KwEnsuring)) t.ensuring = parseExpr();
    if (at(Tok::KwPre) || at(Tok::KwWhere))
      errorAt(curRange(), std::string(tokName(cur().kind)) + " must come before 'eff' and 'ensuring'");
    if (at(Tok::KwEff)) errorAt(curRange(), "duplicate 'eff' clause");
    t.range = from(start);
    return t;
  }

  void parseTasks(AutomatonDecl* d) {
    while (at(Tok::LBrace)) {
      TaskDecl task;
      SourceRange start = curRange();
      advance();
      if (!at(Tok::RBrace)) {
        do {
          task.actions.push_back(parseActionRef());
        } while (accept(Tok::Comma) || accept(Tok::Semi));
      }
      if (accept(Tok::KwFor)) {
        task.binders = parseBinders();
        if (accept(Tok::KwWhere)) task.where = parseExpr();
      }
      expect(Tok::RBrace, "'}' to close the task");
      task.range = from(start);
      d->tasks.push_back(task);
      accept(Tok::Semi);
    }
  }

  ActionRef parseActionRef() {
    ActionRef a;
    SourceRange start = curRange();
    a.name = expectIdent("an action name");
    while (at(Tok::Dot) && peek().kind == Tok::Ident) {
      advance();
      a.name += "." + std::string(cur().text);
      advance();
    }
    if (at(Tok::LParen)) {
      Token open = cur();
      advance();
      if (!at(Tok::RParen)) {
        do {
          a.args.push_back(parseExpr());
        } while (accept(Tok::Comma));
      }
      expectClosing(Tok::RParen, "')' after the action arguments", open);
    }
    a.range = from(start);
    return a;
  }

  void parseComponents(AutomatonDecl* d) {
    if (!(at(Tok::Ident) && (peek().kind == Tok::Colon || peek().kind == Tok::LBracket)))
      errorExpected("a component 'Name: Automaton'");
    while (at(Tok::Ident) && (peek().kind == Tok::Colon || peek().kind == Tok::LBracket)) {
      ComponentDecl c;
      SourceRange start = curRange();
      c.name = std::string(cur().text);
      advance();
      if (accept(Tok::LBracket)) {
        c.indices = parseBinders();
        expect(Tok::RBracket, "']' after the component index");
      }
      expect(Tok::Colon, "':' after the component name");
      c.automaton = expectIdent("an automaton name", &c.automatonRange);
      if (accept(Tok::LParen)) {
        if (!at(Tok::RParen)) {
          do {
            c.args.push_back(parseExpr());
          } while (accept(Tok::Comma));
        }
        expect(Tok::RParen, "')' after the automaton arguments");
      }
      c.automatonRange = from(c.automatonRange);
      if (accept(Tok::KwRenaming)) parseRenamings(c.renamings);
      c.range = from(start);
      d->components.push_back(c);
      if (!accept(Tok::Semi)) accept(Tok::Comma);
      // `C1 renaming receive to mid` on a line of its own (the dialect page's words read as a
      // clause): one error saying where it goes, and the renaming applies to C1 (until
      // 2026-12-04 "expected a declaration, found identifier 'C1'" and a clash of actions after it)
      while (at(Tok::Ident) && peek().kind == Tok::KwRenaming) {
        SourceRange rs = curRange();
        std::string name(cur().text);
        ComponentDecl* target = nullptr;
        for (ComponentDecl& k : d->components)
          if (k.name == name) target = &k;
        diags_.error(rs, "a renaming goes after the component's automaton: '" + name + ": " +
                             (target ? target->automaton : std::string("A")) + " renaming ...'" +
                             (target ? "" : " (and there is no component " + name + ")"));
        advance();
        advance();
        std::vector<Renaming> rn;
        parseRenamings(rn);
        if (target) target->renamings.insert(target->renamings.end(), rn.begin(), rn.end());
        if (!accept(Tok::Semi)) accept(Tok::Comma);
      }
    }
  }

  // `send to tx, receive to rx` (after 'renaming')
  void parseRenamings(std::vector<Renaming>& out) {
    do {
      Renaming r;
      SourceRange rs = curRange();
      r.from = expectIdent("an action name to rename");
      expect(Tok::KwTo, "'to' in the renaming");
      r.to = expectIdent("the new action name");
      r.range = from(rs);
      out.push_back(r);
    } while (at(Tok::Comma) && peek().kind == Tok::Ident && peek(2).kind == Tok::KwTo && (advance(), true));
  }

  // x: T, y, z: U   (names without a sort take the next sort)
  std::vector<Binder> parseBinders() {
    std::vector<Binder> out;
    size_t pending = 0;
    for (;;) {
      Binder b;
      b.range = curRange();
      b.name = expectIdent("a variable name");
      out.push_back(b);
      if (accept(Tok::Colon)) {
        SortExpr* s = parseSort();
        for (size_t i = out.size() - pending - 1; i < out.size(); ++i) out[i].sort = s;
        pending = 0;
        if (at(Tok::Comma) && peek().kind == Tok::Ident &&
            (peek(2).kind == Tok::Colon || peek(2).kind == Tok::Comma)) {
          advance();
          continue;
        }
        return out;
      }
      if (at(Tok::Comma) && peek().kind == Tok::Ident) {
        advance();
        ++pending;
        continue;
      }
      errorExpected("':' and a sort for '" + b.name + "'");
    }
  }

  // ------------------------------------------------------------ invariants, simulations, stacks
  AutRef parseAutRef() {
    AutRef r;
    SourceRange start = curRange();
    r.name = expectIdent("an automaton name");
    if (accept(Tok::LParen)) {
      if (!at(Tok::RParen)) {
        do {
          std::string argName;
          if (at(Tok::Ident) && peek().kind == Tok::Colon) {
            argName = std::string(cur().text);
            advance();
            advance();
          }
          r.argNames.push_back(argName);
          r.args.push_back(parseExpr());
        } while (accept(Tok::Comma));
      }
      expect(Tok::RParen, "')' after the automaton arguments");
    }
    r.range = from(start);
    return r;
  }

  Decl* parseInvariant() {
    auto* d = arena_.decl<InvariantDecl>();
    SourceRange start = curRange();
    advance();
    if (at(Tok::Ident)) {
      d->name = std::string(cur().text);
      d->nameRange = curRange();
      advance();
    }
    expect(Tok::KwOf, "'of' and the automaton the invariant is about");
    d->automaton = parseAutRef();
    expect(Tok::Colon, "':' before the invariant's predicate");
    d->body = parseExpr();
    d->range = from(start);
    return d;
  }

  // The rest of a term-level `if` after the keyword at `start`. `elseif` (as in effect
  // programs) is read as `else if ...` (until 2026-12-04 an error, and the function whose
  // body it was went missing, so every use was reported again as an unknown function).
  bool inProofEntry_ = false;  // in a proof entry's 'do' .. 'od' (where 'ignore' is a statement)
  int openIfs_ = 0;  // 'if' statements being parsed (their 'fi' is not a conditional term's)

  Expr* parseConditionalTerm(SourceRange start) {
    Expr* e = mk(ExprKind::Ite, start);
    e->args.push_back(parseExpr());
    expect(Tok::KwThen, "'then' in the conditional term");
    e->args.push_back(parseExpr());
    if (at(Tok::KwElseif)) {
      SourceRange inner = curRange();
      advance();
      e->args.push_back(parseConditionalTerm(inner));
    } else {
      expect(Tok::KwElse, "'else' in the conditional term (a term-level 'if' needs both branches)");
      e->args.push_back(parseExpr());
    }
    e->range = from(start);
    return e;
  }

  Decl* parseSimulation() {
    auto* d = arena_.decl<SimulationDecl>();
    SourceRange start = curRange();
    if (accept(Tok::KwForward)) {
      d->simKind = SimulationKind::Forward;
      expect(Tok::KwSimulation, "'simulation' after 'forward'");
    } else {
      advance();  // refinement
      d->simKind = SimulationKind::Refinement;
    }
    expect(Tok::KwFrom, "'from' and the concrete automaton");
    d->from = parseAutRef();
    expect(Tok::KwTo, "'to' and the abstract automaton");
    d->to = parseAutRef();
    d->nameRange = from(start);
    Token colon = expect(Tok::Colon, "':' before the relation");
    // `refinement from A to B: f` (the dialect page's form): a name for the mapping on the
    // colon's line, alone, its equations on the lines below
    auto lineBreakBetween = [&](uint32_t a, uint32_t b) {
      return b > a && text_.substr(a, b - a).find('\n') != std::string_view::npos;
    };
    if (d->simKind == SimulationKind::Refinement && at(Tok::Ident) && peek().kind != Tok::Eof &&
        !lineBreakBetween(colon.end, cur().begin) && lineBreakBetween(cur().end, peek().begin)) {
      d->mappingName = std::string(cur().text);
      advance();
    }
    d->relation = parseExpr();
    // `Slow.n = x` and `Slow.m = x` on lines of their own: conjuncts without '/\' between them.
    // One error, and the next ones are read as conjuncts (before: "expected a declaration", and
    // the mapping did not define the variables the later lines did)
    bool missingAnd = false;
    while (!at(Tok::Eof) && !at(Tok::KwProof) && !at(Tok::Assign) && !isTopStarter() && at(Tok::Ident) &&
           lineBreakBetween(d->relation->range.end, cur().begin) && peek().kind == Tok::Dot) {
      if (!missingAnd)
        diags_.error(curRange(), std::string("expected '/\\' before this ") +
                                     (d->simKind == SimulationKind::Refinement
                                          ? "equation: the equations of a refinement mapping"
                                          : "conjunct: the conjuncts of a relation") +
                                     " are joined by '/\\' (one per line is fine: `A.x = t /\\` then `A.y = u`)");
      missingAnd = true;
      d->relation = binary(Tok::And, d->relation, parseExpr());
    }
    if (at(Tok::Assign)) {
      // `Spec.total := Counter.n`: an equation written as an assignment. One error, and the
      // relation is not checked (before: a parse error and two about the relation)
      diags_.error(curRange(), std::string("expected '=' in the ") +
                                   (d->simKind == SimulationKind::Refinement ? "refinement mapping" : "relation") +
                                   ", found ':=': it relates the two automata's states (an equation, not an assignment)");
      while (!at(Tok::Eof) && !at(Tok::KwProof) && !isTopStarter()) advance();
      d->relation = mk(ExprKind::Error, d->relation->range);
    }
    if (accept(Tok::KwProof)) {
      d->hasProof = true;
      if (at(Tok::KwInitially)) {
        d->proofInitRange = curRange();
        advance();
        d->proofInit = parseStmts();
        d->proofInitRange = from(d->proofInitRange);
      }
      bool failedEntry = false;  // reported there: no "expected entries" after it
      while (at(Tok::KwFor)) {
        size_t before = pos_;
        try {
          d->entries.push_back(parseProofEntry());
        } catch (ParseAbort&) {
          failedEntry = true;
          inProofEntry_ = false;
          if (pos_ == before) advance();
          while (!at(Tok::Eof) && !isTopStarter() && !(at(Tok::KwFor) && isKindTok(peek().kind))) advance();
        }
      }
      if (!failedEntry && (d->proofInit.empty() && d->entries.empty()))
        errorExpected("'initially' or 'for' entries in the proof block");
    }
    d->range = from(start);
    return d;
  }

  static bool isKindTok(Tok t) { return t == Tok::KwInput || t == Tok::KwOutput || t == Tok::KwInternal; }

  ProofEntry parseProofEntry() {
    ProofEntry e;
    SourceRange start = curRange();
    Token open = expect(Tok::KwFor);
    const char* kindAfterFor = "'input', 'output' or 'internal' after 'for' in a proof entry";
    if (!isKindTok(cur().kind) && !recoverKeywordTypo(kKindWords, kindAfterFor)) errorExpected(kindAfterFor);
    e.kind = kindOf(cur().kind);
    advance();
    ActionRef a = parseActionRef();
    e.action = a.name;
    e.args = a.args;
    if (accept(Tok::KwIgnore)) {
      e.ignore = true;
    } else {
      expect(Tok::KwDo, "'do' or 'ignore' after the action in a proof entry");
      inProofEntry_ = true;
      e.body = parseStmts();
      inProofEntry_ = false;
      expectClosing(Tok::KwOd, "'od' to close the proof entry", open);
    }
    e.range = from(start);
    return e;
  }

  Decl* parseStack() {
    auto* d = arena_.decl<StackDecl>();
    SourceRange start = curRange();
    advance();
    d->name = expectIdent("a stack name", &d->nameRange);
    expect(Tok::Eq, "'=' and the layers, top first");
    do {
      StackLayerRef l;
      SourceRange ls = curRange();
      l.name = expectIdent("a layer name");
      if (accept(Tok::LParen)) {
        if (!at(Tok::RParen)) {
          do {
            std::string n;
            if (at(Tok::Ident) && peek().kind == Tok::Colon) {
              n = std::string(cur().text);
              advance();
              advance();
            }
            l.argNames.push_back(n);
            l.args.push_back(parseExpr());
          } while (accept(Tok::Comma));
        }
        expect(Tok::RParen, "')' after the layer arguments");
      }
      l.range = from(ls);
      d->layers.push_back(l);
    } while (accept(Tok::Semi));
    d->range = from(start);
    return d;
  }

  // ------------------------------------------------------------ statements
  bool atStmtStart() const {
    switch (cur().kind) {
      case Tok::KwIf:
      case Tok::KwFire:
      case Tok::KwIgnore: return true;
      case Tok::KwFor: return peek().kind == Tok::Ident;
      case Tok::Ident: {
        Tok n = peek().kind;
        // `x = t` is a common slip for `x := t`: take it as a statement so the error says so
        return n == Tok::Assign || n == Tok::LBracket || n == Tok::Dot || n == Tok::Eq;
      }
      default: {
        // a reserved word the file declared as a name (reported there)
        Tok n = peek().kind;
        return reservedNames_.count(cur().kind) && (n == Tok::Assign || n == Tok::LBracket || n == Tok::Dot);
      }
    }
  }

  // `free := true, holder := 0`: a ',' where a ';' separates statements is reported and
  // read as the ';', so the statements after it still parse.
  void commaBetweenStatements() {
    if (!at(Tok::Comma)) return;
    size_t comma = pos_;
    advance();
    if (atStmtStart()) diags_.error(rangeOf(toks_[comma]), "statements are separated by ';', not ','");
    else pos_ = comma;
  }

  Block parseStmts() {
    Block out;
    while (accept(Tok::Semi)) {
    }
    while (atStmtStart()) {
      out.push_back(parseStmt());
      while (accept(Tok::Semi)) {
      }
      commaBetweenStatements();
    }
    if (out.empty()) {
      // an empty effect is allowed only when nothing statement-like follows
      if (at(Tok::Ident) || at(Tok::KwFor) || at(Tok::KwIf))
        errorExpected("a statement ('x := term', 'if', 'for')");
    }
    return out;
  }

  Stmt* parseStmt() {
    DepthGuard g(*this);
    Stmt* s = arena_.stmt();
    SourceRange start = curRange();
    const Token open = cur();
    if (accept(Tok::KwIf)) {
      s->kind = StmtKind::If;
      struct OpenIf {
        int& n;
        explicit OpenIf(int& k) : n(k) { ++n; }
        ~OpenIf() { --n; }
      } openIf(openIfs_);
      s->conds.push_back(parseExpr());
      expect(Tok::KwThen, "'then' after the condition");
      s->branches.push_back(parseStmts());
      while (accept(Tok::KwElseif)) {
        s->conds.push_back(parseExpr());
        expect(Tok::KwThen, "'then' after the condition");
        s->branches.push_back(parseStmts());
      }
      if (accept(Tok::KwElse)) {
        s->hasElse = true;
        s->elseBranch = parseStmts();
      }
      expectClosing(Tok::KwFi, "'fi' to close the 'if' statement", open);
    } else if (accept(Tok::KwFor)) {
      s->kind = StmtKind::For;
      auto bs = parseBinders();
      if (bs.size() != 1) errorAt(bs[1].range, "a 'for' statement binds exactly one variable");
      s->binder = bs[0];
      if (accept(Tok::KwIn)) s->domain = parseExpr();
      else if (accept(Tok::KwWhere)) s->filter = parseExpr();
      else if (!at(Tok::KwDo)) errorExpected("'in', 'where' or 'do' after the loop variable");
      expect(Tok::KwDo, "'do' before the loop body");
      s->body = parseStmts();
      expectClosing(Tok::KwOd, "'od' to close the 'for' statement", open);
    } else if (at(Tok::KwIgnore)) {
      // `for input inc do ignore od`, `if c then fire ... else ignore fi`: the empty abstract fragment
      s->kind = StmtKind::Ignore;
      if (!inProofEntry_) diags_.error(curRange(), "'ignore' (no abstract step) belongs in a proof block's entry");
      advance();
    } else if (accept(Tok::KwFire)) {
      s->kind = StmtKind::Fire;
      const char* kindAfterFire = "'input', 'output' or 'internal' after 'fire'";
      if (!isKindTok(cur().kind) && !recoverKeywordTypo(kKindWords, kindAfterFire)) errorExpected(kindAfterFire);
      s->fireKind = kindOf(cur().kind);
      advance();
      ActionRef a = parseActionRef();
      s->fireAction = a.name;
      s->fireArgs = a.args;
      s->fireNameRange = a.range;
    } else {
      s->kind = StmtKind::Assign;
      s->lhs = parsePostfix();
      if (at(Tok::Eq)) errorAt(curRange(), "expected ':=' in the assignment, found '=' (use ':=' to assign)");
      expect(Tok::Assign, "':=' in the assignment");
      s->rhs = at(Tok::KwChoose) ? parseChoose() : parseExpr();
      // `x := if c then a else b fi` outside any 'if' statement: the 'fi' is read as the
      // statement form's (until 2026-12-04: "expected a declaration, found 'fi'")
      if (s->rhs->kind == ExprKind::Ite && at(Tok::KwFi) && openIfs_ == 0) {
        diags_.error(curRange(), "a conditional term ends without 'fi' ('fi' closes an 'if' statement: write "
                                 "'x := if c then a else b', or 'if c then x := a else x := b fi')");
        advance();
      }
    }
    s->range = from(start);
    return s;
  }

  Expr* parseChoose() {
    Expr* e = arena_.expr();
    SourceRange start = curRange();
    expect(Tok::KwChoose);
    e->kind = ExprKind::Choose;
    e->binders = parseBinders();
    if (e->binders.size() != 1) errorAt(e->binders[1].range, "'choose' binds exactly one variable");
    if (accept(Tok::KwWhere)) e->args.push_back(parseExpr());
    e->range = from(start);
    return e;
  }

  // ------------------------------------------------------------ terms
  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& pp) : p(pp) {
      if (++p.depth_ > kMaxDepth) {
        --p.depth_;
        p.errorAt(p.curRange(), "expression nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
      }
    }
    ~DepthGuard() { --p.depth_; }
  };

  // The depth of a whole term, operator chains included: `1 + 1 + ... + 1` nests no parenthesis
  // but is a tree as deep as it is long, and every later stage walks it recursively (a chain of
  // 11,000 terms crashed `check` with a stack overflow, 1,000 `gen` under the sanitizers).
  void checkTreeDepth(const Expr* root) {
    std::vector<std::pair<const Expr*, int>> todo{{root, 1}};
    while (!todo.empty()) {
      auto [e, d] = todo.back();
      todo.pop_back();
      if (!e) continue;
      if (d > kMaxTreeDepth)
        errorAt(root->range, "term too deep: its operators nest more than " + std::to_string(kMaxTreeDepth) +
                              " levels (a chain of binary operators nests one level per operator); split it "
                              "with a function or a variable");
      for (const Expr* a : e->args) todo.emplace_back(a, d + 1);
      if (e->callee) todo.emplace_back(e->callee, d + 1);
    }
  }

  Expr* mk(ExprKind k, SourceRange r) {
    Expr* e = arena_.expr();
    e->kind = k;
    e->range = r;
    return e;
  }
  Expr* binary(Tok op, Expr* l, Expr* r) {
    Expr* e = mk(ExprKind::Binary, SourceRange::join(l->range, r->range));
    e->tok = op;
    e->args = {l, r};
    return e;
  }

 public:
  Expr* parseExpr() {
    DepthGuard g(*this);
    if (inTerm_) return parseIff();
    struct Outermost {  // (reset on a parse error too)
      bool& flag;
      ~Outermost() { flag = false; }
    } outer{inTerm_ = true};
    Expr* e = parseIff();
    checkTreeDepth(e);
    return e;
  }

 private:
  Expr* parseIff() {
    Expr* l = parseImplies();
    while (at(Tok::Iff)) {
      advance();
      l = binary(Tok::Iff, l, parseImplies());
    }
    return l;
  }
  Expr* parseImplies() {
    Expr* l = parseOr();
    if (at(Tok::Implies)) {
      advance();
      DepthGuard g(*this);
      return binary(Tok::Implies, l, parseImplies());
    }
    return l;
  }
  // Other languages' word operators after an operand (`v in s and v > 0`, `a or b`, `not done`):
  // reported with the dialect's spelling and read as that operator, so the rest parses (until
  // 2026-12-04 the term ended there and the error was "expected a declaration, found 'in'").
  bool wordOperator(const char* word, Tok as, const char* meaning) {
    bool isWord = at(Tok::Ident) && cur().text == word;
    if (!isWord && !(as == Tok::In && at(Tok::KwIn))) return false;
    Tok next = peek().kind;
    if (!(next == Tok::Ident || next == Tok::IntLit || next == Tok::KwTrue || next == Tok::KwFalse ||
          (next == Tok::LParen && as != Tok::Not) || next == Tok::LBrace || next == Tok::LBracket))
      return false;
    diags_.error(curRange(), std::string("'") + word + "' is not an operator of the IOA dialect; write " + tokName(as) +
                                 " for " + meaning);
    toks_[pos_].kind = as;
    return true;
  }
  Expr* parseOr() {
    Expr* l = parseAnd();
    while (at(Tok::Or) || wordOperator("or", Tok::Or, "'or'")) {
      advance();
      l = binary(Tok::Or, l, parseAnd());
    }
    return l;
  }
  Expr* parseAnd() {
    Expr* l = parseNot();
    while (at(Tok::And) || wordOperator("and", Tok::And, "'and'")) {
      advance();
      l = binary(Tok::And, l, parseNot());
    }
    return l;
  }
  Expr* parseNot() {
    if (at(Tok::Not) || wordOperator("not", Tok::Not, "'not'")) {
      SourceRange start = curRange();
      advance();
      DepthGuard g(*this);
      Expr* a = parseNot();
      Expr* e = mk(ExprKind::Unary, SourceRange::join(start, a->range));
      e->tok = Tok::Not;
      e->args = {a};
      return e;
    }
    return parseCompare();
  }
  static bool isCompareTok(Tok t) {
    return t == Tok::Eq || t == Tok::Neq || t == Tok::Lt || t == Tok::Le || t == Tok::Gt || t == Tok::Ge ||
           t == Tok::In || t == Tok::Subseteq || t == Tok::NotIn;
  }
  Expr* parseCompare() {
    Expr* l = parseSeqOps();
    if (isCompareTok(cur().kind) || wordOperator("in", Tok::In, "membership")) {
      Tok op = cur().kind;
      advance();
      size_t rhs = pos_;
      if (op == Tok::NotIn) {  // (reported by the lexer) read as ~(x \in S)
        Expr* in = binary(Tok::In, l, parseSeqOps());
        l = mk(ExprKind::Unary, in->range);
        l->tok = Tok::Not;
        l->args = {in};
      } else {
        l = binary(op, l, parseSeqOps());
      }
      if (isCompareTok(cur().kind)) {
        // `x = 1 || y = 2`: C's `||` for "or" (the dialect's `||` binds tighter, as concatenation)
        for (int depth = 0; rhs < pos_; ++rhs) {
          Tok t = toks_[rhs].kind;
          depth += t == Tok::LParen || t == Tok::LBracket || t == Tok::LBrace;
          depth -= t == Tok::RParen || t == Tok::RBracket || t == Tok::RBrace;
          if (depth == 0 && t == Tok::Concat) errorAt(rangeOf(toks_[rhs]), orForConcatMessage());
        }
        errorAt(curRange(), std::string("comparison operators do not chain; add parentheses or use '/\\' before ") +
                                tokName(cur().kind));
      }
    } else if (at(Tok::KwIs)) {
      advance();
      SourceRange tr;
      std::string tag = expectIdent("a union variant name after 'is'", &tr);
      Expr* e = mk(ExprKind::Is, SourceRange::join(l->range, tr));
      e->name = tag;
      e->args = {l};
      return e;
    }
    return l;
  }
  Expr* parseSeqOps() {
    Expr* l = parseAdditive();
    for (;;) {
      Tok op = cur().kind;
      if (op == Tok::Append || op == Tok::Concat || op == Tok::UnionOp || op == Tok::Intersect) {
        advance();
        l = binary(op, l, parseAdditive());
      } else if (op == Tok::Prepend) {
        advance();
        DepthGuard g(*this);
        return binary(op, l, parseSeqOps());  // right associative: a -| b -| s
      } else {
        return l;
      }
    }
  }
  Expr* parseAdditive() {
    Expr* l = parseMultiplicative();
    while (at(Tok::Plus) || at(Tok::Minus)) {
      Tok op = cur().kind;
      advance();
      l = binary(op, l, parseMultiplicative());
    }
    return l;
  }
  static bool isMulTok(Tok t) {
    return t == Tok::Star || t == Tok::KwDiv || t == Tok::KwMod || t == Tok::KwBand || t == Tok::KwBor ||
           t == Tok::KwBxor || t == Tok::KwShl || t == Tok::KwShr;
  }
  Expr* parseMultiplicative() {
    Expr* l = parseUnary();
    while (isMulTok(cur().kind)) {
      Tok op = cur().kind;
      advance();
      l = binary(op, l, parseUnary());
    }
    return l;
  }
  Expr* parseUnary() {
    if (at(Tok::Minus)) {
      SourceRange start = curRange();
      advance();
      DepthGuard g(*this);
      Expr* a = parseUnary();
      Expr* e = mk(ExprKind::Unary, SourceRange::join(start, a->range));
      e->tok = Tok::Minus;
      e->args = {a};
      return e;
    }
    if (at(Tok::Not)) return parseNot();
    return parsePostfix();
  }

  std::vector<Expr*> parseCallArgs(std::vector<std::string>& names) {
    std::vector<Expr*> args;
    const Token open = expect(Tok::LParen);
    if (!at(Tok::RParen)) {
      do {
        std::string n;
        // (a reserved word before ':' is a field name too: `Ballot(from: 0)` after `tuple of from: Nat`,
        // reported once per word, where it was declared, instead of a cascade of errors at each use)
        if ((at(Tok::Ident) || isReserved(cur().kind)) && peek().kind == Tok::Colon) {
          if (!at(Tok::Ident)) reservedAsName("an argument name");
          n = std::string(cur().text);
          advance();
          advance();
        }
        names.push_back(n);
        args.push_back(parseExpr());
      } while (accept(Tok::Comma));
    }
    expectClosing(Tok::RParen, "',' or ')' in the argument list", open);
    return args;
  }

  Expr* parsePostfix() {
    Expr* e = parsePrimary();
    for (;;) {
      if (at(Tok::LBracket)) {
        const Token open = cur();
        advance();
        Expr* idx = mk(ExprKind::Index, e->range);
        idx->args.push_back(e);
        idx->args.push_back(parseExpr());
        if (accept(Tok::DotDot)) {
          idx->tok = Tok::DotDot;  // Int[lo..hi] written where a sort is expected
          idx->args.push_back(parseExpr());
        } else {
          while (accept(Tok::Comma)) idx->args.push_back(parseExpr());
        }
        expectClosing(Tok::RBracket, "']' to close the index", open);
        idx->range = from(idx->range);
        e = idx;
      } else if (at(Tok::Dot)) {
        advance();
        SourceRange fr;
        // (after '.' only a field name can come: a reserved word there is one, reported once per word)
        std::string f;
        if (isReserved(cur().kind)) {
          reservedAsName("a field name after '.'");
          f = takeName(&fr);
        } else {
          f = expectIdent("a field name after '.'", &fr);
        }
        Expr* fe = mk(ExprKind::Field, SourceRange::join(e->range, fr));
        fe->name = f;
        fe->args = {e};
        e = fe;
      } else if (at(Tok::LParen) && (e->kind == ExprKind::Field)) {
        Expr* c = mk(ExprKind::Call, e->range);
        c->callee = e;
        c->name = e->name;
        c->args = parseCallArgs(c->argNames);
        c->range = from(c->range);
        e = c;
      } else if (at(Tok::Prime)) {
        advance();
        Expr* p = mk(ExprKind::Prime, from(e->range));
        p->args = {e};
        e = p;
      } else {
        return e;
      }
    }
  }

  Expr* parsePrimary() {
    SourceRange start = curRange();
    const Token open = cur();
    switch (cur().kind) {
      case Tok::IntLit: {
        Expr* e = mk(ExprKind::IntLit, start);
        std::string_view t = cur().text;
        unsigned __int128 v = 0;
        bool hex = t.size() > 2 && (t[1] == 'x' || t[1] == 'X');
        if (hex && t.size() == 2) errorAt(start, "hexadecimal literal has no digits");
        for (size_t i = hex ? 2 : 0; i < t.size(); ++i) {
          char c = t[i];
          unsigned d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
          v = v * (hex ? 16 : 10) + d;
          if (v > UINT64_MAX) errorAt(start, "integer literal '" + std::string(t) + "' is too large (max 2^64-1)");
        }
        e->intValue = static_cast<uint64_t>(v);
        advance();
        return e;
      }
      case Tok::KwTrue:
      case Tok::KwFalse: {
        Expr* e = mk(ExprKind::BoolLit, start);
        e->boolValue = at(Tok::KwTrue);
        advance();
        return e;
      }
      case Tok::Ident: return parseNameOrCall(start);
      case Tok::LParen: {
        advance();
        Expr* e = parseExpr();
        expectClosing(Tok::RParen, "')' to close the parenthesis", open);
        // The range covers the parentheses: a term built around this one (`~(P)`,
        // `(a) + (b)`, `(s)[i]`) joins its operands' ranges, and its source text
        // must keep both of them.
        e->range = from(start);
        return e;
      }
      case Tok::LBracket: {
        advance();
        Expr* e = mk(ExprKind::SeqLit, start);
        if (!at(Tok::RBracket)) {
          do {
            e->args.push_back(parseExpr());
          } while (accept(Tok::Comma));
        }
        expectClosing(Tok::RBracket, "',' or ']' in the sequence literal", open);
        e->range = from(start);
        return e;
      }
      case Tok::LBrace: {
        advance();
        Expr* e = mk(ExprKind::SetLit, start);
        if (!at(Tok::RBrace)) {
          do {
            e->args.push_back(parseExpr());
          } while (accept(Tok::Comma));
        }
        expectClosing(Tok::RBrace, "',' or '}' in the set literal", open);
        e->range = from(start);
        return e;
      }
      case Tok::Forall:
      case Tok::Exists: {
        Expr* e = mk(ExprKind::Quant, start);
        e->boolValue = at(Tok::Forall);
        advance();
        e->binders = parseBinders();
        // `\A x: T (P)` binds the parenthesised body; without parentheses the
        // body extends as far to the right as possible.
        if (at(Tok::LParen)) {
          const Token body = cur();
          advance();
          e->args.push_back(parseExpr());
          expectClosing(Tok::RParen, "')' to close the quantifier body", body);
        } else {
          accept(Tok::Colon);
          e->args.push_back(parseExpr());
        }
        e->range = from(start);
        return e;
      }
      case Tok::KwIf:
        advance();
        return parseConditionalTerm(start);
      case Tok::KwChoose:
        errorAt(start, "'choose' is only allowed as the whole right-hand side of an assignment or initial value");
      default:
        // a reserved word the file declared as a name (reported there) reads as that name
        if (reservedNames_.count(cur().kind)) return parseNameOrCall(start);
        // `{0 -> 1}`: the form counterexamples print maps in, which a new user copied into a spec
        if (at(Tok::Gt) && pos_ > 0 && toks_[pos_ - 1].kind == Tok::Minus && prevRange().end == curRange().begin)
          errorAt(SourceRange::join(prevRange(), curRange()),
                  "'->' is not an operator of the IOA dialect: a map has no literal form; write "
                  "update(update({}, 0, 1), 2, 5) for the map that counterexamples show as {0 -> 1, 2 -> 5}");
        errorExpected("a term");
    }
  }

  Expr* parseNameOrCall(SourceRange start) {
    Expr* e = mk(ExprKind::Name, start);
    e->name = std::string(cur().text);
    advance();
    if (at(Tok::LParen)) {
      e->kind = ExprKind::Call;
      e->args = parseCallArgs(e->argNames);
      e->range = from(start);
    }
    return e;
  }

  uint32_t file_;
  AstArena& arena_;
  DiagnosticEngine& diags_;
  std::string_view text_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool inTerm_ = false;  // parsing a term (its subterms are not checked by checkTreeDepth again)
  std::set<Tok> reservedNames_;  // reserved words the file uses as names (reported once each)
};

}  // namespace

Module parseFile(uint32_t fileId, AstArena& arena, DiagnosticEngine& diags) {
  Parser p(fileId, arena, diags);
  return p.parseModule();
}

Expr* parseTerm(uint32_t fileId, AstArena& arena, DiagnosticEngine& diags) {
  Parser p(fileId, arena, diags);
  return p.parseStandaloneTerm();
}

}  // namespace ioa
