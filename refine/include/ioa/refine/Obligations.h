// Proof obligations of a checked model: invariants (initiation, consecution per
// invariant and transition), well-definedness of partial operations, forward
// simulations and refinement mappings (start and step per concrete
// transition), and bounded model checking from start states. Each obligation
// is a prover Query; the prover knows nothing of simulations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ioa/prover/Query.h"
#include "ioa/spec/Model.h"
#include "ioa/spec/Source.h"

namespace ioa::refine {

// The obligation kinds (Obligation::kind).
namespace kinds {
inline constexpr const char* StartExists = "start-exists";
inline constexpr const char* InvariantInit = "invariant-init";
inline constexpr const char* InvariantStep = "invariant-step";
inline constexpr const char* WellDefined = "well-defined";
inline constexpr const char* Ensuring = "ensuring";
inline constexpr const char* SimulationStart = "simulation-start";
inline constexpr const char* SimulationStep = "simulation-step";
inline constexpr const char* RefinementStart = "refinement-start";
inline constexpr const char* RefinementStep = "refinement-step";
inline constexpr const char* BmcInvariants = "bmc-invariants";
inline constexpr const char* BmcSimulation = "bmc-simulation";
}  // namespace kinds

struct Options {
  unsigned bmcDepth = 0;           // > 0: add bounded model checking obligations of that depth
  bool invariants = true;
  bool wellDefinedness = true;
  bool simulations = true;
  const SourceManager* sources = nullptr;  // for labels in the spec's own words (else printed terms)
  // Non-empty: only the obligations of that invariant, automaton, transition or simulation (a part of
  // the obligation's id, `--only`); the bounded model checking of an automaton then checks only
  // the invariant so named, when it is one of its invariants.
  std::string only;
};

// Whether obligation `id` ("invariant-step:Sys:Window:send") is one `only` names: one of its parts
// after the kind, or the simulation it belongs to ("simulation A -> B").
bool selectedBy(const std::string& id, const std::string& only);

// Builds every obligation of the model. New terms and statements are created in
// the model's arena, so the model must not be shared with a running prover.
std::vector<prover::Obligation> generateObligations(Model& model, const Options& opts);

// The bounded model checking obligation of `a`'s invariants that `--bmc depth`
// adds ("bmc-invariants:<a>"; each goal labelled "<invariant>: <conjunct>"), for
// the search of runs that follows an undecided invariant step. None when `a` has
// no invariant.
std::optional<prover::Obligation> bmcInvariantsObligation(Model& model, const FlatAutomaton& a, unsigned depth,
                                                          const Options& opts);

// Adds the invariants the prover derives from the automata's text (once; a second call adds
// nothing): `total(db)`, every key of a map defined, for a map variable that starts defined at
// every key (`constant(v)`) and is only assigned key by key, or values that are so themselves.
// They are proved like declared invariants and assumed before them. generateObligations calls it.
void addDerivedInvariants(Model& model);
// "simulation A -> B" or "refinement A -> B": the subject of its obligations.
std::string simulationName(const Simulation& s);

// For the search of runs that follows an undecided simulation or refinement
// step: the bounded obligation of `simulation` (its name as in obligation
// subjects, "simulation A -> B" or "refinement A -> B") as `--bmc depth` makes
// it, with the invariants of both automata ("<invariant>: <conjunct>") and the
// relation as goals at every checkpoint. None when there is no such simulation.
std::optional<prover::Obligation> simulationSearchObligation(Model& model, const std::string& simulation,
                                                             unsigned depth, const Options& opts);

// Automata whose transitions get well-definedness obligations: subjects of
// invariants and simulations, declared automata that are not components, and
// layers that none of those contains (a spec of layers and a stack alone).
std::vector<const FlatAutomaton*> rootAutomata(const Model& model);

// "frame_rx", or "frame_rx#2" when an action has several transitions.
std::string transitionName(const FlatAutomaton& a, size_t transition);

}  // namespace ioa::refine
