// Runs the engine's ProveSession for one document off the UI thread and feeds
// its results, one at a time, into the document's ProofModel on the UI thread.
//
// The text is compiled afresh in a worker (the session owns and extends its
// compilation); a second compilation of the same text is kept, untouched, so
// the counterexample view can find transitions and components named in a run.
#pragma once

#include <QObject>
#include <QSet>
#include <QString>

#include <memory>
#include <vector>

#include "ioa/engine/Prove.h"

namespace ioa::gui {

class ProofModel;

struct ProveRequest {
  QString name;  // the engine name of the document
  QString text;
  engine::ProveOptions options;
  QSet<QString> only;  // re-run just these obligations (empty: all)
  quint64 revision = 0;
};

class ProofRunner : public QObject {
  Q_OBJECT
 public:
  explicit ProofRunner(ProofModel* model, QObject* parent = nullptr);
  ~ProofRunner() override;

  // Starts a run; a run in progress is cancelled first.
  void start(const ProveRequest& r);
  void cancel();
  bool isRunning() const { return running_; }
  ProofModel* model() const { return model_; }
  // The document revision the shown results belong to (0: none yet).
  quint64 revision() const { return revision_; }
  engine::ProveSummary lastSummary() const { return summary_; }
  // The compilation of the text the current results were proved on.
  std::shared_ptr<const engine::CheckResult> provedCheck() const { return provedCheck_; }
  // Total and finished obligations of the current run.
  int total() const { return total_; }
  int done() const { return done_; }

 signals:
  void started(int total);
  void resultArrived(const QString& id);
  void finished(bool cancelled);
  void failed(const QString& message);

 private:
  struct Link;
  void onListed(std::shared_ptr<engine::ProveSession> session, std::shared_ptr<const engine::CheckResult> check,
                std::vector<engine::ObligationInfo> obligations);
  void onResult(const engine::ObligationResult& r);
  void onDone(const engine::ProveSummary& s);
  void onFailed(const QString& message);
  void finishRun(bool cancelled);
  void release();

  ProofModel* model_;
  std::shared_ptr<Link> link_;
  std::shared_ptr<engine::ProveSession> session_;
  std::shared_ptr<const engine::CheckResult> provedCheck_, pendingCheck_;
  std::vector<engine::ObligationResult> early_;  // results that came before the obligation list
  bool listed_ = false, doneEarly_ = false, running_ = false;
  engine::ProveSummary summary_, earlySummary_;
  QSet<QString> only_, remaining_;
  quint64 revision_ = 0, pendingRevision_ = 0;
  int total_ = 0, done_ = 0;
};

}  // namespace ioa::gui
