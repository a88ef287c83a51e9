// Generated code: the C++ the engine generates for each layer, automaton and
// stack of the current spec (read-only, highlighted), the export dialog that
// writes a standalone project, and the optimizer view.
#pragma once

#include <QDialog>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <atomic>
#include <memory>

#include "ioa/engine/Generate.h"
#include "ioa/engine/Optimize.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTextBrowser;
class QTreeView;
class QsciScintilla;

namespace ioa::gui {

class SpecDocument;

// A read-only C++ view.
QsciScintilla* makeCppView(QWidget* parent);

class CodePanel : public QWidget {
  Q_OBJECT
 public:
  explicit CodePanel(QWidget* parent = nullptr);
  ~CodePanel() override;

  // Follows this document: regenerates after each clean check while shown.
  void setDocument(SpecDocument* d);
  // Generates now (in a worker); `generated()` follows.
  void regenerate();
  // True from regenerate() until its result is shown.
  bool isBusy() const { return busy_; }

  QStandardItemModel* units() const { return units_; }
  QTreeView* unitView() const { return unitView_; }
  QsciScintilla* codeView() const { return code_; }
  // Shows a generated file by its relative path; false when there is none.
  bool showFile(const QString& path);
  QString shownFile() const { return shown_; }
  QString statusText() const;
  // The last generation (null before the first).
  std::shared_ptr<const engine::GenerateResult> result() const { return result_; }

 Q_SIGNALS:
  void generated(bool ok);
  void exportRequested();

 protected:
  void showEvent(QShowEvent* e) override;

 private:
  void finished();
  void fill();
  bool wanted() const;

  QPointer<SpecDocument> doc_, runningDoc_;
  QMetaObject::Connection checkedConnection_;
  quint64 generatedRevision_ = 0;
  bool pending_ = false;
  std::shared_ptr<const engine::GenerateResult> result_;
  QFutureWatcher<std::shared_ptr<const engine::GenerateResult>> watcher_;
  quint64 runningRevision_ = 0;
  bool busy_ = false;
  QString shown_;
  QStandardItemModel* units_;
  QTreeView* unitView_;
  QsciScintilla* code_;
  QLabel* status_;
  QPushButton *refresh_, *export_;
};

// Writes the standalone CMake project of one stack into a folder and says where.
class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  // `specPath`: the saved spec the project is made from; `stacks`: its stacks.
  ExportDialog(const QString& specPath, const QStringList& stacks, QWidget* parent = nullptr);

  QComboBox* stackBox() const { return stack_; }
  QLineEdit* folderEdit() const { return folder_; }
  // Runs the export (in a worker); finished() follows.
  void startExport();
  // True from startExport() until finished().
  bool isBusy() const { return busy_; }
  bool succeeded() const { return ok_; }
  QString message() const { return message_; }
  QStringList writtenFiles() const { return written_; }
  // Files in the folder edited since ioawb wrote them (or not written by it) that stopped the last
  // export; the Export button then reads "Overwrite" and a second export overwrites them.
  QStringList keptFiles() const { return kept_; }

 Q_SIGNALS:
  void finished(bool ok);

 private:
  struct Outcome {
    bool ok = false;
    QString message;
    QStringList files;
    QStringList kept;
  };
  void done();

  QString specPath_;
  QComboBox* stack_;
  QLineEdit* folder_;
  QLabel* result_;
  QPushButton *exportButton_ = nullptr, *openFolder_ = nullptr;
  QFutureWatcher<Outcome> watcher_;
  bool ok_ = false, busy_ = false;
  QString message_;
  QStringList written_, kept_;
};

// The optimizer view: collapses a stack of the current spec into bypass code
// (engine::optimizeText, in a worker) and shows the equivalence result of each
// path beside the stack's code before and after. In builds without the
// optimizer (-DIOAWB_BUILD_OPTIMIZER=OFF) it says so and offers nothing else.
class OptimizerPanel : public QWidget {
  Q_OBJECT
 public:
  // Columns of the obligation table.
  enum Column { PathColumn, StatusColumn, TimeColumn, DescriptionColumn, MessageColumn, ColumnCount };

  explicit OptimizerPanel(QWidget* parent = nullptr);
  // Never waits for a run in progress: it is cancelled and its result dropped.
  ~OptimizerPanel() override;
  // Whether the engine offers the optimizer (decided by the build).
  static bool available();

  // Follows this document: its stacks in the chooser, the last run made on it.
  void setDocument(SpecDocument* d);
  // Per-obligation proof timeout of runs started from the panel (the prover's setting).
  void setTimeoutMs(unsigned ms);
  unsigned timeoutMs() const { return timeoutMs_; }

  // Optimizes `stack` of the current document and proves its bypasses in a
  // worker; finished() follows. Refused (false, nothing started) while a run
  // is in progress, without a document or stack, or without the optimizer.
  bool run(const QString& stack, unsigned timeoutMs);
  // The chosen stack with the configured timeout (the button).
  bool run();
  bool isRunning() const { return running_; }
  // Stops the run in progress (the Cancel button): its proofs stop at once and are shown as
  // cancelled when finished() follows; the transform in progress runs to its end.
  void cancel();

  QComboBox* stackBox() const { return stack_; }
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }
  QTreeView* obligationView() const { return table_; }
  QStandardItemModel* obligations() const { return model_; }
  QsciScintilla* layeredView() const { return layered_; }
  QsciScintilla* collapsedView() const { return collapsed_; }

  // The run shown (null before the first run on this document).
  std::shared_ptr<const engine::OptimizeResult> result() const;
  // The stack of the run shown.
  QString resultStack() const;
  // Status of the obligation of one path ("dn", "up"): proved / refuted /
  // unknown / cancelled / error / not run; empty when the run shown has no such path.
  QString obligationStatus(const QString& path) const;
  QString layeredText() const;
  QString collapsedText() const;
  QString statusText() const;
  // Why the run shown produced no result (spec errors, transform failures), as
  // plain text, one reason a line; empty otherwise.
  QString errorText() const;
  // The details of the selected obligation as shown below the table.
  QString detailText() const;
  // Selects an obligation: its details, and its bypass in the collapsed view.
  void selectObligation(int row);

 Q_SIGNALS:
  // A run ended and its result is shown; `ok` when the optimizer produced code.
  void finished(bool ok);

 private:
  struct Outcome {
    std::shared_ptr<const engine::OptimizeResult> result;
    QString stack;
    quint64 revision = 0;
    double wallMs = 0;
  };
  void done();
  void refreshStacks();
  void display(const Outcome& o);  // o.result null: nothing
  void updateState();
  void updateBusy();

  QPointer<SpecDocument> doc_, runningDoc_;
  QMetaObject::Connection checkedConnection_;
  QHash<const SpecDocument*, Outcome> outcomes_;  // the last run on each open document
  Outcome shown_;
  QFutureWatcher<std::shared_ptr<const engine::OptimizeResult>> watcher_;
  QString runningStack_, errorText_;
  quint64 runningRevision_ = 0;
  unsigned timeoutMs_ = 10000;
  bool running_ = false;
  std::shared_ptr<std::atomic<bool>> cancelRun_;  // the run in progress's (its worker holds it too)
  QElapsedTimer clock_;
  QTimer ticker_;

  QComboBox* stack_;
  QPushButton *run_, *cancel_;
  QProgressBar* busy_;
  QLabel *status_, *error_, *layeredTitle_, *collapsedTitle_;
  QStandardItemModel* model_;
  QTreeView* table_;
  QTextBrowser* detail_;
  QsciScintilla *layered_, *collapsed_;
};

}  // namespace ioa::gui
