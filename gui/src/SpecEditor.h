// The spec editor: QScintilla with the IOA lexer, line numbers, folding,
// brace matching, completion, and the engine's diagnostics shown as margin
// markers, squiggly underlines and tooltips.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <Qsci/qsciscintilla.h>

class QsciAPIs;

namespace ioa::gui {

class IoaLexer;

// One diagnostic placed in the text. Lines and columns are 1-based and count
// bytes of the UTF-8 text, as the engine reports them.
struct EditorMark {
  QString severity;  // "error", "warning", "note"
  QString message;
  int line = 0, col = 0, endLine = 0, endCol = 0;
};

class SpecEditor : public QsciScintilla {
  Q_OBJECT
 public:
  explicit SpecEditor(QWidget* parent = nullptr);
  ~SpecEditor() override;

  void setMarks(const QVector<EditorMark>& marks);
  const QVector<EditorMark>& marks() const { return marks_; }
  // Lines (0-based) that carry a marker of the given severity.
  QVector<int> markedLines(const QString& severity) const;
  // Whether the squiggle of `severity` covers the byte at 1-based line/col.
  bool underlined(const QString& severity, int line, int col) const;

  // Selects a range given in engine coordinates and scrolls it into view. An
  // empty range (endLine 0) selects the rest of the word at line/col.
  void selectRange(int line, int col, int endLine = 0, int endCol = 0);
  // Byte offset of an engine (1-based, bytes) position.
  long bytePosition(int line, int col) const;

  // Names declared in the spec (from the engine's outline) offered by completion
  // next to the language's own words; `typeNames` are also coloured as sorts.
  void setDeclaredNames(const QStringList& names, const QStringList& typeNames);

  void setFontSize(int points);
  IoaLexer* ioaLexer() const { return lexer_; }
  QsciAPIs* completionApis() const { return apis_; }

 signals:
  // The message of the diagnostic under the caret (empty when none).
  void caretDiagnosticChanged(const QString& message);

 protected:
  void resizeEvent(QResizeEvent* e) override;

 private:
  void showLineWithContext(int line);
  void showDwellTip(int position, int x, int y);
  void caretMoved(int line, int index);
  const EditorMark* markAt(long position) const;
  void prepareWords();
  void preparationEnded();

  IoaLexer* lexer_;
  QsciAPIs* apis_;
  QVector<EditorMark> marks_;
  QStringList completionNames_;
  bool apisBuilt_ = false, preparing_ = false, wordsPending_ = false;
  QString caretMessage_;
};

}  // namespace ioa::gui
