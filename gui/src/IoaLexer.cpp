#include "IoaLexer.h"

#include <QColor>
#include <QFont>
#include <QFontDatabase>

#include <Qsci/qsciscintilla.h>

namespace ioa::gui {

namespace {

// The reserved words of docs/dialect.md, split by the role they play on screen.
const char* const kDeclarationWords[] = {
    "automaton", "signature", "states", "transitions", "tasks", "components", "hidden", "renaming",
    "invariant", "forward", "simulation", "proof", "type", "const", "initially", "uses", "of", "to", "from"};
// Keywords only where a declaration or section starts (first word on a line).
const char* const kLeadingWords[] = {"sort",   "function", "axiom",    "layer",  "stack",
                                     "refinement", "header", "fastpath", "assumes"};
const char* const kKeywords[] = {"input", "output", "internal", "pre",   "eff",  "ensuring", "where", "if",
                                 "then",  "elseif", "else",     "fi",    "for",  "in",       "do",    "od",
                                 "choose", "fire",  "ignore",   "enumeration", "tuple", "union", "is",
                                 "div",   "mod",    "band",     "bor",   "bxor", "shl",      "shr"};
const char* const kSorts[] = {"Bool",   "Int",    "Nat",  "UInt8", "UInt16", "UInt32", "UInt64",
                              "Seq",    "Set",    "Mset", "Map",   "Array",  "Bytes",  "Msg"};
const char* const kBuiltins[] = {"head",   "tail",     "last",    "init",   "len",     "sub",     "insert",
                                 "delete", "size",     "update",  "defined", "constant", "push",   "pop",
                                 "hdr",    "hashdr",   "msg",     "payload", "checksum16", "min", "max",
                                 "Header"};
const char* const kConstants[] = {"true", "false"};

template <size_t N>
QSet<QByteArray> setOf(const char* const (&words)[N]) {
  QSet<QByteArray> s;
  for (const char* w : words) s.insert(QByteArray(w));
  return s;
}

struct Vocabulary {
  QSet<QByteArray> declaration = setOf(kDeclarationWords), leading = setOf(kLeadingWords),
                   keywords = setOf(kKeywords), sorts = setOf(kSorts), builtins = setOf(kBuiltins),
                   constants = setOf(kConstants);
};

const Vocabulary& vocab() {
  static const Vocabulary v;
  return v;
}

bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isBracket(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}';
}
bool isOperatorChar(char c) {
  switch (c) {
    case '~': case '=': case '<': case '>': case '+': case '-': case '*': case '|': case ':': case ';':
    case ',': case '.': case '\'': case '(': case ')': case '[': case ']': case '{': case '}': case '/':
    case '\\':
      return true;
    default:
      return false;
  }
}

}  // namespace

IoaLexer::IoaLexer(QObject* parent) : QsciLexerCustom(parent) {
  base_ = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  base_.setPointSize(10);
}

const char* IoaLexer::language() const { return "IOA"; }

QString IoaLexer::description(int style) const {
  switch (style) {
    case Default: return QStringLiteral("Default");
    case Comment: return QStringLiteral("Comment");
    case Keyword: return QStringLiteral("Keyword");
    case Declaration: return QStringLiteral("Declaration keyword");
    case Number: return QStringLiteral("Number");
    case Operator: return QStringLiteral("Operator");
    case Sort: return QStringLiteral("Sort or type name");
    case Builtin: return QStringLiteral("Built-in operation");
    case Constant: return QStringLiteral("Constant");
    case Identifier: return QStringLiteral("Identifier");
    default: return {};
  }
}

QColor IoaLexer::defaultColor(int style) const {
  switch (style) {
    case Comment: return QColor(0x6a, 0x73, 0x7d);
    case Keyword: return QColor(0x00, 0x33, 0xb3);
    case Declaration: return QColor(0x87, 0x10, 0x94);
    case Number: return QColor(0x17, 0x50, 0xeb);
    case Operator: return QColor(0x9c, 0x4a, 0x00);
    case Sort: return QColor(0x00, 0x6b, 0x7a);
    case Builtin: return QColor(0x6a, 0x3e, 0x9d);
    case Constant: return QColor(0x00, 0x33, 0xb3);
    default: return QColor(0x1f, 0x1f, 0x1f);
  }
}

QFont IoaLexer::defaultFont(int style) const {
  QFont f = base_;
  if (style == Declaration || style == Keyword) f.setBold(true);
  if (style == Comment) f.setItalic(true);
  return f;
}

QColor IoaLexer::defaultPaper(int) const { return QColor(Qt::white); }

void IoaLexer::setBaseFont(const QFont& f) {
  base_ = f;
  for (int s = 0; s < StyleCount; ++s) setFont(defaultFont(s), s);
}

int IoaLexer::braceStyle() const { return Operator; }

const char* IoaLexer::wordCharacters() const {
  return "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
}

QStringList IoaLexer::vocabulary() {
  QStringList words;
  for (const auto* list : {&vocab().declaration, &vocab().leading, &vocab().keywords, &vocab().sorts,
                           &vocab().builtins, &vocab().constants})
    for (const QByteArray& w : *list) words << QString::fromLatin1(w);
  words.sort();
  return words;
}

void IoaLexer::setDeclaredTypeNames(const QSet<QByteArray>& names) {
  if (names == declaredTypes_) return;
  declaredTypes_ = names;
  if (editor()) editor()->recolor();
}

int IoaLexer::classifyWord(const QByteArray& w, bool firstOnLine) const {
  const Vocabulary& v = vocab();
  if (v.declaration.contains(w)) return Declaration;
  if (firstOnLine && v.leading.contains(w)) return Declaration;
  if (v.keywords.contains(w)) return Keyword;
  if (v.constants.contains(w)) return Constant;
  if (v.sorts.contains(w) || declaredTypes_.contains(w)) return Sort;
  if (v.builtins.contains(w)) return Builtin;
  return Identifier;
}

void IoaLexer::styleText(int start, int end) {
  QsciScintilla* ed = editor();
  if (!ed || end <= start) return;
  // `start` is at a line start (QScintilla's contract); style whole lines.
  const int firstLine = static_cast<int>(ed->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, start));
  const int lastLine = static_cast<int>(ed->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION, end - 1));
  const QByteArray text = ed->bytes(start, end);
  // bytes() appends a terminating NUL; style exactly [start, end).
  const int n = std::min(static_cast<int>(text.size()), end - start);
  const char* s = text.constData();
  auto startsComment = [&](int k) { return s[k] == '%' || (s[k] == '/' && k + 1 < n && s[k + 1] == '/'); };
  auto startsNamedOperator = [&](int k) { return s[k] == '\\' && k + 1 < n && isIdentStart(s[k + 1]); };
  startStyling(start);
  int i = 0;
  bool lineStart = true;  // no token seen yet on this line
  while (i < n) {
    const char c = s[i];
    int len = 1, style = Default;
    if (c == '\n' || c == '\r') {
      lineStart = true;
    } else if (c == ' ' || c == '\t') {
      // whitespace keeps lineStart
    } else if (startsComment(i)) {
      while (i + len < n && s[i + len] != '\n' && s[i + len] != '\r') ++len;
      style = Comment;
      lineStart = false;
    } else if (isDigit(c)) {
      if (c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
        len = 2;
        while (i + len < n && isHexDigit(s[i + len])) ++len;
      } else {
        while (i + len < n && isDigit(s[i + len])) ++len;
      }
      style = Number;
      lineStart = false;
    } else if (isIdentStart(c)) {
      while (i + len < n && isIdentChar(s[i + len])) ++len;
      style = classifyWord(QByteArray(s + i, len), lineStart);
      lineStart = false;
    } else if (startsNamedOperator(i)) {
      // \A, \E, \in, \union, \intersect, \subseteq
      len = 2;
      while (i + len < n && isIdentChar(s[i + len])) ++len;
      style = Operator;
      lineStart = false;
    } else if (isOperatorChar(c)) {
      // Brackets stand alone (brace matching needs them single); other
      // operator characters run together: /\ \/ => |- := ...
      if (!isBracket(c))
        while (i + len < n && isOperatorChar(s[i + len]) && !isBracket(s[i + len]) && !startsComment(i + len) &&
               !startsNamedOperator(i + len))
          ++len;
      style = Operator;
      lineStart = false;
    } else {
      lineStart = false;
    }
    setStyling(len, style);
    i += len;
  }
  updateFolding(firstLine, lastLine);
}

// Folding follows indentation, the way IOA specs are laid out: a line folds
// the lines below it that are indented further. Blank and comment-only lines
// belong to the block of the next code line.
void IoaLexer::updateFolding(int firstLine, int lastLine) {
  QsciScintilla* ed = editor();
  const int lineCount = ed->lines();
  auto send = [ed](unsigned msg, unsigned long w = 0, long l = 0) { return ed->SendScintilla(msg, w, l); };
  auto isWhite = [&](int line) {
    const long pos = send(QsciScintillaBase::SCI_GETLINEINDENTPOSITION, line);
    const long endPos = send(QsciScintillaBase::SCI_GETLINEENDPOSITION, line);
    if (pos >= endPos) return true;
    const long ch = send(QsciScintillaBase::SCI_GETCHARAT, pos);
    if (ch == '%') return true;
    return ch == '/' && pos + 1 < endPos && send(QsciScintillaBase::SCI_GETCHARAT, pos + 1) == '/';
  };
  auto indentOf = [&](int line) { return static_cast<int>(send(QsciScintillaBase::SCI_GETLINEINDENTATION, line)); };
  // The indentation of the next code line at or after `line` (0 at the end).
  auto nextCodeIndent = [&](int line) {
    for (int l = line; l < lineCount; ++l)
      if (!isWhite(l)) return indentOf(l);
    return 0;
  };
  // An edit can change whether the code line above is a fold header: start there.
  int from = std::max(0, firstLine - 1);
  while (from > 0 && isWhite(from)) --from;
  for (int line = from; line <= lastLine && line < lineCount; ++line) {
    int level;
    if (isWhite(line)) {
      level = (QsciScintillaBase::SC_FOLDLEVELBASE + nextCodeIndent(line + 1)) | QsciScintillaBase::SC_FOLDLEVELWHITEFLAG;
    } else {
      const int indent = indentOf(line);
      level = QsciScintillaBase::SC_FOLDLEVELBASE + indent;
      if (nextCodeIndent(line + 1) > indent) level |= QsciScintillaBase::SC_FOLDLEVELHEADERFLAG;
    }
    if (send(QsciScintillaBase::SCI_GETFOLDLEVEL, line) != level)
      send(QsciScintillaBase::SCI_SETFOLDLEVEL, line, level);
  }
}

}  // namespace ioa::gui
