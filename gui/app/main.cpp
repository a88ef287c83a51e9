// ioawb-gui [FILE...]: the workbench. With --screenshot it opens the spec,
// waits for the check (and proofs) to finish, renders the window to a PNG and
// exits; scripts/screenshots.sh runs it under Xvfb for the docs.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include "Icons.h"
#include "MainWindow.h"
#include "Screenshot.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("IOA Workbench"));
  QApplication::setApplicationName(QStringLiteral("ioawb-gui"));
  QApplication::setApplicationDisplayName(QStringLiteral("IOA Workbench"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
  QApplication::setWindowIcon(ioa::gui::applicationIcon());

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("IOA Workbench: edit, prove, generate and export verified protocol stacks."));
  cli.addHelpOption();
  cli.addVersionOption();
  cli.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("IOA specs to open."), QStringLiteral("[FILE...]"));
  ioa::gui::ScreenshotOptions::addTo(cli);
  cli.process(app);

  const QStringList files = cli.positionalArguments();
  if (auto shot = ioa::gui::ScreenshotOptions::from(cli)) return ioa::gui::runScreenshot(*shot, files);

  ioa::gui::MainWindow w;
  w.show();
  QTimer::singleShot(0, &w, [&w, files] {
    w.offerRecovery();
    for (const QString& f : files) w.openFile(f);
    if (w.documents().isEmpty()) w.newDocument();
  });
  return app.exec();
}
