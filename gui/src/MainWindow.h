// The workbench window: specs in tabs in the middle, the outline on the left,
// proofs on the right, problems, counterexamples and code below. Each panel
// shows the current tab's document.
#pragma once

#include <QHash>
#include <QSet>
#include <QMainWindow>
#include <QMessageBox>
#include <QTimer>

#include "Recovery.h"
#include "Settings.h"

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QTreeView;

namespace ioa::gui {

class SpecDocument;
class OutlinePane;
class ProofsPanel;
class CounterexampleView;
class CodePanel;
class OptimizerPanel;

// Where the bundled samples live: $IOAWB_SAMPLES_DIR, the source tree this
// binary was built from, or ../samples beside the binary's folder.
QString samplesDirectory();

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // `restoreLayout` false: the default layout whatever the settings say
  // (screenshots and tests want a known window).
  explicit MainWindow(bool restoreLayout = true, QWidget* parent = nullptr);
  ~MainWindow() override;

  SpecDocument* newDocument();
  // Opens a file in a new tab, or shows its tab when it is already open.
  SpecDocument* openFile(const QString& path);
  SpecDocument* currentDocument() const;
  QList<SpecDocument*> documents() const;
  void setCurrentDocument(SpecDocument* d);

  bool save(SpecDocument* d);
  bool saveAs(SpecDocument* d);
  // Asks about unsaved changes first; false when the user cancelled.
  bool closeDocument(SpecDocument* d);

  // Offers documents left behind by a session that crashed.
  void offerRecovery();
  // Writes every modified document to the recovery folder now.
  void autosave();
  RecoveryStore& recovery() { return recovery_; }

  const WorkbenchSettings& settings() const { return settings_; }
  void applySettings(const WorkbenchSettings& s);

  // Proving the current document (results arrive in the proofs panel).
  void proveAll();
  void boundedSearch();
  void rerun(const QSet<QString>& ids);
  void cancelProofs();
  // Shows the counterexample (or why there is none) of an obligation.
  void showObligation(const QString& id);
  // The export dialog for the current document (saving it first if needed).
  void exportProject();

  QTreeView* problemsView() const { return problemsView_; }
  ProofsPanel* proofsPanel() const { return proofsPanel_; }
  CounterexampleView* counterexampleView() const { return cexView_; }
  CodePanel* codePanel() const { return codePanel_; }
  OptimizerPanel* optimizerPanel() const { return optimizerPanel_; }
  OutlinePane* outlinePane(SpecDocument* d) const;
  QTabWidget* tabs() const { return tabs_; }
  QDockWidget* dock(const QString& objectName) const;
  void showDock(const QString& objectName);

 signals:
  void currentDocumentChanged(SpecDocument* d);

 protected:
  void closeEvent(QCloseEvent* e) override;
  void showEvent(QShowEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;
  // How the user answers "save changes?"; tests override it.
  virtual QMessageBox::StandardButton askToSave(SpecDocument* d);
  // Whether to bring back documents a crashed session left; tests override it.
  virtual bool askToRecover(const QVector<RecoveryStore::Entry>& entries);

 private:
  void buildActions();
  void buildMenus();
  void buildDocks();
  QDockWidget* addPanel(const QString& objectName, const QString& title, QWidget* w, Qt::DockWidgetArea area);
  void defaultLayout();
  void sizeDocks();
  void updateTitle();
  void updateStatus();
  void currentTabChanged();
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void rebuildSamplesMenu();
  void openDialog();
  void showSettings();
  void findText();
  void goToLine();
  void jumpTo(SpecDocument* d, int line, int col, int endLine = 0, int endCol = 0);
  void startProofs(SpecDocument* d, unsigned bmcDepth, const QSet<QString>& only, bool useCache);
  void proofsFinished(SpecDocument* d, bool cancelled);
  void updateProofActions();
  SpecDocument* addDocument(SpecDocument* d);
  QString recoveryKey(SpecDocument* d) const;

  WorkbenchSettings settings_;
  RecoveryStore recovery_;
  QTimer autosaveTimer_;
  int untitledCounter_ = 0, keyCounter_ = 0;
  QHash<SpecDocument*, QString> keys_;
  QHash<SpecDocument*, OutlinePane*> outlines_;
  QSet<SpecDocument*> boundedRuns_;  // documents whose running proofs include a search for traces
  QString lastFind_;
  bool grewForCounterexample_ = false, restored_ = false, sized_ = false;

  QTabWidget* tabs_;
  QStackedWidget* outlineStack_;
  QWidget* outlineEmpty_;
  QTreeView* problemsView_;
  ProofsPanel* proofsPanel_;
  CounterexampleView* cexView_;
  CodePanel* codePanel_;
  OptimizerPanel* optimizerPanel_;
  QLabel *checkLabel_, *caretLabel_;
  QMenu *recentMenu_ = nullptr, *samplesMenu_ = nullptr, *viewMenu_ = nullptr;

 protected:
  QAction *newAct_, *openAct_, *saveAct_, *saveAsAct_, *closeAct_, *quitAct_, *checkAct_, *settingsAct_;
  QAction *undoAct_, *redoAct_, *cutAct_, *copyAct_, *pasteAct_, *findAct_, *findNextAct_, *gotoAct_, *completeAct_;
  QAction *zoomInAct_, *zoomOutAct_, *proveAct_, *bmcAct_, *cancelAct_, *exportAct_;
  QMenu *fileMenu_ = nullptr, *editMenu_ = nullptr, *verifyMenu_ = nullptr, *helpMenu_ = nullptr;
  QToolBar* toolbar_ = nullptr;
};

}  // namespace ioa::gui
