#include "Icons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace ioa::gui {

namespace {

// Renders one 16x16-unit SVG body at the sizes the views ask for.
QIcon fromSvg(const QString& body) {
  static QHash<QString, QIcon> cache;
  auto it = cache.constFind(body);
  if (it != cache.constEnd()) return *it;
  const QByteArray doc = QStringLiteral(
                             "<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 16 16'>%1</svg>")
                             .arg(body)
                             .toUtf8();
  QSvgRenderer renderer(doc);
  QIcon icon;
  for (int size : {16, 20, 24, 32, 48}) {
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    renderer.render(&p);
    p.end();
    icon.addPixmap(pm);
  }
  cache.insert(body, icon);
  return icon;
}

QString disc(const char* fill) { return QStringLiteral("<circle cx='8' cy='8' r='7' fill='%1'/>").arg(QLatin1String(fill)); }

const char* kCheck = "<path d='M4.3 8.3 L7 11 L11.8 5.2' fill='none' stroke='white' stroke-width='2' "
                     "stroke-linecap='round' stroke-linejoin='round'/>";
const char* kCross = "<path d='M5.2 5.2 L10.8 10.8 M10.8 5.2 L5.2 10.8' stroke='white' stroke-width='2' "
                     "stroke-linecap='round'/>";

// A rounded square with a letter: the outline's symbol kinds.
QIcon letter(const char* fill, const QString& text) {
  return fromSvg(QStringLiteral("<rect x='1' y='1' width='14' height='14' rx='3' fill='%1'/>"
                                "<text x='8' y='12' font-family='DejaVu Sans' font-weight='bold' font-size='10' "
                                "text-anchor='middle' fill='white'>%2</text>")
                     .arg(QLatin1String(fill), text.toHtmlEscaped()));
}

}  // namespace

QString proofStateName(ProofState s) {
  switch (s) {
    case ProofState::NotRun: return QStringLiteral("not run");
    case ProofState::Running: return QStringLiteral("running");
    case ProofState::Proved: return QStringLiteral("proved");
    case ProofState::Cached: return QStringLiteral("proved (cached)");
    case ProofState::Refuted: return QStringLiteral("refuted");
    case ProofState::Unknown: return QStringLiteral("unknown");
    case ProofState::Error: return QStringLiteral("error");
    case ProofState::Cancelled: return QStringLiteral("cancelled");
  }
  return {};
}

ProofState proofStateOfStatus(const std::string& status, const std::string& reason) {
  if (status == "proved") return ProofState::Proved;
  if (status == "refuted") return ProofState::Refuted;
  if (status == "unknown") return reason == "cancelled" ? ProofState::Cancelled : ProofState::Unknown;
  if (status == "not run") return ProofState::NotRun;
  return ProofState::Error;
}

QIcon proofStateIcon(ProofState s) {
  switch (s) {
    case ProofState::NotRun:
      return fromSvg(QStringLiteral("<circle cx='8' cy='8' r='6' fill='none' stroke='#9aa0a6' stroke-width='1.6'/>"));
    case ProofState::Running:
      return fromSvg(disc("#2f6fde") +
                     QStringLiteral("<path d='M8 3.6 A4.4 4.4 0 1 1 3.6 8' fill='none' stroke='white' "
                                    "stroke-width='1.8' stroke-linecap='round'/><path d='M8 8 L8 5' stroke='white' "
                                    "stroke-width='1.6' stroke-linecap='round'/>"));
    case ProofState::Proved: return fromSvg(disc("#1e8e3e") + QLatin1String(kCheck));
    case ProofState::Cached:
      // Proved, from the result cache: the same check on a lighter ring.
      return fromSvg(QStringLiteral("<circle cx='8' cy='8' r='6.2' fill='#7cc28f' stroke='#1e8e3e' "
                                    "stroke-width='1.6'/>") +
                     QLatin1String(kCheck));
    case ProofState::Refuted: return fromSvg(disc("#d93025") + QLatin1String(kCross));
    case ProofState::Unknown:
      return fromSvg(disc("#e8a317") +
                     QStringLiteral("<text x='8' y='12.2' font-family='DejaVu Sans' font-weight='bold' font-size='11' "
                                    "text-anchor='middle' fill='white'>?</text>"));
    case ProofState::Error:
      return fromSvg(QStringLiteral("<path d='M8 1.2 L15.2 14.2 L0.8 14.2 Z' fill='#b3261e'/>"
                                    "<path d='M8 5.6 L8 9.6' stroke='white' stroke-width='1.8' stroke-linecap='round'/>"
                                    "<circle cx='8' cy='12' r='1' fill='white'/>"));
    case ProofState::Cancelled:
      return fromSvg(QStringLiteral("<circle cx='8' cy='8' r='6' fill='none' stroke='#9aa0a6' stroke-width='1.6'/>"
                                    "<path d='M4 12 L12 4' stroke='#9aa0a6' stroke-width='1.6'/>"));
  }
  return {};
}

QIcon severityIcon(const QString& severity) {
  if (severity == QLatin1String("error")) return fromSvg(disc("#d93025") + QLatin1String(kCross));
  if (severity == QLatin1String("warning"))
    return fromSvg(QStringLiteral("<path d='M8 1.2 L15.2 14.2 L0.8 14.2 Z' fill='#e8a317'/>"
                                  "<path d='M8 5.6 L8 9.6' stroke='white' stroke-width='1.8' stroke-linecap='round'/>"
                                  "<circle cx='8' cy='12' r='1' fill='white'/>"));
  return fromSvg(disc("#1a73e8") +
                 QStringLiteral("<circle cx='8' cy='4.8' r='1.1' fill='white'/>"
                                "<path d='M8 7.2 L8 11.6' stroke='white' stroke-width='1.8' stroke-linecap='round'/>"));
}

QIcon outlineIcon(const QString& kind, const QString& detail) {
  if (kind == QLatin1String("type")) return letter("#8e44ad", QStringLiteral("T"));
  if (kind == QLatin1String("sort")) return letter("#8e44ad", QStringLiteral("S"));
  if (kind == QLatin1String("const")) return letter("#6d4c41", QStringLiteral("c"));
  if (kind == QLatin1String("function")) return letter("#6d4c41", QStringLiteral("f"));
  if (kind == QLatin1String("automaton")) return letter("#1a73e8", QStringLiteral("A"));
  if (kind == QLatin1String("composition")) return letter("#1a73e8", QStringLiteral("C"));
  if (kind == QLatin1String("layer")) return letter("#00897b", QStringLiteral("L"));
  if (kind == QLatin1String("stack")) return letter("#00897b", QStringLiteral("≡"));
  if (kind == QLatin1String("invariant")) return letter("#2e7d32", QStringLiteral("I"));
  if (kind == QLatin1String("simulation")) return letter("#c2185b", QStringLiteral("⊑"));
  if (kind == QLatin1String("component")) return letter("#5c6bc0", QStringLiteral("□"));
  if (kind == QLatin1String("group"))
    return fromSvg(QStringLiteral("<path d='M1.5 3.5 h5 l1.5 1.5 h6.5 v8.5 h-13 z' fill='#c9d3e0' stroke='#7d8ea3'/>"));
  if (kind == QLatin1String("action") || kind == QLatin1String("transition")) {
    const bool transition = kind == QLatin1String("transition");
    const char* stroke = transition ? "#5f6368" : "#1a73e8";
    if (detail.startsWith(QLatin1String("input")))
      return fromSvg(QStringLiteral("<path d='M1.5 8 H10 M6.5 4.5 L10 8 L6.5 11.5' fill='none' stroke='%1' "
                                    "stroke-width='1.8' stroke-linecap='round' stroke-linejoin='round'/>"
                                    "<path d='M13 2.5 V13.5' stroke='%1' stroke-width='1.8' stroke-linecap='round'/>")
                         .arg(QLatin1String(stroke)));
    if (detail.startsWith(QLatin1String("output")))
      return fromSvg(QStringLiteral("<path d='M3 2.5 V13.5' stroke='%1' stroke-width='1.8' stroke-linecap='round'/>"
                                    "<path d='M6 8 H14.5 M11 4.5 L14.5 8 L11 11.5' fill='none' stroke='%1' "
                                    "stroke-width='1.8' stroke-linecap='round' stroke-linejoin='round'/>")
                         .arg(QLatin1String(stroke)));
    return fromSvg(QStringLiteral("<circle cx='8' cy='8' r='4.5' fill='none' stroke='%1' stroke-width='1.8'/>"
                                  "<circle cx='8' cy='8' r='1.5' fill='%1'/>")
                       .arg(QLatin1String(stroke)));
  }
  return letter("#757575", kind.left(1).toUpper());
}

QIcon commandIcon(const QString& name) {
  if (name == QLatin1String("new"))
    return fromSvg(QStringLiteral("<path d='M3 1.5 h6.5 l3.5 3.5 v9.5 h-10 z' fill='white' stroke='#5f6368' "
                                  "stroke-width='1.2'/><path d='M9.5 1.5 v3.5 h3.5' fill='none' stroke='#5f6368' "
                                  "stroke-width='1.2'/>"));
  if (name == QLatin1String("open"))
    return fromSvg(QStringLiteral("<path d='M1.5 3 h5 l1.5 1.5 h6 v9 h-12.5 z' fill='#f9d57e' stroke='#b08400' "
                                  "stroke-width='1.1'/>"));
  if (name == QLatin1String("save"))
    return fromSvg(QStringLiteral("<rect x='2' y='2' width='12' height='12' rx='1.5' fill='#1a73e8'/>"
                                  "<rect x='4.5' y='2' width='7' height='4.5' fill='white'/>"
                                  "<rect x='4' y='9' width='8' height='5' fill='#d2e3fc'/>"));
  if (name == QLatin1String("check"))
    return fromSvg(QStringLiteral("<path d='M2.5 8.5 L6.2 12 L13.5 4' fill='none' stroke='#1a73e8' stroke-width='2.2' "
                                  "stroke-linecap='round' stroke-linejoin='round'/>"));
  if (name == QLatin1String("prove"))
    return fromSvg(QStringLiteral("<path d='M4 2 L13.5 8 L4 14 Z' fill='#1e8e3e'/>"));
  if (name == QLatin1String("rerun"))
    return fromSvg(QStringLiteral("<path d='M12.8 8 A4.8 4.8 0 1 1 10.8 4.1' fill='none' stroke='#1e8e3e' "
                                  "stroke-width='2' stroke-linecap='round'/><path d='M9 1.8 L12.6 3.6 L10 6.6 Z' "
                                  "fill='#1e8e3e'/>"));
  if (name == QLatin1String("stop"))
    return fromSvg(QStringLiteral("<rect x='3' y='3' width='10' height='10' rx='1.5' fill='#d93025'/>"));
  if (name == QLatin1String("export"))
    return fromSvg(QStringLiteral("<path d='M2 9 v5 h12 v-5' fill='none' stroke='#5f6368' stroke-width='1.6' "
                                  "stroke-linejoin='round'/><path d='M8 10 V2 M4.8 5 L8 1.8 L11.2 5' fill='none' "
                                  "stroke='#1a73e8' stroke-width='1.8' stroke-linecap='round' "
                                  "stroke-linejoin='round'/>"));
  if (name == QLatin1String("bmc"))
    return fromSvg(QStringLiteral("<circle cx='3' cy='8' r='2' fill='#1a73e8'/><circle cx='8' cy='8' r='2' "
                                  "fill='#1a73e8'/><circle cx='13' cy='8' r='2' fill='#d93025'/>"
                                  "<path d='M5 8 H6 M10 8 H11' stroke='#5f6368' stroke-width='1.4'/>"));
  if (name == QLatin1String("settings"))
    return fromSvg(QStringLiteral("<circle cx='8' cy='8' r='5' fill='none' stroke='#5f6368' stroke-width='3' "
                                  "stroke-dasharray='2.2 1.7'/><circle cx='8' cy='8' r='2.6' fill='none' "
                                  "stroke='#5f6368' stroke-width='1.6'/>"));
  return {};
}

QIcon applicationIcon() {
  return fromSvg(QStringLiteral("<rect x='0.5' y='0.5' width='15' height='15' rx='3' fill='#1a3d6d'/>"
                                "<path d='M3 4.5 H13 M3 8 H13 M3 11.5 H13' stroke='#7fb3ff' stroke-width='1.6'/>"
                                "<path d='M8.7 6 L11 9.8 L14.5 2.5' fill='none' stroke='#5ce08a' stroke-width='1.8' "
                                "stroke-linecap='round' stroke-linejoin='round'/>"));
}

}  // namespace ioa::gui
