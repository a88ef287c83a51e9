// Item models over the engine's check results: the problems list and the
// outline. Views (QTreeView) show them; documents own one of each.
#pragma once

#include <QAbstractItemModel>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "TreeModel.h"
#include "ioa/engine/Check.h"

namespace ioa::gui {

// Roles shared by the models whose rows point into the spec text.
enum ItemRole {
  LineRole = Qt::UserRole + 1,  // 1-based line, 0 when the row has no place
  ColumnRole,                   // 1-based column (bytes)
  EndLineRole,
  EndColumnRole,
  KindRole,                     // outline: the engine's kind; problems: the severity
  KeyRole                       // a stable key for the row (outline: path of names)
};

// Problems from the last check, each with its notes as children.
class ProblemsModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Column { MessageColumn = 0, PlaceColumn, ColumnCount };
  explicit ProblemsModel(QObject* parent = nullptr);

  void setProblems(std::vector<engine::Problem> problems);
  const std::vector<engine::Problem>& problems() const { return problems_; }
  int count(const QString& severity) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  std::vector<engine::Problem> problems_;
};

// One row of the outline: a group, a declaration, an action or a transition.
struct OutlineNode {
  QString kind, name, detail, key;
  int line = 0, col = 0;
  OutlineNode* parent = nullptr;
  int row = 0;
  std::vector<std::unique_ptr<OutlineNode>> children;

  OutlineNode* add(QString k, QString n, QString d, int l, int c) {
    auto child = std::make_unique<OutlineNode>();
    child->kind = std::move(k);
    child->name = std::move(n);
    child->detail = std::move(d);
    child->line = l;
    child->col = c;
    child->parent = this;
    child->row = static_cast<int>(children.size());
    child->key = key + QLatin1Char('/') + child->kind + QLatin1Char(':') + child->name;
    children.push_back(std::move(child));
    return children.back().get();
  }
};

// The outline: declarations grouped by kind (types and constants, automata,
// stacks, invariants, simulations); automata list their actions, each with the
// transitions that define it, and their components.
class OutlineModel : public TreeModel<OutlineNode> {
  Q_OBJECT
 public:
  enum Column { NameColumn = 0, DetailColumn, ColumnCount };
  explicit OutlineModel(QObject* parent = nullptr);
  ~OutlineModel() override;

  // Keeps rows (and so the view's expansion and selection) when only
  // positions changed; rebuilds otherwise.
  void setOutline(const std::vector<engine::OutlineItem>& outline);
  // Names declared at the top level and inside automata (for completion), and
  // the subset that names sorts (types, sorts, automata, layers, stacks).
  QStringList declaredNames() const;
  QStringList typeNames() const;
  // Names of the top-level declarations of one kind ("stack", "invariant", ...).
  QStringList namesOfKind(const QString& kind) const;
  // The row of the first item with this kind and name (depth-first), or invalid.
  QModelIndex find(const QString& kind, const QString& name, const QModelIndex& under = {}) const;

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  QString shape_;
};

}  // namespace ioa::gui
