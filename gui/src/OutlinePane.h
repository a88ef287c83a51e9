// The outline of one document: a filter box over a tree of its declarations.
// Clicking an entry asks for the editor to jump there. The tree keeps which
// entries are expanded when the outline is rebuilt after an edit.
#pragma once

#include <QSet>
#include <QWidget>

class QLineEdit;
class QTreeView;
class QSortFilterProxyModel;
class QModelIndex;

namespace ioa::gui {

class OutlineModel;

class OutlinePane : public QWidget {
  Q_OBJECT
 public:
  explicit OutlinePane(OutlineModel* model, QWidget* parent = nullptr);
  QTreeView* view() const { return view_; }
  QLineEdit* filter() const { return filter_; }

 signals:
  void jumpRequested(int line, int col);

 private:
  void remember();
  void restore();
  void activate(const QModelIndex& proxyIndex);

  OutlineModel* model_;
  QSortFilterProxyModel* proxy_;
  QLineEdit* filter_;
  QTreeView* view_;
  QSet<QString> expanded_;
  bool firstFill_ = true;
};

}  // namespace ioa::gui
