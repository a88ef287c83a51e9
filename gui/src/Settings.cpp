#include "Settings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace ioa::gui {

WorkbenchSettings WorkbenchSettings::load() {
  QSettings q;
  WorkbenchSettings s;
  s.timeoutSeconds = std::clamp(q.value(QStringLiteral("prover/timeoutSeconds"), s.timeoutSeconds).toInt(), 1, 3600);
  s.jobs = std::clamp(q.value(QStringLiteral("prover/jobs"), s.jobs).toInt(), 0, 256);
  s.bmcDepth = std::clamp(q.value(QStringLiteral("prover/bmcDepth"), s.bmcDepth).toInt(), 1, 1000);
  s.useCache = q.value(QStringLiteral("prover/useCache"), s.useCache).toBool();
  s.checkDelayMs = std::clamp(q.value(QStringLiteral("editor/checkDelayMs"), s.checkDelayMs).toInt(), 0, 5000);
  s.fontSize = std::clamp(q.value(QStringLiteral("editor/fontSize"), s.fontSize).toInt(), 6, 40);
  return s;
}

void WorkbenchSettings::save() const {
  QSettings q;
  q.setValue(QStringLiteral("prover/timeoutSeconds"), timeoutSeconds);
  q.setValue(QStringLiteral("prover/jobs"), jobs);
  q.setValue(QStringLiteral("prover/bmcDepth"), bmcDepth);
  q.setValue(QStringLiteral("prover/useCache"), useCache);
  q.setValue(QStringLiteral("editor/checkDelayMs"), checkDelayMs);
  q.setValue(QStringLiteral("editor/fontSize"), fontSize);
}

namespace {
QSpinBox* spin(int lo, int hi, int value, const QString& suffix, const QString& special = {}) {
  auto* b = new QSpinBox;
  b->setRange(lo, hi);
  b->setValue(value);
  b->setSuffix(suffix);
  if (!special.isEmpty()) b->setSpecialValueText(special);
  return b;
}
}  // namespace

SettingsDialog::SettingsDialog(const WorkbenchSettings& s, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Settings"));
  auto* prover = new QGroupBox(tr("Prover"));
  auto* pf = new QFormLayout(prover);
  timeout_ = spin(1, 3600, s.timeoutSeconds, tr(" s"));
  timeout_->setToolTip(tr("An obligation the solver cannot decide in this time is reported as unknown, never as proved."));
  jobs_ = spin(0, 256, s.jobs, {}, tr("automatic (%1 cores)").arg(QThread::idealThreadCount()));
  jobs_->setToolTip(tr("Obligations solved in parallel."));
  bmcDepth_ = spin(1, 1000, s.bmcDepth, tr(" steps"));
  bmcDepth_->setToolTip(tr("How far bounded model checking searches from the start states for a real trace."));
  useCache_ = new QCheckBox(tr("Reuse results of obligations whose query did not change"));
  useCache_->setChecked(s.useCache);
  pf->addRow(tr("Timeout per obligation:"), timeout_);
  pf->addRow(tr("Parallel jobs:"), jobs_);
  pf->addRow(tr("Bounded model checking depth:"), bmcDepth_);
  pf->addRow(QString(), useCache_);

  auto* editor = new QGroupBox(tr("Editor"));
  auto* ef = new QFormLayout(editor);
  checkDelay_ = spin(0, 5000, s.checkDelayMs, tr(" ms"));
  checkDelay_->setToolTip(tr("The spec is re-checked when typing pauses this long."));
  fontSize_ = spin(6, 40, s.fontSize, tr(" pt"));
  ef->addRow(tr("Re-check after a pause of:"), checkDelay_);
  ef->addRow(tr("Font size:"), fontSize_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
    const WorkbenchSettings d;
    timeout_->setValue(d.timeoutSeconds);
    jobs_->setValue(d.jobs);
    bmcDepth_->setValue(d.bmcDepth);
    useCache_->setChecked(d.useCache);
    checkDelay_->setValue(d.checkDelayMs);
    fontSize_->setValue(d.fontSize);
  });
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(prover);
  layout->addWidget(editor);
  layout->addWidget(buttons);
}

WorkbenchSettings SettingsDialog::settings() const {
  WorkbenchSettings s;
  s.timeoutSeconds = timeout_->value();
  s.jobs = jobs_->value();
  s.bmcDepth = bmcDepth_->value();
  s.useCache = useCache_->isChecked();
  s.checkDelayMs = checkDelay_->value();
  s.fontSize = fontSize_->value();
  return s;
}

}  // namespace ioa::gui
