#include "CounterexampleView.h"

#include <QBrush>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QSvgGenerator>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>

namespace ioa::gui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
const QColor kChanged(0xff, 0xf0, 0xa8);
const QColor kActionBg(0xe8, 0xf0, 0xfe);
const QColor kSectionBg(0xf1, 0xf3, 0xf4);
const QColor kSelected(0xd2, 0xe3, 0xfc);

QString callText(const engine::CexStepView& s) {
  QStringList args;
  for (const auto& v : s.values) args << qs(v.name) + QStringLiteral(" = ") + qs(v.value);
  return args.isEmpty() ? qs(s.action) : QStringLiteral("%1(%2)").arg(qs(s.action), args.join(QStringLiteral(", ")));
}
}  // namespace

std::vector<TraceStep> traceSteps(const engine::CounterexampleView& cex) {
  std::vector<TraceStep> out;
  QStringList pending;
  QString pendingName;
  for (const engine::CexStepView& s : cex.steps) {
    if (s.kind == "action") {
      pending << callText(s);
      if (pendingName.isEmpty()) pendingName = qs(s.action);
      continue;
    }
    const bool abstractState = s.label.rfind("abstract", 0) == 0;
    if (abstractState && !out.empty()) {
      // The abstract side of the state just shown: same column, own rows.
      TraceStep& t = out.back();
      for (const auto& v : s.values) t.values.emplace_back(qs(v.name), qs(v.value));
      if (!pending.isEmpty())
        t.action += (t.action.isEmpty() ? QString() : QStringLiteral("; ")) + QStringLiteral("abstract ") +
                    pending.join(QStringLiteral("; "));
      pending.clear();
      pendingName.clear();
      continue;
    }
    TraceStep t;
    t.label = qs(s.label);
    t.action = pending.join(QStringLiteral("; "));
    t.actionName = pendingName;
    for (const auto& v : s.values) t.values.emplace_back(qs(v.name), qs(v.value));
    out.push_back(std::move(t));
    pending.clear();
    pendingName.clear();
  }
  if (!pending.isEmpty()) {
    TraceStep t;
    t.label = QStringLiteral("then");
    t.action = pending.join(QStringLiteral("; "));
    t.actionName = pendingName;
    out.push_back(std::move(t));
  }
  return out;
}

// ---------------------------------------------------------------- step table

TraceModel::TraceModel(QObject* parent) : QAbstractTableModel(parent) {}

void TraceModel::setTrace(std::vector<TraceStep> steps, const TraceContext& ctx) {
  beginResetModel();
  steps_ = std::move(steps);
  rows_.clear();
  rows_.push_back({ActionRow, tr("action"), tr("action")});
  QStringList names;
  for (const TraceStep& s : steps_)
    for (const auto& [n, v] : s.values)
      if (!names.contains(n)) names << n;
  QStringList concrete, abstract;
  for (const QString& n : names) (ctx.isAbstractVariable(n.toStdString()) ? abstract : concrete) << n;
  auto section = [this](const QString& title, const QStringList& vars, const QStringList& prefixes) {
    rows_.push_back({SectionRow, title, title});
    for (const QString& n : vars) {
      QString shown = n;
      for (const QString& p : prefixes)
        if (n.startsWith(p)) {
          shown = n.mid(p.size());
          break;
        }
      rows_.push_back({VariableRow, n, shown});
    }
  };
  // Concrete variables by component when the automaton is a composition; a component array's
  // variables come one instance a row ("P[0].status", shown as "[0].status" under P).
  QStringList placed;
  for (const std::string& c : ctx.components) {
    const QString prefix = qs(c) + QLatin1Char('.'), indexed = qs(c) + QLatin1Char('[');
    QStringList mine;
    for (const QString& n : concrete)
      if (n.startsWith(prefix) || n.startsWith(indexed)) mine << n;
    if (mine.isEmpty()) continue;
    section(qs(c), mine, {prefix, qs(c)});
    placed << mine;
  }
  QStringList rest;
  for (const QString& n : concrete)
    if (!placed.contains(n)) rest << n;
  if (!rest.isEmpty()) {
    if (!placed.isEmpty() || !abstract.isEmpty())
      section(abstract.isEmpty() ? tr("other") : tr("concrete"), rest, {});
    else
      for (const QString& n : rest) rows_.push_back({VariableRow, n, n});
  }
  if (!abstract.isEmpty()) {
    QStringList prefixes;
    for (const std::string& p : ctx.abstractPrefixes) prefixes << qs(p);
    section(tr("abstract: %1").arg(qs(ctx.abstractAutomaton)), abstract, prefixes);
  }
  endResetModel();
}

const QString* TraceModel::lookup(int column, const QString& name) const {
  if (column < 0 || column >= static_cast<int>(steps_.size())) return nullptr;
  for (const auto& [n, v] : steps_[static_cast<size_t>(column)].values)
    if (n == name) return &v;
  return nullptr;
}

QString TraceModel::valueAt(int row, int column) const {
  const QString* v = lookup(column, rows_[static_cast<size_t>(row)].name);
  return v ? *v : QString();
}

bool TraceModel::changedAt(int row, int column) const {
  if (rows_[static_cast<size_t>(row)].kind != VariableRow || column == 0) return false;
  const QString* now = lookup(column, rows_[static_cast<size_t>(row)].name);
  const QString* before = lookup(column - 1, rows_[static_cast<size_t>(row)].name);
  return now && before && *now != *before;
}

int TraceModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || steps_.empty() ? 0 : static_cast<int>(rows_.size());
}
int TraceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(steps_.size());
}

QVariant TraceModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Row& row = rows_[static_cast<size_t>(index.row())];
  const TraceStep& step = steps_[static_cast<size_t>(index.column())];
  switch (row.kind) {
    case ActionRow:
      switch (role) {
        case Qt::DisplayRole: return step.action.isEmpty() ? QStringLiteral("—") : step.action;
        case Qt::ToolTipRole: return step.action.isEmpty() ? QVariant() : tr("%1 — click to show its transition").arg(step.action);
        case Qt::BackgroundRole: return QBrush(kActionBg);
        case Qt::ForegroundRole: return QBrush(QColor(0x17, 0x4e, 0xa6));
        case Qt::FontRole: {
          QFont f;
          f.setBold(true);
          return f;
        }
        default: return {};
      }
    case SectionRow:
      if (role == Qt::BackgroundRole) return QBrush(kSectionBg);
      return {};
    case VariableRow: {
      const bool changed = changedAt(index.row(), index.column());
      switch (role) {
        case Qt::DisplayRole: return valueAt(index.row(), index.column());
        case Qt::ToolTipRole: {
          QString tip = QStringLiteral("%1 = %2").arg(row.name, valueAt(index.row(), index.column()));
          if (changed) tip += tr("\nwas %1").arg(valueAt(index.row(), index.column() - 1));
          return tip;
        }
        case Qt::BackgroundRole: return changed ? QBrush(kChanged) : QVariant();
        case Qt::FontRole: {
          QFont f;
          f.setFamily(QStringLiteral("DejaVu Sans Mono"));
          f.setBold(changed);
          return f;
        }
        case Qt::UserRole: return changed;
        default: return {};
      }
    }
  }
  return {};
}

QVariant TraceModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o == Qt::Horizontal) {
    if (section < 0 || section >= static_cast<int>(steps_.size())) return {};
    if (role == Qt::DisplayRole) return steps_[static_cast<size_t>(section)].label;
    if (role == Qt::ToolTipRole) return steps_[static_cast<size_t>(section)].action;
    return {};
  }
  if (section < 0 || section >= static_cast<int>(rows_.size())) return {};
  const Row& row = rows_[static_cast<size_t>(section)];
  switch (role) {
    case Qt::DisplayRole: return row.display;
    case Qt::ToolTipRole: return row.name;
    case Qt::FontRole:
      if (row.kind == SectionRow) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case Qt::TextAlignmentRole: return int(Qt::AlignLeft | Qt::AlignVCenter);
    default: return {};
  }
}

// ---------------------------------------------------------------- sequence chart

namespace {
const int kLeft = 40, kTop = 14, kHeader = 30, kRow = 34, kMinSpacing = 130;
}

SequenceChart::SequenceChart(QWidget* parent) : QWidget(parent) {
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
  setMouseTracking(true);
}

void SequenceChart::setTrace(const std::vector<TraceStep>& steps, const TraceContext& ctx) {
  lifelines_.clear();
  arrows_.clear();
  selectedColumn_ = -1;
  const QString env = tr("environment");
  // The actions of the trace, with what the model says about each.
  std::vector<std::pair<int, const TraceAction*>> used;
  for (size_t c = 0; c < steps.size(); ++c) {
    const auto it = ctx.actions.find(steps[c].actionName.toStdString());
    if (!steps[c].actionName.isEmpty() && it != ctx.actions.end()) used.emplace_back(static_cast<int>(c), &it->second);
  }
  // Lifelines: the environment when the trace talks to it, then the components.
  bool needsEnv = false;
  for (const auto& [c, ta] : used) needsEnv = needsEnv || (ta->external && (ta->owner.empty() || ta->receivers.empty()));
  if (needsEnv) lifelines_ << env;
  for (const std::string& c : ctx.components) lifelines_ << qs(c);
  auto lifeline = [this](const QString& name) {
    if (!lifelines_.contains(name)) lifelines_ << name;
    return static_cast<int>(lifelines_.indexOf(name));
  };
  for (const auto& [c, ta] : used) {
    Arrow a;
    a.label = steps[static_cast<size_t>(c)].action;
    a.column = c;
    a.from = ta->owner.empty() ? lifeline(env) : lifeline(qs(ta->owner));
    for (const std::string& r : ta->receivers) a.to.push_back(lifeline(qs(r)));
    if (a.to.empty() && ta->external && !ta->owner.empty()) a.to.push_back(lifeline(env));
    arrows_.push_back(std::move(a));
  }
  // The scroll area stretches the chart to its viewport; it scrolls below this.
  setMinimumSize(sizeHint());
  updateGeometry();
  update();
}

QStringList SequenceChart::describe() const {
  QStringList out;
  for (const Arrow& a : arrows_) {
    QStringList to;
    for (int t : a.to) to << lifelines_[t];
    out << QStringLiteral("%1 -> %2: %3").arg(a.from >= 0 ? lifelines_[a.from] : QStringLiteral("?"),
                                              to.isEmpty() ? QStringLiteral("(itself)") : to.join(QStringLiteral(", ")),
                                              a.label);
  }
  return out;
}

void SequenceChart::setSelectedColumn(int column) {
  selectedColumn_ = column;
  update();
}

int SequenceChart::lifelineX(int i) const {
  int widest = kMinSpacing;
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.92);
  const QFontMetrics fm(f);
  for (const Arrow& a : arrows_) widest = std::max(widest, std::min(fm.horizontalAdvance(a.label) + 24, 280));
  for (const QString& l : lifelines_) widest = std::max(widest, fm.horizontalAdvance(l) + 36);
  return kLeft + widest / 2 + i * widest;
}

int SequenceChart::rowY(int i) const { return kTop + kHeader + 24 + i * kRow; }

QSize SequenceChart::sizeHint() const {
  const int n = static_cast<int>(lifelines_.size());
  const int w = n ? lifelineX(n - 1) + (lifelineX(1 < n ? 1 : 0) - lifelineX(0)) / 2 + 20 : 200;
  return QSize(std::max(w, 200), rowY(static_cast<int>(arrows_.size())) + 10);
}

void SequenceChart::paintEvent(QPaintEvent*) {
  QPainter p(this);
  paint(p);
}

void SequenceChart::paint(QPainter& p) {
  p.setRenderHint(QPainter::Antialiasing);
  const QFont base = font();
  QFont bold = base;
  bold.setBold(true);
  QFont small = base;
  small.setPointSizeF(base.pointSizeF() * 0.92);
  const int bottom = rowY(static_cast<int>(arrows_.size())) - kRow / 2;
  // Selection band behind the chosen step.
  for (size_t i = 0; i < arrows_.size(); ++i)
    if (arrows_[i].column == selectedColumn_)
      p.fillRect(QRect(0, rowY(static_cast<int>(i)) - kRow / 2, width(), kRow), kSelected);
  // Lifelines.
  p.setFont(bold);
  for (int i = 0; i < lifelines_.size(); ++i) {
    const int x = lifelineX(i);
    const bool env = i == 0 && lifelines_[0] == tr("environment");
    p.setPen(QPen(QColor(0x9a, 0xa0, 0xa6), 1, Qt::DashLine));
    p.drawLine(x, kTop + kHeader, x, bottom);
    const int w = std::max(70, p.fontMetrics().horizontalAdvance(lifelines_[i]) + 20);
    const QRect box(x - w / 2, kTop, w, kHeader - 6);
    p.setPen(QPen(env ? QColor(0x9a, 0xa0, 0xa6) : QColor(0x1a, 0x73, 0xe8), 1.2));
    p.setBrush(env ? QColor(0xf1, 0xf3, 0xf4) : QColor(0xe8, 0xf0, 0xfe));
    p.drawRoundedRect(box, 4, 4);
    p.setPen(env ? QColor(0x5f, 0x63, 0x68) : QColor(0x17, 0x4e, 0xa6));
    p.drawText(box, Qt::AlignCenter, lifelines_[i]);
  }
  // Arrows, one row per step.
  for (size_t i = 0; i < arrows_.size(); ++i) {
    const Arrow& a = arrows_[i];
    const int y = rowY(static_cast<int>(i));
    p.setFont(small);
    p.setPen(QColor(0x5f, 0x63, 0x68));
    p.drawText(QRect(4, y - 10, kLeft - 10, 20), Qt::AlignRight | Qt::AlignVCenter, QString::number(a.column));
    if (a.from < 0) continue;
    const int x0 = lifelineX(a.from);
    const QString label = p.fontMetrics().elidedText(a.label, Qt::ElideRight, 260);
    const QColor ink(0x20, 0x21, 0x24);
    if (a.to.empty()) {
      // An internal step of one component: a box on its lifeline.
      const int w = p.fontMetrics().horizontalAdvance(label) + 14;
      const QRect box(x0 - 6, y - 10, w, 20);
      p.setPen(QPen(QColor(0x80, 0x86, 0x8b), 1));
      p.setBrush(QColor(0xfa, 0xfa, 0xfa));
      p.drawRoundedRect(box, 3, 3);
      p.setPen(ink);
      p.drawText(box, Qt::AlignCenter, label);
      continue;
    }
    bool labelled = false;
    for (int t : a.to) {
      const int x1 = lifelineX(t);
      p.setPen(QPen(ink, 1.4));
      p.drawLine(x0, y, x1, y);
      const int dir = x1 >= x0 ? 1 : -1;
      QPainterPath head;
      head.moveTo(x1, y);
      head.lineTo(x1 - dir * 8, y - 4);
      head.lineTo(x1 - dir * 8, y + 4);
      head.closeSubpath();
      p.fillPath(head, ink);
      if (!labelled) {
        const int left = std::min(x0, x1), right = std::max(x0, x1);
        p.setPen(ink);
        p.drawText(QRect(left, y - 18, std::max(right - left, 80), 16), Qt::AlignHCenter | Qt::AlignBottom, label);
        labelled = true;
      }
    }
  }
}

void SequenceChart::mousePressEvent(QMouseEvent* e) {
  for (size_t i = 0; i < arrows_.size(); ++i) {
    const int y = rowY(static_cast<int>(i));
    if (std::abs(e->position().y() - y) <= kRow / 2) {
      Q_EMIT columnClicked(arrows_[i].column);
      return;
    }
  }
  QWidget::mousePressEvent(e);
}

void SequenceChart::contextMenuEvent(QContextMenuEvent* e) {
  QMenu menu(this);
  QAction* save = menu.addAction(tr("Save Chart as SVG…"));
  if (menu.exec(e->globalPos()) == save) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Chart"), QStringLiteral("trace.svg"),
                                                      tr("SVG images (*.svg)"));
    if (!path.isEmpty()) saveSvg(path);
  }
}

bool SequenceChart::saveSvg(const QString& path) {
  QSvgGenerator gen;
  gen.setFileName(path);
  const QSize s = sizeHint();
  gen.setSize(s);
  gen.setViewBox(QRect(QPoint(0, 0), s));
  gen.setTitle(tr("Message sequence chart"));
  QPainter p;
  if (!p.begin(&gen)) return false;
  p.fillRect(QRect(QPoint(0, 0), s), Qt::white);
  paint(p);
  return p.end();
}

// ---------------------------------------------------------------- the view

CounterexampleView::CounterexampleView(QWidget* parent) : QWidget(parent), model_(new TraceModel(this)) {
  title_ = new QLabel;
  title_->setWordWrap(true);
  title_->setTextFormat(Qt::RichText);
  note_ = new QLabel;
  note_->setWordWrap(true);
  note_->setTextFormat(Qt::RichText);
  failed_ = new QLabel;
  failed_->setWordWrap(true);
  failed_->setTextFormat(Qt::RichText);
  failed_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  connect(failed_, &QLabel::linkActivated, this, [this](const QString& link) {
    const QStringList lc = link.mid(5).split(QLatin1Char(':'));
    if (lc.size() == 2) Q_EMIT jumpRequested(lc[0].toInt(), lc[1].toInt());
  });
  bmc_ = new QPushButton(tr("Search for a real trace"));
  bmc_->setToolTip(tr("Bounded model checking from the start states (depth in Settings)"));
  connect(bmc_, &QPushButton::clicked, this, &CounterexampleView::boundedSearchRequested);

  table_ = new QTableView;
  table_->setModel(model_);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectColumns);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setWordWrap(false);
  table_->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->setStyleSheet(QStringLiteral("QTableView { selection-background-color: #d2e3fc; selection-color: black; }"));
  connect(table_, &QTableView::clicked, this, [this](const QModelIndex& i) { selectColumn(i.column()); });
  connect(table_->horizontalHeader(), &QHeaderView::sectionClicked, this, &CounterexampleView::selectColumn);

  chart_ = new SequenceChart;
  chartScroll_ = new QScrollArea;
  chartScroll_->setWidget(chart_);
  chartScroll_->setWidgetResizable(true);
  chartScroll_->setBackgroundRole(QPalette::Base);
  connect(chart_, &SequenceChart::columnClicked, this, &CounterexampleView::selectColumn);

  split_ = new QSplitter(Qt::Horizontal);
  split_->addWidget(table_);
  split_->addWidget(chartScroll_);
  split_->setStretchFactor(0, 3);
  split_->setStretchFactor(1, 2);
  split_->setChildrenCollapsible(false);

  auto* head = new QHBoxLayout;
  auto* texts = new QVBoxLayout;
  texts->setSpacing(2);
  texts->addWidget(title_);
  texts->addWidget(note_);
  texts->addWidget(failed_);
  head->addLayout(texts, 1);
  head->addWidget(bmc_, 0, Qt::AlignTop);

  body_ = new QWidget;
  auto* bl = new QVBoxLayout(body_);
  bl->setContentsMargins(0, 0, 0, 0);
  bl->setSpacing(4);
  bl->addLayout(head);
  bl->addWidget(split_, 1);

  empty_ = new QLabel;
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setStyleSheet(QStringLiteral("QLabel { color: #5f6368; padding: 16px; }"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(body_, 1);
  layout->addWidget(empty_, 1);
  setResult(nullptr, nullptr);
}

bool CounterexampleView::chartVisible() const { return !chartScroll_->isHidden(); }

void CounterexampleView::setResult(const engine::ObligationResult* result,
                                   std::shared_ptr<const engine::CheckResult> check) {
  if (!result || !result->counterexample) {
    shown_.reset();
    model_->setTrace({}, {});
    chart_->setTrace({}, {});
    body_->hide();
    empty_->show();
    if (!result)
      empty_->setText(tr("Select a refuted obligation in the Proofs panel to see its counterexample here."));
    else if (result->status == "proved")
      empty_->setText(tr("“%1” is proved: there is no counterexample.").arg(qs(result->info.description)));
    else
      empty_->setText(tr("“%1” is %2%3: the solver gave no counterexample.")
                          .arg(qs(result->info.description), qs(result->status),
                               result->reason.empty() ? QString() : QStringLiteral(" (%1)").arg(qs(result->reason))));
    return;
  }
  shown_ = *result;
  const engine::CounterexampleView& cex = *shown_->counterexample;
  ctx_ = check ? traceContextFor(*check, shown_->info) : TraceContext{};
  title_->setText(QStringLiteral("<b>%1</b> <span style='color:#c5221f'>refuted</span>")
                      .arg(qs(shown_->info.description).toHtmlEscaped()));
  QString note = qs(cex.note).toHtmlEscaped();
  if (!cex.constants.empty()) {
    QStringList cs;
    for (const engine::NamedValueView& c : cex.constants)
      cs << QStringLiteral("<code>%1 = %2</code>").arg(qs(c.name).toHtmlEscaped(), qs(c.value).toHtmlEscaped());
    note += QStringLiteral("<br>constants: ") + cs.join(QStringLiteral(", "));
  }
  note_->setText(note);
  const bool induction = cex.kind == "induction";
  note_->setStyleSheet(induction ? QStringLiteral("QLabel { background: #fff4ce; border: 1px solid #e6c75a; padding: 4px; }")
                                 : QStringLiteral("QLabel { color: #3c4043; }"));
  bmc_->setVisible(induction);
  QStringList fails;
  for (const engine::FailedView& f : cex.failed) {
    QString where = f.line ? QStringLiteral(" <a href='line:%1:%2'>line %1</a>").arg(f.line).arg(f.col) : QString();
    const QString kind = f.kind == "goal" ? QString() : QStringLiteral(" (%1)").arg(qs(f.kind));
    QString inst;
    if (!f.left.empty())
      inst += QStringLiteral("<br>&nbsp;&nbsp;where the left side is <code>%1</code>").arg(qs(f.left).toHtmlEscaped());
    if (!f.right.empty())
      inst += QStringLiteral("<br>&nbsp;&nbsp;where the right side is <code>%1</code>").arg(qs(f.right).toHtmlEscaped());
    if (!f.undefined.empty())
      inst += QStringLiteral("<br>&nbsp;&nbsp;where <code>%1</code> is undefined (the solver gave it a value, the spec "
                             "gives it none)")
                  .arg(qs(f.undefined).toHtmlEscaped());
    if (!f.instance.empty())
      inst += QStringLiteral("<br>&nbsp;&nbsp;%1 for <code>%2</code>")
                  .arg(f.kind == "goal" ? QStringLiteral("false") : QStringLiteral("outside its domain"),
                       qs(f.instance).toHtmlEscaped());
    fails << QStringLiteral("fails%1: <code>%2</code>%3%4").arg(kind, qs(f.text).toHtmlEscaped(), where, inst);
  }
  failed_->setText(fails.join(QStringLiteral("<br>")));
  failed_->setVisible(!fails.isEmpty());

  std::vector<TraceStep> steps = traceSteps(cex);
  model_->setTrace(steps, ctx_);
  table_->clearSpans();
  for (int r = 0; r < model_->rowCount(); ++r)
    if (model_->rowKind(r) == TraceModel::SectionRow && model_->columnCount() > 1)
      table_->setSpan(r, 0, 1, model_->columnCount());
  table_->resizeColumnsToContents();
  // a column as wide as its values, within 360 px or its share of the panel when that is wider
  // (a short run's maps of sequences were cut at 360 px beside an empty half of the panel)
  const int columns = std::max(1, model_->columnCount());
  const int cap = std::max(360, table_->viewport()->width() / columns - 4);
  for (int c = 0; c < model_->columnCount(); ++c)
    table_->setColumnWidth(c, std::clamp(table_->columnWidth(c) + 12, 90, cap));
  chart_->setTrace(steps, ctx_);
  chartScroll_->setVisible(!ctx_.components.empty() && chart_->arrowCount() > 0);
  empty_->hide();
  body_->show();
}

void CounterexampleView::selectColumn(int column) {
  if (column < 0 || column >= model_->columnCount()) return;
  table_->selectColumn(column);
  chart_->setSelectedColumn(column);
  const TraceStep& s = model_->steps()[static_cast<size_t>(column)];
  // the failing step of a composition: the engine knows which component's transition broke it
  if (shown_ && !shown_->info.participants.empty() && column == model_->columnCount() - 1 && shown_->info.line &&
      s.actionName.toStdString() == shown_->info.transition) {
    Q_EMIT jumpRequested(static_cast<int>(shown_->info.line), static_cast<int>(shown_->info.col));
    return;
  }
  const auto it = ctx_.actions.find(s.actionName.toStdString());
  if (it != ctx_.actions.end() && it->second.line)
    Q_EMIT jumpRequested(static_cast<int>(it->second.line), static_cast<int>(it->second.col));
}

}  // namespace ioa::gui
