#include "Recovery.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>

namespace ioa::gui {

namespace {
const QString kLock = QStringLiteral("session.lock");

QString safeKey(const QString& key) {
  QString out;
  for (QChar c : key) out += c.isLetterOrNumber() || c == '-' || c == '_' ? c : QChar('_');
  return out;
}

bool writeAtomically(const QString& path, const QByteArray& bytes) {
  QSaveFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.commit();
}
}  // namespace

RecoveryStore::RecoveryStore(QString root) : root_(std::move(root)) {
  if (root_.isEmpty())
    root_ = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery");
}

RecoveryStore::~RecoveryStore() = default;

bool RecoveryStore::begin() {
  session_ = QStringLiteral("%1/session-%2-%3")
                 .arg(root_)
                 .arg(QCoreApplication::applicationPid())
                 .arg(QDateTime::currentMSecsSinceEpoch());
  if (!QDir().mkpath(session_)) return false;
  lock_ = std::make_unique<QLockFile>(session_ + QLatin1Char('/') + kLock);
  lock_->setStaleLockTime(0);  // held for the whole session: stale only when the process is gone
  return lock_->tryLock(0);
}

QVector<RecoveryStore::Entry> RecoveryStore::orphans() {
  QVector<Entry> out;
  const QDir root(root_);
  for (const QString& name : root.entryList({QStringLiteral("session-*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
    const QString dir = root.filePath(name);
    if (dir == session_ || orphanDirs_.contains(dir)) continue;
    auto lock = std::make_unique<QLockFile>(dir + QLatin1Char('/') + kLock);
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) continue;  // a running workbench owns it
    orphanLocks_.push_back(std::move(lock));
    orphanDirs_ << dir;
    const QDir d(dir);
    for (const QString& meta : d.entryList({QStringLiteral("*.json")}, QDir::Files)) {
      QFile mf(d.filePath(meta));
      if (!mf.open(QIODevice::ReadOnly)) continue;
      const QJsonObject o = QJsonDocument::fromJson(mf.readAll()).object();
      QFile tf(d.filePath(o.value(QStringLiteral("text")).toString()));
      if (!tf.open(QIODevice::ReadOnly)) continue;
      Entry e;
      e.key = o.value(QStringLiteral("key")).toString();
      e.originalPath = o.value(QStringLiteral("path")).toString();
      e.displayName = o.value(QStringLiteral("name")).toString();
      e.savedAt = QDateTime::fromString(o.value(QStringLiteral("savedAt")).toString(), Qt::ISODate);
      e.text = QString::fromUtf8(tf.readAll());
      e.sessionDir = dir;
      out << e;
    }
  }
  return out;
}

void RecoveryStore::discardOrphans() {
  for (auto& l : orphanLocks_) l->unlock();
  orphanLocks_.clear();
  for (const QString& dir : orphanDirs_) QDir(dir).removeRecursively();
  orphanDirs_.clear();
}

bool RecoveryStore::write(const QString& key, const QString& originalPath, const QString& displayName,
                          const QString& text) {
  if (session_.isEmpty()) return false;
  const QString base = safeKey(key);
  QJsonObject o;
  o.insert(QStringLiteral("key"), key);
  o.insert(QStringLiteral("path"), originalPath);
  o.insert(QStringLiteral("name"), displayName);
  o.insert(QStringLiteral("savedAt"), QDateTime::currentDateTime().toString(Qt::ISODate));
  o.insert(QStringLiteral("text"), base + QStringLiteral(".ioa"));
  // Text first, then the entry that points at it: a crash between the two leaves no dangling entry.
  return writeAtomically(session_ + QLatin1Char('/') + base + QStringLiteral(".ioa"), text.toUtf8()) &&
         writeAtomically(session_ + QLatin1Char('/') + base + QStringLiteral(".json"),
                         QJsonDocument(o).toJson(QJsonDocument::Compact));
}

void RecoveryStore::remove(const QString& key) {
  if (session_.isEmpty()) return;
  const QString base = session_ + QLatin1Char('/') + safeKey(key);
  QFile::remove(base + QStringLiteral(".json"));
  QFile::remove(base + QStringLiteral(".ioa"));
}

void RecoveryStore::end() {
  if (session_.isEmpty()) return;
  if (lock_) lock_->unlock();
  lock_.reset();
  QDir(session_).removeRecursively();
  session_.clear();
}

}  // namespace ioa::gui
