#include "SpecDocument.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "CheckModels.h"
#include "ProofModel.h"
#include "ProofRunner.h"
#include "SpecEditor.h"

namespace ioa::gui {

struct SpecDocument::Outcome {
  std::shared_ptr<const engine::CheckResult> result;
  double ms = 0;
  quint64 revision = 0;
};

namespace {
// Checks get their own small pool so that they never queue behind long work
// elsewhere in the application.
QThreadPool* checkPool() {
  static QThreadPool* pool = [] {
    auto* p = new QThreadPool;
    p->setMaxThreadCount(2);
    return p;
  }();
  return pool;
}
}  // namespace

SpecDocument::SpecDocument(int untitledNumber, QWidget* parent)
    : QWidget(parent),
      editor_(new SpecEditor(this)),
      problems_(new ProblemsModel(this)),
      outline_(new OutlineModel(this)),
      proofModel_(new ProofModel(this)),
      proofs_(new ProofRunner(proofModel_, this)),
      untitled_(untitledNumber) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(editor_);
  setFocusProxy(editor_);

  debounce_.setSingleShot(true);
  debounce_.setInterval(40);
  connect(&debounce_, &QTimer::timeout, this, &SpecDocument::startCheck);
  connect(editor_, &QsciScintilla::textChanged, this, &SpecDocument::onTextChanged);
  connect(editor_, &QsciScintilla::modificationChanged, this, &SpecDocument::titleChanged);
  connect(&watcher_, &QFutureWatcherBase::finished, this, &SpecDocument::checkFinished);
}

SpecDocument::~SpecDocument() {
  // The check holds only its own copy of the text; let it finish quietly.
  watcher_.disconnect(this);
  watcher_.waitForFinished();
}

QString SpecDocument::displayName() const {
  return path_.isEmpty() ? QStringLiteral("untitled-%1.ioa").arg(untitled_) : QFileInfo(path_).fileName();
}

QString SpecDocument::engineName() const { return path_.isEmpty() ? displayName() : path_; }

bool SpecDocument::proofsStale() const {
  return proofs_->revision() != 0 && proofs_->revision() != revision_ && proofModel_->rowCount() > 0;
}

bool SpecDocument::isModified() const { return editor_->isModified(); }
void SpecDocument::setModified(bool m) { editor_->setModified(m); }

QString SpecDocument::text() const { return editor_->text(); }

void SpecDocument::setText(const QString& text) {
  editor_->setText(text);
  checkNow();
}

bool SpecDocument::load(const QString& path, QString* error) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = f.errorString();
    return false;
  }
  const QString text = QString::fromUtf8(f.readAll());
  path_ = QFileInfo(path).absoluteFilePath();
  editor_->setText(text);
  editor_->setModified(false);
  editor_->SendScintilla(QsciScintillaBase::SCI_EMPTYUNDOBUFFER);
  emit titleChanged();
  checkNow();
  return true;
}

bool SpecDocument::saveAs(const QString& path, QString* error) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) {
    if (error) *error = f.errorString();
    return false;
  }
  const QByteArray bytes = editor_->text().toUtf8();
  if (f.write(bytes) != bytes.size() || !f.commit()) {
    if (error) *error = f.errorString();
    return false;
  }
  const QString absolute = QFileInfo(path).absoluteFilePath();
  const bool renamed = absolute != path_;
  path_ = absolute;
  editor_->setModified(false);
  emit titleChanged();
  if (renamed) checkNow();  // diagnostics name the file
  return true;
}

void SpecDocument::setCheckDelay(int ms) { debounce_.setInterval(std::max(0, ms)); }

void SpecDocument::onTextChanged() {
  ++revision_;
  sinceEdit_.start();
  editedSinceCheck_ = true;
  debounce_.start();
  emit textEdited();
}

void SpecDocument::checkNow() {
  debounce_.stop();
  editedSinceCheck_ = false;
  startCheck();
}

void SpecDocument::startCheck() {
  if (running_) return;  // checkFinished() starts again when the text moved on
  running_ = true;
  std::string name = engineName().toStdString();
  std::string text = editor_->text().toStdString();
  const quint64 rev = revision_;
  watcher_.setFuture(QtConcurrent::run(checkPool(), [name = std::move(name), text = std::move(text), rev] {
    QElapsedTimer t;
    t.start();
    auto out = std::make_shared<Outcome>();
    out->result = std::make_shared<const engine::CheckResult>(engine::checkText(name, text));
    out->ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
    out->revision = rev;
    return out;
  }));
}

void SpecDocument::checkFinished() {
  running_ = false;
  std::shared_ptr<Outcome> out = watcher_.result();
  if (out->revision != revision_) {
    // The text changed while checking: this result would mark the wrong places.
    if (!debounce_.isActive()) startCheck();
    return;
  }
  lastCheck_ = out->result;
  lastCheckMs_ = out->ms;
  checkedRevision_ = out->revision;

  const std::string name = engineName().toStdString();
  std::vector<engine::Problem> mine;
  QVector<EditorMark> marks;
  for (const engine::Problem& p : lastCheck_->problems) {
    if (!p.file.empty() && p.file != name) continue;
    mine.push_back(p);
    marks.push_back({QString::fromStdString(p.severity), QString::fromStdString(p.message), static_cast<int>(p.line),
                     static_cast<int>(p.col), static_cast<int>(p.endLine), static_cast<int>(p.endCol)});
  }
  editor_->setMarks(marks);
  problems_->setProblems(std::move(mine));
  outline_->setOutline(lastCheck_->outline);
  editor_->setDeclaredNames(outline_->declaredNames(), outline_->typeNames());
  if (editedSinceCheck_) {
    lastLatencyMs_ = static_cast<double>(sinceEdit_.nsecsElapsed()) / 1e6;
    editedSinceCheck_ = false;
  }
  emit checked();
}

void SpecDocument::reveal(int line, int col, int endLine, int endCol) {
  if (line < 1) return;
  editor_->selectRange(line, col, endLine, endCol);
  editor_->setFocus();
}

}  // namespace ioa::gui
