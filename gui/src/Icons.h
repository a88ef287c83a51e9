// The workbench's icons, drawn from small SVG documents kept in Icons.cpp so
// that every panel uses one consistent set (no icon theme is assumed: most
// Linux desktops and Xvfb have none).
#pragma once

#include <QIcon>
#include <QString>
#include <string>

namespace ioa::gui {

// The state of one proof obligation as the proofs panel shows it.
enum class ProofState { NotRun, Running, Proved, Cached, Refuted, Unknown, Error, Cancelled };

QIcon proofStateIcon(ProofState s);
QString proofStateName(ProofState s);  // "proved", "refuted", ...
// An engine status ("proved", "refuted", "unknown", "not run"; anything else is an error);
// an unknown whose reason is "cancelled" (the prover's or the optimizer's) is Cancelled.
ProofState proofStateOfStatus(const std::string& status, const std::string& reason = {});

// "error", "warning", "note"
QIcon severityIcon(const QString& severity);

// Outline kinds as the engine names them ("type", "automaton", "action", ...);
// `detail` refines actions ("input send").
QIcon outlineIcon(const QString& kind, const QString& detail = {});

// Commands: "new", "open", "save", "check", "prove", "stop", "rerun", "export", "settings", "bmc".
QIcon commandIcon(const QString& name);

QIcon applicationIcon();

}  // namespace ioa::gui
