#include "ProofModel.h"

#include <QBrush>
#include <QFont>
#include <QHash>

#include <functional>

namespace ioa::gui {

QString formatMillis(double ms) {
  if (ms < 1) return QStringLiteral("<1 ms");
  if (ms < 1000) return QStringLiteral("%1 ms").arg(qRound(ms));
  if (ms < 60000) return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', ms < 10000 ? 2 : 1);
  const int s = qRound(ms / 1000);
  return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QString countOf(int n, const QString& one, const QString& many) {
  return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}


namespace {

using Node = ProofNode;

QString qs(const std::string& s) { return QString::fromStdString(s); }
bool starts(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// "simulation A -> B" -> "Simulation A → B"
QString prettySubject(const std::string& subject) {
  QString t = qs(subject);
  t.replace(QStringLiteral(" -> "), QStringLiteral(" → "));
  if (!t.isEmpty()) t[0] = t[0].toUpper();
  return t;
}

// The section an obligation belongs to inside its automaton.
std::pair<QString, QString> sectionOf(const engine::ObligationInfo& o) {
  const std::string& k = o.kind;
  if (starts(k, "invariant-"))  // (the prover's derived invariants, total(db), say so)
    return {QStringLiteral("inv:") + qs(o.subject),
            (starts(o.description, "derived invariant ") ? QStringLiteral("Derived invariant ")
                                                          : QStringLiteral("Invariant ")) + qs(o.subject)};
  if (starts(k, "simulation-") || starts(k, "refinement-") || k == "bmc-simulation" ||
      (k == "well-defined" && (starts(o.subject, "simulation ") || starts(o.subject, "refinement "))))
    return {QStringLiteral("sim:") + qs(o.subject), prettySubject(o.subject)};
  if (k == "bmc-invariants") return {QStringLiteral("bmc"), QStringLiteral("Bounded search: invariants, definedness")};
  if (k == "start-exists") return {QStringLiteral("start"), QStringLiteral("Start state")};
  if (k == "ensuring") return {QStringLiteral("ens"), QStringLiteral("Ensuring clauses")};
  if (k == "well-defined") return {QStringLiteral("wd"), QStringLiteral("Well-definedness")};
  return {qs(k), qs(k)};
}

// A short name inside its section; the full sentence is the tooltip.
QString labelOf(const engine::ObligationInfo& o) {
  const std::string& k = o.kind;
  const QString t = qs(o.transition);
  if (k == "invariant-init") return QStringLiteral("holds in every start state");
  if (k == "invariant-step") return QStringLiteral("preserved by %1").arg(t);
  if (k == "simulation-start" || k == "refinement-start") return QStringLiteral("start states");
  if (k == "simulation-step" || k == "refinement-step") return QStringLiteral("step %1").arg(t);
  if (k == "ensuring") return QStringLiteral("ensuring of %1").arg(t);
  if (k == "bmc-invariants" || k == "bmc-simulation")
    return QStringLiteral("search, %1")
        .arg(countOf(static_cast<int>(o.depth), QStringLiteral("step"), QStringLiteral("steps")));
  if (k == "well-defined") {
    if (o.subject == "start") return QStringLiteral("start state");
    if (o.subject == "transition") return QStringLiteral("transition %1").arg(t);
    if (o.subject == "fastpath") return QStringLiteral("fastpath %1").arg(t);
    if (starts(o.subject, "simulation ") || starts(o.subject, "refinement ")) return QStringLiteral("relation");
    return qs(o.subject);
  }
  return qs(o.description);
}

ProofState stateOfResult(const engine::ObligationResult& r) {
  const ProofState s = proofStateOfStatus(r.status, r.reason);
  return s == ProofState::Proved && r.cached ? ProofState::Cached : s;
}

// Which state a group shows: the most telling one among its obligations.
int severity(ProofState s) {
  switch (s) {
    case ProofState::Refuted: return 7;
    case ProofState::Error: return 6;
    case ProofState::Unknown: return 5;
    case ProofState::Running: return 4;
    case ProofState::Cancelled: return 3;
    case ProofState::NotRun: return 2;
    case ProofState::Proved: return 1;
    case ProofState::Cached: return 0;
  }
  return 0;
}

QColor stateColor(ProofState s) {
  switch (s) {
    case ProofState::Proved:
    case ProofState::Cached: return QColor(0x18, 0x80, 0x38);
    case ProofState::Refuted: return QColor(0xc5, 0x22, 0x1f);
    case ProofState::Unknown: return QColor(0xa8, 0x62, 0x00);
    case ProofState::Error: return QColor(0x9b, 0x1c, 0x1c);
    case ProofState::Running: return QColor(0x1a, 0x5f, 0xc8);
    default: return QColor(0x70, 0x75, 0x7a);
  }
}

}  // namespace

ProofModel::ProofModel(QObject* parent) : TreeModel(parent) { root_ = std::make_unique<Node>(); }
ProofModel::~ProofModel() = default;

void ProofModel::rebuild(const std::vector<engine::ObligationInfo>& obligations) {
  beginResetModel();
  rows_.clear();
  root_ = std::make_unique<Node>();
  rows_.reserve(obligations.size());
  for (const auto& o : obligations) {
    Row r;
    r.info = o;
    rows_.push_back(std::move(r));
  }
  for (size_t i = 0; i < rows_.size(); ++i) {
    const auto& o = rows_[i].info;
    Node* aut = root_->child(qs(o.automaton), qs(o.automaton));
    auto [key, title] = sectionOf(o);
    Node* sec = aut->child(key, title);
    Node* leaf = sec->child(QString::fromStdString(o.id), labelOf(o));
    leaf->obligation = static_cast<int>(i);
    rows_[i].node = leaf;
  }
  endResetModel();
}

void ProofModel::beginRun(const std::vector<engine::ObligationInfo>& obligations, const QSet<QString>& only) {
  bool same = obligations.size() == rows_.size();
  for (size_t i = 0; same && i < obligations.size(); ++i) same = obligations[i].id == rows_[i].info.id;
  if (!same && only.isEmpty()) rebuild(obligations);
  QHash<QString, const engine::ObligationInfo*> byId;
  for (const auto& o : obligations) byId.insert(qs(o.id), &o);
  for (Row& r : rows_) {
    // Positions may have moved even when the obligations are the same.
    const engine::ObligationInfo* o = byId.value(qs(r.info.id));
    if (o) r.info = *o;
    r.inRun = o && (only.isEmpty() || only.contains(qs(r.info.id)));
    if (r.inRun) {
      r.state = ProofState::Running;
      r.result.reset();
    }
  }
  for (const Row& r : rows_) rowChanged(r);
}

bool ProofModel::applyResult(const engine::ObligationResult& res) {
  for (Row& r : rows_) {
    if (r.info.id != res.info.id) continue;
    if (!r.inRun) return false;
    r.result = res;
    r.info = res.info;
    r.state = stateOfResult(res);
    r.inRun = false;
    rowChanged(r);
    return true;
  }
  return false;
}

void ProofModel::endRun() {
  for (Row& r : rows_)
    if (r.inRun) {
      r.inRun = false;
      r.state = ProofState::Cancelled;
      rowChanged(r);
    }
}

void ProofModel::clear() { rebuild({}); }

void ProofModel::rowChanged(const Row& r) {
  for (const Node* n = r.node; n && n != root_.get(); n = n->parent) {
    const QModelIndex first = indexOfNode(n);
    emit dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
  }
}

bool ProofModel::isObligation(const QModelIndex& i) const {
  return i.isValid() && nodeAt(i)->obligation >= 0;
}

const engine::ObligationInfo* ProofModel::infoAt(const QModelIndex& i) const {
  if (!isObligation(i)) return nullptr;
  return &rows_[static_cast<size_t>(nodeAt(i)->obligation)].info;
}

const engine::ObligationResult* ProofModel::resultAt(const QModelIndex& i) const {
  if (!isObligation(i)) return nullptr;
  const Row& r = rows_[static_cast<size_t>(nodeAt(i)->obligation)];
  return r.result ? &*r.result : nullptr;
}

ProofState ProofModel::stateAt(const QModelIndex& i) const {
  return i.isValid() ? stateOf(nodeAt(i)) : ProofState::NotRun;
}

ProofState ProofModel::stateOf(const Node* n) const {
  if (n->obligation >= 0) return rows_[static_cast<size_t>(n->obligation)].state;
  ProofState worst = ProofState::Cached;
  bool any = false;
  for (const auto& c : n->children) {
    const ProofState s = stateOf(c.get());
    if (!any || severity(s) > severity(worst)) worst = s;
    any = true;
  }
  return any ? worst : ProofState::NotRun;
}

ProofModel::Counts ProofModel::countsUnder(const Node* n) const {
  Counts c;
  std::function<void(const Node*)> walk = [&](const Node* x) {
    if (x->obligation >= 0) {
      const Row& r = rows_[static_cast<size_t>(x->obligation)];
      ++c.total;
      switch (r.state) {
        case ProofState::Proved: ++c.proved; break;
        case ProofState::Cached: ++c.cached; break;
        case ProofState::Refuted: ++c.refuted; break;
        case ProofState::Unknown: ++c.unknown; break;
        case ProofState::Error: ++c.error; break;
        case ProofState::Running: ++c.running; break;
        case ProofState::Cancelled: ++c.cancelled; break;
        case ProofState::NotRun: ++c.notRun; break;
      }
      if (r.result) c.timeMs += r.result->timeMs;
    }
    for (const auto& ch : x->children) walk(ch.get());
  };
  walk(n);
  return c;
}

ProofModel::Counts ProofModel::counts() const { return countsUnder(root_.get()); }

QModelIndex ProofModel::indexOf(const QString& id, int column) const {
  for (const Row& r : rows_)
    if (qs(r.info.id) == id) return indexOfNode(r.node, column);
  return {};
}

QModelIndex ProofModel::firstInState(ProofState s) const {
  std::function<QModelIndex(const QModelIndex&)> walk = [&](const QModelIndex& parent) -> QModelIndex {
    for (int i = 0; i < rowCount(parent); ++i) {
      const QModelIndex c = index(i, 0, parent);
      if (isObligation(c) && stateAt(c) == s) return c;
      const QModelIndex d = walk(c);
      if (d.isValid()) return d;
    }
    return {};
  };
  return walk({});
}

QSet<QString> ProofModel::idsUnder(const QModelIndex& i) const {
  QSet<QString> ids;
  std::function<void(const Node*)> walk = [&](const Node* n) {
    if (n->obligation >= 0) ids.insert(qs(rows_[static_cast<size_t>(n->obligation)].info.id));
    for (const auto& c : n->children) walk(c.get());
  };
  walk(nodeAt(i));
  return ids;
}

int ProofModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ProofModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node* n = nodeAt(index);
  const Row* row = n->obligation >= 0 ? &rows_[static_cast<size_t>(n->obligation)] : nullptr;
  const ProofState state = stateOf(n);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case NameColumn: return n->title;
        case StatusColumn: {
          if (row) {
            if ((state == ProofState::Unknown || state == ProofState::Error) && row->result &&
                !row->result->reason.empty())
              return QStringLiteral("%1: %2").arg(proofStateName(state), qs(row->result->reason));
            return proofStateName(state);
          }
          // A group names what needs attention; the tooltip has the full count.
          const Counts c = countsUnder(n);
          if (c.running) return QStringLiteral("%1 of %2 done").arg(c.done()).arg(c.total);
          QStringList parts;
          if (c.refuted) parts << QStringLiteral("%1 refuted").arg(c.refuted);
          if (c.unknown) parts << QStringLiteral("%1 unknown").arg(c.unknown);
          if (c.error) parts << countOf(c.error, QStringLiteral("error"), QStringLiteral("errors"));
          if (c.cancelled) parts << QStringLiteral("%1 cancelled").arg(c.cancelled);
          if (!parts.isEmpty()) return parts.join(QStringLiteral(", "));
          if (c.proved + c.cached == c.total) return QStringLiteral("%1/%2 proved").arg(c.total).arg(c.total);
          return QStringLiteral("%1 not run").arg(c.notRun);
        }
        case TimeColumn: {
          if (row) return row->result ? formatMillis(row->result->timeMs) : QVariant();
          const Counts c = countsUnder(n);
          return c.timeMs > 0 ? formatMillis(c.timeMs) : QVariant();
        }
      }
      return {};
    case Qt::DecorationRole:
      if (index.column() == NameColumn) return proofStateIcon(state);
      return {};
    case Qt::ToolTipRole: {
      if (!row) {
        const Counts c = countsUnder(n);
        return QStringLiteral("%1: %2 obligations, %3 proved, %4 refuted, %5 unknown, %6 errors")
            .arg(n->title)
            .arg(c.total)
            .arg(c.proved + c.cached)
            .arg(c.refuted)
            .arg(c.unknown)
            .arg(c.error);
      }
      QString tip = QStringLiteral("<p>%1</p><p>%2 — line %3</p>")
                        .arg(qs(row->info.description).toHtmlEscaped(), proofStateName(state))
                        .arg(row->info.line);
      if (row->result && !row->result->reason.empty())
        tip += QStringLiteral("<p>%1</p>").arg(qs(row->result->reason).toHtmlEscaped());
      return tip;
    }
    case Qt::ForegroundRole:
      if (index.column() == StatusColumn) return QBrush(stateColor(state));
      if (index.column() == TimeColumn) return QBrush(QColor(0x70, 0x75, 0x7a));
      return {};
    case Qt::FontRole:
      if (!row && !n->parent->parent) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == TimeColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case StateRole: return static_cast<int>(state);
    case IdRole: return row ? qs(row->info.id) : QString();
    case ObligationRole: return row != nullptr;
    default: return {};
  }
}

QVariant ProofModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return QStringLiteral("Obligation");
    case StatusColumn: return QStringLiteral("Status");
    case TimeColumn: return QStringLiteral("Time");
  }
  return {};
}

}  // namespace ioa::gui
