// No lost work: every modified document is written now and then to a recovery
// folder of this session (under QStandardPaths::AppDataLocation). A clean exit
// removes the folder; after a crash the next start finds a folder whose lock
// is stale and offers its documents back.
#pragma once

#include <QDateTime>
#include <QString>
#include <QVector>

#include <memory>

class QLockFile;

namespace ioa::gui {

class RecoveryStore {
 public:
  struct Entry {
    QString key;           // the document's key within its session
    QString originalPath;  // empty for an untitled document
    QString displayName;
    QDateTime savedAt;
    QString text;
    QString sessionDir;
  };

  // `root` defaults to <AppDataLocation>/recovery.
  explicit RecoveryStore(QString root = {});
  ~RecoveryStore();
  RecoveryStore(const RecoveryStore&) = delete;
  RecoveryStore& operator=(const RecoveryStore&) = delete;

  // Takes this session's folder and lock. False when the folder cannot be made.
  bool begin();
  QString root() const { return root_; }
  QString sessionDir() const { return session_; }

  // Documents left by sessions that ended without cleaning up (their lock is
  // stale: the process is gone). Their folders stay locked by this store until
  // discardOrphans().
  QVector<Entry> orphans();
  void discardOrphans();

  bool write(const QString& key, const QString& originalPath, const QString& displayName, const QString& text);
  void remove(const QString& key);
  // A clean exit: this session's folder goes away.
  void end();

 private:
  QString root_, session_;
  std::unique_ptr<QLockFile> lock_;
  std::vector<std::unique_ptr<QLockFile>> orphanLocks_;
  QStringList orphanDirs_;
};

}  // namespace ioa::gui
