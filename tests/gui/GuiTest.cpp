// The workbench driven the way a user drives it, offscreen: real windows,
// real engine calls (check, prove, generate, export), no stand-ins.
#include <QApplication>
#include <QDir>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QRegularExpression>
#include <QHeaderView>
#include <QLineEdit>
#include <QProcess>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <Qsci/qsciapis.h>
#include <Qsci/qsciscintilla.h>

#include <cstdlib>

#include "CheckModels.h"
#include "CodePanel.h"
#include "CounterexampleView.h"
#include "IoaLexer.h"
#include "MainWindow.h"
#include "OutlinePane.h"
#include "ProofModel.h"
#include "ProofRunner.h"
#include "ProofsPanel.h"
#include "Recovery.h"
#include "SpecDocument.h"
#include "SpecEditor.h"

using namespace ioa::gui;

namespace {

// $IOAWB_SAMPLES_DIR runs the sample-driven tests on another folder.
const QString kSamples = qEnvironmentVariableIsEmpty("IOAWB_SAMPLES_DIR") ? QStringLiteral(IOAWB_SAMPLES_DIR)
                                                                          : qEnvironmentVariable("IOAWB_SAMPLES_DIR");
const QString kData = QStringLiteral(IOAWB_GUI_TEST_DATA);

// A window whose questions are answered by the test.
class TestWindow : public MainWindow {
 public:
  TestWindow() : MainWindow(false) {}
  QMessageBox::StandardButton saveAnswer = QMessageBox::Cancel;
  bool recoverAnswer = true;
  int asked = 0;

 protected:
  QMessageBox::StandardButton askToSave(SpecDocument*) override {
    ++asked;
    return saveAnswer;
  }
  bool askToRecover(const QVector<RecoveryStore::Entry>&) override {
    ++asked;
    return recoverAnswer;
  }
};

bool waitChecked(SpecDocument* d, int ms = 10000) {
  return QTest::qWaitFor([d] { return d->checkIsCurrent(); }, ms);
}

bool waitProved(SpecDocument* d, int ms = 120000) {
  return QTest::qWaitFor([d] { return !d->proofs()->isRunning(); }, ms);
}

// Fast settings for tests: short timeouts, the result cache in the test's own home.
void fastSettings(MainWindow& w, int timeoutSeconds = 5) {
  WorkbenchSettings s = w.settings();
  s.timeoutSeconds = timeoutSeconds;
  s.jobs = 2;
  s.bmcDepth = 4;
  w.applySettings(s);
}

QByteArray readLock(const QString& sessionDir) {
  QFile f(sessionDir + QStringLiteral("/session.lock"));
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The lock a crashed session leaves: as written, but naming a process that is gone.
void writeDeadLock(const QString& sessionDir, const QByteArray& lockText) {
  QByteArray text = lockText;
  text.replace(0, text.indexOf('\n'), "999999");
  QFile f(sessionDir + QStringLiteral("/session.lock"));
  QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(text);
}

// Shows the window with fast settings, opens a spec and waits for its check;
// null when that fails.
SpecDocument* openChecked(MainWindow& w, const QString& path, int timeoutSeconds = 5) {
  w.show();
  fastSettings(w, timeoutSeconds);
  SpecDocument* d = w.openFile(path);
  return d && waitChecked(d) ? d : nullptr;
}

// Searches for traces (bounded model checking) `depth` steps deep, as Verify > Search Traces with
// that depth in the settings does; false when the proofs do not finish.
bool searchTraces(MainWindow& w, SpecDocument* d, unsigned depth) {
  WorkbenchSettings s = w.settings();
  s.bmcDepth = depth;
  w.applySettings(s);
  w.boundedSearch();
  return waitProved(d);
}

// The first obligation whose id starts with `prefix` ("bmc-simulation"); invalid when none does.
QModelIndex firstWithIdPrefix(ProofModel* m, QLatin1String prefix) {
  for (const QString& id : m->idsUnder({}))
    if (id.startsWith(prefix)) return m->indexOf(id);
  return {};
}

int styleAt(SpecEditor* e, int line, int col) {
  return static_cast<int>(
      e->SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT, static_cast<unsigned long>(e->bytePosition(line, col))));
}

}  // namespace

class GuiTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir home_;

 private Q_SLOTS:
  void initTestCase() {
    // Settings, recovery files and the prover's cache go to a fresh home.
    QVERIFY(home_.isValid());
    for (const char* var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"})
      qputenv(var, QDir(home_.path()).filePath(QString::fromLatin1(var)).toUtf8());
    qunsetenv("IOAWB_CACHE_DIR");
    QCoreApplication::setOrganizationName(QStringLiteral("IOA Workbench Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("ioawb-gui-tests"));
  }

  // Keywords, comments, numbers, operators and sorts get their own styles;
  // blocks fold by indentation.
  void lexerHighlightsAndFolds() {
    TestWindow w;
    SpecDocument* d = w.newDocument();
    d->setText(QStringLiteral("% a comment\n"
                              "automaton Counter\n"
                              "  states\n"
                              "    count: Nat := 42\n"
                              "  transitions\n"
                              "    internal tick\n"
                              "      pre count > 0 /\\ true\n"));
    SpecEditor* e = d->editor();
    e->SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0, -1);
    QCOMPARE(styleAt(e, 1, 3), int(IoaLexer::Comment));
    QCOMPARE(styleAt(e, 2, 1), int(IoaLexer::Declaration));
    QCOMPARE(styleAt(e, 4, 12), int(IoaLexer::Sort));       // Nat
    QCOMPARE(styleAt(e, 4, 19), int(IoaLexer::Number));     // 42
    QCOMPARE(styleAt(e, 7, 7), int(IoaLexer::Keyword));     // pre
    QCOMPARE(styleAt(e, 7, 21), int(IoaLexer::Operator));   // /\ .
    QCOMPARE(styleAt(e, 7, 24), int(IoaLexer::Constant));   // true
    QVERIFY(waitChecked(d));
    // Declared automata are coloured as sorts once the engine has seen them.
    e->SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0, -1);
    QCOMPARE(styleAt(e, 2, 11), int(IoaLexer::Sort));  // Counter
    const auto level = [e](int line) {
      return static_cast<int>(e->SendScintilla(QsciScintillaBase::SCI_GETFOLDLEVEL, static_cast<unsigned long>(line)));
    };
    QVERIFY(level(1) & QsciScintillaBase::SC_FOLDLEVELHEADERFLAG);   // automaton
    QVERIFY(level(2) & QsciScintillaBase::SC_FOLDLEVELHEADERFLAG);   // states
    QVERIFY(!(level(3) & QsciScintillaBase::SC_FOLDLEVELHEADERFLAG));
  }

  // Opening a sample checks it and lists its declarations; clicking an entry
  // moves the caret to it.
  void openSampleShowsOutline() {
    TestWindow w;
    w.show();
    SpecDocument* d = w.openFile(kSamples + QStringLiteral("/stacks/reliable.ioa"));
    QVERIFY(d);
    QVERIFY(waitChecked(d));
    QCOMPARE(d->problems()->count(QStringLiteral("error")), 0);
    QCOMPARE(w.problemsView()->model()->rowCount(), 0);
    OutlineModel* outline = d->outline();
    QVERIFY(outline->find(QStringLiteral("layer"), QStringLiteral("Seqno")).isValid());
    QVERIFY(outline->find(QStringLiteral("stack"), QStringLiteral("Reliable")).isValid());
    QVERIFY(outline->find(QStringLiteral("simulation"), QStringLiteral("ReliableSystem -> Channel")).isValid());
    const QModelIndex retransmit = outline->find(QStringLiteral("action"), QStringLiteral("retransmit"));
    QVERIFY(retransmit.isValid());
    QCOMPARE(retransmit.siblingAtColumn(OutlineModel::DetailColumn).data().toString(), QStringLiteral("internal"));
    QVERIFY(outline->rowCount(retransmit) >= 1);  // its transition

    OutlinePane* pane = w.outlinePane(d);
    QVERIFY(pane);
    QSignalSpy jumps(pane, &OutlinePane::jumpRequested);
    auto* proxy = pane->view()->model();
    QModelIndex seqno;
    for (int g = 0; g < proxy->rowCount() && !seqno.isValid(); ++g)
      for (int r = 0; r < proxy->rowCount(proxy->index(g, 0)); ++r)
        if (proxy->index(r, 0, proxy->index(g, 0)).data().toString() == QLatin1String("Seqno"))
          seqno = proxy->index(r, 0, proxy->index(g, 0));
    QVERIFY(seqno.isValid());
    pane->view()->scrollTo(seqno);
    QTest::mouseClick(pane->view()->viewport(), Qt::LeftButton, {}, pane->view()->visualRect(seqno).center());
    QCOMPARE(jumps.count(), 1);
    int line = 0, index = 0;
    d->editor()->getCursorPosition(&line, &index);
    QCOMPARE(line + 1, seqno.data(LineRole).toInt());
    QVERIFY(d->editor()->selectedText().contains(QStringLiteral("Seqno")));

    // The filter keeps matching declarations and their groups.
    pane->filter()->setText(QStringLiteral("Checks"));
    QCOMPARE(proxy->rowCount(), 1);
    QCOMPARE(proxy->index(0, 0, proxy->index(0, 0)).data().toString(), QStringLiteral("Checksum"));
  }

  // An error typed into the spec shows as a margin marker, an underline and a
  // row in the problems list; clicking the row selects the place; undo clears it.
  void injectedErrorShowsDiagnostic() {
    TestWindow w;
    w.show();
    SpecDocument* d = w.openFile(kSamples + QStringLiteral("/channel.ioa"));
    QVERIFY(d && waitChecked(d));
    QCOMPARE(d->problems()->rowCount(), 0);
    SpecEditor* e = d->editor();
    // `buffer := buffer |- m` becomes `buffer := bufer |- m`: an unknown name on line 13.
    const int line = 13;
    QVERIFY(e->text(line - 1).contains(QStringLiteral("buffer |- m")));
    const int col = static_cast<int>(e->text(line - 1).indexOf(QStringLiteral("buffer |- m"))) + 1;
    e->setCursorPosition(line - 1, col + 2);
    QTest::keyClick(e, Qt::Key_Delete);  // removes one 'f'
    QVERIFY(QTest::qWaitFor([d] { return d->checkIsCurrent() && d->problems()->count(QStringLiteral("error")) > 0; },
                            10000));
    QVERIFY(d->isModified());
    QVERIFY(d->lastLatencyMs() > 0);
    const QModelIndex first = d->problems()->index(0, 0);
    QCOMPARE(first.data(KindRole).toString(), QStringLiteral("error"));
    QCOMPARE(first.data(LineRole).toInt(), line);
    QVERIFY(first.data().toString().contains(QStringLiteral("bufer")));
    QVERIFY(e->markedLines(QStringLiteral("error")).contains(line - 1));
    QVERIFY(e->underlined(QStringLiteral("error"), line, first.data(ColumnRole).toInt()));
    QVERIFY(!e->underlined(QStringLiteral("error"), 1, 1));
    QVERIFY(w.dock(QStringLiteral("problemsDock"))->windowTitle().contains(QStringLiteral("1")));

    // The problems view is the window's, showing this document; a click jumps.
    QTreeView* view = w.problemsView();
    QCOMPARE(view->model(), d->problems());
    e->setCursorPosition(0, 0);
    view->scrollTo(first);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(first).center());
    int caretLine = 0, caretIndex = 0;
    e->getCursorPosition(&caretLine, &caretIndex);
    QCOMPARE(caretLine + 1, line);
    QVERIFY(e->selectedText().contains(QStringLiteral("bufer")));

    e->undo();
    QVERIFY(QTest::qWaitFor([d] { return d->checkIsCurrent() && d->problems()->rowCount() == 0; }, 10000));
    QVERIFY(e->markedLines(QStringLiteral("error")).isEmpty());
  }

  // Completion offers the language's words and the spec's declared names.
  void completionOffersDeclaredNames() {
    TestWindow w;
    SpecDocument* d = w.openFile(kSamples + QStringLiteral("/stacks/reliable.ioa"));
    QVERIFY(d && waitChecked(d));
    QsciAPIs* apis = d->editor()->completionApis();
    auto complete = [apis](const QString& prefix) {
      QStringList raw, out;
      apis->updateAutoCompletionList({prefix}, raw);
      for (const QString& w : raw) out << w.trimmed();
      return out;
    };
    // The word list is prepared in the background once the check has named the declarations.
    QVERIFY2(QTest::qWaitFor([&] { return complete(QStringLiteral("Seq")).contains(QStringLiteral("Seqno")); }, 10000),
             qPrintable(complete(QStringLiteral("Seq")).join('|')));                   // a layer
    QVERIFY(complete(QStringLiteral("Seq")).contains(QStringLiteral("Seq")));         // a sort
    QVERIFY(complete(QStringLiteral("retr")).contains(QStringLiteral("retransmit")));  // an action
    QVERIFY(complete(QStringLiteral("transi")).contains(QStringLiteral("transitions")));  // a keyword
    QVERIFY(!complete(QStringLiteral("Seq")).contains(QStringLiteral("transitions")));
  }

  // Proving a sample: every obligation shows up, results arrive while the run
  // goes on, groups summarise, and a second run takes unchanged results from
  // the cache.
  void runProofsShowsStatuses() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kSamples + QStringLiteral("/channel.ioa"), 20);
    QVERIFY(d);
    QSignalSpy results(d->proofs(), &ProofRunner::resultArrived);
    QSignalSpy finished(d->proofs(), &ProofRunner::finished);
    w.proveAll();
    QVERIFY(d->proofs()->isRunning());
    QVERIFY(waitProved(d));
    QCOMPARE(finished.count(), 1);
    ProofModel* m = d->proofModel();
    const ProofModel::Counts c = m->counts();
    QVERIFY(c.total > 0);
    QCOMPARE(results.count(), c.total);  // one at a time, one per obligation
    QCOMPARE(c.proved + c.cached, c.total);
    // Grouped: automaton, then invariant / well-definedness, then obligations.
    const QModelIndex channel = m->index(0, 0);
    QVERIFY(channel.data().toString().startsWith(QStringLiteral("Channel")));
    QVERIFY(!m->isObligation(channel));
    QStringList sections;
    for (int r = 0; r < m->rowCount(channel); ++r) sections << m->index(r, 0, channel).data().toString();
    QVERIFY2(sections.contains(QStringLiteral("Invariant ChannelOrder")), qPrintable(sections.join(", ")));
    QVERIFY(sections.contains(QStringLiteral("Well-definedness")));
    QCOMPARE(ProofState(channel.data(ProofModel::StateRole).toInt()), ProofState::Proved);
    QVERIFY(channel.siblingAtColumn(ProofModel::StatusColumn).data().toString().contains(QStringLiteral("proved")));
    // The panel shows the same model through its filter, with the progress at the end.
    ProofsPanel* panel = w.proofsPanel();
    QVERIFY(panel->view()->model()->rowCount() > 0);
    QCOMPARE(panel->progress()->value(), c.total);
    panel->stateFilter()->setCurrentIndex(1);  // failed only
    QCOMPARE(panel->view()->model()->rowCount(), 0);
    panel->stateFilter()->setCurrentIndex(0);

    // Again: nothing changed, so results come from the cache.
    w.proveAll();
    QVERIFY(waitProved(d));
    QVERIFY(m->counts().cached > c.cached);
    QCOMPARE(m->counts().proved + m->counts().cached, c.total);
    const int cachedNow = m->counts().cached;
    QCOMPARE(ProofState(m->firstInState(ProofState::Cached).data(ProofModel::StateRole).toInt()), ProofState::Cached);

    // Re-running one obligation proves it again, without the cache, and leaves the others alone.
    const QModelIndex one = m->firstInState(ProofState::Cached);
    const QString id = one.data(ProofModel::IdRole).toString();
    QVERIFY(panel->select(id));
    w.rerun({id});
    QVERIFY(waitProved(d));
    QCOMPARE(ProofState(m->indexOf(id).data(ProofModel::StateRole).toInt()), ProofState::Proved);
    QCOMPARE(m->counts().cached, cachedNow - 1);

    // An edit makes the results stale until the next run.
    d->editor()->append(QStringLiteral("\n"));
    QVERIFY(d->proofsStale());
  }

  // Cancel stops a run: what finished keeps its result, the rest is marked cancelled.
  void cancelStopsProofs() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kData + QStringLiteral("/slow_proofs.ioa"), 60);  // two steps run 60 s
    QVERIFY(d);
    QSignalSpy results(d->proofs(), &ProofRunner::resultArrived);
    QSignalSpy finished(d->proofs(), &ProofRunner::finished);
    w.proveAll();
    QVERIFY(results.wait(120000));
    QVERIFY(d->proofs()->isRunning());  // results come while the run goes on
    w.cancelProofs();
    QVERIFY(waitProved(d, 60000));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    const ProofModel::Counts c = d->proofModel()->counts();
    QVERIFY(c.cancelled > 0);
    QCOMPARE(c.running, 0);
    QVERIFY(c.done() >= 1);
    QVERIFY(w.proofsPanel()->summaryLabel()->text().contains(QStringLiteral("cancelled")));
  }

  // Editing and closing while the solver works: the run goes on with the text it
  // started from, the results are marked out of date, and closing the tab
  // mid-run neither blocks nor crashes.
  void editAndCloseWhileProving() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kData + QStringLiteral("/slow_proofs.ioa"), 60);  // two steps run 60 s
    QVERIFY(d);
    QSignalSpy results(d->proofs(), &ProofRunner::resultArrived);
    w.proveAll();
    QVERIFY(results.wait(120000));
    d->editor()->append(QStringLiteral("\n% edited while proving\n"));
    QVERIFY(waitChecked(d));  // the check does not wait for the proofs
    QVERIFY(d->proofs()->isRunning());
    w.cancelProofs();
    QVERIFY(waitProved(d, 20000));  // (the solver stops at once; the two slow steps would run 60 s)
    QVERIFY(d->proofsStale());
    QVERIFY(d->proofModel()->counts().cancelled >= 2);  // shown as cancelled, not as timed out

    w.proveAll();
    QVERIFY(d->proofs()->isRunning());
    w.saveAnswer = QMessageBox::Discard;
    QElapsedTimer t;
    t.start();
    QVERIFY(w.closeDocument(d));
    QVERIFY(t.elapsed() < 2000);  // the session is cancelled and released off the UI thread
    QVERIFY(QTest::qWaitFor([&w] { return w.documents().isEmpty(); }, 5000));
    SpecDocument* again = w.openFile(kSamples + QStringLiteral("/channel.ioa"));
    QVERIFY(again && waitChecked(again));
    w.proveAll();
    QVERIFY(waitProved(again));
    QVERIFY(again->proofModel()->counts().total > 0);
  }

  // A bug: the refuted obligation is selected, its counterexample shows the
  // changed value, and clicking the step selects the transition in the spec.
  void bugShowsCounterexample() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kData + QStringLiteral("/counter_bug.ioa"));
    QVERIFY(d);
    w.proveAll();
    QVERIFY(waitProved(d));
    ProofModel* m = d->proofModel();
    QCOMPARE(m->counts().refuted, 1);
    const QModelIndex refuted = m->firstInState(ProofState::Refuted);
    QCOMPARE(refuted.data().toString(), QStringLiteral("preserved by tick"));
    // The window points at it by itself.
    QCOMPARE(w.proofsPanel()->selectedId(), refuted.data(ProofModel::IdRole).toString());
    CounterexampleView* cex = w.counterexampleView();
    QVERIFY(cex->hasCounterexample());
    QVERIFY(!w.dock(QStringLiteral("counterexampleDock"))->visibleRegion().isEmpty());
    // The counterexample to induction was followed by a search of runs, which found the run from
    // the start state: start, inc, tick.
    TraceModel* t = cex->traceModel();
    QCOMPARE(t->columnCount(), 3);
    const int last = t->columnCount() - 1;
    QVERIFY(t->data(t->index(0, last)).toString().startsWith(QStringLiteral("tick(n = ")));  // the action and its argument
    int sentRow = -1;
    for (int r = 0; r < t->rowCount(); ++r)
      if (t->variableAt(r) == QLatin1String("sent")) sentRow = r;
    QVERIFY(sentRow > 0);
    QVERIFY(t->changedAt(sentRow, last));
    QCOMPARE(t->valueAt(sentRow, last).toInt(), t->valueAt(sentRow, last - 1).toInt() + 2);
    QVERIFY(!cex->chartVisible());  // not a composition

    // Clicking the last step's column selects the transition `output tick(n)`.
    d->editor()->setCursorPosition(0, 0);
    QTableView* table = cex->table();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(t->index(0, last)).center());
    int line = 0, index = 0;
    d->editor()->getCursorPosition(&line, &index);
    QVERIFY2(d->editor()->text(line).contains(QStringLiteral("output tick(n)")), qPrintable(d->editor()->text(line)));

    // Bounded model checking finds the run too.
    w.boundedSearch();
    QVERIFY(waitProved(d));
    const QModelIndex bmc = firstWithIdPrefix(m, QLatin1String("bmc-invariants"));
    QVERIFY(bmc.isValid());
    QCOMPARE(ProofState(bmc.data(ProofModel::StateRole).toInt()), ProofState::Refuted);
    // The trace that was asked for is shown, not the counterexample to induction.
    QCOMPARE(w.proofsPanel()->selectedId(), bmc.data(ProofModel::IdRole).toString());
    QVERIFY(cex->hasCounterexample());
    QVERIFY(cex->traceModel()->columnCount() >= 3);  // start, inc, tick
  }

  // Every seeded-bug twin in samples/bugs is refuted, and its counterexample
  // opens in the Counterexample panel.
  void bugSamplesShowCounterexamples_data() {
    QTest::addColumn<QString>("path");
    const QStringList bugs = QDir(kSamples + QStringLiteral("/bugs")).entryList({QStringLiteral("*.ioa")}, QDir::Files);
    if (bugs.isEmpty()) QTest::newRow("none") << QString();
    for (const QString& f : bugs) QTest::newRow(qPrintable(f)) << kSamples + QStringLiteral("/bugs/") + f;
  }
  void bugSamplesShowCounterexamples() {
    QFETCH(QString, path);
    if (path.isEmpty()) QSKIP("samples/bugs holds no spec yet");
    TestWindow w;
    SpecDocument* d = openChecked(w, path);
    QVERIFY(d);
    QCOMPARE(d->problems()->count(QStringLiteral("error")), 0);
    w.boundedSearch();  // the ordinary obligations and a search for a trace
    QVERIFY(waitProved(d, 300000));
    ProofModel* m = d->proofModel();
    QModelIndex refuted = m->firstInState(ProofState::Refuted);
    QVERIFY2(refuted.isValid(), "a bug twin must be refuted");
    // A trace the search found is preferred over a counterexample to induction.
    for (const QString& id : m->idsUnder({})) {
      const QModelIndex i = m->indexOf(id);
      if (id.startsWith(QLatin1String("bmc-")) &&
          ProofState(i.data(ProofModel::StateRole).toInt()) == ProofState::Refuted)
        refuted = i;
    }
    QCOMPARE(w.proofsPanel()->selectedId(), refuted.data(ProofModel::IdRole).toString());
    CounterexampleView* cex = w.counterexampleView();
    QVERIFY(cex->hasCounterexample());
    QVERIFY(cex->traceModel()->columnCount() >= 1);
    if (path.endsWith(QLatin1String("abp_ignores_bit.ioa"))) {
      // A step the channel and the receiver take together: its post-state leads to the
      // receiver's transition, whose change the failed invariant reads, not to the channel's.
      QVERIFY(w.proofsPanel()->select(QStringLiteral("invariant-step:ABP:Waiting:frame_rx")));
      QVERIFY(cex->hasCounterexample());
      d->editor()->setCursorPosition(0, 0);
      cex->selectColumn(cex->traceModel()->columnCount() - 1);
      int line = 0, index = 0;
      d->editor()->getCursorPosition(&line, &index);
      QVERIFY2(d->editor()->text(line).contains(QStringLiteral("input frame_rx(f)")), qPrintable(d->editor()->text(line)));
    }
  }

  // A component array's variables come one instance a row, under the array's section
  // ("[0].status" under P), as the spec writes them, and never as one map over the indices.
  void componentArrayRowsAreInstances() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kSamples + QStringLiteral("/bugs/lamport_mutex_early_enter.ioa"));
    QVERIFY(d);
    w.proveAll();
    QVERIFY(waitProved(d));
    CounterexampleView* cex = w.counterexampleView();
    QVERIFY(cex->hasCounterexample());
    TraceModel* t = cex->traceModel();
    int section = -1, instances = 0, statusRow = -1;
    const int last = t->columnCount() - 1;  // (the last step of the run the search of runs found)
    QVERIFY(last >= 1);
    for (int r = 0; r < t->rowCount(); ++r) {
      const QString name = t->variableAt(r);
      if (t->rowKind(r) == TraceModel::SectionRow && name == QLatin1String("P")) section = r;
      QVERIFY2(name != QLatin1String("P.status"), "shown as one map");
      if (!name.startsWith(QLatin1String("P["))) continue;
      ++instances;
      QVERIFY2(section >= 0 && r > section, qPrintable(name));
      if (t->valueAt(r, last - 1) != t->valueAt(r, last)) {
        QVERIFY2(statusRow < 0, "the step changed one instance's status");
        statusRow = r;
      }
    }
    QCOMPARE(instances, 18);  // status, clock, req, rts, last, owe of three processes
    QVERIFY(statusRow > 0);
    QVERIFY(t->variableAt(statusRow).endsWith(QLatin1String("].status")));
    QCOMPARE(t->valueAt(statusRow, last), QStringLiteral("critical"));
  }

  // A counterexample that relies on a value the spec leaves undefined says so in the panel: the
  // failed goal names the undefined term, and a pre-state where the assumed relation is undefined
  // gets a sentence in the note (tail of an empty sequence; 2026-12-05).
  void undefinedTermsAreNamedInTheCounterexample() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("undefined.ioa"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("automaton Fifo\n  signature\n    input send(m: Nat)\n  states\n    buffer: Seq[Nat] := {}\n"
            "  transitions\n    input send(m)\n      eff buffer := buffer |- m\n"
            "automaton Log\n  signature\n    input send(m: Nat)\n  states\n    out: Seq[Nat] := {},\n"
            "    q: Seq[Nat] := {}\n  transitions\n    input send(m)\n      eff q := q |- m\n"
            "forward simulation from Log to Fifo:\n  Fifo.buffer = out || tail(q)\n");
    f.close();
    TestWindow w;
    SpecDocument* d = openChecked(w, path);
    QVERIFY(d);
    w.proveAll();
    QVERIFY(waitProved(d));
    CounterexampleView* cex = w.counterexampleView();
    auto shown = [&] {
      QString all;
      for (QLabel* l : cex->findChildren<QLabel*>()) all += l->text() + QLatin1Char('\n');
      return all;
    };
    QVERIFY(w.proofsPanel()->select(QStringLiteral("simulation-start:simulation Log -> Fifo")));
    QVERIFY(cex->hasCounterexample());
    QVERIFY2(shown().contains(QStringLiteral("where <code>tail(q)</code> is undefined")), qPrintable(shown()));
    QVERIFY(w.proofsPanel()->select(QStringLiteral("simulation-step:simulation Log -> Fifo:send")));
    QVERIFY(cex->hasCounterexample());
    QVERIFY2(shown().contains(QStringLiteral("In this pre-state the relation is undefined: tail(q) (line 19)")),
             qPrintable(shown()));
  }

  // The caret stays in view when the editor gets shorter (showing a counterexample grows the
  // panel under it after the failing transition was selected).
  void caretStaysInViewWhenTheEditorShrinks() {
    SpecEditor e;
    QString text;
    for (int k = 1; k <= 200; ++k) text += QStringLiteral("%1\n").arg(k);
    e.setText(text);
    e.resize(500, 600);
    e.show();
    QVERIFY(QTest::qWaitForWindowExposed(&e));
    e.selectRange(1, 1);
    const auto onScreen = [&e] { return static_cast<int>(e.SendScintilla(QsciScintillaBase::SCI_LINESONSCREEN)); };
    const int line = onScreen() - 4;  // (0-based) low in the view, so no scrolling is needed to show it
    QVERIFY(line > 12);
    e.selectRange(line + 1, 1);
    QVERIFY(line - e.firstVisibleLine() >= 10);  // more than the shorter editor shows
    e.resize(500, 150);
    QTest::qWait(50);
    const int top = e.firstVisibleLine();
    QVERIFY2(line >= top && line < top + onScreen(),
             qPrintable(QStringLiteral("line %1, shown %2-%3").arg(line).arg(top).arg(top + onScreen())));
  }

  // A search of depth 1 says "1 step", not "1 steps": in its row, its details and the status bar.
  void boundedSearchOfOneStepSaysStep() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kSamples + QStringLiteral("/channel.ioa"));
    QVERIFY(d);
    QVERIFY(searchTraces(w, d, 1));
    ProofModel* m = d->proofModel();
    const QModelIndex bmc = firstWithIdPrefix(m, QLatin1String("bmc-invariants"));
    QVERIFY(bmc.isValid());
    QCOMPARE(ProofState(bmc.data(ProofModel::StateRole).toInt()), ProofState::Proved);
    QCOMPARE(bmc.data().toString(), QStringLiteral("search, 1 step"));
    QCOMPARE(w.statusBar()->currentMessage(),
             QStringLiteral("No run from a start state breaks an invariant or the simulation within 1 step."));
    QVERIFY(w.proofsPanel()->select(bmc.data(ProofModel::IdRole).toString()));
    bool shown = false;
    for (const QLabel* l : w.proofsPanel()->findChildren<QLabel*>()) {
      QVERIFY2(!l->text().contains(QStringLiteral("1 steps")), qPrintable(l->text()));
      shown = shown || l->text().contains(QStringLiteral(" · bounded: 1 step"));
    }
    QVERIFY(shown);
  }

  // A short run's wide values are shown whole when the panel has room: the columns share it
  // (they were cut at 360 px, a map of sequences ending in '...' beside an empty half panel).
  void wideValuesUseThePanelsWidth() {
    TestWindow w;
    w.resize(1600, 1000);
    SpecDocument* d = openChecked(w, kData + QStringLiteral("/tokens_bug.ioa"), 10);
    QVERIFY(d);
    QVERIFY(searchTraces(w, d, 1));
    const QModelIndex bmc = firstWithIdPrefix(d->proofModel(), QLatin1String("bmc-invariants"));
    QVERIFY(bmc.isValid());
    QCOMPARE(ProofState(bmc.data(ProofModel::StateRole).toInt()), ProofState::Refuted);
    QVERIFY(w.proofsPanel()->select(bmc.data(ProofModel::IdRole).toString()));
    CounterexampleView* cex = w.counterexampleView();
    QVERIFY(cex->hasCounterexample());
    QTableView* t = cex->table();
    TraceModel* m = cex->traceModel();
    QCOMPARE(m->columnCount(), 2);  // the start state, move
    for (int c = 0; c < 2; ++c) {
      int row = -1;
      for (int r = 0; r < m->rowCount(); ++r)
        if (m->rowKind(r) == TraceModel::VariableRow) row = r;
      QVERIFY(row >= 0);
      const QModelIndex i = m->index(row, c);
      const QString text = i.data().toString();
      QVERIFY2(text.contains(QStringLiteral("2 -> [Token(orig: 2, v: 2)]")), qPrintable(text));
      const QFontMetrics fm(i.data(Qt::FontRole).value<QFont>());
      QVERIFY2(t->columnWidth(c) > 360 && t->columnWidth(c) >= fm.horizontalAdvance(text),
               qPrintable(QStringLiteral("column %1: %2 px for %3 px of '%4'")
                              .arg(c)
                              .arg(t->columnWidth(c))
                              .arg(fm.horizontalAdvance(text))
                              .arg(text)));
    }
  }

  // A composition's trace becomes a sequence chart with the components as lifelines.
  void compositionTraceHasSequenceChart() {
    TestWindow w;
    SpecDocument* d = openChecked(w, kData + QStringLiteral("/relay_bug.ioa"), 2);
    QVERIFY(d);
    w.boundedSearch();
    QVERIFY(waitProved(d, 180000));
    ProofModel* m = d->proofModel();
    const QModelIndex bmc = firstWithIdPrefix(m, QLatin1String("bmc-simulation"));
    QVERIFY(bmc.isValid());
    QCOMPARE(ProofState(bmc.data(ProofModel::StateRole).toInt()), ProofState::Refuted);
    QVERIFY(w.proofsPanel()->select(bmc.data(ProofModel::IdRole).toString()));
    CounterexampleView* cex = w.counterexampleView();
    QVERIFY(cex->hasCounterexample());
    QVERIFY(cex->chartVisible());
    SequenceChart* chart = cex->chart();
    QVERIFY(chart->lifelines().contains(QStringLiteral("A")));
    QVERIFY(chart->lifelines().contains(QStringLiteral("B")));
    const QStringList arrows = chart->describe();
    QVERIFY2(arrows.filter(QRegularExpression(QStringLiteral("^A -> B: pass\\("))).size() >= 1, qPrintable(arrows.join('\n')));
    QVERIFY(arrows.filter(QRegularExpression(QStringLiteral("^environment -> A: send\\("))).size() >= 1);
    // The abstract channel's state stands in its own rows beside the concrete ones.
    TraceModel* t = cex->traceModel();
    bool abstractSection = false;
    for (int r = 0; r < t->rowCount(); ++r)
      abstractSection = abstractSection || (t->rowKind(r) == TraceModel::SectionRow &&
                                            t->headerData(r, Qt::Vertical).toString().contains(QStringLiteral("Channel")));
    QVERIFY(abstractSection);
    QTemporaryDir out;
    QVERIFY(chart->saveSvg(out.filePath(QStringLiteral("trace.svg"))));
    QFile svg(out.filePath(QStringLiteral("trace.svg")));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("pass("));
  }

  // The generated C++ of each layer and of the stack, read-only.
  void generatedCodeView() {
    TestWindow w;
    w.show();
    SpecDocument* d = w.openFile(kSamples + QStringLiteral("/stacks/reliable.ioa"));
    QVERIFY(d && waitChecked(d));
    w.showDock(QStringLiteral("codeDock"));
    CodePanel* code = w.codePanel();
    QVERIFY(QTest::qWaitFor([code] { return code->result() && !code->isBusy(); }, 60000));
    QVERIFY(code->result()->ok());
    QVERIFY(code->codeView()->isReadOnly());
    QVERIFY2(code->codeView()->text().contains(QStringLiteral("class Reliable")), qPrintable(code->shownFile()));
    QStringList groups;
    for (int r = 0; r < code->units()->rowCount(); ++r) groups << code->units()->index(r, 0).data().toString();
    QCOMPARE(groups.value(0), QStringLiteral("Stacks"));
    QVERIFY(groups.contains(QStringLiteral("Layers")));
    // Another layer's file.
    QString seqnoHeader;
    for (const auto& u : code->result()->units)
      if (u.automaton == "Seqno") seqnoHeader = QString::fromStdString(u.header);
    QVERIFY(!seqnoHeader.isEmpty());
    QVERIFY(code->showFile(seqnoHeader));
    QVERIFY(code->codeView()->text().contains(QStringLiteral("Seqno")));
    // An edit that breaks the spec leaves no stale code claiming to be current.
    d->editor()->append(QStringLiteral("\nlayer Broken\n"));
    QVERIFY(QTest::qWaitFor([d, code] { return d->checkIsCurrent() && !code->isBusy(); }, 10000));
    QVERIFY(d->problems()->count(QStringLiteral("error")) > 0);
    QVERIFY2(code->statusText().contains(QStringLiteral("errors")), qPrintable(code->statusText()));
  }

  // The optimizer view on the flagship stack: a real collapse and the proof of
  // each bypass, run in a worker, shown beside the layered code.
  void optimizerPanelRuns() {
    if (!ioa::engine::optimizerAvailable()) QSKIP("this build has no optimizer (-DIOAWB_BUILD_OPTIMIZER=OFF)");
    TestWindow w;
    w.resize(1400, 1000);
    SpecDocument* d = openChecked(w, kSamples + QStringLiteral("/stacks/reliable.ioa"));
    QVERIFY(d);
    w.showDock(QStringLiteral("optimizerDock"));
    w.resizeDocks({w.dock(QStringLiteral("optimizerDock"))}, {600}, Qt::Vertical);
    OptimizerPanel* opt = w.optimizerPanel();
    QVERIFY(opt->stackBox()->findText(QStringLiteral("Reliable")) >= 0);
    QVERIFY(opt->runButton()->isEnabled());
    QVERIFY(opt->obligationStatus(QStringLiteral("dn")).isEmpty());
    QVERIFY(opt->collapsedText().isEmpty());

    QSignalSpy finished(opt, &OptimizerPanel::finished);
    QElapsedTimer started;
    started.start();
    QVERIFY(opt->run(QStringLiteral("Reliable"), 3000));
    QVERIFY2(started.elapsed() < 2000, "the run must not block the UI thread");
    QVERIFY(opt->isRunning());
    // A second run while one is in progress is refused; the button says so.
    QVERIFY(!opt->run(QStringLiteral("Reliable"), 3000));
    QVERIFY(!opt->runButton()->isEnabled());
    QVERIFY(finished.wait(240000));
    QCOMPARE(finished.count(), 1);
    QVERIFY2(finished.front().front().toBool(), qPrintable(opt->errorText()));
    QVERIFY(!opt->isRunning());
    QVERIFY(opt->runButton()->isEnabled());
    QVERIFY2(opt->errorText().isEmpty(), qPrintable(opt->errorText()));

    QCOMPARE(opt->obligationStatus(QStringLiteral("dn")), QStringLiteral("proved"));
    // The up path's proof may run out of time; it must never be claimed refuted or fail.
    const QString up = opt->obligationStatus(QStringLiteral("up"));
    QVERIFY2(up == QLatin1String("proved") || up == QLatin1String("unknown"), qPrintable(up));
    QVERIFY(opt->layeredView()->isReadOnly());
    QVERIFY(opt->collapsedView()->isReadOnly());
    QVERIFY(!opt->layeredText().isEmpty());
    QVERIFY(opt->collapsedText().contains(QStringLiteral("dn_fast")));
    QVERIFY(opt->collapsedText().contains(QStringLiteral("ccp_dn")));
    QVERIFY(!opt->layeredText().contains(QStringLiteral("dn_fast")));
    QVERIFY2(opt->statusText().contains(QStringLiteral("proved")), qPrintable(opt->statusText()));

    // One row per obligation, with the proofs panel's icons.
    const auto& obligations = opt->result()->obligations;
    QStandardItemModel* rows = opt->obligations();
    QCOMPARE(rows->rowCount(), static_cast<int>(obligations.size()));
    int dnRow = -1, upRow = -1;
    for (int r = 0; r < rows->rowCount(); ++r) {
      const QString path = rows->index(r, OptimizerPanel::PathColumn).data().toString();
      if (path == QLatin1String("dn")) dnRow = r;
      if (path == QLatin1String("up")) upRow = r;
    }
    QVERIFY(dnRow >= 0 && upRow >= 0);
    QCOMPARE(rows->index(dnRow, OptimizerPanel::StatusColumn).data().toString(), QStringLiteral("proved"));
    QCOMPARE(rows->index(upRow, OptimizerPanel::StatusColumn).data().toString(), up);
    QVERIFY(!rows->index(dnRow, OptimizerPanel::StatusColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(rows->index(dnRow, OptimizerPanel::DescriptionColumn).data().toString().contains(QStringLiteral("ccp_dn")));

    // Clicking a row scrolls the collapsed code to that obligation's bypass.
    QTreeView* table = opt->obligationView();
    QsciScintilla* collapsed = opt->collapsedView();
    const auto clickRow = [table](int r) {
      table->scrollTo(table->model()->index(r, 0));
      QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                        table->visualRect(table->model()->index(r, OptimizerPanel::DescriptionColumn)).center());
    };
    const auto shows = [collapsed](int line) {
      const int first = collapsed->firstVisibleLine();
      const int onScreen = static_cast<int>(collapsed->SendScintilla(QsciScintillaBase::SCI_LINESONSCREEN));
      return first <= line && line < first + onScreen;
    };
    const int dnLine = obligations[static_cast<size_t>(dnRow)].line - 1;
    const int upLine = obligations[static_cast<size_t>(upRow)].line - 1;
    QVERIFY(dnLine >= 0 && upLine >= 0 && std::abs(dnLine - upLine) > 40);
    clickRow(upRow);
    QCOMPARE(table->currentIndex().row(), upRow);
    QVERIFY2(shows(upLine), qPrintable(QString::number(collapsed->firstVisibleLine())));
    QVERIFY(!shows(dnLine));
    clickRow(dnRow);
    QCOMPARE(table->currentIndex().row(), dnRow);
    QVERIFY2(shows(dnLine), qPrintable(QString::number(collapsed->firstVisibleLine())));
    QVERIFY(collapsed->text(dnLine).contains(QStringLiteral("dn_fast")));
    QVERIFY2(opt->detailText().contains(QStringLiteral("%1:%2")
                                            .arg(QString::fromStdString(obligations[static_cast<size_t>(dnRow)].file))
                                            .arg(dnLine + 1)),
             qPrintable(opt->detailText()));

    // What the engine cannot do is said in the panel, and no stale code stays.
    QVERIFY(opt->run(QStringLiteral("NoSuchStack"), 0));
    QVERIFY(finished.wait(240000));
    QCOMPARE(finished.count(), 2);
    QCOMPARE(finished.back().front().toBool(), false);
    QVERIFY2(opt->errorText().contains(QStringLiteral("NoSuchStack")), qPrintable(opt->errorText()));
    QVERIFY(opt->obligationStatus(QStringLiteral("dn")).isEmpty());
    QVERIFY(opt->collapsedText().isEmpty());
    QCOMPARE(rows->rowCount(), 0);
  }

  // Cancel stops a run's proofs: they show as cancelled, and the next run proves them.
  void optimizerCancel() {
    if (!ioa::engine::optimizerAvailable()) QSKIP("this build has no optimizer (-DIOAWB_BUILD_OPTIMIZER=OFF)");
    TestWindow w;
    SpecDocument* d = openChecked(w, kSamples + QStringLiteral("/stacks/reliable.ioa"));
    QVERIFY(d);
    OptimizerPanel* opt = w.optimizerPanel();
    QVERIFY(!opt->cancelButton()->isEnabled());
    QSignalSpy finished(opt, &OptimizerPanel::finished);
    QVERIFY(opt->run(QStringLiteral("Reliable"), 600000));  // (its proofs take seconds; 10 minutes allowed)
    QVERIFY(opt->cancelButton()->isEnabled());
    QTest::mouseClick(opt->cancelButton(), Qt::LeftButton);
    QVERIFY(!opt->cancelButton()->isEnabled());
    QVERIFY(opt->statusText().contains(QStringLiteral("Cancelling")));
    QVERIFY(finished.wait(120000));  // the collapse itself runs to its end
    QVERIFY2(finished.front().front().toBool(), qPrintable(opt->errorText()));
    QCOMPARE(opt->obligationStatus(QStringLiteral("dn")), QStringLiteral("cancelled"));
    QCOMPARE(opt->obligationStatus(QStringLiteral("up")), QStringLiteral("cancelled"));
    QVERIFY(opt->statusText().contains(QStringLiteral("cancelled")));
    QVERIFY(!opt->statusText().contains(QStringLiteral("unknown")));
    QVERIFY(!opt->cancelButton()->isEnabled());
    QVERIFY(opt->run(QStringLiteral("Reliable"), 60000));
    QVERIFY(finished.wait(240000));
    QCOMPARE(opt->obligationStatus(QStringLiteral("dn")), QStringLiteral("proved"));
  }

  // Closing the window while the optimizer runs neither crashes nor waits for
  // the run (it is cancelled); the next run starts after it.
  void optimizerCloseWhileRunning() {
    if (!ioa::engine::optimizerAvailable()) QSKIP("this build has no optimizer (-DIOAWB_BUILD_OPTIMIZER=OFF)");
    const QString spec = kSamples + QStringLiteral("/stacks/reliable.ioa");
    {
      auto* w = new TestWindow;
      QVERIFY(openChecked(*w, spec));
      QPointer<OptimizerPanel> opt = w->optimizerPanel();
      QVERIFY(opt->run(QStringLiteral("Reliable"), 3000));
      QVERIFY(opt->isRunning());
      QElapsedTimer t;
      t.start();
      QVERIFY(w->close());
      delete w;
      QVERIFY(opt.isNull());
      QVERIFY2(t.elapsed() < 5000, "closing must not wait for the optimizer");
      QTest::qWait(200);  // events of the closed window, if any, arrive safely
    }
    TestWindow w;
    SpecDocument* d = openChecked(w, spec);
    QVERIFY(d);
    OptimizerPanel* opt = w.optimizerPanel();
    QSignalSpy finished(opt, &OptimizerPanel::finished);
    QVERIFY(opt->run(QStringLiteral("Reliable"), 3000));
    QVERIFY(finished.wait(240000));
    QVERIFY2(finished.front().front().toBool(), qPrintable(opt->errorText()));
    QCOMPARE(opt->obligationStatus(QStringLiteral("dn")), QStringLiteral("proved"));
    // Another tab has no run of its own; the first tab's results come back with it.
    SpecDocument* other = w.openFile(kSamples + QStringLiteral("/channel.ioa"));
    QVERIFY(other && waitChecked(other));
    QCOMPARE(w.currentDocument(), other);
    QVERIFY(opt->obligationStatus(QStringLiteral("dn")).isEmpty());
    QCOMPARE(opt->stackBox()->count(), 0);
    QVERIFY(!opt->runButton()->isEnabled());
    w.setCurrentDocument(d);
    QCOMPARE(opt->obligationStatus(QStringLiteral("dn")), QStringLiteral("proved"));
    QVERIFY(opt->collapsedText().contains(QStringLiteral("dn_fast")));
  }

  // Export writes the standalone project into the chosen folder and says where.
  void exportProjectIntoFolder() {
    QTemporaryDir out;
    ExportDialog dlg(kSamples + QStringLiteral("/stacks/reliable.ioa"), {QStringLiteral("Reliable")});
    dlg.folderEdit()->setText(out.path());
    QSignalSpy done(&dlg, &ExportDialog::finished);
    dlg.startExport();
    QVERIFY(done.wait(60000));
    QVERIFY2(dlg.succeeded(), qPrintable(dlg.message()));
    QVERIFY(dlg.message().contains(QDir::toNativeSeparators(out.path())));
    QVERIFY(QFile::exists(out.filePath(QStringLiteral("CMakeLists.txt"))));
    QVERIFY(dlg.writtenFiles().contains(QStringLiteral("CMakeLists.txt")));
    QVERIFY(!dlg.writtenFiles().filter(QStringLiteral("gen/")).isEmpty());
    for (const QString& f : dlg.writtenFiles()) QVERIFY2(QFile::exists(out.filePath(f)), qPrintable(f));

    // A file of the project edited since: the next export keeps it and offers to overwrite it.
    const QString demo = out.filePath(QStringLiteral("CMakeLists.txt"));
    {
      QFile f(demo);
      QVERIFY(f.open(QIODevice::Append));
      f.write("# mine\n");
    }
    auto text = [](const QString& path) {
      QFile f(path);
      return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    };
    dlg.startExport();
    QVERIFY(done.wait(60000));
    QVERIFY(!dlg.succeeded());
    QCOMPARE(dlg.keptFiles(), QStringList{QStringLiteral("CMakeLists.txt")});
    QVERIFY2(dlg.message().contains(QStringLiteral("changed since ioawb wrote them (CMakeLists.txt)")),
             qPrintable(dlg.message()));
    QVERIFY(text(demo).endsWith(QStringLiteral("# mine\n")));
    bool offered = false;
    for (QAbstractButton* b : dlg.findChild<QDialogButtonBox*>()->buttons())
      offered = offered || b->text() == QStringLiteral("Overwrite");
    QVERIFY(offered);
    // the offer holds for that folder only: another folder withdraws it
    dlg.folderEdit()->setText(out.filePath(QStringLiteral("elsewhere")));
    dlg.folderEdit()->setText(out.path());
    QVERIFY(dlg.keptFiles().isEmpty());
    dlg.startExport();  // refused again: the offer is made again
    QVERIFY(done.wait(60000));
    QVERIFY(!dlg.succeeded());
    QVERIFY(text(demo).endsWith(QStringLiteral("# mine\n")));
    QCOMPARE(dlg.keptFiles(), QStringList{QStringLiteral("CMakeLists.txt")});
    dlg.startExport();  // Overwrite
    QVERIFY(done.wait(60000));
    QVERIFY2(dlg.succeeded(), qPrintable(dlg.message()));
    QVERIFY(!text(demo).contains(QStringLiteral("# mine")));

    // A spec without a stack cannot be exported, and the dialog says so.
    ExportDialog none(kSamples + QStringLiteral("/channel.ioa"), {});
    QVERIFY(none.stackBox()->count() == 0);
  }

  // Saving is atomic and clears the modified mark; closing asks about unsaved work.
  void saveAndClosePrompt() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("spec.ioa"));
    QVERIFY(QFile::copy(kSamples + QStringLiteral("/channel.ioa"), path));
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    TestWindow w;
    w.show();
    SpecDocument* d = w.openFile(path);
    QVERIFY(d && waitChecked(d));
    d->editor()->append(QStringLiteral("% edited\n"));
    QVERIFY(d->isModified());
    QVERIFY(w.windowTitle().contains(QStringLiteral("•")));
    // Cancel keeps the window and the document.
    w.saveAnswer = QMessageBox::Cancel;
    QVERIFY(!w.close());
    QCOMPARE(w.asked, 1);
    QCOMPARE(w.documents().size(), 1);
    // Save writes the file, then the window closes.
    w.saveAnswer = QMessageBox::Save;
    QVERIFY(w.close());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll().endsWith("% edited\n"));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).size() == 1);  // no temporary left behind
  }

  // Unsaved text survives a crash: a session that died leaves its recovery
  // folder, and the next window offers its documents back.
  void recoveryAfterCrash() {
    QTemporaryDir root;
    QString dead;
    QByteArray lockText;
    {
      // A session's files, as the autosave writes them.
      RecoveryStore crashed(root.path());
      QVERIFY(crashed.begin());
      QVERIFY(crashed.write(QStringLiteral("doc-1"), QString(), QStringLiteral("untitled-1.ioa"),
                            QStringLiteral("automaton Lost\n")));
      dead = crashed.sessionDir();
      lockText = readLock(dead);
      QVERIFY(!lockText.isEmpty());
    }
    // Destroying the store released the lock; a crash would have left it,
    // naming a process that no longer runs.
    writeDeadLock(dead, lockText);
    RecoveryStore live(root.path());
    QVERIFY(live.begin());
    const QVector<RecoveryStore::Entry> orphans = live.orphans();
    QCOMPARE(orphans.size(), 1);
    QCOMPARE(orphans[0].text, QStringLiteral("automaton Lost\n"));
    QCOMPARE(orphans[0].displayName, QStringLiteral("untitled-1.ioa"));
    live.discardOrphans();
    QVERIFY(!QDir(dead).exists());
    QCOMPARE(live.orphans().size(), 0);
    // A running session's folder is never taken for an orphan.
    RecoveryStore other(root.path());
    QVERIFY(other.begin());
    QCOMPARE(other.orphans().size(), 0);
    QCOMPARE(live.orphans().size(), 0);
    other.end();
    live.end();
    QCOMPARE(QDir(root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 0);
  }

  // The window's own autosave and recovery, end to end.
  void windowAutosaveAndRecover() {
    QString sessionDir;
    QByteArray lockText;
    {
      TestWindow first;
      SpecDocument* d = first.newDocument();
      d->editor()->append(QStringLiteral("automaton Unsaved\n"));
      first.autosave();
      sessionDir = first.recovery().sessionDir();
      QVERIFY(!QDir(sessionDir).entryList({QStringLiteral("*.ioa")}, QDir::Files).isEmpty());
      lockText = readLock(sessionDir);
      // The window goes away without closing (no clean exit): its files stay.
    }
    QVERIFY(QDir(sessionDir).exists());
    writeDeadLock(sessionDir, lockText);
    TestWindow second;
    second.recoverAnswer = true;
    second.offerRecovery();
    QCOMPARE(second.asked, 1);
    bool found = false;
    for (SpecDocument* d : second.documents())
      if (d->text().contains(QStringLiteral("automaton Unsaved"))) {
        found = true;
        QVERIFY(d->isModified());
      }
    QVERIFY(found);
    QVERIFY(!QDir(sessionDir).exists());
    // Nothing is offered twice.
    TestWindow third;
    third.offerRecovery();
    QCOMPARE(third.asked, 0);
    second.recovery().end();
  }

  // Settings survive a restart.
  void settingsPersist() {
    WorkbenchSettings s;
    s.timeoutSeconds = 33;
    s.jobs = 3;
    s.bmcDepth = 7;
    s.useCache = false;
    s.save();
    const WorkbenchSettings back = WorkbenchSettings::load();
    QCOMPARE(back.timeoutSeconds, 33);
    QCOMPARE(back.jobs, 3);
    QCOMPARE(back.bmcDepth, 7);
    QCOMPARE(back.useCache, false);
    WorkbenchSettings{}.save();
  }

  // `ioawb-gui --screenshot` renders the window after the check and proofs
  // and reports failure in its exit code.
  void screenshotMode() {
    QTemporaryDir out;
    const QString png = out.filePath(QStringLiteral("shot.png"));
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(QStringLiteral(IOAWB_GUI_BINARY), {QStringLiteral("--screenshot"), png, QStringLiteral("--size"),
                                               QStringLiteral("1280x800"), kSamples + QStringLiteral("/channel.ioa")});
    QVERIFY(p.waitForFinished(180000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const QImage shot(png);
    QCOMPARE(shot.size(), QSize(1280, 800));

    // A spec with errors is a failure unless the picture is about them.
    const QString broken = out.filePath(QStringLiteral("broken.ioa"));
    QFile f(broken);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("automaton Broken\n  states\n    x: Nat := true\n");
    f.close();
    p.start(QStringLiteral(IOAWB_GUI_BINARY), {QStringLiteral("--screenshot"), png, broken});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY(p.exitCode() != 0);
    p.start(QStringLiteral(IOAWB_GUI_BINARY),
            {QStringLiteral("--screenshot"), png, QStringLiteral("--allow-errors"), QStringLiteral("--show"),
             QStringLiteral("problems"), broken});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
  }

  // The user guide's walkthrough, from its own text: the spec it builds up
  // checks, proves, fails as described with the bug, and exports; the
  // pictures it shows exist.
  void userGuideWalkthrough() {
    QFile md(QStringLiteral(IOAWB_DOCS_DIR "/user-guide.md"));
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString guide = QString::fromUtf8(md.readAll());
    QString spec;
    const QRegularExpression block(QStringLiteral("```ioa\\n(.*?)```"), QRegularExpression::DotMatchesEverythingOption);
    for (auto it = block.globalMatch(guide); it.hasNext();) spec += it.next().captured(1);
    QVERIFY(spec.contains(QStringLiteral("stack Framed = Tag ; Seqno ; Length")));
    const QRegularExpression picture(QStringLiteral("\\]\\((screenshots/[^)]+\\.png)\\)"));
    int pictures = 0;
    for (auto it = picture.globalMatch(guide); it.hasNext(); ++pictures) {
      const QString png = it.next().captured(1);
      QVERIFY2(QFile::exists(QStringLiteral(IOAWB_DOCS_DIR "/") + png), qPrintable(png));
    }
    QVERIFY(pictures >= 6);

    QTemporaryDir dir;
    TestWindow w;
    w.show();
    fastSettings(w, 30);
    SpecDocument* d = w.newDocument();
    d->setText(spec);
    QString error;
    QVERIFY2(d->saveAs(dir.filePath(QStringLiteral("fifo.ioa")), &error), qPrintable(error));
    QVERIFY(waitChecked(d));
    QCOMPARE(d->problems()->count(QStringLiteral("error")), 0);
    QVERIFY(d->outline()->find(QStringLiteral("stack"), QStringLiteral("Framed")).isValid());
    w.proveAll();
    QVERIFY(waitProved(d));
    ProofModel::Counts c = d->proofModel()->counts();
    QVERIFY(c.total > 0);
    QCOMPARE(c.proved + c.cached, c.total);

    // Section 6: the bug, then the search for a trace through both stages.
    QString buggy = spec;
    buggy.replace(QStringLiteral("pre q ~= {} /\\ m = head(q)\n      eff q := tail(q)"),
                  QStringLiteral("pre q ~= {} /\\ m = last(q)\n      eff q := init(q)"));
    QVERIFY(buggy != spec);
    d->setText(buggy);
    QVERIFY(waitChecked(d));
    w.boundedSearch();
    QVERIFY(waitProved(d));
    const QModelIndex bmc = firstWithIdPrefix(d->proofModel(), QLatin1String("bmc-simulation"));
    QVERIFY(bmc.isValid());
    QCOMPARE(ProofState(bmc.data(ProofModel::StateRole).toInt()), ProofState::Refuted);
    QVERIFY(w.proofsPanel()->select(bmc.data(ProofModel::IdRole).toString()));
    QVERIFY(w.counterexampleView()->chartVisible());

    // Section 9: export the stack of the saved (correct) file.
    ExportDialog dlg(d->filePath(), d->outline()->namesOfKind(QStringLiteral("stack")));
    QCOMPARE(dlg.stackBox()->currentText(), QStringLiteral("Framed"));
    dlg.folderEdit()->setText(dir.filePath(QStringLiteral("framed")));
    QSignalSpy done(&dlg, &ExportDialog::finished);
    dlg.startExport();
    QVERIFY(done.wait(60000));
    QVERIFY2(dlg.succeeded(), qPrintable(dlg.message()));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("framed/CMakeLists.txt"))));
  }

  // Several files in tabs; the panels follow the current tab.
  void tabsSwitchPanels() {
    TestWindow w;
    w.show();
    SpecDocument* a = w.openFile(kSamples + QStringLiteral("/channel.ioa"));
    SpecDocument* b = w.openFile(kSamples + QStringLiteral("/abp.ioa"));
    QVERIFY(a && b && a != b);
    QCOMPARE(w.documents().size(), 2);
    QCOMPARE(w.openFile(kSamples + QStringLiteral("/channel.ioa")), a);  // already open: its tab
    QCOMPARE(w.currentDocument(), a);
    QCOMPARE(w.problemsView()->model(), a->problems());
    QCOMPARE(w.proofsPanel()->runner(), a->proofs());
    w.setCurrentDocument(b);
    QCOMPARE(w.problemsView()->model(), b->problems());
    QCOMPARE(w.proofsPanel()->runner(), b->proofs());
    QVERIFY(QSettings().value(QStringLiteral("recentFiles")).toStringList().contains(QFileInfo(a->filePath()).absoluteFilePath()));
  }
};

QTEST_MAIN(GuiTest)
#include "GuiTest.moc"
