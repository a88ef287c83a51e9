// Screenshot mode: open specs, let the engine finish (check, proofs), pick a
// view worth showing, render the main window to a PNG and report whether
// everything worked. Used by `ioawb-gui --screenshot` and the docs script.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QCommandLineParser;

namespace ioa::gui {

struct ScreenshotOptions {
  QString output;            // PNG path
  QSize size{1600, 1000};
  QString show;              // which panel to bring forward (see --show)
  bool allowErrors = false;  // a spec with errors is the point of the picture
  bool prove = true;         // run the proofs before the picture
  bool bounded = false;      // ... with bounded model checking (Verify > Search for Traces)
  int timeoutSeconds = 300;

  static void addTo(QCommandLineParser& cli);
  static std::optional<ScreenshotOptions> from(const QCommandLineParser& cli);
};

// Returns the process exit code: 0 when the picture was written and nothing failed.
int runScreenshot(const ScreenshotOptions& o, const QStringList& files);

// Processes events until `done` holds or `timeoutMs` passes; returns `done()`.
bool waitUntil(const std::function<bool()>& done, int timeoutMs);

}  // namespace ioa::gui
