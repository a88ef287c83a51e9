#include "CodePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QThreadPool>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include <Qsci/qscilexercpp.h>
#include <Qsci/qsciscintilla.h>

#include "CheckModels.h"
#include "Icons.h"
#include "ProofModel.h"
#include "SpecDocument.h"

namespace ioa::gui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
const int PathRole = Qt::UserRole + 1;

QString stem(const QString& path) {
  const int dot = static_cast<int>(path.lastIndexOf(QLatin1Char('.')));
  return dot > 0 ? path.left(dot) : path;
}

QLabel* note(const QString& text) {
  auto* l = new QLabel(text);
  l->setWordWrap(true);
  l->setTextFormat(Qt::RichText);
  l->setStyleSheet(QStringLiteral("QLabel { color: #3c4043; }"));
  return l;
}

// A splitter of `parts` that never collapses one, with stretch factors and initial sizes (if given).
QSplitter* splitter(Qt::Orientation o, std::initializer_list<QWidget*> parts, const QList<int>& stretch = {},
                    const QList<int>& sizes = {}) {
  auto* s = new QSplitter(o);
  for (QWidget* w : parts) s->addWidget(w);
  for (int i = 0; i < stretch.size(); ++i) s->setStretchFactor(i, stretch[i]);
  if (!sizes.isEmpty()) s->setSizes(sizes);
  s->setChildrenCollapsible(false);
  return s;
}
}  // namespace

QsciScintilla* makeCppView(QWidget* parent) {
  auto* v = new QsciScintilla(parent);
  auto* lexer = new QsciLexerCPP(v);
  QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  f.setPointSize(10);
  lexer->setDefaultFont(f);
  lexer->setFont(f);
  v->setLexer(lexer);
  v->setUtf8(true);
  v->setReadOnly(true);
  v->setMarginType(0, QsciScintilla::NumberMargin);
  v->setMarginLineNumbers(0, true);
  v->setMarginsFont(f);
  v->setMarginWidth(0, QStringLiteral("00000"));
  v->setMarginWidth(1, 0);
  v->setMarginsBackgroundColor(QColor(0xf3, 0xf4, 0xf6));
  v->setMarginsForegroundColor(QColor(0x80, 0x86, 0x8b));
  v->setFolding(QsciScintilla::BoxedFoldStyle, 2);
  v->setFoldMarginColors(QColor(0xf3, 0xf4, 0xf6), QColor(0xf3, 0xf4, 0xf6));
  v->setCaretLineVisible(true);
  v->setCaretLineBackgroundColor(QColor(0xf5, 0xf8, 0xff));
  v->setBraceMatching(QsciScintilla::SloppyBraceMatch);
  v->setTabWidth(2);
  return v;
}

// ---------------------------------------------------------------- generated code

CodePanel::CodePanel(QWidget* parent) : QWidget(parent), units_(new QStandardItemModel(this)) {
  refresh_ = new QPushButton(commandIcon(QStringLiteral("rerun")), tr("Generate"));
  refresh_->setToolTip(tr("Generate C++ from the current text (done automatically after each clean check while "
                          "this panel is shown)"));
  export_ = new QPushButton(commandIcon(QStringLiteral("export")), tr("Export Project…"));
  export_->setToolTip(tr("Write a standalone CMake project for a stack"));
  status_ = new QLabel;
  status_->setTextFormat(Qt::RichText);
  status_->setWordWrap(true);
  connect(refresh_, &QPushButton::clicked, this, &CodePanel::regenerate);
  connect(export_, &QPushButton::clicked, this, &CodePanel::exportRequested);

  unitView_ = new QTreeView;
  unitView_->setModel(units_);
  unitView_->setHeaderHidden(true);
  unitView_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  unitView_->setUniformRowHeights(true);
  connect(unitView_, &QTreeView::clicked, this, [this](const QModelIndex& i) {
    const QString p = i.data(PathRole).toString();
    if (!p.isEmpty()) showFile(p);
  });
  connect(unitView_, &QTreeView::activated, unitView_, &QTreeView::clicked);

  code_ = makeCppView(this);

  QSplitter* split = splitter(Qt::Horizontal, {unitView_, code_}, {1, 4}, {240, 900});

  auto* bar = new QHBoxLayout;
  bar->addWidget(refresh_);
  bar->addWidget(export_);
  bar->addWidget(status_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  layout->addLayout(bar);
  layout->addWidget(split, 1);

  connect(&watcher_, &QFutureWatcherBase::finished, this, &CodePanel::finished);
  setDocument(nullptr);
}

CodePanel::~CodePanel() {
  watcher_.disconnect(this);
  watcher_.waitForFinished();
}

void CodePanel::setDocument(SpecDocument* d) {
  if (checkedConnection_) disconnect(checkedConnection_);
  doc_ = d;
  result_.reset();
  generatedRevision_ = 0;
  units_->clear();
  code_->setText(QString());
  shown_.clear();
  refresh_->setEnabled(d != nullptr);
  export_->setEnabled(d != nullptr);
  status_->setText(d ? tr("Not generated yet.") : tr("No spec open."));
  if (!d) return;
  checkedConnection_ = connect(d, &SpecDocument::checked, this, [this] {
    if (wanted())
      regenerate();
    else if (doc_ && doc_->lastCheck() && !doc_->lastCheck()->ok() && result_ && result_->ok())
      status_->setText(tr("<span style='color:#a86200'>The spec has errors now; the code below is from the last "
                          "version that checked.</span>"));
  });
  if (wanted()) regenerate();
}

// Generation runs only while someone can see its result.
bool CodePanel::wanted() const {
  return doc_ && isVisible() && doc_->checkIsCurrent() && doc_->lastCheck()->ok() &&
         generatedRevision_ != doc_->revision();
}

void CodePanel::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  if (wanted()) regenerate();
}

void CodePanel::regenerate() {
  if (!doc_) return;
  if (busy_) {
    pending_ = true;
    return;
  }
  busy_ = true;
  runningDoc_ = doc_;
  runningRevision_ = doc_->revision();
  status_->setText(tr("Generating…"));
  const std::string name = doc_->engineName().toStdString(), text = doc_->text().toStdString();
  watcher_.setFuture(QtConcurrent::run([name, text]() -> std::shared_ptr<const engine::GenerateResult> {
    codegen::GenOptions opts;
    opts.withRuntime = false;  // the runtime is the same for every spec; exports carry it
    opts.withHarness = false;
    return std::make_shared<const engine::GenerateResult>(engine::generateText(name, text, opts));
  }));
}

void CodePanel::finished() {
  busy_ = false;
  if (runningDoc_ != doc_) {
    // Generated for a document that is no longer shown.
    pending_ = false;
    if (wanted()) regenerate();
    return;
  }
  result_ = watcher_.result();
  generatedRevision_ = runningRevision_;
  fill();
  Q_EMIT generated(result_->ok());
  if (pending_) {
    pending_ = false;
    if (doc_ && generatedRevision_ != doc_->revision()) regenerate();
  }
}

void CodePanel::fill() {
  const QString keep = shown_;
  units_->clear();
  const engine::GenerateResult& r = *result_;
  if (!r.ok()) {
    QStringList lines;
    for (const auto& p : r.problems)
      if (p.severity == "error") lines << QStringLiteral("%1:%2: %3").arg(p.line).arg(p.col).arg(qs(p.message));
    for (const auto& e : r.errors) lines << qs(e);
    status_->setText(QStringLiteral("<span style='color:#c5221f'>%1</span>")
                         .arg(tr("No code: %1").arg(lines.join(QStringLiteral("; ")).toHtmlEscaped())));
    code_->setText(QString());
    shown_.clear();
    return;
  }
  QHash<QString, QStandardItem*> groups;
  auto group = [&](const QString& title, const QString& kind) {
    if (!groups.contains(title)) {
      auto* g = new QStandardItem(outlineIcon(QStringLiteral("group")), title);
      g->setData(kind, Qt::UserRole + 2);
      units_->appendRow(g);
      groups.insert(title, g);
    }
    return groups.value(title);
  };
  // Stacks first: they are what an export builds.
  for (const auto k : {codegen::GeneratedUnit::Kind::Stack, codegen::GeneratedUnit::Kind::Layer,
                       codegen::GeneratedUnit::Kind::Automaton})
    for (const codegen::GeneratedUnit& u : r.units)
      if (u.kind == k) {
        if (k == codegen::GeneratedUnit::Kind::Stack) group(tr("Stacks"), QStringLiteral("stack"));
        else if (k == codegen::GeneratedUnit::Kind::Layer) group(tr("Layers"), QStringLiteral("layer"));
        else group(tr("Automata"), QStringLiteral("automaton"));
        break;
      }
  QSet<QString> placed;
  for (const codegen::GeneratedUnit& u : r.units) {
    QString title, kind;
    switch (u.kind) {
      case codegen::GeneratedUnit::Kind::Stack: title = tr("Stacks"); kind = QStringLiteral("stack"); break;
      case codegen::GeneratedUnit::Kind::Layer: title = tr("Layers"); kind = QStringLiteral("layer"); break;
      default: title = tr("Automata"); kind = QStringLiteral("automaton"); break;
    }
    auto* unit = new QStandardItem(outlineIcon(kind), qs(u.automaton));
    unit->setToolTip(tr("class %1 in %2").arg(qs(u.cppClass), qs(u.header)));
    const QString unitStem = stem(qs(u.header));
    for (const codegen::GeneratedFile& f : r.files) {
      const QString p = qs(f.path);
      if (stem(p) != unitStem) continue;
      auto* file = new QStandardItem(p);
      file->setData(p, PathRole);
      unit->appendRow(file);
      placed.insert(p);
    }
    unit->setData(qs(u.header), PathRole);
    group(title, kind)->appendRow(unit);
  }
  for (const codegen::GeneratedFile& f : r.files) {
    const QString p = qs(f.path);
    if (placed.contains(p)) continue;
    auto* file = new QStandardItem(p);
    file->setData(p, PathRole);
    group(tr("Shared files"), QStringLiteral("group"))->appendRow(file);
  }
  unitView_->expandToDepth(0);
  status_->setText(tr("%1, namespace <code>%2</code>")
                       .arg(countOf(static_cast<int>(r.files.size()), tr("file"), tr("files")),
                            qs(r.cppNamespace).toHtmlEscaped()));
  // Keep showing the same file after a regeneration; else the first stack, else the first unit.
  if (keep.isEmpty() || !showFile(keep)) {
    QString first;
    for (const auto& u : r.units)
      if (u.kind == codegen::GeneratedUnit::Kind::Stack) {
        first = qs(u.header);
        break;
      }
    if (first.isEmpty() && !r.units.empty()) first = qs(r.units.front().header);
    if (first.isEmpty() && !r.files.empty()) first = qs(r.files.front().path);
    if (!first.isEmpty()) showFile(first);
  }
}

QString CodePanel::statusText() const { return status_->text(); }

bool CodePanel::showFile(const QString& path) {
  if (!result_) return false;
  for (const codegen::GeneratedFile& f : result_->files)
    if (qs(f.path) == path) {
      const int line = code_->firstVisibleLine();
      code_->setText(qs(f.text));
      if (path == shown_) code_->setFirstVisibleLine(line);
      shown_ = path;
      // Select it in the tree as well.
      const QModelIndexList hits =
          units_->match(units_->index(0, 0), PathRole, path, 1, Qt::MatchExactly | Qt::MatchRecursive);
      if (!hits.isEmpty()) unitView_->setCurrentIndex(hits.front());
      return true;
    }
  return false;
}

// ---------------------------------------------------------------- export

ExportDialog::ExportDialog(const QString& specPath, const QStringList& stacks, QWidget* parent)
    : QDialog(parent), specPath_(specPath) {
  setWindowTitle(tr("Export Project"));
  setMinimumWidth(560);
  stack_ = new QComboBox;
  stack_->addItems(stacks);
  folder_ = new QLineEdit;
  auto* browse = new QPushButton(tr("Browse…"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString d = QFileDialog::getExistingDirectory(this, tr("Export into"), folder_->text());
    if (!d.isEmpty()) folder_->setText(d);
  });
  auto defaultFolder = [this] {
    const QString base = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    return QDir(base.isEmpty() ? QDir::homePath() : base)
        .filePath(QStringLiteral("ioawb-export/%1").arg(stack_->currentText().toLower()));
  };
  folder_->setText(defaultFolder());
  // (an offer to overwrite edited files holds for the folder and the stack it was made for)
  auto withdrawOffer = [this] {
    kept_.clear();
    if (exportButton_) exportButton_->setText(tr("Export"));
  };
  connect(stack_, &QComboBox::currentTextChanged, this, [this, defaultFolder, withdrawOffer] {
    withdrawOffer();
    if (!folder_->isModified()) folder_->setText(defaultFolder());
  });
  connect(folder_, &QLineEdit::textChanged, this, withdrawOffer);

  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(folder_, 1);
  folderRow->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Spec:"), new QLabel(QDir::toNativeSeparators(specPath)));
  form->addRow(tr("Stack:"), stack_);
  form->addRow(tr("Folder:"), folderRow);

  auto* what = note(tr("The project holds the generated layers and stack, the runtime, a demo program and its "
                       "own tests, and builds with CMake. The spec is read from its saved file."));
  result_ = new QLabel;
  result_->setWordWrap(true);
  result_->setTextFormat(Qt::RichText);
  result_->setTextInteractionFlags(Qt::TextBrowserInteraction);
  result_->hide();

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  exportButton_ = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
  exportButton_->setIcon(commandIcon(QStringLiteral("export")));
  exportButton_->setDefault(true);
  openFolder_ = buttons->addButton(tr("Open Folder"), QDialogButtonBox::ActionRole);
  openFolder_->hide();
  exportButton_->setEnabled(!stacks.isEmpty());
  if (stacks.isEmpty()) {
    result_->setText(tr("<span style='color:#c5221f'>This spec declares no stack; an export needs one "
                        "(<code>stack S = A ; B</code>).</span>"));
    result_->show();
  }
  connect(exportButton_, &QPushButton::clicked, this, &ExportDialog::startExport);
  connect(buttons->button(QDialogButtonBox::Close), &QPushButton::clicked, this, &QDialog::reject);
  connect(openFolder_, &QPushButton::clicked, this,
          [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder_->text())); });

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(what);
  layout->addWidget(result_);
  layout->addStretch();
  layout->addWidget(buttons);
  connect(&watcher_, &QFutureWatcherBase::finished, this, &ExportDialog::done);
}

void ExportDialog::startExport() {
  if (busy_ || stack_->currentText().isEmpty()) return;
  const QString dir = QDir::cleanPath(folder_->text().trimmed());
  if (dir.isEmpty()) return;
  busy_ = true;
  exportButton_->setEnabled(false);
  result_->setText(tr("Exporting…"));
  result_->show();
  const std::string spec = specPath_.toStdString(), stack = stack_->currentText().toStdString();
  std::vector<std::string> overwrite;  // the files the user was shown, then pressed Overwrite
  for (const QString& k : kept_) overwrite.push_back(k.toStdString());
  watcher_.setFuture(QtConcurrent::run([spec, stack, dir, overwrite]() {
    Outcome o;
    codegen::GenOptions opts;
    opts.stack = stack;
    engine::GenerateResult r = engine::exportFile(spec, opts);
    if (!r.ok()) {
      QStringList why;
      if (!r.ioError.empty()) why << QString::fromStdString(r.ioError);
      for (const auto& p : r.problems)
        if (p.severity == "error") why << QStringLiteral("%1:%2: %3").arg(p.line).arg(p.col).arg(qs(p.message));
      for (const auto& e : r.errors) why << qs(e);
      o.message = why.join(QLatin1Char('\n'));
      return o;
    }
    std::string error;
    std::vector<std::string> kept;
    engine::WriteOptions wo;
    wo.overwrite = overwrite;
    wo.kept = &kept;
    wo.forceHint = "they are kept as they are";
    if (!engine::writeFiles(dir.toStdString(), r.files, error, wo)) {
      o.message = qs(error);
      for (const std::string& k : kept) o.kept << qs(k);
      return o;
    }
    o.ok = true;
    for (const auto& f : r.files) o.files << qs(f.path);
    return o;
  }));
}

void ExportDialog::done() {
  busy_ = false;
  const Outcome o = watcher_.result();
  ok_ = o.ok;
  written_ = o.files;
  kept_ = o.kept;
  exportButton_->setEnabled(true);
  exportButton_->setText(kept_.isEmpty() ? tr("Export") : tr("Overwrite"));
  const QString dir = QDir::toNativeSeparators(QDir::cleanPath(folder_->text().trimmed()));
  if (o.ok) {
    message_ = tr("Wrote %1 to %2").arg(countOf(static_cast<int>(o.files.size()), tr("file"), tr("files")), dir);
    result_->setText(tr("<p style='color:#188038'><b>%1</b></p><p>Build it and run its tests:</p>"
                        "<pre>cmake -S %2 -B %2/build\ncmake --build %2/build\nctest --test-dir %2/build</pre>")
                         .arg(message_.toHtmlEscaped(), dir.toHtmlEscaped()));
    openFolder_->show();
  } else {
    message_ = o.message;
    QString html = QStringLiteral("<p style='color:#c5221f'><b>%1</b><br>%2</p>")
                       .arg(kept_.isEmpty() ? tr("Export failed") : tr("Not exported"), o.message.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    if (!kept_.isEmpty())
      html += tr("<p><b>Overwrite</b> replaces %1 with the generated code; or choose another folder.</p>")
                  .arg(countOf(static_cast<int>(kept_.size()), tr("file"), tr("files")));
    result_->setText(html);
  }
  adjustSize();
  Q_EMIT finished(o.ok);
}

// ---------------------------------------------------------------- optimizer

namespace {

// Optimizer runs (Clang and the solver) get one thread of their own, owned by
// the application: a run whose panel is gone finishes there and is dropped,
// and the application waits for it when it quits. Clang recurses deeply, so
// the thread's stack does not depend on the platform's default.
QThreadPool* optimizerPool() {
  static QPointer<QThreadPool> pool;
  if (!pool) {
    pool = new QThreadPool(QCoreApplication::instance());
    pool->setObjectName(QStringLiteral("optimizerPool"));
    pool->setMaxThreadCount(1);
    pool->setStackSize(16u << 20);
  }
  return pool;
}

const int kBypassMarker = 1;

// An obligation's state and its name: a proof the user cancelled is not an unknown.
ProofState stateOf(const engine::OptimizeObligation& ob) {
  return proofStateOfStatus(ob.status, ob.message);
}
QString statusOf(const engine::OptimizeObligation& ob) {
  return stateOf(ob) == ProofState::Cancelled ? proofStateName(ProofState::Cancelled) : QString::fromStdString(ob.status);
}
const int ObligationRole = Qt::UserRole + 1;

// The C++ class of the optimized stack in a result (for shorter descriptions).
QString stackClass(const engine::OptimizeResult& r, const QString& stack) {
  for (const codegen::GeneratedUnit& u : r.gen.units)
    if (u.kind == codegen::GeneratedUnit::Kind::Stack && qs(u.automaton) == stack) return qs(u.cppClass);
  return {};
}

// The file the stack's code is in: where the bypasses are, else the stack's source.
QString stackSource(const engine::OptimizeResult& r, const QString& stack) {
  for (const engine::OptimizeObligation& o : r.obligations)
    if (!o.file.empty()) return qs(o.file);
  for (const codegen::GeneratedUnit& u : r.gen.units)
    if (u.kind == codegen::GeneratedUnit::Kind::Stack && qs(u.automaton) == stack) return stem(qs(u.header)) + ".cpp";
  return {};
}

// An obligation's description without the qualification of the stack's members
// ("dn_fast = dn_layered where ccp_dn"); the tooltip keeps the full text.
QString shortDescription(const engine::OptimizeResult& r, const QString& stack, const engine::OptimizeObligation& o) {
  QString d = qs(o.description);
  const QString cls = stackClass(r, stack);
  if (!cls.isEmpty()) d.replace(qs(r.gen.cppNamespace) + QStringLiteral("::") + cls + QStringLiteral("::"), QString());
  return d;
}

QString pathName(const QString& path) {
  if (path == QLatin1String("dn")) return QObject::tr("down: from the application to the network");
  if (path == QLatin1String("up")) return QObject::tr("up: from the network to the application");
  return path;
}

QLabel* viewTitle() {
  auto* l = new QLabel;
  l->setTextFormat(Qt::RichText);
  l->setContentsMargins(4, 2, 4, 2);
  l->setStyleSheet(QStringLiteral("QLabel { background: #eef1f5; color: #202124; border-bottom: 1px solid #d6dae0; }"));
  return l;
}

QWidget* titled(QLabel* title, QWidget* body) {
  auto* box = new QWidget;
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(0);
  v->addWidget(title);
  v->addWidget(body, 1);
  return box;
}

// The first line (0-based) of the definition of `Class::function(` in C++ text, or -1.
int definitionLine(const QString& text, const QString& cls, const QString& function) {
  if (cls.isEmpty() || function.isEmpty()) return -1;
  const QRegularExpression def(QStringLiteral("^\\S[^\\n;]*\\b%1::%2\\(")
                                   .arg(QRegularExpression::escape(cls), QRegularExpression::escape(function)),
                               QRegularExpression::MultilineOption);
  const QRegularExpressionMatch m = def.match(text);
  return m.hasMatch() ? static_cast<int>(text.left(m.capturedStart()).count(QLatin1Char('\n'))) : -1;
}

void scrollTo(QsciScintilla* v, int line) {
  if (line < 0 || line >= v->lines()) return;
  v->setCursorPosition(line, 0);
  v->setFirstVisibleLine(std::max(0, line - 2));
}

}  // namespace

bool OptimizerPanel::available() { return engine::optimizerAvailable(); }

OptimizerPanel::OptimizerPanel(QWidget* parent) : QWidget(parent), model_(new QStandardItemModel(this)) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* page = new QWidget;
  outer->addWidget(page, 1);

  stack_ = new QComboBox;
  stack_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  stack_->setMinimumContentsLength(10);
  stack_->setToolTip(tr("The stack whose layers are collapsed"));
  run_ = new QPushButton(commandIcon(QStringLiteral("prove")), tr("Optimize and prove"));
  run_->setToolTip(tr("Collapse the stack's layers into bypass code for the common case and prove each bypass "
                      "equal to the layered code wherever it runs (the prover's timeout applies to each path)"));
  cancel_ = new QPushButton(commandIcon(QStringLiteral("stop")), tr("Cancel"));
  cancel_->setToolTip(tr("Stop the proofs of the run in progress"));
  cancel_->setEnabled(false);
  connect(cancel_, &QPushButton::clicked, this, &OptimizerPanel::cancel);
  busy_ = new QProgressBar;
  busy_->setRange(0, 0);
  busy_->setTextVisible(false);
  busy_->setFixedWidth(90);
  busy_->setMaximumHeight(14);
  busy_->hide();
  status_ = new QLabel;
  status_->setTextFormat(Qt::RichText);
  status_->setWordWrap(true);
  error_ = new QLabel;
  error_->setTextFormat(Qt::RichText);
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet(QStringLiteral("QLabel { background: #fce8e6; color: #a50e0e; border: 1px solid #f4c7c3; "
                                       "padding: 6px; }"));
  error_->hide();
  connect(run_, &QPushButton::clicked, this, qOverload<>(&OptimizerPanel::run));

  model_->setColumnCount(ColumnCount);
  model_->setHorizontalHeaderLabels({tr("Path"), tr("Status"), tr("Time"), tr("Obligation"), tr("Message")});
  table_ = new QTreeView;
  table_->setModel(model_);
  table_->setRootIsDecorated(false);
  table_->setUniformRowHeights(true);
  table_->setAlternatingRowColors(true);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setTextElideMode(Qt::ElideRight);
  table_->header()->setStretchLastSection(false);
  table_->header()->setSectionResizeMode(PathColumn, QHeaderView::ResizeToContents);
  table_->header()->setSectionResizeMode(StatusColumn, QHeaderView::ResizeToContents);
  table_->header()->setSectionResizeMode(TimeColumn, QHeaderView::ResizeToContents);
  table_->header()->setSectionResizeMode(DescriptionColumn, QHeaderView::Stretch);
  table_->header()->setSectionResizeMode(MessageColumn, QHeaderView::Interactive);
  table_->header()->resizeSection(MessageColumn, 240);
  connect(table_, &QTreeView::clicked, this, [this](const QModelIndex& i) { selectObligation(i.row()); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& i) {
            if (i.isValid()) selectObligation(i.row());
          });

  detail_ = new QTextBrowser;
  detail_->setOpenLinks(false);
  detail_->document()->setDocumentMargin(3);
  detail_->setPlaceholderText(tr("Select an obligation to see where its bypass is and, when it is refuted, the "
                                 "inputs on which the bypass and the layered code differ."));

  layered_ = makeCppView(this);
  collapsed_ = makeCppView(this);
  collapsed_->markerDefine(QsciScintilla::Background, kBypassMarker);
  collapsed_->setMarkerBackgroundColor(QColor(0xff, 0xf1, 0xb8), kBypassMarker);
  layered_->markerDefine(QsciScintilla::Background, kBypassMarker);
  layered_->setMarkerBackgroundColor(QColor(0xff, 0xf1, 0xb8), kBypassMarker);
  layeredTitle_ = viewTitle();
  collapsedTitle_ = viewTitle();

  QSplitter* top = splitter(Qt::Horizontal, {table_, detail_}, {2, 1}, {800, 400});
  QSplitter* code =
      splitter(Qt::Horizontal, {titled(layeredTitle_, layered_), titled(collapsedTitle_, collapsed_)});
  QSplitter* split = splitter(Qt::Vertical, {top, code}, {1, 3}, {120, 400});

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Stack:")));
  bar->addWidget(stack_);
  bar->addWidget(run_);
  bar->addWidget(cancel_);
  bar->addWidget(busy_);
  bar->addWidget(status_, 1);
  auto* layout = new QVBoxLayout(page);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  layout->addLayout(bar);
  layout->addWidget(error_);
  layout->addWidget(split, 1);

  ticker_.setInterval(1000);
  connect(&ticker_, &QTimer::timeout, this, &OptimizerPanel::updateBusy);
  connect(&watcher_, &QFutureWatcherBase::finished, this, &OptimizerPanel::done);

  if (!available()) {
    page->hide();
    auto* msg = new QLabel(
        tr("<h3>The optimizer is not available in this build</h3>"
           "<p>Collapsed bypass code beside the layered code, with the equivalence proof of each path, appears "
           "here when the workbench is built with the Clang-based optimizer. This build was configured without "
           "it (<code>-DIOAWB_BUILD_OPTIMIZER=OFF</code>), so nothing is shown rather than something made up.</p>"
           "<p>The layered code the optimizer starts from is in <b>Generated Code</b>.</p>"));
    msg->setWordWrap(true);
    msg->setTextFormat(Qt::RichText);
    msg->setAlignment(Qt::AlignCenter);
    msg->setStyleSheet(QStringLiteral("QLabel { color: #3c4043; padding: 24px; }"));
    outer->addWidget(msg, 1);
  }
  setDocument(nullptr);
}

OptimizerPanel::~OptimizerPanel() {
  // A run in progress is cancelled (the application waits for the optimizer's thread when it
  // quits: until 2026-12-04, for the whole run); it finishes there and its result goes nowhere.
  if (cancelRun_) *cancelRun_ = true;
  watcher_.disconnect(this);
}

void OptimizerPanel::cancel() {
  if (running_ && cancelRun_) *cancelRun_ = true;
  updateState();
}

void OptimizerPanel::setTimeoutMs(unsigned ms) {
  timeoutMs_ = ms;
  updateState();
}

void OptimizerPanel::setDocument(SpecDocument* d) {
  if (checkedConnection_) disconnect(checkedConnection_);
  doc_ = d;
  if (d)
    checkedConnection_ = connect(d, &SpecDocument::checked, this, [this] {
      refreshStacks();
      updateState();
    });
  refreshStacks();
  const auto it = outcomes_.constFind(d);
  display(it != outcomes_.constEnd() ? *it : Outcome{});
}

void OptimizerPanel::refreshStacks() {
  const QStringList names = doc_ ? doc_->outline()->namesOfKind(QStringLiteral("stack")) : QStringList();
  QStringList now;
  for (int i = 0; i < stack_->count(); ++i) now << stack_->itemText(i);
  if (names == now) return;
  const QString keep = stack_->currentText();
  stack_->clear();
  stack_->addItems(names);
  if (names.contains(keep)) stack_->setCurrentText(keep);
}

bool OptimizerPanel::run() { return run(stack_->currentText(), timeoutMs_); }

bool OptimizerPanel::run(const QString& stack, unsigned timeoutMs) {
  if (!available() || running_ || !doc_ || stack.isEmpty()) return false;
  running_ = true;
  cancelRun_ = std::make_shared<std::atomic<bool>>(false);
  runningDoc_ = doc_;
  runningStack_ = stack;
  runningRevision_ = doc_->revision();
  if (stack_->findText(stack) >= 0) stack_->setCurrentText(stack);
  const std::string name = doc_->engineName().toStdString(), text = doc_->text().toStdString();
  codegen::GenOptions opts;
  opts.stack = stack.toStdString();
  clock_.start();
  ticker_.start();
  updateState();
  using Result = std::shared_ptr<const engine::OptimizeResult>;
  watcher_.setFuture(QtConcurrent::run(optimizerPool(), [name, text, opts, timeoutMs, cancel = cancelRun_]() -> Result {
    try {
      return std::make_shared<const engine::OptimizeResult>(
          engine::optimizeText(name, text, opts, timeoutMs, 0, cancel.get()));
    } catch (const std::exception& e) {
      auto r = std::make_shared<engine::OptimizeResult>();
      r->error = std::string("the optimizer failed: ") + e.what();
      return r;
    }
  }));
  return true;
}

void OptimizerPanel::done() {
  running_ = false;
  cancelRun_.reset();
  ticker_.stop();
  Outcome o;
  o.result = watcher_.result();
  o.stack = runningStack_;
  o.revision = runningRevision_;
  o.wallMs = static_cast<double>(clock_.elapsed());
  if (SpecDocument* d = runningDoc_.data()) {
    if (!outcomes_.contains(d)) connect(d, &QObject::destroyed, this, [this, d] { outcomes_.remove(d); });
    outcomes_.insert(d, o);
    if (d == doc_) display(o);
  }
  updateState();
  Q_EMIT finished(o.result->ok());
}

void OptimizerPanel::display(const Outcome& o) {
  shown_ = o;
  model_->removeRows(0, model_->rowCount());
  detail_->clear();
  layered_->markerDeleteAll(kBypassMarker);
  collapsed_->markerDeleteAll(kBypassMarker);
  error_->hide();
  error_->clear();
  errorText_.clear();
  const QString layeredTitle = tr("Layered (generated)"), collapsedTitle = tr("Collapsed (bypass + layered fallback)");
  if (!o.result) {
    layered_->setText(QString());
    collapsed_->setText(QString());
    layeredTitle_->setText(QStringLiteral("<b>%1</b>").arg(layeredTitle));
    collapsedTitle_->setText(QStringLiteral("<b>%1</b>").arg(collapsedTitle));
    updateState();
    return;
  }
  const engine::OptimizeResult& r = *o.result;
  QStringList why;
  if (!r.gen.ioError.empty()) why << qs(r.gen.ioError);
  for (const auto& p : r.gen.problems)
    if (p.severity == "error") why << tr("line %1:%2: %3").arg(p.line).arg(p.col).arg(qs(p.message));
  for (const auto& e : r.gen.errors) why << qs(e);
  if (!r.error.empty()) why << qs(r.error);
  if (!r.ok() && why.isEmpty()) why << tr("the engine gave no reason");
  if (!why.isEmpty()) {
    errorText_ = why.join(QLatin1Char('\n'));
    QStringList lines;
    for (const QString& w : why) lines << w.toHtmlEscaped();
    error_->setText(tr("<b>Could not optimize %1:</b><br>%2").arg(o.stack.toHtmlEscaped(),
                                                                   lines.join(QStringLiteral("<br>"))));
    error_->show();
  }
  const QString file = stackSource(r, o.stack).toHtmlEscaped();
  auto title = [&](const QString& what, bool has) {
    return has && !file.isEmpty() ? QStringLiteral("<b>%1</b> &nbsp;<code>%2</code>").arg(what, file)
                                  : QStringLiteral("<b>%1</b>").arg(what);
  };
  layeredTitle_->setText(title(layeredTitle, !r.layeredStack.empty()));
  collapsedTitle_->setText(title(collapsedTitle, !r.collapsedStack.empty()));
  layered_->setText(qs(r.layeredStack));
  collapsed_->setText(qs(r.collapsedStack));

  int select = 0;
  for (int i = 0; i < static_cast<int>(r.obligations.size()); ++i) {
    const engine::OptimizeObligation& ob = r.obligations[static_cast<size_t>(i)];
    const ProofState state = stateOf(ob);
    if (state == ProofState::Refuted && stateOf(r.obligations[static_cast<size_t>(select)]) != ProofState::Refuted)
      select = i;
    const QString description = shortDescription(r, o.stack, ob);
    QString message = qs(ob.message);
    if (message.isEmpty() && state == ProofState::Refuted && !ob.differences.empty())
      message = tr("differs: %1").arg(qs(ob.differences.front()));
    QString tip = QStringLiteral("<p><b>%1</b> &nbsp;<code>%2:%3</code></p><p>%4</p>")
                      .arg(qs(ob.id).toHtmlEscaped(), qs(ob.file).toHtmlEscaped())
                      .arg(ob.line)
                      .arg(qs(ob.description).toHtmlEscaped());
    if (state == ProofState::Refuted) {
      for (const std::string& d : ob.differences) tip += tr("<br>differs: %1").arg(qs(d).toHtmlEscaped());
      int n = 0;
      for (const auto& [k, v] : ob.inputs)
        if (n++ < 12)
          tip += QStringLiteral("<br><code>%1 = %2</code>").arg(qs(k).toHtmlEscaped(), qs(v).toHtmlEscaped());
    }
    auto* path = new QStandardItem(qs(ob.path));
    path->setToolTip(pathName(qs(ob.path)));
    auto* status = new QStandardItem(proofStateIcon(state), statusOf(ob));
    auto* time = new QStandardItem(ob.status == "not run" ? QString() : formatMillis(ob.timeMs));
    time->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* desc = new QStandardItem(description);
    auto* msg = new QStandardItem(message);
    for (QStandardItem* it : {path, status, time, desc, msg}) {
      it->setData(i, ObligationRole);
      if (it != path) it->setToolTip(tip);
    }
    if (!message.isEmpty()) msg->setToolTip(message.toHtmlEscaped() + QStringLiteral("<hr>") + tip);
    model_->appendRow({path, status, time, desc, msg});
  }
  if (model_->rowCount() > 0) selectObligation(select);
  updateState();
}

void OptimizerPanel::selectObligation(int row) {
  if (!shown_.result || row < 0 || row >= static_cast<int>(shown_.result->obligations.size())) return;
  const QModelIndex i = model_->index(row, 0);
  if (table_->currentIndex().row() != row) {
    table_->setCurrentIndex(i);  // comes back here through currentRowChanged
    return;
  }
  const engine::OptimizeResult& r = *shown_.result;
  const engine::OptimizeObligation& ob = r.obligations[static_cast<size_t>(row)];
  const ProofState state = stateOf(ob);
  const char* color = state == ProofState::Proved                                     ? "#188038"
                      : state == ProofState::Refuted                                  ? "#c5221f"
                      : state == ProofState::NotRun || state == ProofState::Cancelled ? "#5f6368"
                                                                                      : "#a86200";
  QString html = QStringLiteral("<p><span style='color:%1'><b>%2</b></span>")
                     .arg(QLatin1String(color), statusOf(ob).toHtmlEscaped());
  if (ob.status != "not run") html += tr(" in %1").arg(formatMillis(ob.timeMs));
  html += QStringLiteral(" &nbsp;·&nbsp; <code>%1:%2</code><br>%3</p>")
              .arg(qs(ob.file).toHtmlEscaped())
              .arg(ob.line)
              .arg(pathName(qs(ob.path)).toHtmlEscaped());
  html += QStringLiteral("<p>%1</p>").arg(shortDescription(r, shown_.stack, ob).toHtmlEscaped());
  if (!ob.message.empty()) html += QStringLiteral("<p><i>%1</i></p>").arg(qs(ob.message).toHtmlEscaped());
  if (state == ProofState::Refuted) {
    if (!ob.differences.empty()) {
      html += tr("<p><b>After the step, the bypass and the layered code differ in:</b></p><ul>");
      for (const std::string& d : ob.differences)
        html += QStringLiteral("<li><code>%1</code></li>").arg(qs(d).toHtmlEscaped());
      html += QStringLiteral("</ul>");
    }
    if (!ob.inputs.empty()) {
      html += tr("<p><b>On this state and message:</b></p><table cellspacing='0' cellpadding='1'>");
      for (const auto& [k, v] : ob.inputs)
        html += QStringLiteral("<tr><td><code>%1</code></td><td>&nbsp;=&nbsp;</td><td><code>%2</code></td></tr>")
                    .arg(qs(k).toHtmlEscaped(), qs(v).toHtmlEscaped());
      html += QStringLiteral("</table>");
    }
  }
  detail_->setHtml(html);

  // The bypass in the collapsed code; the function it replaces in the layered code.
  collapsed_->markerDeleteAll(kBypassMarker);
  if (ob.line > 0 && ob.line <= collapsed_->lines()) {
    collapsed_->markerAdd(ob.line - 1, kBypassMarker);
    scrollTo(collapsed_, ob.line - 1);
  }
  layered_->markerDeleteAll(kBypassMarker);
  const int def = definitionLine(layered_->text(), stackClass(r, shown_.stack), qs(ob.path));
  if (def >= 0) {
    layered_->markerAdd(def, kBypassMarker);
    scrollTo(layered_, def);
  }
}

void OptimizerPanel::updateBusy() {
  if (!running_) return;
  if (cancelRun_ && *cancelRun_) {
    status_->setText(tr("Cancelling the run on <b>%1</b>… %2")
                         .arg(runningStack_.toHtmlEscaped(), tr("%1 s").arg(clock_.elapsed() / 1000)));
    return;
  }
  status_->setText(tr("Optimizing <b>%1</b>: collapsing its layers and proving each bypass (up to %2 per path)… %3")
                       .arg(runningStack_.toHtmlEscaped(), formatMillis(timeoutMs_),
                            tr("%1 s").arg(clock_.elapsed() / 1000)));
}

void OptimizerPanel::updateState() {
  const bool canRun = available() && doc_ && !running_ && stack_->count() > 0;
  run_->setEnabled(canRun);
  cancel_->setEnabled(running_ && cancelRun_ && !*cancelRun_);
  stack_->setEnabled(available() && stack_->count() > 0);
  busy_->setVisible(running_);
  if (running_) {
    updateBusy();
    return;
  }
  if (!doc_) {
    status_->setText(tr("No spec open."));
    return;
  }
  if (!shown_.result) {
    if (stack_->count() == 0)
      status_->setText(tr("This spec declares no stack (<code>stack S = A ; B</code>); the optimizer collapses the "
                          "layers of a stack."));
    else
      status_->setText(tr("Not run yet: <b>Optimize and prove</b> collapses the stack's layers into bypass code and "
                          "proves each bypass equal to the layered code (up to %1 per path).")
                           .arg(formatMillis(timeoutMs_)));
    return;
  }
  const engine::OptimizeResult& r = *shown_.result;
  QString text;
  if (!r.ok()) {
    text = tr("<span style='color:#c5221f'><b>%1</b>: no optimized code.</span>").arg(shown_.stack.toHtmlEscaped());
  } else {
    const int n = static_cast<int>(r.obligations.size());
    QStringList parts;
    if (r.proved()) parts << tr("<span style='color:#188038'>%1 proved</span>").arg(r.proved());
    if (r.refuted()) parts << tr("<span style='color:#c5221f'>%1 refuted</span>").arg(r.refuted());
    const int cancelled = static_cast<int>(std::count_if(r.obligations.begin(), r.obligations.end(), [](const auto& ob) {
      return stateOf(ob) == ProofState::Cancelled;
    }));
    if (r.unknown() > cancelled)
      parts << tr("<span style='color:#a86200'>%1 unknown</span>").arg(r.unknown() - cancelled);
    if (cancelled) parts << tr("<span style='color:#5f6368'>%1 cancelled</span>").arg(cancelled);
    text = tr("<b>%1</b>: %2%3 · %4")
               .arg(shown_.stack.toHtmlEscaped(), countOf(n, tr("obligation"), tr("obligations")),
                    parts.isEmpty() ? QString() : QStringLiteral(": ") + parts.join(QStringLiteral(", ")),
                    formatMillis(shown_.wallMs));
  }
  if (doc_->revision() != shown_.revision)
    text += tr(" · <span style='color:#a86200'>the spec changed since; run again to update</span>");
  status_->setText(text);
}

std::shared_ptr<const engine::OptimizeResult> OptimizerPanel::result() const { return shown_.result; }
QString OptimizerPanel::resultStack() const { return shown_.stack; }

QString OptimizerPanel::obligationStatus(const QString& path) const {
  if (shown_.result)
    for (const engine::OptimizeObligation& o : shown_.result->obligations)
      if (qs(o.path) == path) return statusOf(o);
  return {};
}

QString OptimizerPanel::layeredText() const { return layered_->text(); }
QString OptimizerPanel::collapsedText() const { return collapsed_->text(); }
QString OptimizerPanel::statusText() const { return status_->text(); }
QString OptimizerPanel::errorText() const { return errorText_; }
QString OptimizerPanel::detailText() const { return detail_->toPlainText(); }

}  // namespace ioa::gui
