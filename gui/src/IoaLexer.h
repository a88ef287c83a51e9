// Syntax highlighting and folding of IOA specs in the editor. This is a
// display lexer only: it colours words and folds by indentation; what the
// text means comes from the engine's check (diagnostics, outline).
#pragma once

#include <QByteArray>
#include <QSet>
#include <QStringList>

#include <Qsci/qscilexercustom.h>

namespace ioa::gui {

class IoaLexer : public QsciLexerCustom {
  Q_OBJECT
 public:
  enum Style {
    Default = 0,
    Comment,
    Keyword,      // transition and term keywords: input, pre, eff, if, choose, ...
    Declaration,  // words that open a declaration or a section: automaton, states, transitions, ...
    Number,
    Operator,
    Sort,         // built-in sorts and the names of declared types, automata and stacks
    Builtin,      // built-in operations: head, tail, len, push, hdr, ...
    Constant,     // true, false
    Identifier,
    StyleCount
  };

  explicit IoaLexer(QObject* parent = nullptr);

  const char* language() const override;
  QString description(int style) const override;
  QColor defaultColor(int style) const override;
  QFont defaultFont(int style) const override;
  QColor defaultPaper(int style) const override;
  int braceStyle() const override;
  const char* wordCharacters() const override;
  void styleText(int start, int end) override;

  // Names the last check declared as types, automata, layers or stacks; they
  // are shown like built-in sorts. Re-colours the text when the set changes.
  void setDeclaredTypeNames(const QSet<QByteArray>& names);

  // Every reserved word and built-in name, for completion.
  static QStringList vocabulary();

  void setBaseFont(const QFont& f);

 private:
  int classifyWord(const QByteArray& word, bool firstOnLine) const;
  void updateFolding(int firstLine, int lastLine);

  QSet<QByteArray> declaredTypes_;
  QFont base_;
};

}  // namespace ioa::gui
