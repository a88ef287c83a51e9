// One open spec: its editor, its file, and the engine's view of its text.
// Typing restarts a short timer; when it fires the text is checked by the
// engine on a worker thread and the newest result is shown (diagnostics in the
// editor and the problems model, declarations in the outline model).
#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>

#include <memory>

#include "ioa/engine/Check.h"

namespace ioa::gui {

class SpecEditor;
class ProblemsModel;
class OutlineModel;
class ProofModel;
class ProofRunner;

class SpecDocument : public QWidget {
  Q_OBJECT
 public:
  explicit SpecDocument(int untitledNumber, QWidget* parent = nullptr);
  ~SpecDocument() override;

  bool load(const QString& path, QString* error);
  // Writes atomically (QSaveFile): the old file stays intact if anything fails.
  bool saveAs(const QString& path, QString* error);
  void setText(const QString& text);
  QString text() const;

  QString filePath() const { return path_; }
  bool isUntitled() const { return path_.isEmpty(); }
  QString displayName() const;  // file name, or "untitled-N.ioa"
  bool isModified() const;
  void setModified(bool m);
  // The name given to the engine: the path, or the untitled name.
  QString engineName() const;

  SpecEditor* editor() const { return editor_; }
  ProblemsModel* problems() const { return problems_; }
  OutlineModel* outline() const { return outline_; }
  // The document's obligations and the runner that proves them.
  ProofModel* proofModel() const { return proofModel_; }
  ProofRunner* proofs() const { return proofs_; }
  // Whether proof results exist that were proved on an older text.
  bool proofsStale() const;

  // Every text change increments the revision; a check result belongs to the
  // revision it was started for.
  quint64 revision() const { return revision_; }
  quint64 checkedRevision() const { return checkedRevision_; }
  bool checkIsCurrent() const { return checkedRevision_ == revision_ && lastCheck_; }
  std::shared_ptr<const engine::CheckResult> lastCheck() const { return lastCheck_; }
  double lastCheckMs() const { return lastCheckMs_; }
  // From the last keystroke to the diagnostics on screen, for the last check
  // that followed an edit (negative until then).
  double lastLatencyMs() const { return lastLatencyMs_; }

  void setCheckDelay(int ms);
  void checkNow();

  // Moves the caret to an engine position and selects the range there.
  void reveal(int line, int col, int endLine = 0, int endCol = 0);

 signals:
  void checked();                   // problems, outline and marks are up to date with lastCheck()
  void titleChanged();              // name or modification state
  void textEdited();                // after every change of the text

 private:
  void onTextChanged();
  void startCheck();
  void checkFinished();

  struct Outcome;
  SpecEditor* editor_;
  ProblemsModel* problems_;
  OutlineModel* outline_;
  ProofModel* proofModel_;
  ProofRunner* proofs_;
  QString path_;
  int untitled_;
  quint64 revision_ = 0, checkedRevision_ = 0;
  bool running_ = false;
  QTimer debounce_;
  QElapsedTimer sinceEdit_;
  bool editedSinceCheck_ = false;
  std::shared_ptr<const engine::CheckResult> lastCheck_;
  double lastCheckMs_ = 0, lastLatencyMs_ = -1;
  QFutureWatcher<std::shared_ptr<Outcome>> watcher_;
};

}  // namespace ioa::gui
