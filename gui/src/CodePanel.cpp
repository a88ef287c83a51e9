#include "CodePanel.h"

#include <QCheckBox>
#include <QComboBox>
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
#include <QPushButton>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QThreadPool>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <Qsci/qscilexercpp.h>
#include <Qsci/qsciscintilla.h>

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

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(unitView_);
  split->addWidget(code_);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 4);
  split->setSizes({240, 900});
  split->setChildrenCollapsible(false);

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
  connect(stack_, &QComboBox::currentTextChanged, this, [this, defaultFolder] {
    if (!folder_->isModified()) folder_->setText(defaultFolder());
  });

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
  watcher_.setFuture(QtConcurrent::run([spec, stack, dir]() {
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
    if (!engine::writeFiles(dir.toStdString(), r.files, error)) {
      o.message = qs(error);
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
  exportButton_->setEnabled(true);
  const QString dir = QDir::toNativeSeparators(QDir::cleanPath(folder_->text().trimmed()));
  if (o.ok) {
    message_ = tr("Wrote %1 to %2").arg(countOf(static_cast<int>(o.files.size()), tr("file"), tr("files")), dir);
    result_->setText(tr("<p style='color:#188038'><b>%1</b></p><p>Build it and run its tests:</p>"
                        "<pre>cmake -S %2 -B %2/build\ncmake --build %2/build\nctest --test-dir %2/build</pre>")
                         .arg(message_.toHtmlEscaped(), dir.toHtmlEscaped()));
    openFolder_->show();
  } else {
    message_ = o.message;
    result_->setText(QStringLiteral("<p style='color:#c5221f'><b>%1</b><br>%2</p>")
                         .arg(tr("Export failed"), o.message.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))));
  }
  adjustSize();
  Q_EMIT finished(o.ok);
}

// ---------------------------------------------------------------- optimizer

bool OptimizerPanel::available() {
#if __has_include("ioa/engine/Optimize.h")
  return true;
#else
  return false;
#endif
}

OptimizerPanel::OptimizerPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* msg = new QLabel(
      tr("<h3>The optimizer is not available in this build</h3>"
         "<p>Collapsed bypass code beside the layered code, with the equivalence proof of each path, appears "
         "here when the workbench is built with the optimizer's engine API "
         "(<code>ioa/engine/Optimize.h</code>). This build has none, so nothing is shown rather than "
         "something made up.</p>"
         "<p>The layered code the optimizer starts from is in <b>Generated Code</b>.</p>"));
  msg->setWordWrap(true);
  msg->setTextFormat(Qt::RichText);
  msg->setAlignment(Qt::AlignCenter);
  msg->setStyleSheet(QStringLiteral("QLabel { color: #3c4043; padding: 24px; }"));
  layout->addWidget(msg, 1);
}

}  // namespace ioa::gui
