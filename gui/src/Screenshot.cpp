#include "Screenshot.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include "CheckModels.h"
#include "CodePanel.h"
#include "CounterexampleView.h"
#include "MainWindow.h"
#include "ProofModel.h"
#include "ProofRunner.h"
#include "ProofsPanel.h"
#include "SpecDocument.h"

namespace ioa::gui {

namespace {
QTextStream& err() {
  static QTextStream s(stderr);
  return s;
}
}  // namespace

void ScreenshotOptions::addTo(QCommandLineParser& cli) {
  cli.addOption({QStringLiteral("screenshot"),
                 QStringLiteral("Open the specs, run the checks and proofs to completion, write the window to "
                                "<png> and exit (non-zero if anything failed)."),
                 QStringLiteral("png")});
  cli.addOption({QStringLiteral("size"), QStringLiteral("Window size for --screenshot (default 1600x1000)."),
                 QStringLiteral("WxH")});
  cli.addOption({QStringLiteral("show"),
                 QStringLiteral("Panel to show for --screenshot: proofs (default), problems, counterexample, code, "
                                "optimizer, or export (renders the export dialog after exporting to a scratch folder)."),
                 QStringLiteral("panel")});
  cli.addOption({QStringLiteral("allow-errors"), QStringLiteral("--screenshot: a spec with errors is not a failure.")});
  cli.addOption({QStringLiteral("no-prove"), QStringLiteral("--screenshot: do not run the proofs.")});
  cli.addOption({QStringLiteral("bmc"),
                 QStringLiteral("--screenshot: prove with bounded model checking (Search for Traces) to find runs.")});
}

std::optional<ScreenshotOptions> ScreenshotOptions::from(const QCommandLineParser& cli) {
  if (!cli.isSet(QStringLiteral("screenshot"))) return std::nullopt;
  ScreenshotOptions o;
  o.output = cli.value(QStringLiteral("screenshot"));
  if (cli.isSet(QStringLiteral("size"))) {
    const QStringList wh = cli.value(QStringLiteral("size")).split(QLatin1Char('x'));
    if (wh.size() == 2 && wh[0].toInt() > 0 && wh[1].toInt() > 0) o.size = QSize(wh[0].toInt(), wh[1].toInt());
  }
  o.show = cli.value(QStringLiteral("show"));
  o.allowErrors = cli.isSet(QStringLiteral("allow-errors"));
  o.prove = !cli.isSet(QStringLiteral("no-prove"));
  o.bounded = cli.isSet(QStringLiteral("bmc"));
  return o;
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  QDeadlineTimer deadline(timeoutMs);
  while (!done()) {
    if (deadline.hasExpired()) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  return true;
}

int runScreenshot(const ScreenshotOptions& o, const QStringList& files) {
  MainWindow w(false);
  w.resize(o.size);
  w.show();
  bool failed = false;
  for (const QString& f : files)
    if (!w.openFile(f)) {
      err() << "cannot open " << f << "\n";
      failed = true;
    }
  if (w.documents().isEmpty()) w.newDocument();
  SpecDocument* d = w.currentDocument();
  const int budget = o.timeoutSeconds * 1000;
  if (!waitUntil([d] { return d->checkIsCurrent(); }, budget)) {
    err() << "the check did not finish\n";
    return 3;
  }
  const int errors = d->problems()->count(QStringLiteral("error"));
  if (errors && !o.allowErrors) {
    err() << d->displayName() << ": " << errors << " error(s) in the spec\n";
    failed = true;
  }
  if (o.prove && errors == 0) {
    bool failedToStart = false;
    QObject::connect(d->proofs(), &ProofRunner::failed, &w, [&](const QString& m) {
      err() << "proofs: " << m << "\n";
      failedToStart = true;
    });
    if (o.bounded)
      w.boundedSearch();
    else
      w.proveAll();
    if (!waitUntil([&] { return failedToStart || !d->proofs()->isRunning(); }, budget)) {
      err() << "the proofs did not finish within " << o.timeoutSeconds << " s\n";
      d->proofs()->cancel();
      return 3;
    }
    const ProofModel::Counts c = d->proofModel()->counts();
    err() << d->displayName() << ": " << c.total << " obligations, " << c.proved + c.cached << " proved, " << c.refuted
          << " refuted, " << c.unknown << " unknown, " << c.error << " errors\n";
    if (failedToStart || c.error > 0) failed = true;
  }
  if (o.show == QLatin1String("problems")) w.showDock(QStringLiteral("problemsDock"));
  if (o.show == QLatin1String("code")) {
    w.showDock(QStringLiteral("codeDock"));
    // Code wants height: give the bottom panels half the window for this picture.
    w.resizeDocks({w.dock(QStringLiteral("codeDock"))}, {w.height() * 11 / 20}, Qt::Vertical);
    CodePanel* code = w.codePanel();
    if (!waitUntil([code] { return code->result() && !code->isBusy(); }, budget) || !code->result()->ok()) {
      err() << "code generation failed\n";
      failed = true;
    }
  }
  if (o.show == QLatin1String("optimizer")) {
    w.showDock(QStringLiteral("optimizerDock"));
    // Two code views side by side want height as well: most of the window for this picture.
    w.resizeDocks({w.dock(QStringLiteral("optimizerDock"))}, {w.height() * 3 / 5}, Qt::Vertical);
    OptimizerPanel* opt = w.optimizerPanel();
    if (OptimizerPanel::available()) {
      // A real run on the spec's first stack, with the prover's timeout per path.
      const QStringList stacks = d->outline()->namesOfKind(QStringLiteral("stack"));
      if (stacks.isEmpty()) {
        err() << d->displayName() << " declares no stack: the panel says so\n";
      } else if (!opt->run(stacks.front(), static_cast<unsigned>(w.settings().timeoutSeconds) * 1000u)) {
        err() << "the optimizer did not start\n";
        failed = true;
      } else if (!waitUntil([opt] { return !opt->isRunning(); }, budget)) {
        err() << "the optimizer did not finish within " << o.timeoutSeconds << " s\n";
        return 3;
      } else if (!opt->result()->ok()) {
        err() << "optimizer: " << opt->errorText() << "\n";
        failed = true;
      } else {
        const engine::OptimizeResult& r = *opt->result();
        err() << stacks.front() << ": " << static_cast<int>(r.obligations.size()) << " bypass obligations, "
              << r.proved() << " proved, " << r.refuted() << " refuted, " << r.unknown() << " unknown\n";
      }
    }
  }
  if (o.show == QLatin1String("export")) {
    // The export dialog over the window, after a real export into a scratch folder.
    QTemporaryDir scratch;
    ExportDialog dlg(d->filePath(), d->outline()->namesOfKind(QStringLiteral("stack")), &w);
    dlg.folderEdit()->setText(scratch.filePath(QStringLiteral("reliable-export")));
    dlg.show();
    dlg.startExport();
    if (!waitUntil([&dlg] { return !dlg.isBusy(); }, budget) || !dlg.succeeded()) {
      err() << "export failed: " << dlg.message() << "\n";
      return 1;
    }
    waitUntil([] { return false; }, 200);
    const QPixmap pic = dlg.grab();
    if (pic.isNull() || !pic.save(o.output, "PNG")) {
      err() << "cannot write " << o.output << "\n";
      return 4;
    }
    err() << dlg.message() << "\nwrote " << QFileInfo(o.output).absoluteFilePath() << "\n";
    return failed ? 1 : 0;
  }
  if (o.show == QLatin1String("counterexample")) {
    // A run from a start state tells more than a counterexample to induction.
    QModelIndex refuted;
    for (const QString& id : d->proofModel()->idsUnder({}))
      if (id.startsWith(QLatin1String("bmc-")) &&
          d->proofModel()->stateAt(d->proofModel()->indexOf(id)) == ProofState::Refuted)
        refuted = d->proofModel()->indexOf(id);
    if (!refuted.isValid()) refuted = d->proofModel()->firstInState(ProofState::Refuted);
    if (!refuted.isValid()) {
      err() << "no refuted obligation to show\n";
      failed = true;
    } else {
      w.proofsPanel()->select(refuted.data(ProofModel::IdRole).toString());
      w.showDock(QStringLiteral("counterexampleDock"));
      // The last step is where it fails: select it, which selects its transition in the spec.
      CounterexampleView* cex = w.counterexampleView();
      cex->selectColumn(cex->traceModel()->columnCount() - 1);
    }
  }
  // Let the layout settle (docks, fonts, lazily styled text) before rendering.
  waitUntil([] { return false; }, 300);
  const QPixmap shot = w.grab();
  if (shot.isNull() || !shot.save(o.output, "PNG")) {
    err() << "cannot write " << o.output << "\n";
    return 4;
  }
  err() << "wrote " << QFileInfo(o.output).absoluteFilePath() << " (" << shot.width() << "x" << shot.height()
        << ")\n";
  return failed ? 1 : 0;
}

}  // namespace ioa::gui
