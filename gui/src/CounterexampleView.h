// The counterexample of a refuted obligation: a step table (state variables
// by step, changed values highlighted, the action and its arguments above
// each state, the abstract state beside the concrete one for simulations) and,
// for compositions, a message sequence chart with the components as lifelines
// and the actions as arrows. Clicking a step selects its transition in the spec.
#pragma once

#include <QAbstractTableModel>
#include <QWidget>

#include <optional>
#include <vector>

#include "TraceContext.h"
#include "ioa/engine/Prove.h"

class QLabel;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTableView;

namespace ioa::gui {

// One column of the step table: a state, and the action that led to it.
struct TraceStep {
  QString label;       // "pre-state", "state after step 2", ...
  QString action;      // "send(m = 5)"; empty for the first state
  QString actionName;  // "send"
  std::vector<std::pair<QString, QString>> values;  // name -> value, concrete and abstract
};

// Reads the engine's counterexample into columns.
std::vector<TraceStep> traceSteps(const engine::CounterexampleView& cex);

class TraceModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum RowKind { ActionRow, SectionRow, VariableRow };
  explicit TraceModel(QObject* parent = nullptr);
  void setTrace(std::vector<TraceStep> steps, const TraceContext& ctx);
  const std::vector<TraceStep>& steps() const { return steps_; }
  RowKind rowKind(int row) const { return rows_[static_cast<size_t>(row)].kind; }
  QString variableAt(int row) const { return rows_[static_cast<size_t>(row)].name; }
  // The value of a variable row in a column, and whether it changed from the column before.
  QString valueAt(int row, int column) const;
  bool changedAt(int row, int column) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    RowKind kind;
    QString name;     // variable name, or section title
    QString display;  // the variable's name without what its section already says
  };
  const QString* lookup(int column, const QString& name) const;
  std::vector<TraceStep> steps_;
  std::vector<Row> rows_;
};

// Lifelines and arrows; one row per action of the trace.
class SequenceChart : public QWidget {
  Q_OBJECT
 public:
  explicit SequenceChart(QWidget* parent = nullptr);
  void setTrace(const std::vector<TraceStep>& steps, const TraceContext& ctx);
  void setSelectedColumn(int column);
  int arrowCount() const { return static_cast<int>(arrows_.size()); }
  QStringList lifelines() const { return lifelines_; }
  // "from -> to1, to2: label" per arrow, for tests and the tooltip.
  QStringList describe() const;
  bool saveSvg(const QString& path);
  QSize sizeHint() const override;

 Q_SIGNALS:
  void columnClicked(int column);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;

 private:
  struct Arrow {
    int from = -1;  // lifeline index
    std::vector<int> to;
    QString label;
    int column = 0;  // step table column it leads to
  };
  void paint(QPainter& p);
  int lifelineX(int i) const;
  int rowY(int i) const;
  QStringList lifelines_;
  std::vector<Arrow> arrows_;
  int selectedColumn_ = -1;
};

class CounterexampleView : public QWidget {
  Q_OBJECT
 public:
  explicit CounterexampleView(QWidget* parent = nullptr);

  // Shows the result's counterexample; `check` is the compilation of the text
  // it was proved on (for lifelines and transition places). Null: nothing.
  void setResult(const engine::ObligationResult* result, std::shared_ptr<const engine::CheckResult> check);
  bool hasCounterexample() const { return shown_.has_value(); }

  TraceModel* traceModel() const { return model_; }
  QTableView* table() const { return table_; }
  SequenceChart* chart() const { return chart_; }
  bool chartVisible() const;
  // Selects a column as a click would (and asks for its transition).
  void selectColumn(int column);

 Q_SIGNALS:
  void jumpRequested(int line, int col);
  void boundedSearchRequested();

 private:
  std::optional<engine::ObligationResult> shown_;
  TraceContext ctx_;
  TraceModel* model_;
  QLabel *title_, *note_, *failed_, *empty_;
  QPushButton* bmc_;
  QTableView* table_;
  SequenceChart* chart_;
  QScrollArea* chartScroll_;
  QSplitter* split_;
  QWidget* body_;
};

}  // namespace ioa::gui
