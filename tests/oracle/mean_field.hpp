// Mean-field (deterministic, N → ∞) models of uniform random scanning: reference
// oracles for the engine's ensemble means. Fractions of the vulnerable population;
// times in seconds, rates per second.
#pragma once

#include <vector>

namespace patchrace::testing {

/// Pairwise contact rate of uniform scanning, as a population rate:
/// K = scan_rate · hosts / space (per second). An infected host infects a given
/// susceptible host at rate scan_rate / space, so dI/dt = K · I · S / hosts.
[[nodiscard]] double rcs_contact_rate(double scan_rate, double hosts, double space);

/// Random-constant-spread logistic (Staniford et al. 2002): the solution of
/// da/dt = K a (1 - a), a(t) = e^{K(t-T)} / (1 + e^{K(t-T)}), with T chosen so that
/// a(0) = a0. Requires 0 < a0 < 1 and K > 0.
[[nodiscard]] double rcs_logistic_fraction(double k, double a0, double t);

/// The midpoint T of the logistic above: a(T) = 1/2, T = ln((1 - a0) / a0) / K.
[[nodiscard]] double rcs_logistic_midpoint(double k, double a0);

/// State of the Kermack–McKendrick SIR model (Zou et al.'s two-factor model without
/// patching of susceptibles or congestion): s susceptible, i infected (scanning),
/// r removed (cleaned) fractions, s + i + r = 1.
struct SirFractions {
  double s = 1.0;
  double i = 0.0;
  double r = 0.0;
};

/// Integrates ds/dt = -K s i, di/dt = K s i - γ i, dr/dt = γ i from `initial` at t = 0
/// with classical fourth-order Runge–Kutta of fixed step `step` (seconds; the last step
/// before each output time is shortened to land on it) and returns the state at each
/// of `times` (seconds, non-decreasing, >= 0). K per second (see rcs_contact_rate),
/// γ = 1 / mean cleanup delay per second (0: no cleanup, the logistic).
/// Throws std::invalid_argument if step <= 0 or times decrease.
[[nodiscard]] std::vector<SirFractions> solve_sir(double k, double gamma, SirFractions initial,
                                                  const std::vector<double>& times, double step);

}  // namespace patchrace::testing
