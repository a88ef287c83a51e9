#include "MainWindow.h"

#include <functional>

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDirIterator>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>

#include "CheckModels.h"
#include "CodePanel.h"
#include "CounterexampleView.h"
#include "Icons.h"
#include "OutlinePane.h"
#include "ProofModel.h"
#include "ProofRunner.h"
#include "ProofsPanel.h"
#include "SpecDocument.h"
#include "SpecEditor.h"

namespace ioa::gui {

QString samplesDirectory() {
  const QString env = qEnvironmentVariable("IOAWB_SAMPLES_DIR");
  if (!env.isEmpty() && QFileInfo(env).isDir()) return env;
#ifdef IOAWB_SOURCE_SAMPLES_DIR
  if (QFileInfo(QStringLiteral(IOAWB_SOURCE_SAMPLES_DIR)).isDir()) return QStringLiteral(IOAWB_SOURCE_SAMPLES_DIR);
#endif
  const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/../../samples");
  if (QFileInfo(beside).isDir()) return QFileInfo(beside).canonicalFilePath();
  return {};
}

namespace {
const int kMaxRecent = 10;

// A tree that says something when it has no rows.
class PlaceholderTree : public QTreeView {
 public:
  std::function<QString()> placeholder;

 protected:
  void paintEvent(QPaintEvent* e) override {
    QTreeView::paintEvent(e);
    if (!model() || model()->rowCount() > 0 || !placeholder) return;
    QPainter p(viewport());
    p.setPen(QColor(0x5f, 0x63, 0x68));
    p.drawText(viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
               placeholder());
  }
};
const char* const kNewSpec =
    "% A new IOA spec. Declare types, automata, invariants, simulations and stacks;\n"
    "% the outline on the left lists them and problems appear as you type.\n\n";
}  // namespace

MainWindow::MainWindow(bool restoreLayout, QWidget* parent) : QMainWindow(parent) {
  setWindowIcon(applicationIcon());
  setAcceptDrops(true);
  setDockNestingEnabled(true);
  settings_ = WorkbenchSettings::load();

  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  tabs_->setTabsClosable(true);
  tabs_->setMovable(true);
  tabs_->setElideMode(Qt::ElideMiddle);
  setCentralWidget(tabs_);
  connect(tabs_, &QTabWidget::currentChanged, this, &MainWindow::currentTabChanged);
  connect(tabs_, &QTabWidget::tabCloseRequested, this,
          [this](int i) { closeDocument(qobject_cast<SpecDocument*>(tabs_->widget(i))); });

  buildActions();
  buildDocks();
  buildMenus();

  checkLabel_ = new QLabel(this);
  caretLabel_ = new QLabel(this);
  caretLabel_->setMinimumWidth(110);
  statusBar()->addPermanentWidget(checkLabel_);
  statusBar()->addPermanentWidget(caretLabel_);

  defaultLayout();
  if (restoreLayout) {
    QSettings q;
    restored_ = restoreGeometry(q.value(QStringLiteral("window/geometry")).toByteArray()) &&
                restoreState(q.value(QStringLiteral("window/state")).toByteArray());
  }

  recovery_.begin();
  autosaveTimer_.setInterval(5000);
  connect(&autosaveTimer_, &QTimer::timeout, this, &MainWindow::autosave);
  autosaveTimer_.start();
  updateTitle();
  updateStatus();
}

MainWindow::~MainWindow() = default;

// ---------------------------------------------------------------- construction

void MainWindow::buildActions() {
  auto make = [this](const QString& text, const QString& icon, QKeySequence key, auto slot) {
    auto* a = new QAction(text, this);
    if (!icon.isEmpty()) a->setIcon(commandIcon(icon));
    if (!key.isEmpty()) a->setShortcut(key);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  newAct_ = make(tr("&New"), QStringLiteral("new"), QKeySequence::New, [this] { newDocument(); });
  openAct_ = make(tr("&Open…"), QStringLiteral("open"), QKeySequence::Open, [this] { openDialog(); });
  saveAct_ = make(tr("&Save"), QStringLiteral("save"), QKeySequence::Save, [this] {
    if (auto* d = currentDocument()) save(d);
  });
  saveAsAct_ = make(tr("Save &As…"), {}, QKeySequence::SaveAs, [this] {
    if (auto* d = currentDocument()) saveAs(d);
  });
  closeAct_ = make(tr("&Close"), {}, QKeySequence::Close, [this] {
    if (auto* d = currentDocument()) closeDocument(d);
  });
  quitAct_ = make(tr("&Quit"), {}, QKeySequence::Quit, [this] { close(); });
  checkAct_ = make(tr("&Check"), QStringLiteral("check"), QKeySequence(Qt::Key_F7), [this] {
    if (auto* d = currentDocument()) d->checkNow();
  });
  checkAct_->setToolTip(tr("Parse and sort-check the spec now (it is also checked whenever typing pauses)"));
  settingsAct_ = make(tr("&Settings…"), QStringLiteral("settings"), QKeySequence::Preferences,
                      [this] { showSettings(); });
  auto editorCall = [this](void (QsciScintilla::*fn)()) {
    return [this, fn] {
      if (auto* d = currentDocument()) (d->editor()->*fn)();
    };
  };
  undoAct_ = make(tr("&Undo"), {}, QKeySequence::Undo, editorCall(&QsciScintilla::undo));
  redoAct_ = make(tr("&Redo"), {}, QKeySequence::Redo, editorCall(&QsciScintilla::redo));
  cutAct_ = make(tr("Cu&t"), {}, QKeySequence::Cut, editorCall(&QsciScintilla::cut));
  copyAct_ = make(tr("&Copy"), {}, QKeySequence::Copy, editorCall(&QsciScintilla::copy));
  pasteAct_ = make(tr("&Paste"), {}, QKeySequence::Paste, editorCall(&QsciScintilla::paste));
  // The editor handles these keys itself while it has focus; the menu entries are for the mouse.
  for (QAction* a : {undoAct_, redoAct_, cutAct_, copyAct_, pasteAct_}) a->setShortcutContext(Qt::WidgetShortcut);
  findAct_ = make(tr("&Find…"), {}, QKeySequence::Find, [this] { findText(); });
  findNextAct_ = make(tr("Find &Next"), {}, QKeySequence::FindNext, [this] {
    if (auto* d = currentDocument(); d && !lastFind_.isEmpty()) d->editor()->findNext();
  });
  gotoAct_ = make(tr("&Go to Line…"), {}, QKeySequence(Qt::CTRL | Qt::Key_L), [this] { goToLine(); });
  completeAct_ = make(tr("Co&mplete Word"), {}, QKeySequence(Qt::CTRL | Qt::Key_Space),
                      editorCall(&QsciScintilla::autoCompleteFromAll));
  zoomInAct_ = make(tr("Zoom &In"), {}, QKeySequence::ZoomIn, editorCall(&QsciScintilla::zoomIn));
  zoomOutAct_ = make(tr("Zoom &Out"), {}, QKeySequence::ZoomOut, editorCall(&QsciScintilla::zoomOut));
  proveAct_ = make(tr("&Prove All"), QStringLiteral("prove"), QKeySequence(Qt::Key_F5), [this] { proveAll(); });
  proveAct_->setToolTip(tr("Prove every invariant, well-definedness condition and simulation of the spec (F5)"));
  bmcAct_ = make(tr("Search for &Traces"), QStringLiteral("bmc"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
                 [this] { boundedSearch(); });
  bmcAct_->setToolTip(tr("Bounded model checking: look for a run from a start state that breaks an invariant or "
                         "the simulation"));
  cancelAct_ = make(tr("&Cancel Proofs"), QStringLiteral("stop"), QKeySequence(Qt::Key_Escape | Qt::SHIFT),
                    [this] { cancelProofs(); });
  exportAct_ = make(tr("&Export Project…"), QStringLiteral("export"), QKeySequence(Qt::CTRL | Qt::Key_E),
                    [this] { exportProject(); });
  exportAct_->setToolTip(tr("Write a standalone CMake project for a stack of this spec"));
}

void MainWindow::buildMenus() {
  fileMenu_ = menuBar()->addMenu(tr("&File"));
  fileMenu_->addAction(newAct_);
  fileMenu_->addAction(openAct_);
  samplesMenu_ = fileMenu_->addMenu(tr("Open &Sample"));
  recentMenu_ = fileMenu_->addMenu(tr("Open &Recent"));
  fileMenu_->addSeparator();
  fileMenu_->addAction(saveAct_);
  fileMenu_->addAction(saveAsAct_);
  fileMenu_->addAction(closeAct_);
  fileMenu_->addSeparator();
  fileMenu_->addAction(exportAct_);
  fileMenu_->addSeparator();
  fileMenu_->addAction(settingsAct_);
  fileMenu_->addSeparator();
  fileMenu_->addAction(quitAct_);
  rebuildSamplesMenu();
  rebuildRecentMenu();

  editMenu_ = menuBar()->addMenu(tr("&Edit"));
  for (QAction* a : {undoAct_, redoAct_}) editMenu_->addAction(a);
  editMenu_->addSeparator();
  for (QAction* a : {cutAct_, copyAct_, pasteAct_}) editMenu_->addAction(a);
  editMenu_->addSeparator();
  for (QAction* a : {findAct_, findNextAct_, gotoAct_}) editMenu_->addAction(a);
  editMenu_->addSeparator();
  editMenu_->addAction(completeAct_);

  viewMenu_ = menuBar()->addMenu(tr("&View"));
  viewMenu_->addAction(zoomInAct_);
  viewMenu_->addAction(zoomOutAct_);
  viewMenu_->addSeparator();
  for (QDockWidget* d : findChildren<QDockWidget*>()) viewMenu_->addAction(d->toggleViewAction());
  viewMenu_->addSeparator();
  viewMenu_->addAction(tr("&Reset Layout"), this, [this] {
    for (QDockWidget* d : findChildren<QDockWidget*>()) {
      d->setFloating(false);
      addDockWidget(d->objectName() == QLatin1String("outlineDock")  ? Qt::LeftDockWidgetArea
                    : d->objectName() == QLatin1String("proofsDock") ? Qt::RightDockWidgetArea
                                                                     : Qt::BottomDockWidgetArea,
                    d);
    }
    const QSize keep = size();
    defaultLayout();
    resize(keep);
    sizeDocks();
  });

  verifyMenu_ = menuBar()->addMenu(tr("&Verify"));
  verifyMenu_->addAction(checkAct_);
  verifyMenu_->addSeparator();
  verifyMenu_->addAction(proveAct_);
  verifyMenu_->addAction(bmcAct_);
  verifyMenu_->addAction(cancelAct_);

  helpMenu_ = menuBar()->addMenu(tr("&Help"));
  const QString docs = QFileInfo(samplesDirectory() + QStringLiteral("/../docs")).absoluteFilePath();
  auto openDoc = [docs](const QString& name) {
    return [docs, name] { QDesktopServices::openUrl(QUrl::fromLocalFile(docs + QLatin1Char('/') + name)); };
  };
  helpMenu_->addAction(tr("&User Guide"), this, openDoc(QStringLiteral("user-guide.md")));
  helpMenu_->addAction(tr("IOA &Dialect Reference"), this, openDoc(QStringLiteral("dialect.md")));
  helpMenu_->addSeparator();
  helpMenu_->addAction(tr("&About IOA Workbench"), this, [this] {
    QMessageBox::about(this, tr("About IOA Workbench"),
                       tr("<h3>IOA Workbench %1</h3><p>Specify protocols as I/O automata, prove with Z3 that the "
                          "concrete spec refines the abstract one, generate C++ micro-protocol layers and collapse "
                          "them into verified bypass code.</p>")
                           .arg(QCoreApplication::applicationVersion()));
  });

  toolbar_ = addToolBar(tr("Main"));
  toolbar_->setObjectName(QStringLiteral("mainToolbar"));
  toolbar_->setMovable(false);
  toolbar_->setIconSize(QSize(18, 18));
  toolbar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolbar_->addAction(newAct_);
  toolbar_->addAction(openAct_);
  toolbar_->addAction(saveAct_);
  toolbar_->addSeparator();
  toolbar_->addAction(checkAct_);
  toolbar_->addAction(proveAct_);
  toolbar_->addAction(cancelAct_);
  toolbar_->addSeparator();
  toolbar_->addAction(exportAct_);
}

QDockWidget* MainWindow::addPanel(const QString& objectName, const QString& title, QWidget* w,
                                  Qt::DockWidgetArea area) {
  auto* d = new QDockWidget(title, this);
  d->setObjectName(objectName);
  d->setWidget(w);
  d->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(area, d);
  return d;
}

void MainWindow::buildDocks() {
  outlineStack_ = new QStackedWidget(this);
  outlineEmpty_ = new QLabel(tr("No spec open."), outlineStack_);
  static_cast<QLabel*>(outlineEmpty_)->setAlignment(Qt::AlignCenter);
  outlineStack_->addWidget(outlineEmpty_);
  addPanel(QStringLiteral("outlineDock"), tr("Outline"), outlineStack_, Qt::LeftDockWidgetArea);

  auto* problems = new PlaceholderTree;
  problems->placeholder = [this] {
    SpecDocument* d = currentDocument();
    if (!d || !d->lastCheck()) return QString();
    return tr("No problems: %1 parses and sort-checks.").arg(d->displayName());
  };
  problemsView_ = problems;
  problemsView_->setRootIsDecorated(true);
  problemsView_->setUniformRowHeights(true);
  problemsView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  problemsView_->setAlternatingRowColors(true);
  connect(problemsView_, &QTreeView::activated, this, [this](const QModelIndex& i) {
    jumpTo(currentDocument(), i.data(LineRole).toInt(), i.data(ColumnRole).toInt(), i.data(EndLineRole).toInt(),
           i.data(EndColumnRole).toInt());
  });
  connect(problemsView_, &QTreeView::clicked, problemsView_, &QTreeView::activated);
  addPanel(QStringLiteral("problemsDock"), tr("Problems"), problemsView_, Qt::BottomDockWidgetArea);

  cexView_ = new CounterexampleView(this);
  connect(cexView_, &CounterexampleView::jumpRequested, this,
          [this](int line, int col) { jumpTo(currentDocument(), line, col, line, 10000); });
  connect(cexView_, &CounterexampleView::boundedSearchRequested, this, &MainWindow::boundedSearch);
  addPanel(QStringLiteral("counterexampleDock"), tr("Counterexample"), cexView_, Qt::BottomDockWidgetArea);

  codePanel_ = new CodePanel(this);
  connect(codePanel_, &CodePanel::exportRequested, this, &MainWindow::exportProject);
  addPanel(QStringLiteral("codeDock"), tr("Generated Code"), codePanel_, Qt::BottomDockWidgetArea);

  optimizerPanel_ = new OptimizerPanel(this);
  optimizerPanel_->setTimeoutMs(static_cast<unsigned>(settings_.timeoutSeconds) * 1000u);
  addPanel(QStringLiteral("optimizerDock"), tr("Optimized Code"), optimizerPanel_, Qt::BottomDockWidgetArea);

  proofsPanel_ = new ProofsPanel(this);
  connect(proofsPanel_, &ProofsPanel::proveAllRequested, this, &MainWindow::proveAll);
  connect(proofsPanel_, &ProofsPanel::boundedSearchRequested, this, &MainWindow::boundedSearch);
  connect(proofsPanel_, &ProofsPanel::rerunRequested, this, &MainWindow::rerun);
  connect(proofsPanel_, &ProofsPanel::cancelRequested, this, &MainWindow::cancelProofs);
  connect(proofsPanel_, &ProofsPanel::obligationSelected, this, &MainWindow::showObligation);
  connect(proofsPanel_, &ProofsPanel::jumpRequested, this,
          [this](int line, int col) { jumpTo(currentDocument(), line, col, line, 10000); });
  addPanel(QStringLiteral("proofsDock"), tr("Proofs"), proofsPanel_, Qt::RightDockWidgetArea);
}

QDockWidget* MainWindow::dock(const QString& objectName) const { return findChild<QDockWidget*>(objectName); }

void MainWindow::showDock(const QString& objectName) {
  if (QDockWidget* d = dock(objectName)) {
    d->show();
    d->raise();
  }
}

// The layout a first start shows: outline | editor | proofs over the
// tabbed problems, counterexample and code panels.
void MainWindow::defaultLayout() {
  const QSize avail = screen() ? screen()->availableSize() : QSize(1600, 1000);
  resize(std::min(1600, avail.width()), std::min(1000, avail.height()));
  QList<QDockWidget*> bottom;
  for (QDockWidget* d : findChildren<QDockWidget*>()) {
    d->show();
    if (dockWidgetArea(d) == Qt::BottomDockWidgetArea) bottom << d;
  }
  for (int i = 1; i < bottom.size(); ++i) tabifyDockWidget(bottom[0], bottom[i]);
  if (!bottom.isEmpty()) bottom[0]->raise();
}

void MainWindow::showEvent(QShowEvent* e) {
  QMainWindow::showEvent(e);
  // Dock sizes are shares of the window, so they are set once its size is known.
  if (!restored_ && !sized_) {
    sized_ = true;
    sizeDocks();
  }
}

void MainWindow::sizeDocks() {
  const int w = width(), h = height();
  QList<QDockWidget*> bottom, right, left;
  for (QDockWidget* d : findChildren<QDockWidget*>()) {
    if (d->isFloating()) continue;
    switch (dockWidgetArea(d)) {
      case Qt::BottomDockWidgetArea: bottom << d; break;
      case Qt::RightDockWidgetArea: right << d; break;
      default: left << d; break;
    }
  }
  if (!bottom.isEmpty()) resizeDocks({bottom[0]}, {h * 26 / 100}, Qt::Vertical);
  if (!left.isEmpty()) resizeDocks({left[0]}, {w * 17 / 100}, Qt::Horizontal);
  if (!right.isEmpty()) resizeDocks({right[0]}, {w * 33 / 100}, Qt::Horizontal);
}

// ---------------------------------------------------------------- documents

SpecDocument* MainWindow::addDocument(SpecDocument* d) {
  d->setCheckDelay(settings_.checkDelayMs);
  d->editor()->setFontSize(settings_.fontSize);
  keys_.insert(d, QStringLiteral("doc-%1").arg(++keyCounter_));
  auto* pane = new OutlinePane(d->outline(), outlineStack_);
  outlines_.insert(d, pane);
  outlineStack_->addWidget(pane);
  connect(pane, &OutlinePane::jumpRequested, this, [this, d](int line, int col) { jumpTo(d, line, col); });
  connect(d, &SpecDocument::titleChanged, this, [this, d] {
    const int i = tabs_->indexOf(d);
    if (i >= 0) {
      tabs_->setTabText(i, d->displayName() + (d->isModified() ? QStringLiteral(" •") : QString()));
      tabs_->setTabToolTip(i, d->isUntitled() ? d->displayName() : d->filePath());
    }
    if (d == currentDocument()) updateTitle();
  });
  connect(d, &SpecDocument::checked, this, [this, d] {
    if (d != currentDocument()) return;
    updateStatus();
    problemsView_->viewport()->update();
  });
  connect(d, &SpecDocument::textEdited, this, [this, d] {
    if (d == currentDocument()) proofsPanel_->setStale(d->proofsStale());
  });
  connect(d->proofs(), &ProofRunner::finished, this, [this, d](bool cancelled) { proofsFinished(d, cancelled); });
  connect(d->proofs(), &ProofRunner::failed, this, [this, d](const QString& m) {
    if (d == currentDocument()) {
      statusBar()->showMessage(m, 8000);
      updateProofActions();
    }
  });
  connect(d->proofs(), &ProofRunner::started, this, [this, d] {
    if (d == currentDocument()) updateProofActions();
  });
  connect(d->proofs(), &ProofRunner::resultArrived, this, [this, d](const QString& id) {
    if (d == currentDocument() && id == proofsPanel_->selectedId()) showObligation(id);
  });
  connect(d->editor(), &QsciScintilla::cursorPositionChanged, this, [this, d](int line, int index) {
    if (d == currentDocument()) caretLabel_->setText(tr("Ln %1, Col %2").arg(line + 1).arg(index + 1));
  });
  connect(d->editor(), &SpecEditor::caretDiagnosticChanged, this, [this, d](const QString& m) {
    if (d != currentDocument()) return;
    if (m.isEmpty())
      statusBar()->clearMessage();
    else
      statusBar()->showMessage(m);
  });
  const int i = tabs_->addTab(d, d->displayName());
  tabs_->setTabToolTip(i, d->isUntitled() ? d->displayName() : d->filePath());
  tabs_->setCurrentIndex(i);
  return d;
}

SpecDocument* MainWindow::newDocument() {
  auto* d = addDocument(new SpecDocument(++untitledCounter_, tabs_));
  d->setText(QString::fromUtf8(kNewSpec));
  d->setModified(false);
  d->editor()->setCursorPosition(3, 0);
  d->setFocus();
  return d;
}

SpecDocument* MainWindow::openFile(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  for (SpecDocument* d : documents())
    if (d->filePath() == absolute) {
      setCurrentDocument(d);
      return d;
    }
  auto* d = new SpecDocument(0, tabs_);
  QString error;
  if (!d->load(absolute, &error)) {
    delete d;
    QMessageBox::warning(this, tr("Open"), tr("Cannot open %1:\n%2").arg(QDir::toNativeSeparators(path), error));
    return nullptr;
  }
  // An untouched blank document gives way to the file the user opened.
  if (documents().size() == 1) {
    SpecDocument* only = documents().front();
    if (only->isUntitled() && !only->isModified()) {
      recovery_.remove(recoveryKey(only));
      if (OutlinePane* pane = outlines_.take(only)) {
        outlineStack_->removeWidget(pane);
        pane->deleteLater();
      }
      keys_.remove(only);
      tabs_->removeTab(tabs_->indexOf(only));
      only->deleteLater();
    }
  }
  addDocument(d);
  addRecent(absolute);
  return d;
}

SpecDocument* MainWindow::currentDocument() const { return qobject_cast<SpecDocument*>(tabs_->currentWidget()); }

QList<SpecDocument*> MainWindow::documents() const {
  QList<SpecDocument*> out;
  for (int i = 0; i < tabs_->count(); ++i)
    if (auto* d = qobject_cast<SpecDocument*>(tabs_->widget(i))) out << d;
  return out;
}

void MainWindow::setCurrentDocument(SpecDocument* d) {
  const int i = tabs_->indexOf(d);
  if (i >= 0) tabs_->setCurrentIndex(i);
}

OutlinePane* MainWindow::outlinePane(SpecDocument* d) const { return outlines_.value(d); }

QString MainWindow::recoveryKey(SpecDocument* d) const { return keys_.value(d); }

bool MainWindow::save(SpecDocument* d) {
  if (d->isUntitled()) return saveAs(d);
  QString error;
  if (!d->saveAs(d->filePath(), &error)) {
    QMessageBox::warning(this, tr("Save"), tr("Cannot save %1:\n%2").arg(d->filePath(), error));
    return false;
  }
  recovery_.remove(recoveryKey(d));
  statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(d->filePath())), 4000);
  return true;
}

bool MainWindow::saveAs(SpecDocument* d) {
  const QString start = d->isUntitled() ? QDir::homePath() + QLatin1Char('/') + d->displayName() : d->filePath();
  QString path = QFileDialog::getSaveFileName(this, tr("Save Spec As"), start, tr("IOA specs (*.ioa);;All files (*)"));
  if (path.isEmpty()) return false;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".ioa");
  QString error;
  if (!d->saveAs(path, &error)) {
    QMessageBox::warning(this, tr("Save"), tr("Cannot save %1:\n%2").arg(path, error));
    return false;
  }
  recovery_.remove(recoveryKey(d));
  addRecent(d->filePath());
  return true;
}

QMessageBox::StandardButton MainWindow::askToSave(SpecDocument* d) {
  return QMessageBox::question(this, tr("Unsaved changes"),
                               tr("%1 has changes that are not saved.\nSave them before closing?").arg(d->displayName()),
                               QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
}

bool MainWindow::closeDocument(SpecDocument* d) {
  if (!d) return false;
  if (d->isModified()) {
    setCurrentDocument(d);
    switch (askToSave(d)) {
      case QMessageBox::Save:
        if (!save(d)) return false;
        break;
      case QMessageBox::Discard: break;
      default: return false;
    }
  }
  recovery_.remove(recoveryKey(d));
  boundedRuns_.remove(d);
  if (OutlinePane* p = outlines_.take(d)) {
    outlineStack_->removeWidget(p);
    p->deleteLater();
  }
  keys_.remove(d);
  tabs_->removeTab(tabs_->indexOf(d));
  d->deleteLater();
  return true;
}

void MainWindow::closeEvent(QCloseEvent* e) {
  for (SpecDocument* d : documents())
    if (d->isModified() && !closeDocument(d)) {
      e->ignore();
      return;
    }
  QSettings q;
  q.setValue(QStringLiteral("window/geometry"), saveGeometry());
  q.setValue(QStringLiteral("window/state"), saveState());
  recovery_.end();
  e->accept();
}

void MainWindow::openDialog() {
  QString dir = currentDocument() && !currentDocument()->isUntitled() ? QFileInfo(currentDocument()->filePath()).path()
                                                                       : samplesDirectory();
  const QStringList paths =
      QFileDialog::getOpenFileNames(this, tr("Open Spec"), dir, tr("IOA specs (*.ioa);;All files (*)"));
  for (const QString& p : paths) openFile(p);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  for (const QUrl& u : e->mimeData()->urls())
    if (u.isLocalFile()) openFile(u.toLocalFile());
}

// ---------------------------------------------------------------- recent files, samples

void MainWindow::addRecent(const QString& path) {
  QSettings q;
  QStringList recent = q.value(QStringLiteral("recentFiles")).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxRecent) recent.removeLast();
  q.setValue(QStringLiteral("recentFiles"), recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
  for (const QString& p : recent) {
    QAction* a = recentMenu_->addAction(QFileInfo(p).fileName() + QStringLiteral("  —  ") +
                                        QDir::toNativeSeparators(QFileInfo(p).path()));
    connect(a, &QAction::triggered, this, [this, p] { openFile(p); });
  }
  if (!recent.isEmpty()) {
    recentMenu_->addSeparator();
    recentMenu_->addAction(tr("Clear List"), this, [this] {
      QSettings().remove(QStringLiteral("recentFiles"));
      rebuildRecentMenu();
    });
  }
  recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::rebuildSamplesMenu() {
  samplesMenu_->clear();
  const QString root = samplesDirectory();
  if (root.isEmpty()) {
    samplesMenu_->setEnabled(false);
    return;
  }
  QStringList files;
  QDirIterator it(root, {QStringLiteral("*.ioa")}, QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) files << it.next();
  files.sort();
  QHash<QString, QMenu*> sub;
  for (const QString& f : files) {
    const QString rel = QDir(root).relativeFilePath(f);
    QMenu* menu = samplesMenu_;
    const QString folder = QFileInfo(rel).path();
    if (folder != QLatin1String(".")) {
      if (!sub.contains(folder)) sub.insert(folder, samplesMenu_->addMenu(folder));
      menu = sub.value(folder);
    }
    connect(menu->addAction(QFileInfo(rel).fileName()), &QAction::triggered, this, [this, f] { openFile(f); });
  }
  samplesMenu_->setEnabled(!files.isEmpty());
}

// ---------------------------------------------------------------- recovery

void MainWindow::autosave() {
  for (SpecDocument* d : documents()) {
    if (d->isModified())
      recovery_.write(recoveryKey(d), d->filePath(), d->displayName(), d->text());
    else
      recovery_.remove(recoveryKey(d));
  }
}

bool MainWindow::askToRecover(const QVector<RecoveryStore::Entry>& entries) {
  QStringList names;
  for (const auto& e : entries)
    names << QStringLiteral("%1 (%2)").arg(e.originalPath.isEmpty() ? e.displayName
                                                                    : QDir::toNativeSeparators(e.originalPath),
                                           QLocale().toString(e.savedAt, QLocale::ShortFormat));
  QMessageBox box(QMessageBox::Question, tr("Recover unsaved work"),
                  tr("IOA Workbench did not shut down cleanly. Unsaved changes to %1 were kept:")
                      .arg(countOf(static_cast<int>(entries.size()), tr("document"), tr("documents"))),
                  QMessageBox::NoButton, this);
  box.setInformativeText(names.join(QLatin1Char('\n')));
  QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
  box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
  box.setDefaultButton(recover);
  box.exec();
  return box.clickedButton() == static_cast<QAbstractButton*>(recover);
}

void MainWindow::offerRecovery() {
  const QVector<RecoveryStore::Entry> entries = recovery_.orphans();
  if (entries.isEmpty()) {
    recovery_.discardOrphans();
    return;
  }
  if (askToRecover(entries)) {
    for (const auto& e : entries) {
      SpecDocument* d = nullptr;
      if (!e.originalPath.isEmpty() && QFileInfo::exists(e.originalPath)) d = openFile(e.originalPath);
      if (!d) d = addDocument(new SpecDocument(++untitledCounter_, tabs_));
      d->setText(e.text);
      d->setModified(true);
    }
    autosave();  // now in this session's folder
  }
  recovery_.discardOrphans();
}

// ---------------------------------------------------------------- status and navigation

void MainWindow::currentTabChanged() {
  SpecDocument* d = currentDocument();
  outlineStack_->setCurrentWidget(d && outlines_.contains(d) ? static_cast<QWidget*>(outlines_.value(d))
                                                             : outlineEmpty_);
  problemsView_->setModel(d ? d->problems() : nullptr);
  proofsPanel_->setRunner(d ? d->proofs() : nullptr);
  proofsPanel_->setStale(d && d->proofsStale());
  codePanel_->setDocument(d);
  optimizerPanel_->setDocument(d);
  showObligation(proofsPanel_->selectedId());
  if (d) {
    problemsView_->header()->setStretchLastSection(false);
    problemsView_->header()->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    problemsView_->header()->setSectionResizeMode(ProblemsModel::PlaceColumn, QHeaderView::ResizeToContents);
    int line = 0, index = 0;
    d->editor()->getCursorPosition(&line, &index);
    caretLabel_->setText(tr("Ln %1, Col %2").arg(line + 1).arg(index + 1));
  } else {
    caretLabel_->clear();
  }
  for (QAction* a : {saveAct_, saveAsAct_, closeAct_, checkAct_, undoAct_, redoAct_, cutAct_, copyAct_, pasteAct_,
                     findAct_, findNextAct_, gotoAct_, completeAct_, zoomInAct_, zoomOutAct_, exportAct_})
    a->setEnabled(d != nullptr);
  updateProofActions();
  updateTitle();
  updateStatus();
  emit currentDocumentChanged(d);
}

void MainWindow::updateTitle() {
  SpecDocument* d = currentDocument();
  setWindowTitle(d ? QStringLiteral("%1%2 — IOA Workbench").arg(d->displayName(), d->isModified() ? QStringLiteral(" •") : QString())
                   : QStringLiteral("IOA Workbench"));
}

void MainWindow::updateStatus() {
  SpecDocument* d = currentDocument();
  if (!d || !d->lastCheck()) {
    checkLabel_->clear();
    return;
  }
  const int errors = d->problems()->count(QStringLiteral("error"));
  const int warnings = d->problems()->count(QStringLiteral("warning"));
  QStringList parts;
  if (errors) parts << countOf(errors, tr("error"), tr("errors"));
  if (warnings) parts << countOf(warnings, tr("warning"), tr("warnings"));
  const QString text = parts.isEmpty() ? tr("No problems") : parts.join(QStringLiteral(", "));
  checkLabel_->setText(tr("%1 · checked in %2 ms").arg(text).arg(d->lastCheckMs(), 0, 'f', 1));
  if (QDockWidget* p = dock(QStringLiteral("problemsDock")))
    p->setWindowTitle(errors + warnings ? tr("Problems (%1)").arg(errors + warnings) : tr("Problems"));
}

void MainWindow::jumpTo(SpecDocument* d, int line, int col, int endLine, int endCol) {
  if (!d || line < 1) return;
  setCurrentDocument(d);
  d->reveal(line, col, endLine, endCol);
}

void MainWindow::findText() {
  SpecDocument* d = currentDocument();
  if (!d) return;
  bool ok = false;
  const QString selected = d->editor()->selectedText();
  const QString t = QInputDialog::getText(this, tr("Find"), tr("Find:"), QLineEdit::Normal,
                                          selected.isEmpty() ? lastFind_ : selected, &ok);
  if (!ok || t.isEmpty()) return;
  lastFind_ = t;
  if (!d->editor()->findFirst(t, false, false, false, true))
    statusBar()->showMessage(tr("“%1” not found").arg(t), 4000);
}

void MainWindow::goToLine() {
  SpecDocument* d = currentDocument();
  if (!d) return;
  bool ok = false;
  const int line = QInputDialog::getInt(this, tr("Go to Line"), tr("Line:"), 1, 1, d->editor()->lines(), 1, &ok);
  if (ok) jumpTo(d, line, 1);
}

void MainWindow::showSettings() {
  SettingsDialog dlg(settings_, this);
  if (dlg.exec() == QDialog::Accepted) applySettings(dlg.settings());
}

void MainWindow::applySettings(const WorkbenchSettings& s) {
  settings_ = s;
  settings_.save();
  optimizerPanel_->setTimeoutMs(static_cast<unsigned>(s.timeoutSeconds) * 1000u);
  for (SpecDocument* d : documents()) {
    d->setCheckDelay(s.checkDelayMs);
    d->editor()->setFontSize(s.fontSize);
  }
}

// ---------------------------------------------------------------- proofs

void MainWindow::startProofs(SpecDocument* d, unsigned bmcDepth, const QSet<QString>& only, bool useCache) {
  if (!d) return;
  if (d->problems()->count(QStringLiteral("error")) > 0 && d->checkIsCurrent()) {
    showDock(QStringLiteral("problemsDock"));
    statusBar()->showMessage(tr("The spec has errors: fix them before proving."), 6000);
    return;
  }
  ProveRequest r;
  r.name = d->engineName();
  r.text = d->text();
  r.revision = d->revision();
  r.only = only;
  r.options.jobs = static_cast<unsigned>(settings_.jobs);
  r.options.timeoutMs = static_cast<unsigned>(settings_.timeoutSeconds) * 1000u;
  r.options.bmcDepth = bmcDepth;
  r.options.useCache = settings_.useCache && useCache;
  d->proofs()->start(r);
  if (bmcDepth > 0 && only.isEmpty())
    boundedRuns_.insert(d);
  else
    boundedRuns_.remove(d);
  proofsPanel_->setStale(false);
  showDock(QStringLiteral("proofsDock"));
  statusBar()->showMessage(tr("Proving %1…").arg(d->displayName()));
  updateProofActions();
}

void MainWindow::proveAll() { startProofs(currentDocument(), 0, {}, true); }

void MainWindow::boundedSearch() {
  startProofs(currentDocument(), static_cast<unsigned>(settings_.bmcDepth), {}, true);
}

void MainWindow::rerun(const QSet<QString>& ids) {
  SpecDocument* d = currentDocument();
  if (!d || ids.isEmpty()) return;
  // Bounded searches are only made when a depth is asked for: keep the depth they had.
  unsigned depth = 0;
  for (const QString& id : ids)
    if (const auto* info = d->proofModel()->infoAt(d->proofModel()->indexOf(id)); info && info->bounded)
      depth = std::max(depth, info->depth);
  startProofs(d, depth, ids, false);
}

void MainWindow::cancelProofs() {
  if (SpecDocument* d = currentDocument()) d->proofs()->cancel();
}

void MainWindow::proofsFinished(SpecDocument* d, bool cancelled) {
  if (d != currentDocument()) return;
  updateProofActions();
  proofsPanel_->setStale(d->proofsStale());
  const ProofModel::Counts c = d->proofModel()->counts();
  statusBar()->showMessage(tr("Proofs of %1%2: %3 proved, %4 refuted, %5 unknown, %6 in %7")
                               .arg(d->displayName(), cancelled ? tr(" (cancelled)") : QString())
                               .arg(c.proved + c.cached)
                               .arg(c.refuted)
                               .arg(c.unknown)
                               .arg(countOf(c.error, tr("error"), tr("errors")))
                               .arg(formatMillis(d->proofs()->lastSummary().wallMs)),
                           10000);
  // After a search for traces, show the trace it found (that is what was asked for).
  if (boundedRuns_.remove(d) && !cancelled) {
    bool allProved = true;
    for (const QString& id : d->proofModel()->idsUnder({})) {
      if (!id.startsWith(QLatin1String("bmc-"))) continue;
      const ProofState s = d->proofModel()->stateAt(d->proofModel()->indexOf(id));
      if (s == ProofState::Refuted) {
        proofsPanel_->select(id);
        return;
      }
      allProved = allProved && (s == ProofState::Proved || s == ProofState::Cached);
    }
    statusBar()->showMessage(
        allProved ? tr("No run from a start state breaks an invariant or the simulation within %1.")
                        .arg(countOf(settings_.bmcDepth, tr("step"), tr("steps")))
                  : tr("The search for traces was not decided (see the Proofs panel)."),
        10000);
  }
  // Point at the first failure when the user is not looking at something else.
  if (proofsPanel_->selectedId().isEmpty()) {
    const QModelIndex refuted = d->proofModel()->firstInState(ProofState::Refuted);
    if (refuted.isValid()) proofsPanel_->select(refuted.data(ProofModel::IdRole).toString());
  }
}

void MainWindow::showObligation(const QString& id) {
  SpecDocument* d = currentDocument();
  const engine::ObligationResult* r =
      d && !id.isEmpty() ? d->proofModel()->resultAt(d->proofModel()->indexOf(id)) : nullptr;
  cexView_->setResult(r, d ? d->proofs()->provedCheck() : nullptr);
  if (r && r->counterexample) {
    showDock(QStringLiteral("counterexampleDock"));
    // The first counterexample of a session gets room to be read: a trace
    // table and a sequence chart want more than the bottom strip.
    QDockWidget* dock = this->dock(QStringLiteral("counterexampleDock"));
    if (!grewForCounterexample_ && dock && !dock->isFloating() && dock->height() < height() * 2 / 5) {
      grewForCounterexample_ = true;
      resizeDocks({dock}, {height() * 9 / 20}, Qt::Vertical);
    }
  }
}

void MainWindow::updateProofActions() {
  SpecDocument* d = currentDocument();
  const bool running = d && d->proofs()->isRunning();
  proveAct_->setEnabled(d && !running);
  bmcAct_->setEnabled(d && !running);
  cancelAct_->setEnabled(running);
}

// ---------------------------------------------------------------- export

void MainWindow::exportProject() {
  SpecDocument* d = currentDocument();
  if (!d) return;
  if (d->isUntitled() || d->isModified()) {
    const auto answer = QMessageBox::question(
        this, tr("Export Project"), tr("The project is made from the saved spec. Save %1 first?").arg(d->displayName()),
        QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Save);
    if (answer != QMessageBox::Save || !save(d)) return;
  }
  ExportDialog dlg(d->filePath(), d->outline()->namesOfKind(QStringLiteral("stack")), this);
  dlg.exec();
}

}  // namespace ioa::gui
