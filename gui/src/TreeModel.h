// The index arithmetic of item models whose rows are the nodes of a tree the
// model owns (the outline, the obligations).
#pragma once

#include <QAbstractItemModel>

#include <memory>

namespace ioa::gui {

// `Node` has `Node* parent`, `int row` (its place among its siblings) and
// `std::vector<std::unique_ptr<Node>> children`; the root is not shown.
template <typename Node>
class TreeModel : public QAbstractItemModel {
 public:
  using QAbstractItemModel::QAbstractItemModel;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override {
    if (!hasIndex(row, column, parent)) return {};
    return createIndex(row, column, nodeAt(parent)->children[static_cast<size_t>(row)].get());
  }
  QModelIndex parent(const QModelIndex& child) const override {
    if (!child.isValid()) return {};
    const Node* n = nodeAt(child);
    if (!n->parent || n->parent == root_.get()) return {};
    return indexOfNode(n->parent);
  }
  int rowCount(const QModelIndex& parent = {}) const override {
    if (parent.column() > 0) return 0;
    return static_cast<int>(nodeAt(parent)->children.size());
  }

 protected:
  // The node of an index; the root for the invalid index.
  const Node* nodeAt(const QModelIndex& i) const {
    return i.isValid() ? static_cast<const Node*>(i.internalPointer()) : root_.get();
  }
  QModelIndex indexOfNode(const Node* n, int column = 0) const {
    return createIndex(n->row, column, const_cast<Node*>(n));
  }

  std::unique_ptr<Node> root_;
};

}  // namespace ioa::gui
