#include "OutlinePane.h"

#include <functional>

#include <QApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <QVBoxLayout>

#include "CheckModels.h"

namespace ioa::gui {

namespace {
// Draws an entry's detail ("of Channel", "input", "Top ; Seqno") in grey after
// its name, elided to the room there is, so a narrow outline stays readable.
class OutlineDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;
  void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyledItemDelegate::paint(p, option, index);
    const QString detail = index.siblingAtColumn(OutlineModel::DetailColumn).data().toString();
    if (detail.isEmpty()) return;
    QStyleOptionViewItem o(option);
    initStyleOption(&o, index);
    const QWidget* w = o.widget;
    QStyle* style = w ? w->style() : QApplication::style();
    const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &o, w);
    const int used = o.fontMetrics.horizontalAdvance(o.text) + o.fontMetrics.horizontalAdvance(QLatin1Char(' ')) * 2;
    const QRect room = text.adjusted(used, 0, 0, 0);
    if (room.width() < o.fontMetrics.horizontalAdvance(QStringLiteral("…")) * 3) return;
    p->save();
    p->setFont(o.font);
    p->setPen(o.state & QStyle::State_Selected ? o.palette.color(QPalette::HighlightedText) : QColor(0x80, 0x86, 0x8b));
    p->drawText(room, Qt::AlignLeft | Qt::AlignVCenter, o.fontMetrics.elidedText(detail, Qt::ElideRight, room.width()));
    p->restore();
  }
};
}  // namespace

OutlinePane::OutlinePane(OutlineModel* model, QWidget* parent)
    : QWidget(parent), model_(model), proxy_(new QSortFilterProxyModel(this)), filter_(new QLineEdit(this)),
      view_(new QTreeView(this)) {
  proxy_->setSourceModel(model_);
  proxy_->setRecursiveFilteringEnabled(true);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setFilterKeyColumn(OutlineModel::NameColumn);

  filter_->setPlaceholderText(tr("Filter declarations"));
  filter_->setClearButtonEnabled(true);
  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& t) {
    proxy_->setFilterFixedString(t);
    if (!t.isEmpty()) view_->expandAll();
  });

  view_->setModel(proxy_);
  view_->setHeaderHidden(true);
  view_->setUniformRowHeights(true);
  view_->setAnimated(false);
  view_->setExpandsOnDoubleClick(false);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setItemDelegate(new OutlineDelegate(view_));
  view_->setColumnHidden(OutlineModel::DetailColumn, true);
  view_->header()->setStretchLastSection(true);
  connect(view_, &QTreeView::activated, this, &OutlinePane::activate);
  connect(view_, &QTreeView::clicked, this, &OutlinePane::activate);

  connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, &OutlinePane::remember);
  connect(model_, &QAbstractItemModel::modelReset, this, &OutlinePane::restore);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  layout->addWidget(filter_);
  layout->addWidget(view_);
}

void OutlinePane::remember() {
  if (firstFill_) return;
  expanded_.clear();
  std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
    for (int r = 0; r < proxy_->rowCount(parent); ++r) {
      const QModelIndex i = proxy_->index(r, 0, parent);
      if (view_->isExpanded(i)) expanded_.insert(i.data(KeyRole).toString());
      walk(i);
    }
  };
  walk({});
}

void OutlinePane::restore() {
  view_->setColumnHidden(OutlineModel::DetailColumn, true);
  std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
    for (int r = 0; r < proxy_->rowCount(parent); ++r) {
      const QModelIndex i = proxy_->index(r, 0, parent);
      const bool group = i.data(KindRole).toString() == QLatin1String("group");
      // At first the groups are open; afterwards whatever the user left open stays open.
      if (firstFill_ ? group : expanded_.contains(i.data(KeyRole).toString())) view_->expand(i);
      walk(i);
    }
  };
  walk({});
  if (proxy_->rowCount() > 0) firstFill_ = false;
}

void OutlinePane::activate(const QModelIndex& proxyIndex) {
  const int line = proxyIndex.data(LineRole).toInt();
  if (line > 0) emit jumpRequested(line, proxyIndex.data(ColumnRole).toInt());
}

}  // namespace ioa::gui
