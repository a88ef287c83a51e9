#include "ProofsPanel.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QMenu>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "Icons.h"
#include "ProofModel.h"
#include "ProofRunner.h"

namespace ioa::gui {

namespace {

// Which rows the state box keeps.
enum StateFilter { AllStates, Failed, RefutedOnly, UnknownOnly, ProvedOnly, RunningOnly };

bool keeps(int filter, ProofState s) {
  switch (filter) {
    case Failed: return s == ProofState::Refuted || s == ProofState::Unknown || s == ProofState::Error;
    case RefutedOnly: return s == ProofState::Refuted;
    case UnknownOnly: return s == ProofState::Unknown || s == ProofState::Error;
    case ProvedOnly: return s == ProofState::Proved || s == ProofState::Cached;
    case RunningOnly: return s == ProofState::Running;
    default: return true;
  }
}

// Obligations pass by state and by text (their name, description or id);
// groups are shown when one of their obligations passes.
class ObligationFilter : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setState(int s) {
    state_ = s;
    invalidateFilter();
  }
  void setText(const QString& t) {
    text_ = t;
    invalidateFilter();
  }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    const QModelIndex i = sourceModel()->index(row, 0, parent);
    const auto* m = static_cast<const ProofModel*>(sourceModel());
    if (!m->isObligation(i)) return state_ == AllStates && text_.isEmpty();
    if (!keeps(state_, m->stateAt(i))) return false;
    if (text_.isEmpty()) return true;
    const auto* info = m->infoAt(i);
    return i.data().toString().contains(text_, Qt::CaseInsensitive) ||
           QString::fromStdString(info->description).contains(text_, Qt::CaseInsensitive) ||
           QString::fromStdString(info->id).contains(text_, Qt::CaseInsensitive);
  }

 private:
  int state_ = AllStates;
  QString text_;
};

QToolButton* button(const QString& text, const QString& icon, const QString& tip) {
  auto* b = new QToolButton;
  b->setText(text);
  b->setIcon(commandIcon(icon));
  b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  b->setToolTip(tip);
  b->setAutoRaise(true);
  return b;
}

}  // namespace

ProofsPanel::ProofsPanel(QWidget* parent) : QWidget(parent) {
  proveAll_ = button(tr("Prove all"), QStringLiteral("prove"),
                     tr("Prove every obligation of this spec (F5). Unchanged obligations come from the cache."));
  rerun_ = button(tr("Re-run"), QStringLiteral("rerun"),
                  tr("Prove the selected obligations again, without the cache"));
  bmc_ = button(tr("Search traces"), QStringLiteral("bmc"),
                tr("Bounded model checking: search for a run from a start state that breaks an invariant or the "
                   "simulation (depth in Settings)"));
  cancel_ = button(tr("Cancel"), QStringLiteral("stop"), tr("Stop the running proofs"));
  connect(proveAll_, &QToolButton::clicked, this, &ProofsPanel::proveAllRequested);
  connect(rerun_, &QToolButton::clicked, this, [this] {
    const QSet<QString> ids = selectedIds();
    if (!ids.isEmpty()) Q_EMIT rerunRequested(ids);
  });
  connect(bmc_, &QToolButton::clicked, this, &ProofsPanel::boundedSearchRequested);
  connect(cancel_, &QToolButton::clicked, this, &ProofsPanel::cancelRequested);

  filter_ = new QLineEdit;
  filter_->setPlaceholderText(tr("Filter obligations"));
  filter_->setClearButtonEnabled(true);
  stateFilter_ = new QComboBox;
  stateFilter_->addItems({tr("All"), tr("Failed"), tr("Refuted"), tr("Unknown"), tr("Proved"), tr("Running")});
  stateFilter_->setToolTip(tr("Show only obligations in this state"));

  progress_ = new QProgressBar;
  progress_->setTextVisible(true);
  progress_->setFormat(tr("%v of %m"));
  progress_->setMaximumHeight(18);
  summary_ = new QLabel;
  summary_->setTextFormat(Qt::RichText);
  stale_ = new QLabel(tr("The spec changed after these results. Prove again to bring them up to date."));
  stale_->setWordWrap(true);
  stale_->setStyleSheet(QStringLiteral("QLabel { background: #fff4ce; border: 1px solid #e6c75a; padding: 4px; }"));
  stale_->hide();

  auto* proxy = new ObligationFilter(this);
  proxy->setRecursiveFilteringEnabled(true);
  proxy_ = proxy;
  connect(filter_, &QLineEdit::textChanged, this, [this, proxy](const QString& t) {
    proxy->setText(t);
    view_->expandAll();
  });
  connect(stateFilter_, &QComboBox::currentIndexChanged, this, [this, proxy](int s) {
    proxy->setState(s);
    view_->expandAll();
  });

  view_ = new QTreeView;
  view_->setModel(proxy_);
  view_->setUniformRowHeights(true);
  view_->setAlternatingRowColors(true);
  view_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setAnimated(false);
  view_->header()->setStretchLastSection(false);
  connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProofsPanel::selectionChanged);
  connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ProofsPanel::selectionChanged);
  connect(view_, &QTreeView::doubleClicked, this, [this](const QModelIndex& i) {
    auto* m = runner_ ? runner_->model() : nullptr;
    if (const auto* info = m ? m->infoAt(proxy_->mapToSource(i)) : nullptr)
      if (info->line) Q_EMIT jumpRequested(static_cast<int>(info->line), static_cast<int>(info->col));
  });

  view_->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(view_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    const QModelIndex i = view_->indexAt(at);
    if (!i.isValid() || !runner_) return;
    QMenu menu(this);
    QAction* rerun = menu.addAction(commandIcon(QStringLiteral("rerun")), tr("Re-run"));
    rerun->setEnabled(rerun_->isEnabled());
    const auto* info = runner_->model()->infoAt(proxy_->mapToSource(i));
    QAction* show = menu.addAction(tr("Show in Spec"));
    show->setEnabled(info && info->line);
    QAction* copy = menu.addAction(tr("Copy Obligation Id"));
    copy->setEnabled(info != nullptr);
    QAction* chosen = menu.exec(view_->viewport()->mapToGlobal(at));
    if (chosen == rerun) rerun_->click();
    if (chosen == show && info) Q_EMIT jumpRequested(static_cast<int>(info->line), static_cast<int>(info->col));
    if (chosen == copy && info) QGuiApplication::clipboard()->setText(QString::fromStdString(info->id));
  });

  empty_ = new QLabel(tr("No proofs yet. Press <b>Prove all</b> (F5) to prove the invariants, well-definedness "
                         "and simulations of this spec."));
  empty_->setWordWrap(true);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setStyleSheet(QStringLiteral("QLabel { color: #5f6368; padding: 16px; }"));

  details_ = new QLabel;
  details_->setWordWrap(true);
  details_->setTextFormat(Qt::RichText);
  details_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  details_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  details_->setMinimumHeight(details_->fontMetrics().lineSpacing() * 4);
  details_->setStyleSheet(QStringLiteral("QLabel { background: #f8f9fa; border-top: 1px solid #dadce0; padding: 6px; }"));
  connect(details_, &QLabel::linkActivated, this, [this](const QString& link) {
    const QStringList lc = link.mid(5).split(QLatin1Char(':'));  // "line:L:C"
    if (lc.size() == 2) Q_EMIT jumpRequested(lc[0].toInt(), lc[1].toInt());
  });

  auto* buttons = new QHBoxLayout;
  buttons->setSpacing(2);
  for (QToolButton* b : {proveAll_, rerun_, bmc_, cancel_}) buttons->addWidget(b);
  buttons->addStretch();
  auto* filters = new QHBoxLayout;
  filters->addWidget(filter_, 1);
  filters->addWidget(stateFilter_);
  auto* status = new QHBoxLayout;
  status->addWidget(progress_, 1);
  status->addWidget(summary_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  layout->addLayout(buttons);
  layout->addLayout(filters);
  layout->addLayout(status);
  layout->addWidget(stale_);
  layout->addWidget(empty_, 1);
  layout->addWidget(view_, 1);
  layout->addWidget(details_);
  setRunner(nullptr);
}

void ProofsPanel::setRunner(ProofRunner* runner) {
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  runner_ = runner;
  proxy_->setSourceModel(runner ? runner->model() : nullptr);
  if (runner) {
    // Column modes need the columns: set them once a model is there.
    view_->header()->setSectionResizeMode(ProofModel::NameColumn, QHeaderView::Stretch);
    view_->header()->setSectionResizeMode(ProofModel::StatusColumn, QHeaderView::ResizeToContents);
    view_->header()->setSectionResizeMode(ProofModel::TimeColumn, QHeaderView::ResizeToContents);
    connections_ << connect(runner, &ProofRunner::started, this, [this] {
      view_->expandToDepth(0);
      updateProgress();
      updateButtons();
    });
    connections_ << connect(runner, &ProofRunner::resultArrived, this, [this] {
      updateProgress();
      updateDetails();
    });
    connections_ << connect(runner, &ProofRunner::finished, this, [this] {
      updateProgress();
      updateButtons();
      updateDetails();
    });
    connections_ << connect(runner, &ProofRunner::failed, this, [this](const QString& m) {
      summary_->setText(QStringLiteral("<span style='color:#c5221f'>%1</span>").arg(m.toHtmlEscaped()));
      updateButtons();
    });
    connections_ << connect(runner->model(), &QAbstractItemModel::modelReset, this, [this] {
      view_->expandToDepth(0);
      updateProgress();
    });
    view_->expandToDepth(0);
  }
  updateProgress();
  updateButtons();
  updateDetails();
}

void ProofsPanel::setStale(bool stale) { stale_->setVisible(stale && runner_ && runner_->model()->rowCount() > 0); }

void ProofsPanel::updateButtons() {
  const bool running = runner_ && runner_->isRunning();
  proveAll_->setEnabled(runner_ && !running);
  bmc_->setEnabled(runner_ && !running);
  rerun_->setEnabled(runner_ && !running && !selectedIds().isEmpty());
  cancel_->setEnabled(running);
}

void ProofsPanel::updateProgress() {
  const bool hasRows = runner_ && runner_->model()->rowCount() > 0;
  empty_->setVisible(!hasRows && !(runner_ && runner_->isRunning()));
  view_->setVisible(!empty_->isVisible());
  details_->setVisible(hasRows);
  progress_->setVisible(hasRows || (runner_ && runner_->isRunning()));
  if (!runner_) {
    progress_->setRange(0, 1);
    progress_->setValue(0);
    summary_->clear();
    return;
  }
  if (runner_->isRunning()) {
    if (runner_->total() == 0) {
      progress_->setRange(0, 0);  // generating obligations
      progress_->setFormat(tr("preparing…"));
    } else {
      progress_->setRange(0, runner_->total());
      progress_->setValue(runner_->done());
      progress_->setFormat(tr("%v of %m"));
    }
  } else {
    const int total = std::max(1, runner_->total());
    progress_->setRange(0, total);
    progress_->setValue(runner_->total() ? runner_->done() : 0);
    progress_->setFormat(runner_->total() ? tr("%v of %m") : tr("idle"));
  }
  const ProofModel::Counts c = runner_->model()->counts();
  QStringList parts;
  if (c.proved + c.cached)
    parts << QStringLiteral("<span style='color:#188038'>%1 proved</span>").arg(c.proved + c.cached);
  if (c.refuted) parts << QStringLiteral("<span style='color:#c5221f'><b>%1 refuted</b></span>").arg(c.refuted);
  if (c.unknown) parts << QStringLiteral("<span style='color:#a86200'>%1 unknown</span>").arg(c.unknown);
  if (c.error)
    parts << QStringLiteral("<span style='color:#9b1c1c'>%1</span>").arg(countOf(c.error, tr("error"), tr("errors")));
  if (c.cancelled) parts << QStringLiteral("%1 cancelled").arg(c.cancelled);
  if (!runner_->isRunning() && runner_->lastSummary().wallMs > 0)
    parts << formatMillis(runner_->lastSummary().wallMs).toHtmlEscaped();
  summary_->setText(parts.join(QStringLiteral(" · ")));
}

QSet<QString> ProofsPanel::selectedIds() const {
  QSet<QString> ids;
  if (!runner_) return ids;
  for (const QModelIndex& i : view_->selectionModel()->selectedRows())
    ids.unite(runner_->model()->idsUnder(proxy_->mapToSource(i)));
  return ids;
}

QString ProofsPanel::selectedId() const {
  const QModelIndex i = proxy_->mapToSource(view_->currentIndex());
  return runner_ && runner_->model()->isObligation(i) ? i.data(ProofModel::IdRole).toString() : QString();
}

bool ProofsPanel::select(const QString& id) {
  if (!runner_) return false;
  const QModelIndex src = runner_->model()->indexOf(id);
  const QModelIndex i = proxy_->mapFromSource(src);
  if (!i.isValid()) return false;
  view_->scrollTo(i);
  view_->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  return true;
}

void ProofsPanel::selectionChanged() {
  updateButtons();
  updateDetails();
  Q_EMIT obligationSelected(selectedId());
}

void ProofsPanel::updateDetails() {
  const QModelIndex i = runner_ ? proxy_->mapToSource(view_->currentIndex()) : QModelIndex();
  const ProofModel* m = runner_ ? runner_->model() : nullptr;
  const auto* info = m ? m->infoAt(i) : nullptr;
  if (!info) {
    details_->setText(tr("<span style='color:#5f6368'>Select an obligation to see its details; double-click "
                         "to show it in the spec.</span>"));
    return;
  }
  const auto* res = m->resultAt(i);
  const ProofState s = m->stateAt(i);
  QString text = QStringLiteral("<b>%1</b><br>").arg(QString::fromStdString(info->description).toHtmlEscaped());
  text += proofStateName(s);
  if (res) text += QStringLiteral(" in %1").arg(formatMillis(res->timeMs).toHtmlEscaped());
  if (info->line)
    text += QStringLiteral(" · <a href='line:%1:%2'>line %1</a>").arg(info->line).arg(info->col);
  if (info->bounded)
    text += tr(" · bounded: %1").arg(countOf(static_cast<int>(info->depth), tr("step"), tr("steps")));
  if (res && !res->reason.empty()) text += QStringLiteral("<br>%1").arg(QString::fromStdString(res->reason).toHtmlEscaped());
  if (s == ProofState::Refuted && res && res->counterexample)
    text += tr("<br>The counterexample is in the Counterexample panel.");
  details_->setText(text);
}

}  // namespace ioa::gui
