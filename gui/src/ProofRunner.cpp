#include "ProofRunner.h"

#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

#include <mutex>

#include "ProofModel.h"

namespace ioa::gui {

// What the worker threads hold of the runner: a receiver that the runner
// clears when the run stops mattering (a new run, or the runner going away),
// so nothing is ever posted to a dead object.
struct ProofRunner::Link {
  std::mutex mutex;
  ProofRunner* receiver = nullptr;
  bool cancelRequested = false;

  // Runs `fn(runner)` on the runner's thread, if the runner still wants it.
  template <typename F>
  void post(const std::shared_ptr<Link>& self, F fn) {
    std::lock_guard<std::mutex> g(mutex);
    if (!receiver) return;
    ProofRunner* r = receiver;
    QMetaObject::invokeMethod(
        r,
        [r, self, fn = std::move(fn)]() mutable {
          if (r->link_ == self) fn(r);
        },
        Qt::QueuedConnection);
  }
};

namespace {
// A session's destructor cancels and joins its threads: never on the UI thread.
// The pool's task gets the last reference (a copy left here was released here,
// joining on the UI thread, whenever the task ran first: until 2026-12-04).
void releaseInBackground(std::shared_ptr<engine::ProveSession> s) {
  if (!s) return;
  s->cancel();
  QThreadPool* pool = QThreadPool::globalInstance();
  if (!pool) return;  // the application is ending (Qt has deleted its pool): released here
  pool->start([s = std::move(s)]() mutable { s.reset(); });
}

// A session on its way to the UI thread: released off it when the runner no
// longer wants it (a newer run, or the runner gone) and so never takes it.
struct SessionHandoff {
  std::shared_ptr<engine::ProveSession> session;
  ~SessionHandoff() { releaseInBackground(std::move(session)); }
};
}  // namespace

ProofRunner::ProofRunner(ProofModel* model, QObject* parent) : QObject(parent), model_(model) {}

ProofRunner::~ProofRunner() {
  if (link_) {
    std::lock_guard<std::mutex> g(link_->mutex);
    link_->receiver = nullptr;
    link_->cancelRequested = true;
  }
  releaseInBackground(std::move(session_));
}

void ProofRunner::start(const ProveRequest& req) {
  if (link_) {
    std::lock_guard<std::mutex> g(link_->mutex);
    link_->receiver = nullptr;
    link_->cancelRequested = true;
  }
  releaseInBackground(std::move(session_));
  if (running_) model_->endRun();

  link_ = std::make_shared<Link>();
  link_->receiver = this;
  running_ = true;
  listed_ = doneEarly_ = false;
  early_.clear();
  only_ = req.only;
  remaining_ = req.only;
  pendingRevision_ = req.revision;
  pendingCheck_.reset();
  total_ = done_ = 0;

  std::shared_ptr<Link> link = link_;
  const std::string name = req.name.toStdString(), text = req.text.toStdString();
  const engine::ProveOptions opts = req.options;
  QThreadPool::globalInstance()->start([link, name, text, opts] {
    auto check = std::make_shared<const engine::CheckResult>(engine::checkText(name, text));
    if (!check->ok()) {
      link->post(link, [](ProofRunner* r) {
        r->onFailed(tr("The spec has errors. Fix them (see Problems) before proving."));
      });
      return;
    }
    std::shared_ptr<Compilation> compilation(engine::checkText(name, text).compilation.release());
    auto onResult = [link](const engine::ObligationResult& res) {
      link->post(link, [res](ProofRunner* r) { r->onResult(res); });
    };
    auto onDone = [link](const engine::ProveSummary& s) { link->post(link, [s](ProofRunner* r) { r->onDone(s); }); };
    std::string error;
    std::shared_ptr<engine::ProveSession> session(
        engine::ProveSession::start(std::move(compilation), opts, onResult, onDone, &error).release());
    if (!session) {
      link->post(link, [error](ProofRunner* r) { r->onFailed(QString::fromStdString(error)); });
      return;
    }
    {
      std::lock_guard<std::mutex> g(link->mutex);
      if (link->cancelRequested) session->cancel();
    }
    std::vector<engine::ObligationInfo> obligations = session->obligations();
    auto handoff = std::make_shared<SessionHandoff>();
    handoff->session = std::move(session);
    link->post(link, [handoff, check, obligations = std::move(obligations)](ProofRunner* r) mutable {
      r->onListed(std::move(handoff->session), std::move(check), std::move(obligations));
    });
  });
}

void ProofRunner::cancel() {
  if (!running_ || !link_) return;
  {
    std::lock_guard<std::mutex> g(link_->mutex);
    link_->cancelRequested = true;
  }
  if (session_) session_->cancel();
}

void ProofRunner::onListed(std::shared_ptr<engine::ProveSession> session,
                           std::shared_ptr<const engine::CheckResult> check,
                           std::vector<engine::ObligationInfo> obligations) {
  session_ = std::move(session);
  {
    // a cancel that came after the worker looked at the flag and before the session got here
    std::lock_guard<std::mutex> g(link_->mutex);
    if (link_->cancelRequested) session_->cancel();
  }
  pendingCheck_ = std::move(check);
  model_->beginRun(obligations, only_);
  total_ = 0;
  for (const auto& o : obligations) total_ += only_.isEmpty() || only_.contains(QString::fromStdString(o.id));
  listed_ = true;
  Q_EMIT started(total_);
  std::vector<engine::ObligationResult> early = std::move(early_);
  early_.clear();
  for (const auto& r : early) onResult(r);
  if (doneEarly_) onDone(earlySummary_);
}

void ProofRunner::onResult(const engine::ObligationResult& r) {
  if (!listed_) {
    early_.push_back(r);
    return;
  }
  if (!model_->applyResult(r)) return;
  ++done_;
  const QString id = QString::fromStdString(r.info.id);
  Q_EMIT resultArrived(id);
  if (!only_.isEmpty()) {
    remaining_.remove(id);
    // The engine runs whole sessions; once the chosen obligations are in, the rest is not wanted.
    if (remaining_.isEmpty() && session_) session_->cancel();
  }
}

void ProofRunner::onDone(const engine::ProveSummary& s) {
  if (!listed_) {
    doneEarly_ = true;
    earlySummary_ = s;
    return;
  }
  summary_ = s;
  finishRun(s.cancelled && !(only_.size() > 0 && remaining_.isEmpty()));
}

void ProofRunner::onFailed(const QString& message) {
  running_ = false;
  link_.reset();
  Q_EMIT failed(message);
}

void ProofRunner::finishRun(bool cancelled) {
  model_->endRun();
  running_ = false;
  provedCheck_ = pendingCheck_;
  revision_ = pendingRevision_;
  releaseInBackground(std::move(session_));
  session_.reset();
  link_.reset();
  Q_EMIT finished(cancelled);
}

}  // namespace ioa::gui
