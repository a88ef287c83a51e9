#include "SpecEditor.h"

#include <QFontDatabase>
#include <QResizeEvent>
#include <QTimer>
#include <QToolTip>

#include <Qsci/qsciapis.h>

#include "Icons.h"
#include "IoaLexer.h"

namespace ioa::gui {

namespace {

enum Margin { LineNumbers = 0, Symbols = 1, Folds = 2 };
enum Marker { ErrorMarker = 0, WarningMarker = 1, NoteMarker = 2 };
enum Indicator { ErrorIndicator = 8, WarningIndicator = 9, NoteIndicator = 10 };

int markerFor(const QString& severity) {
  if (severity == QLatin1String("error")) return ErrorMarker;
  if (severity == QLatin1String("warning")) return WarningMarker;
  return NoteMarker;
}
int indicatorFor(const QString& severity) {
  if (severity == QLatin1String("error")) return ErrorIndicator;
  if (severity == QLatin1String("warning")) return WarningIndicator;
  return NoteIndicator;
}

}  // namespace

SpecEditor::SpecEditor(QWidget* parent) : QsciScintilla(parent), lexer_(new IoaLexer(this)) {
  setUtf8(true);
  setLexer(lexer_);
  apis_ = new QsciAPIs(lexer_);
  connect(apis_, &QsciAPIs::apiPreparationFinished, this, &SpecEditor::preparationEnded);
  connect(apis_, &QsciAPIs::apiPreparationCancelled, this, &SpecEditor::preparationEnded);

  setMarginType(LineNumbers, NumberMargin);
  setMarginLineNumbers(LineNumbers, true);
  setMarginWidth(LineNumbers, QStringLiteral("00000"));
  setMarginType(Symbols, SymbolMargin);
  setMarginWidth(Symbols, 18);
  setMarginMarkerMask(Symbols, (1 << ErrorMarker) | (1 << WarningMarker) | (1 << NoteMarker));
  setMarginsBackgroundColor(QColor(0xf3, 0xf4, 0xf6));
  setMarginsForegroundColor(QColor(0x80, 0x86, 0x8b));
  setFolding(BoxedFoldStyle, Folds);
  setFoldMarginColors(QColor(0xf3, 0xf4, 0xf6), QColor(0xf3, 0xf4, 0xf6));

  for (const auto& [marker, severity] : {std::pair{ErrorMarker, "error"}, {WarningMarker, "warning"},
                                         {NoteMarker, "note"}})
    markerDefine(severityIcon(QLatin1String(severity)).pixmap(14, 14), marker);

  indicatorDefine(SquiggleLowIndicator, ErrorIndicator);
  setIndicatorForegroundColor(QColor(0xd9, 0x30, 0x25), ErrorIndicator);
  indicatorDefine(SquiggleLowIndicator, WarningIndicator);
  setIndicatorForegroundColor(QColor(0xe0, 0x98, 0x00), WarningIndicator);
  indicatorDefine(DotsIndicator, NoteIndicator);
  setIndicatorForegroundColor(QColor(0x1a, 0x73, 0xe8), NoteIndicator);
  for (int ind : {ErrorIndicator, WarningIndicator, NoteIndicator}) setIndicatorDrawUnder(false, ind);

  setBraceMatching(SloppyBraceMatch);
  setMatchedBraceBackgroundColor(QColor(0xc8, 0xe6, 0xc9));
  setUnmatchedBraceForegroundColor(QColor(0xd9, 0x30, 0x25));
  setCaretLineVisible(true);
  setCaretLineBackgroundColor(QColor(0xf5, 0xf8, 0xff));
  setIndentationsUseTabs(false);
  setTabWidth(2);
  setIndentationWidth(2);
  setAutoIndent(true);
  setIndentationGuides(true);
  setIndentationGuidesForegroundColor(QColor(0xdd, 0xe1, 0xe6));
  setEdgeMode(EdgeNone);
  setWrapMode(WrapNone);
  setScrollWidthTracking(true);
  setScrollWidth(400);

  setAutoCompletionSource(AcsAll);
  setAutoCompletionThreshold(2);
  setAutoCompletionCaseSensitivity(true);
  setAutoCompletionReplaceWord(false);
  setAutoCompletionUseSingle(AcusNever);
  setDeclaredNames({}, {});

  SendScintilla(SCI_SETMOUSEDWELLTIME, 400);
  connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &SpecEditor::showDwellTip);
  connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
  connect(this, &QsciScintilla::cursorPositionChanged, this, &SpecEditor::caretMoved);

  setFontSize(10);
}

SpecEditor::~SpecEditor() {
  // The word-list worker calls into the lexer; stop it while the lexer is
  // still whole (QsciAPIs, a child of the lexer, would wait for it only after
  // the lexer's own destructor has run).
  apis_->cancelPreparation();
}

void SpecEditor::setFontSize(int points) {
  QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  f.setPointSize(points);
  lexer_->setBaseFont(f);
  setMarginsFont(f);
  setMarginWidth(LineNumbers, QStringLiteral("00000"));
}

void SpecEditor::setDeclaredNames(const QStringList& names, const QStringList& typeNames) {
  QSet<QByteArray> types;
  for (const QString& t : typeNames) types.insert(t.toUtf8());
  lexer_->setDeclaredTypeNames(types);
  if (apisBuilt_ && names == completionNames_) return;
  apisBuilt_ = true;
  completionNames_ = names;
  // QsciAPIs ignores prepare() while its worker runs, and cancelling races with
  // the worker's "finished" event: wait for the running preparation instead.
  if (preparing_) {
    wordsPending_ = true;
    return;
  }
  prepareWords();
}

void SpecEditor::prepareWords() {
  apis_->clear();
  for (const QString& w : IoaLexer::vocabulary()) apis_->add(w);
  for (const QString& n : completionNames_) apis_->add(n);
  preparing_ = true;
  apis_->prepare();
}

void SpecEditor::preparationEnded() {
  preparing_ = false;
  if (wordsPending_) {
    wordsPending_ = false;
    prepareWords();
  }
}

long SpecEditor::bytePosition(int line, int col) const {
  if (line < 1) return 0;
  auto* self = const_cast<SpecEditor*>(this);
  const long lineStart = self->SendScintilla(SCI_POSITIONFROMLINE, static_cast<unsigned long>(line - 1));
  if (lineStart < 0) return self->SendScintilla(SCI_GETLENGTH);
  const long lineEnd = self->SendScintilla(SCI_GETLINEENDPOSITION, static_cast<unsigned long>(line - 1));
  return std::min(lineStart + std::max(0, col - 1), lineEnd);
}

void SpecEditor::setMarks(const QVector<EditorMark>& marks) {
  marks_ = marks;
  markerDeleteAll(ErrorMarker);
  markerDeleteAll(WarningMarker);
  markerDeleteAll(NoteMarker);
  const long length = SendScintilla(SCI_GETLENGTH);
  for (int ind : {ErrorIndicator, WarningIndicator, NoteIndicator}) {
    SendScintilla(SCI_SETINDICATORCURRENT, ind);
    SendScintilla(SCI_INDICATORCLEARRANGE, 0, length);
  }
  for (const EditorMark& m : marks_) {
    if (m.line < 1) continue;
    markerAdd(m.line - 1, markerFor(m.severity));
    long from = bytePosition(m.line, m.col);
    long to = m.endLine > 0 ? bytePosition(m.endLine, m.endCol) : from;
    if (to <= from) {
      // A point diagnostic: underline the word (or character) it points at.
      to = SendScintilla(SCI_WORDENDPOSITION, static_cast<unsigned long>(from), 1L);
      if (to <= from) to = std::min(from + 1, length);
    }
    SendScintilla(SCI_SETINDICATORCURRENT, indicatorFor(m.severity));
    SendScintilla(SCI_INDICATORFILLRANGE, static_cast<unsigned long>(from), to - from);
  }
  int line = 0, index = 0;
  getCursorPosition(&line, &index);
  caretMoved(line, index);
}

QVector<int> SpecEditor::markedLines(const QString& severity) const {
  QVector<int> lines;
  auto* self = const_cast<SpecEditor*>(this);
  const int mask = 1 << markerFor(severity);
  for (int line = self->markerFindNext(0, mask); line >= 0; line = self->markerFindNext(line + 1, mask))
    lines << line;
  return lines;
}

bool SpecEditor::underlined(const QString& severity, int line, int col) const {
  auto* self = const_cast<SpecEditor*>(this);
  const long pos = bytePosition(line, col);
  return self->SendScintilla(SCI_INDICATORVALUEAT, indicatorFor(severity), pos) != 0;
}

const EditorMark* SpecEditor::markAt(long position) const {
  const EditorMark* best = nullptr;
  for (const EditorMark& m : marks_) {
    if (m.line < 1) continue;
    const long from = bytePosition(m.line, m.col);
    long to = m.endLine > 0 ? bytePosition(m.endLine, m.endCol) : from;
    if (to <= from) to = from + 1;
    auto* self = const_cast<SpecEditor*>(this);
    if (to == from + 1) to = std::max(to, static_cast<long>(self->SendScintilla(SCI_WORDENDPOSITION, from, 1L)));
    if (position >= from && position < to && (!best || markerFor(m.severity) < markerFor(best->severity))) best = &m;
  }
  return best;
}

void SpecEditor::showDwellTip(int position, int x, int y) {
  if (position < 0) return;
  if (const EditorMark* m = markAt(position))
    QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y)),
                       QStringLiteral("<b>%1</b>: %2").arg(m->severity, m->message.toHtmlEscaped()), viewport());
}

void SpecEditor::caretMoved(int line, int) {
  QString message;
  for (const EditorMark& m : marks_)
    if (m.line - 1 == line && (message.isEmpty() || m.severity == QLatin1String("error"))) {
      message = m.message;
      if (m.severity == QLatin1String("error")) break;
    }
  if (message != caretMessage_) {
    caretMessage_ = message;
    emit caretDiagnosticChanged(message);
  }
}

void SpecEditor::selectRange(int line, int col, int endLine, int endCol) {
  const long from = bytePosition(line, std::max(col, 1));
  long to = endLine > 0 ? bytePosition(endLine, endCol) : from;
  if (to <= from) to = SendScintilla(SCI_WORDENDPOSITION, static_cast<unsigned long>(from), 1L);
  const int firstLine = std::max(0, line - 1);
  ensureLineVisible(firstLine);
  showLineWithContext(firstLine);
  SendScintilla(SCI_SETSEL, static_cast<unsigned long>(to), from);
}

// Keep some context above a line brought into view instead of pinning it to the top edge.
void SpecEditor::showLineWithContext(int line) {
  const int visible = static_cast<int>(SendScintilla(SCI_LINESONSCREEN));
  const int top = static_cast<int>(SendScintilla(SCI_GETFIRSTVISIBLELINE));
  if (line < top || line >= top + visible - 2) setFirstVisibleLine(std::max(0, line - visible / 4));
}

// The caret stays in view when the editor gets shorter. Showing a counterexample grows the
// bottom panel after the failing transition was selected, and the selection, placed for the
// taller editor, ended below the new bottom edge (seen in a screenshot of the trace view).
void SpecEditor::resizeEvent(QResizeEvent* e) {
  const int caret = static_cast<int>(SendScintilla(SCI_LINEFROMPOSITION, SendScintilla(SCI_GETCURRENTPOS)));
  const int top = static_cast<int>(SendScintilla(SCI_GETFIRSTVISIBLELINE));
  // (the lines shown before: the viewport may already have its new height here)
  const int lineHeight = std::max(1, static_cast<int>(SendScintilla(SCI_TEXTHEIGHT, 0)));
  const bool wasVisible = e->oldSize().isValid() && caret >= top && caret < top + e->oldSize().height() / lineHeight;
  QsciScintilla::resizeEvent(e);
  if (!wasVisible) return;
  // (the viewport learns its new height after this event: look once the resize is through)
  QTimer::singleShot(0, this, [this, caret] {
    const int first = static_cast<int>(SendScintilla(SCI_GETFIRSTVISIBLELINE));
    if (caret < first || caret >= first + static_cast<int>(SendScintilla(SCI_LINESONSCREEN))) showLineWithContext(caret);
  });
}

}  // namespace ioa::gui
