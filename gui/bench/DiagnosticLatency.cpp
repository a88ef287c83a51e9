// Editor diagnostics latency on a 2,000-line spec: from the last keystroke of
// a burst of typing to the diagnostics on screen (margin markers, underlines,
// problems list). The figure includes the pause the editor waits for before it
// re-checks (Settings: "Re-check after a pause of", 40 ms by default).
//
//   bench_gui_latency [--lines N] [--rounds R]      (QT_QPA_PLATFORM=offscreen works)
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "CheckModels.h"
#include "MainWindow.h"
#include "SpecDocument.h"
#include "SpecEditor.h"

using namespace ioa::gui;

namespace {

QString bigSpec(int lines) {
  QString s = QStringLiteral("% generated for the diagnostics latency benchmark\n\n");
  for (int i = 0; s.count(QLatin1Char('\n')) < lines; ++i) {
    s += QStringLiteral(
             "automaton Chan%1\n"
             "  signature\n"
             "    input  send(m: Nat)\n"
             "    output receive(m: Nat)\n"
             "  states\n"
             "    buffer: Seq[Nat] := {},\n"
             "    count: Nat := 0\n"
             "  transitions\n"
             "    input send(m)\n"
             "      eff buffer := buffer |- m;\n"
             "          count := count + 1\n"
             "    output receive(m)\n"
             "      pre buffer ~= {} /\\ m = head(buffer)\n"
             "      eff buffer := tail(buffer)\n"
             "\n"
             "invariant Count%1 of Chan%1: count >= 0\n\n")
             .arg(i);
  }
  return s;
}

struct Stats {
  double median, p90, max;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 9 / 10)], v.back()};
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("IOA Workbench Bench"));
  int lines = 2000, rounds = 40;
  const QStringList args = app.arguments();
  for (int i = 1; i + 1 < args.size(); ++i) {
    if (args[i] == QLatin1String("--lines")) lines = args[i + 1].toInt();
    if (args[i] == QLatin1String("--rounds")) rounds = args[i + 1].toInt();
  }
  MainWindow w(false);
  w.show();
  SpecDocument* d = w.newDocument();
  d->setText(bigSpec(lines));
  if (!QTest::qWaitFor([d] { return d->checkIsCurrent(); }, 20000)) return 2;
  SpecEditor* e = d->editor();
  std::printf("spec: %d lines, %d bytes; re-check pause %d ms\n", e->lines(), static_cast<int>(e->length()),
              w.settings().checkDelayMs);

  std::vector<double> latency, check;
  const int target = e->lines() / 2;
  for (int r = 0; r < rounds; ++r) {
    // A burst of typing: three characters 60 ms apart, ending in an error
    // (odd rounds) or its repair (even rounds).
    int line = target;
    while (!e->text(line).contains(QStringLiteral("count + 1"))) ++line;
    const bool breakIt = r % 2 == 0;
    const QString text = e->text(line);
    const int afterOne = static_cast<int>(text.indexOf(QStringLiteral("+ 1"))) + 3;
    e->setCursorPosition(line, breakIt ? afterOne : afterOne + 3);  // repair: just after the typed "  x"
    QElapsedTimer t;
    for (int k = 0; k < 3; ++k) {
      if (breakIt)
        QTest::keyClick(e, k == 2 ? Qt::Key_X : Qt::Key_Space);
      else
        QTest::keyClick(e, Qt::Key_Backspace);
      t.start();
      if (k < 2) QTest::qWait(60);
    }
    const int wantErrors = breakIt ? 1 : 0;
    // Wait in a real event loop (no polling sleeps that would delay the UI thread).
    auto arrived = [&] { return d->checkIsCurrent() && (d->problems()->count(QStringLiteral("error")) > 0) == wantErrors; };
    if (!arrived()) {
      QEventLoop loop;
      QObject::connect(d, &SpecDocument::checked, &loop, [&] {
        if (arrived()) loop.quit();
      });
      QTimer::singleShot(5000, &loop, &QEventLoop::quit);
      loop.exec();
    }
    if (!arrived()) {
      std::printf("round %d: diagnostics did not arrive\n", r);
      return 1;
    }
    latency.push_back(d->lastLatencyMs());
    check.push_back(d->lastCheckMs());
    QTest::qWait(20);
  }
  const Stats l = stats(latency), c = stats(check);
  std::printf("keystroke pause -> diagnostics shown: median %.1f ms, p90 %.1f ms, max %.1f ms (%d rounds)\n", l.median,
              l.p90, l.max, rounds);
  std::printf("engine check of the whole text (worker thread): median %.1f ms, p90 %.1f ms, max %.1f ms\n", c.median,
              c.p90, c.max);
  std::printf("target: diagnostics within 100 ms of a pause: %s\n", l.p90 <= 100 ? "met" : "NOT met");
  return 0;
}
