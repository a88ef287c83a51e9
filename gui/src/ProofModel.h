// The obligations of one document and their latest results, as a tree:
// automaton → invariant / simulation / well-definedness → obligation. Results
// arrive one at a time (from ProofRunner) and update single rows.
#pragma once

#include <QAbstractItemModel>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "Icons.h"
#include "TreeModel.h"
#include "ioa/engine/Prove.h"

namespace ioa::gui {

// One row of the obligations tree: an automaton, a section or an obligation.
struct ProofNode {
  QString title, key;
  ProofNode* parent = nullptr;
  int row = 0;
  int obligation = -1;  // index into rows_ for obligation rows
  std::vector<std::unique_ptr<ProofNode>> children;

  ProofNode* child(const QString& k, const QString& t) {
    for (auto& c : children)
      if (c->key == k) return c.get();
    auto n = std::make_unique<ProofNode>();
    n->key = k;
    n->title = t;
    n->parent = this;
    n->row = static_cast<int>(children.size());
    children.push_back(std::move(n));
    return children.back().get();
  }
};

class ProofModel : public TreeModel<ProofNode> {
  Q_OBJECT
 public:
  enum Column { NameColumn = 0, StatusColumn, TimeColumn, ColumnCount };
  enum Role {
    StateRole = Qt::UserRole + 40,  // ProofState as int (obligations and groups)
    IdRole,                         // obligation id ("" for groups)
    ObligationRole,                 // true on obligation rows
  };

  struct Counts {
    int total = 0, proved = 0, cached = 0, refuted = 0, unknown = 0, error = 0, running = 0, cancelled = 0,
        notRun = 0;
    double timeMs = 0;
    int done() const { return proved + cached + refuted + unknown + error; }
  };

  explicit ProofModel(QObject* parent = nullptr);
  ~ProofModel() override;

  // A run starts with the obligations it will report. With `only` empty the
  // rows become exactly these obligations, all running; otherwise only the rows
  // whose id is in `only` run again and the others keep their results.
  void beginRun(const std::vector<engine::ObligationInfo>& obligations, const QSet<QString>& only = {});
  // False when the result is not for a row of the current run.
  bool applyResult(const engine::ObligationResult& r);
  // The run is over: rows that got no result are marked cancelled.
  void endRun();
  void clear();

  bool isObligation(const QModelIndex& i) const;
  const engine::ObligationInfo* infoAt(const QModelIndex& i) const;
  const engine::ObligationResult* resultAt(const QModelIndex& i) const;
  ProofState stateAt(const QModelIndex& i) const;
  QModelIndex indexOf(const QString& id, int column = 0) const;
  // The first obligation row in this state (depth-first), or invalid.
  QModelIndex firstInState(ProofState s) const;
  // Ids of the obligation rows at or below `i`.
  QSet<QString> idsUnder(const QModelIndex& i) const;
  Counts counts() const;

  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    engine::ObligationInfo info;
    ProofState state = ProofState::NotRun;
    std::optional<engine::ObligationResult> result;
    bool inRun = false;
    ProofNode* node = nullptr;
  };
  void rebuild(const std::vector<engine::ObligationInfo>& obligations);
  void rowChanged(const Row& r);
  ProofState stateOf(const ProofNode* n) const;
  Counts countsUnder(const ProofNode* n) const;

  std::vector<Row> rows_;
};

// A time for people: "18 ms", "1.24 s", "2 min 5 s".
QString formatMillis(double ms);
// "1 error", "3 errors".
QString countOf(int n, const QString& one, const QString& many);

}  // namespace ioa::gui
