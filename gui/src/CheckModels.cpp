#include "CheckModels.h"

#include <QBrush>
#include <QFont>

#include "Icons.h"

namespace ioa::gui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
QString place(unsigned line, unsigned col) {
  return line ? QStringLiteral("%1:%2").arg(line).arg(col) : QString();
}
const QColor kDetailColor(0x70, 0x75, 0x7a);
}  // namespace

// ---------------------------------------------------------------- problems

ProblemsModel::ProblemsModel(QObject* parent) : QAbstractItemModel(parent) {}

void ProblemsModel::setProblems(std::vector<engine::Problem> problems) {
  beginResetModel();
  problems_ = std::move(problems);
  endResetModel();
}

int ProblemsModel::count(const QString& severity) const {
  const std::string s = severity.toStdString();
  int n = 0;
  for (const auto& p : problems_) n += p.severity == s;
  return n;
}

// Internal id 0 marks a problem row; a note row stores its problem's row + 1.
QModelIndex ProblemsModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, quintptr(0));
  return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ProblemsModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int ProblemsModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(problems_.size());
  if (parent.internalId() != 0 || parent.column() != 0) return 0;
  return static_cast<int>(problems_[parent.row()].notes.size());
}

int ProblemsModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ProblemsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const bool isNote = index.internalId() != 0;
  const engine::Problem& p = problems_[isNote ? index.internalId() - 1 : index.row()];
  const engine::Problem::Note* note = isNote ? &p.notes[index.row()] : nullptr;
  const unsigned line = note ? note->line : p.line;
  const unsigned col = note ? note->col : p.col;
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() == MessageColumn) return qs(note ? note->message : p.message);
      return place(line, col);
    case Qt::ToolTipRole:
      return QStringLiteral("%1%2: %3")
          .arg(line ? QStringLiteral("line %1, column %2 — ").arg(line).arg(col) : QString(),
               note ? QStringLiteral("note") : qs(p.severity), qs(note ? note->message : p.message).toHtmlEscaped());
    case Qt::DecorationRole:
      if (index.column() == MessageColumn) return severityIcon(note ? QStringLiteral("note") : qs(p.severity));
      return {};
    case Qt::ForegroundRole:
      if (index.column() == PlaceColumn) return QBrush(kDetailColor);
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == PlaceColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case LineRole: return line;
    case ColumnRole: return col;
    case EndLineRole: return note ? 0u : p.endLine;
    case EndColumnRole: return note ? 0u : p.endCol;
    case KindRole: return note ? QStringLiteral("note") : qs(p.severity);
    default: return {};
  }
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  return section == MessageColumn ? QStringLiteral("Problem") : QStringLiteral("Line:Col");
}

// ---------------------------------------------------------------- outline


namespace {

using Node = OutlineNode;

Node* addItem(Node* parent, const engine::OutlineItem& it) {
  return parent->add(qs(it.kind), qs(it.name), qs(it.detail), static_cast<int>(it.line), static_cast<int>(it.col));
}

// Actions carry the transitions that define them; components follow.
void addAutomatonChildren(Node* aut, const engine::OutlineItem& it) {
  for (const auto& c : it.children)
    if (c.kind == "action") {
      Node* a = addItem(aut, c);
      a->detail = a->detail.section(QLatin1Char(' '), 0, 0);  // "input send" -> "input"
    }
  for (const auto& c : it.children) {
    if (c.kind != "transition") continue;
    Node* owner = aut;
    for (const auto& a : aut->children)
      if (a->kind == QLatin1String("action") && a->name == qs(c.name)) {
        owner = a.get();
        break;
      }
    Node* t = addItem(owner, c);
    t->name = QStringLiteral("transition");
    t->detail = QStringLiteral("line %1").arg(c.line);
    t->key = owner->key + QStringLiteral("/transition#%1").arg(owner->children.size());
  }
  for (const auto& c : it.children)
    if (c.kind == "component") addItem(aut, c);
}

int groupOf(const std::string& kind) {
  if (kind == "type" || kind == "sort" || kind == "const" || kind == "function") return 0;
  if (kind == "automaton" || kind == "composition") return 1;
  if (kind == "layer" || kind == "stack") return 2;
  if (kind == "invariant") return 3;
  if (kind == "simulation") return 4;
  return 0;
}

const char* const kGroupNames[] = {"Types and constants", "Automata", "Layers and stacks", "Invariants",
                                   "Simulations"};

std::unique_ptr<Node> buildTree(const std::vector<engine::OutlineItem>& outline) {
  auto root = std::make_unique<Node>();
  Node* groups[5] = {};
  for (int g = 0; g < 5; ++g) {
    bool used = false;
    for (const auto& it : outline) used = used || groupOf(it.kind) == g;
    if (used) groups[g] = root->add(QStringLiteral("group"), QLatin1String(kGroupNames[g]), {}, 0, 0);
  }
  for (const auto& it : outline) {
    Node* n = addItem(groups[groupOf(it.kind)], it);
    if (!it.children.empty()) addAutomatonChildren(n, it);
  }
  for (Node* g : groups)
    if (g) g->detail = QString::number(g->children.size());
  return root;
}

void shapeOf(const Node& n, QString& out) {
  out += n.key + QLatin1Char('|') + n.detail + QLatin1Char('\n');
  for (const auto& c : n.children) shapeOf(*c, out);
}

// Same shape: copy the new positions into the rows the view already shows.
void copyPositions(Node& into, const Node& from) {
  into.line = from.line;
  into.col = from.col;
  into.detail = from.detail;
  for (size_t i = 0; i < into.children.size(); ++i) copyPositions(*into.children[i], *from.children[i]);
}

void collectNames(const Node& n, bool typesOnly, QStringList& out) {
  static const QStringList typeKinds = {QStringLiteral("type"), QStringLiteral("sort"), QStringLiteral("automaton"),
                                        QStringLiteral("composition"), QStringLiteral("layer"),
                                        QStringLiteral("stack")};
  const bool named = n.kind != QLatin1String("group") && n.kind != QLatin1String("transition") &&
                     n.kind != QLatin1String("simulation") && !n.name.isEmpty() && !n.name.startsWith('(');
  if (named && (!typesOnly || typeKinds.contains(n.kind)) && !out.contains(n.name)) out << n.name;
  for (const auto& c : n.children) collectNames(*c, typesOnly, out);
}

}  // namespace

OutlineModel::OutlineModel(QObject* parent) : TreeModel(parent) { root_ = std::make_unique<Node>(); }
OutlineModel::~OutlineModel() = default;

void OutlineModel::setOutline(const std::vector<engine::OutlineItem>& outline) {
  std::unique_ptr<Node> fresh = buildTree(outline);
  QString shape;
  shapeOf(*fresh, shape);
  if (shape == shape_) {
    copyPositions(*root_, *fresh);
    // Positions only: tell the views without resetting them.
    if (!root_->children.empty())
      emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {LineRole, ColumnRole});
    return;
  }
  beginResetModel();
  root_ = std::move(fresh);
  shape_ = shape;
  endResetModel();
}

QStringList OutlineModel::declaredNames() const {
  QStringList out;
  collectNames(*root_, false, out);
  return out;
}

QStringList OutlineModel::typeNames() const {
  QStringList out;
  collectNames(*root_, true, out);
  return out;
}

QStringList OutlineModel::namesOfKind(const QString& kind) const {
  QStringList out;
  for (const auto& group : root_->children)
    for (const auto& n : group->children)
      if (n->kind == kind) out << n->name;
  return out;
}

QModelIndex OutlineModel::find(const QString& kind, const QString& name, const QModelIndex& under) const {
  for (int r = 0; r < rowCount(under); ++r) {
    const QModelIndex i = index(r, 0, under);
    const Node* n = nodeAt(i);
    if (n->kind == kind && n->name == name) return i;
    const QModelIndex deeper = find(kind, name, i);
    if (deeper.isValid()) return deeper;
  }
  return {};
}

int OutlineModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant OutlineModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node* n = nodeAt(index);
  const bool group = n->kind == QLatin1String("group");
  switch (role) {
    case Qt::DisplayRole: return index.column() == NameColumn ? n->name : n->detail;
    case Qt::DecorationRole:
      if (index.column() != NameColumn) return {};
      return outlineIcon(n->kind, n->kind == QLatin1String("transition") ? n->parent->detail : n->detail);
    case Qt::ToolTipRole:
      if (group) return {};
      return QStringLiteral("%1 %2%3 — line %4")
          .arg(n->kind, n->name, n->detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(n->detail))
          .arg(n->line);
    case Qt::ForegroundRole:
      if (index.column() == DetailColumn) return QBrush(kDetailColor);
      return {};
    case Qt::FontRole:
      if (group) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case LineRole: return n->line;
    case ColumnRole: return n->col;
    case KindRole: return n->kind;
    case KeyRole: return n->key;
    default: return {};
  }
}

}  // namespace ioa::gui
