// Generated code: the C++ the engine generates for each layer, automaton and
// stack of the current spec (read-only, highlighted), the export dialog that
// writes a standalone project, and the optimizer view.
#pragma once

#include <QDialog>
#include <QFutureWatcher>
#include <QPointer>
#include <QWidget>

#include <memory>

#include "ioa/engine/Generate.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
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

 Q_SIGNALS:
  void finished(bool ok);

 private:
  struct Outcome {
    bool ok = false;
    QString message;
    QStringList files;
  };
  void done();

  QString specPath_;
  QComboBox* stack_;
  QLineEdit* folder_;
  QLabel* result_;
  QPushButton *exportButton_, *openFolder_;
  QFutureWatcher<Outcome> watcher_;
  bool ok_ = false, busy_ = false;
  QString message_;
  QStringList written_;
};

// Collapsed code beside the layered code with an equivalence result per path,
// when the engine offers the optimizer; otherwise it says so.
class OptimizerPanel : public QWidget {
  Q_OBJECT
 public:
  explicit OptimizerPanel(QWidget* parent = nullptr);
  static bool available();
};

}  // namespace ioa::gui
