// The proofs panel: the current document's obligations grouped by automaton
// and invariant / simulation, with status icons, times, a filter, re-run and
// cancel buttons, a progress bar and the selected obligation's details.
#pragma once

#include <QPointer>
#include <QSet>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSortFilterProxyModel;
class QToolButton;
class QTreeView;
class QModelIndex;

namespace ioa::gui {

class ProofRunner;
class ProofModel;

class ProofsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ProofsPanel(QWidget* parent = nullptr);

  // Shows this runner's model and follows its progress (null: nothing to show).
  void setRunner(ProofRunner* runner);
  ProofRunner* runner() const { return runner_; }
  // Whether the shown results belong to an older text than the editor's.
  void setStale(bool stale);

  QTreeView* view() const { return view_; }
  QLineEdit* filterEdit() const { return filter_; }
  QComboBox* stateFilter() const { return stateFilter_; }
  QProgressBar* progress() const { return progress_; }
  QLabel* summaryLabel() const { return summary_; }
  // Selects an obligation row (and shows it) by id.
  bool select(const QString& id);
  QString selectedId() const;

 Q_SIGNALS:
  void proveAllRequested();
  void rerunRequested(const QSet<QString>& ids);
  void boundedSearchRequested();
  void cancelRequested();
  // The selection moved to an obligation (empty id: none).
  void obligationSelected(const QString& id);
  void jumpRequested(int line, int col);

 private:
  void updateProgress();
  void updateButtons();
  void updateDetails();
  QSet<QString> selectedIds() const;
  void selectionChanged();

  QPointer<ProofRunner> runner_;
  QList<QMetaObject::Connection> connections_;
  QToolButton *proveAll_, *rerun_, *bmc_, *cancel_;
  QLineEdit* filter_;
  QComboBox* stateFilter_;
  QProgressBar* progress_;
  QLabel *summary_, *stale_, *details_, *empty_;
  QTreeView* view_;
  QSortFilterProxyModel* proxy_;
};

}  // namespace ioa::gui
