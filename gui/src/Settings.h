// What the user can tune, kept with QSettings, and the dialog that edits it.
#pragma once

#include <QDialog>

class QSpinBox;
class QCheckBox;

namespace ioa::gui {

struct WorkbenchSettings {
  int timeoutSeconds = 10;  // per proof obligation
  int jobs = 0;             // solver threads; 0 = one per core
  int bmcDepth = 10;        // bounded model checking: steps from the start states
  bool useCache = true;     // reuse results of unchanged obligations
  int checkDelayMs = 40;    // pause in typing before the spec is re-checked
  int fontSize = 10;        // editor font, points

  static WorkbenchSettings load();
  void save() const;
};

class SettingsDialog : public QDialog {
  Q_OBJECT
 public:
  explicit SettingsDialog(const WorkbenchSettings& s, QWidget* parent = nullptr);
  WorkbenchSettings settings() const;

 private:
  QSpinBox *timeout_, *jobs_, *bmcDepth_, *checkDelay_, *fontSize_;
  QCheckBox* useCache_;
};

}  // namespace ioa::gui
