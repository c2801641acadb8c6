#include "oracle/mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace patchrace::testing {

double rcs_contact_rate(double scan_rate, double hosts, double space) { return scan_rate * hosts / space; }

double rcs_logistic_midpoint(double k, double a0) {
  if (!(a0 > 0.0 && a0 < 1.0) || !(k > 0.0)) throw std::invalid_argument("rcs logistic: need 0 < a0 < 1, K > 0");
  return std::log((1.0 - a0) / a0) / k;
}

double rcs_logistic_fraction(double k, double a0, double t) {
  const double x = k * (t - rcs_logistic_midpoint(k, a0));
  // e^x / (1 + e^x) written to stay finite for large |x|.
  return x >= 0.0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}

namespace {

SirFractions derivative(double k, double gamma, const SirFractions& y) {
  const double infection = k * y.s * y.i;
  const double removal = gamma * y.i;
  return {-infection, infection - removal, removal};
}

SirFractions axpy(const SirFractions& y, double h, const SirFractions& d) {
  return {y.s + h * d.s, y.i + h * d.i, y.r + h * d.r};
}

SirFractions rk4_step(double k, double gamma, const SirFractions& y, double h) {
  const SirFractions k1 = derivative(k, gamma, y);
  const SirFractions k2 = derivative(k, gamma, axpy(y, h / 2, k1));
  const SirFractions k3 = derivative(k, gamma, axpy(y, h / 2, k2));
  const SirFractions k4 = derivative(k, gamma, axpy(y, h, k3));
  return {y.s + h / 6 * (k1.s + 2 * k2.s + 2 * k3.s + k4.s), y.i + h / 6 * (k1.i + 2 * k2.i + 2 * k3.i + k4.i),
          y.r + h / 6 * (k1.r + 2 * k2.r + 2 * k3.r + k4.r)};
}

}  // namespace

std::vector<SirFractions> solve_sir(double k, double gamma, SirFractions initial, const std::vector<double>& times,
                                    double step) {
  if (!(step > 0.0)) throw std::invalid_argument("solve_sir: step must be > 0");
  std::vector<SirFractions> out;
  out.reserve(times.size());
  SirFractions y = initial;
  double t = 0.0;
  for (double target : times) {
    if (target < t) throw std::invalid_argument("solve_sir: times must be non-decreasing and >= 0");
    while (t < target) {
      const double h = std::min(step, target - t);
      y = rk4_step(k, gamma, y, h);
      t = (h == target - t) ? target : t + h;
    }
    out.push_back(y);
  }
  return out;
}

}  // namespace patchrace::testing
