// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Losses: values against hand-computed numbers (and Keras' documented examples), the probability
// and logits forms against each other, stability at huge logits, clipping at p = 0 / 1, and a
// float64 central finite-difference check of every gradient.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <ratio>
#include <string>
#include <vector>

#include <fitcheck/nn/losses.hpp>

namespace nn_losses_test {

namespace fl = fitcheck::loss;

namespace {
using Fn = std::function<double(const double*, double*)>;

// The largest |analytic - central difference| / max(1, |analytic|) over every input. Central
// differences in float64 with h = 1e-6 are accurate to O(h^2 f''') + O(eps f / h), ~1e-9 for
// these inputs; the tolerance 1e-7 leaves room and still catches a wrong factor or sign.
constexpr double fd_tolerance = 1e-7;
double worst_gradient_error(const Fn& loss, std::vector<double> x, double h = 1e-6) {
  std::vector<double> g(x.size());
  loss(x.data(), g.data());
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double keep = x[i];
    x[i] = keep + h;
    const double up = loss(x.data(), nullptr);
    x[i] = keep - h;
    const double down = loss(x.data(), nullptr);
    x[i] = keep;
    const double fd = (up - down) / (2 * h);
    worst = std::max(worst, std::abs(fd - g[i]) / std::max(1.0, std::abs(g[i])));
  }
  return worst;
}

void check_gradient(const std::string& what, const Fn& loss, const std::vector<double>& x) {
  const double worst = worst_gradient_error(loss, x);
  MESSAGE(what << ": worst relative gradient error " << worst << " (tolerance " << fd_tolerance
               << ")");
  CHECK_MESSAGE(worst <= fd_tolerance, what);
}

constexpr double* no_grad = nullptr;  // value only

double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }
std::vector<double> softmax_rows(const std::vector<double>& z, std::size_t k) {
  std::vector<double> p(z.size());
  for (std::size_t r = 0; r < z.size() / k; ++r) {
    double m = *std::max_element(z.begin() + long(r * k), z.begin() + long(r * k + k));
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += std::exp(z[r * k + j] - m);
    for (std::size_t j = 0; j < k; ++j) p[r * k + j] = std::exp(z[r * k + j] - m) / s;
  }
  return p;
}
}  // namespace

TEST_CASE("losses: values against hand-computed numbers") {
  SUBCASE("binary cross-entropy") {
    const double p = 0.8;
    const int y1 = 1, y0 = 0;
    CHECK(fl::BinaryCrossentropy::probabilities(&p, &y1, no_grad, 1, 1) ==
          doctest::Approx(-std::log(0.8)).epsilon(1e-12));
    CHECK(fl::BinaryCrossentropy::probabilities(&p, &y0, no_grad, 1, 1) ==
          doctest::Approx(-std::log(0.2)).epsilon(1e-12));
    // Keras' documented example: 0.815.
    const double pk[] = {0.6, 0.4, 0.4, 0.6};
    const float yk[] = {0, 1, 0, 0};
    const double keras = fl::BinaryCrossentropy::probabilities(pk, yk, no_grad, 2, 2);
    CHECK(keras == doctest::Approx((3 * -std::log(0.4) - std::log(0.6)) / 4).epsilon(1e-12));
    CHECK(keras == doctest::Approx(0.815).epsilon(1e-3));
    // Logits form: z = 0 is p = 0.5 whatever the label; z = log 4 is p = 0.8.
    const double z[] = {0.0, std::log(4.0)};
    const int y[] = {0, 1};
    CHECK(fl::BinaryCrossentropy::logits(z, y, no_grad, 2, 1) ==
          doctest::Approx((std::log(2.0) - std::log(0.8)) / 2).epsilon(1e-12));
  }
  SUBCASE("sparse categorical cross-entropy (Keras' example: 1.177)") {
    const double p[] = {0.05, 0.95, 0.0, 0.1, 0.8, 0.1};
    const int y[] = {1, 2};
    const double v = fl::SparseCategoricalCrossentropy::probabilities(p, y, no_grad, 2, 3);
    CHECK(v == doctest::Approx((-std::log(0.95) - std::log(0.1)) / 2).epsilon(1e-12));
    CHECK(v == doctest::Approx(1.177).epsilon(1e-3));
  }
  SUBCASE("categorical cross-entropy (Keras' example: 1.177)") {
    const double p[] = {0.05, 0.95, 0.0, 0.1, 0.8, 0.1};
    const float y[] = {0, 1, 0, 0, 0, 1};
    const double v = fl::CategoricalCrossentropy::probabilities(p, y, no_grad, 2, 3);
    CHECK(v == doctest::Approx((-std::log(0.95) - std::log(0.1)) / 2).epsilon(1e-12));
  }
  SUBCASE("mean squared / absolute error") {
    const double o[] = {1, 2, -1};
    const float y[] = {0, 4, 1};
    CHECK(fl::MeanSquaredError::probabilities(o, y, no_grad, 3, 1) ==
          doctest::Approx(9.0 / 3).epsilon(1e-12));
    CHECK(fl::MeanAbsoluteError::probabilities(o, y, no_grad, 3, 1) ==
          doctest::Approx(5.0 / 3).epsilon(1e-12));
    CHECK(std::string(fl::MeanAbsoluteError::name) == "mean_absolute_error");
  }
  SUBCASE("Huber: quadratic inside delta, linear beyond (Keras' example: 0.155)") {
    const double pk[] = {0.6, 0.4, 0.4, 0.6};
    const float yk[] = {0, 1, 0, 0};
    CHECK(fl::Huber<>::probabilities(pk, yk, no_grad, 2, 2) ==
          doctest::Approx(0.155).epsilon(1e-12));
    // d = 0.5, 2, -3 with delta 1: 0.125, 1.5, 2.5.
    const double o[] = {0.5, 2, -3};
    const float y[] = {0, 0, 0};
    CHECK(fl::Huber<>::probabilities(o, y, no_grad, 1, 3) ==
          doctest::Approx(4.125 / 3).epsilon(1e-12));
    // delta 1/2: 0.5 * (0.5 - 0.25), 0.5 * (2 - 0.25), 0.5 * (3 - 0.25).
    using Half = fl::Huber<std::ratio<1, 2>>;
    CHECK(Half::delta == 0.5);
    CHECK(Half::probabilities(o, y, no_grad, 1, 3) ==
          doctest::Approx((0.125 + 0.875 + 1.375) / 3).epsilon(1e-12));
    CHECK(std::string(fl::Huber<>::name) == "huber_loss");
  }
}

TEST_CASE("losses: the probability and logits forms agree, values and chained gradients") {
  const std::vector<double> z = {-2.5, 0.3, 1.7, -0.4, 3.0, 0.0, 0.9, -1.2, 2.2};
  SUBCASE("binary cross-entropy") {
    const int y[] = {1, 0, 1, 0, 1, 0, 0, 1, 1};
    std::vector<double> p(z.size()), gp(z.size()), gz(z.size());
    std::transform(z.begin(), z.end(), p.begin(), sigmoid);
    const double vp = fl::BinaryCrossentropy::probabilities(p.data(), y, gp.data(), 3, 3);
    const double vz = fl::BinaryCrossentropy::logits(z.data(), y, gz.data(), 3, 3);
    CHECK(vp == doctest::Approx(vz).epsilon(1e-12));
    // dL/dz = dL/dp * p (1 - p) through the sigmoid.
    for (std::size_t i = 0; i < z.size(); ++i)
      CHECK(gp[i] * p[i] * (1 - p[i]) == doctest::Approx(gz[i]).epsilon(1e-10));
  }
  auto chained = [](const std::vector<double>& p, const std::vector<double>& gp, std::size_t k) {
    // Through the softmax: dL/dz_j = p_j (g_j - sum_i g_i p_i).
    std::vector<double> gz(p.size());
    for (std::size_t r = 0; r < p.size() / k; ++r) {
      double dot = 0;
      for (std::size_t j = 0; j < k; ++j) dot += gp[r * k + j] * p[r * k + j];
      for (std::size_t j = 0; j < k; ++j) gz[r * k + j] = p[r * k + j] * (gp[r * k + j] - dot);
    }
    return gz;
  };
  SUBCASE("sparse categorical cross-entropy") {
    const int y[] = {2, 0, 1};
    const auto p = softmax_rows(z, 3);
    std::vector<double> gp(z.size()), gz(z.size());
    const double vp =
        fl::SparseCategoricalCrossentropy::probabilities(p.data(), y, gp.data(), 3, 3);
    const double vz = fl::SparseCategoricalCrossentropy::logits(z.data(), y, gz.data(), 3, 3);
    CHECK(vp == doctest::Approx(vz).epsilon(1e-12));
    const auto g = chained(p, gp, 3);
    for (std::size_t i = 0; i < z.size(); ++i) CHECK(g[i] == doctest::Approx(gz[i]).epsilon(1e-10));
  }
  SUBCASE("categorical cross-entropy") {
    const float y[] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
    const auto p = softmax_rows(z, 3);
    std::vector<double> gp(z.size()), gz(z.size());
    const double vp = fl::CategoricalCrossentropy::probabilities(p.data(), y, gp.data(), 3, 3);
    const double vz = fl::CategoricalCrossentropy::logits(z.data(), y, gz.data(), 3, 3);
    CHECK(vp == doctest::Approx(vz).epsilon(1e-12));
    const auto g = chained(p, gp, 3);
    for (std::size_t i = 0; i < z.size(); ++i) CHECK(g[i] == doctest::Approx(gz[i]).epsilon(1e-10));
    // The same with the sparse loss on the same labels.
    const int yi[] = {2, 0, 1};
    CHECK(fl::SparseCategoricalCrossentropy::logits(z.data(), yi, no_grad, 3, 3) ==
          doctest::Approx(vz).epsilon(1e-12));
  }
}

TEST_CASE_TEMPLATE("losses: logits forms stay finite and exact for huge logits", T, float, double) {
  for (const T big : {T(100), T(1000)}) {
    CAPTURE(big);
    {  // binary cross-entropy
      const T z[] = {big, -big, big, -big};
      const int y[] = {1, 0, 0, 1};
      T g[4];
      const T v = fl::BinaryCrossentropy::logits(z, y, g, 1, 4);
      // Right answers cost ~0; wrong ones cost |z| each: (big + big) / 4.
      CHECK(std::isfinite(v));
      CHECK(v == doctest::Approx(double(big) / 2).epsilon(1e-6));
      for (const T gi : g) CHECK(std::isfinite(gi));
      CHECK(g[0] == doctest::Approx(0.0));
      CHECK(g[2] == doctest::Approx(0.25));  // (sigmoid(big) - 0) / 4
      CHECK(g[3] == doctest::Approx(-0.25));
    }
    {  // sparse and one-hot categorical cross-entropy
      const T z[] = {big, -big, T(0), big, -big, T(0)};
      const int y[] = {1, 0};
      const float yh[] = {0, 1, 0, 1, 0, 0};
      T gs[6], gc[6];
      const T vs = fl::SparseCategoricalCrossentropy::logits(z, y, gs, 2, 3);
      const T vc = fl::CategoricalCrossentropy::logits(z, yh, gc, 2, 3);
      // Row 0 puts 2 big on the wrong class, row 1 is right: mean = big.
      CHECK(vs == doctest::Approx(double(big)).epsilon(1e-6));
      CHECK(vc == doctest::Approx(double(big)).epsilon(1e-6));
      for (int i = 0; i < 6; ++i) {
        CHECK(std::isfinite(gs[i]));
        CHECK(gs[i] == doctest::Approx(double(gc[i])));
      }
      CHECK(gs[0] == doctest::Approx(0.5));  // (1 - 0) / 2
      CHECK(gs[1] == doctest::Approx(-0.5));
    }
  }
}

TEST_CASE_TEMPLATE("losses: probability forms clip at p = 0 and 1", T, float, double) {
  const T eps = T(1e-7);
  const T zero = 0, one = 1;
  const int y1 = 1, y0 = 0;
  T g = 0;
  // -log(eps) for a certain wrong answer, a large finite loss instead of inf.
  CHECK(fl::BinaryCrossentropy::probabilities(&zero, &y1, &g, 1, 1) ==
        doctest::Approx(-std::log(double(eps))).epsilon(1e-6));
  CHECK(std::isfinite(g));
  CHECK(g < 0);  // still pushes p up toward the label
  CHECK(fl::BinaryCrossentropy::probabilities(&one, &y0, &g, 1, 1) ==
        doctest::Approx(-std::log(double(T(1) - (T(1) - eps)))).epsilon(1e-6));
  CHECK(std::isfinite(g));
  CHECK(g > 0);
  // A certain right answer costs (almost) nothing.
  CHECK(fl::BinaryCrossentropy::probabilities(&one, &y1, &g, 1, 1) <= T(2e-7));
  CHECK(std::isfinite(g));

  const T p[] = {0, 1, 0};
  const int c = 0;
  const float oh[] = {1, 0, 0};
  T gs[3], gc[3];
  const T vs = fl::SparseCategoricalCrossentropy::probabilities(p, &c, gs, 1, 3);
  const T vc = fl::CategoricalCrossentropy::probabilities(p, oh, gc, 1, 3);
  CHECK(vs == doctest::Approx(-std::log(double(eps))).epsilon(1e-6));
  CHECK(vc == doctest::Approx(-std::log(double(eps))).epsilon(1e-6));
  for (int i = 0; i < 3; ++i) {
    CHECK(std::isfinite(gs[i]));
    CHECK(std::isfinite(gc[i]));
  }
  CHECK(gs[0] < 0);
}

TEST_CASE("losses: float64 central finite differences match every gradient") {
  constexpr std::size_t batch = 3, k = 3;
  const std::vector<double> z = {-2.5, 0.3, 1.7, -0.4, 3.0, 0.0, 0.9, -1.2, 2.2};
  std::vector<double> p(z.size());
  std::transform(z.begin(), z.end(), p.begin(), sigmoid);  // in (0.07, 0.96): away from the clip
  const int yb[] = {1, 0, 1, 0, 1, 0, 0, 1, 1};
  const int ys[] = {2, 0, 1};
  const float yh[] = {0, 0, 1, 0.1f, 0.8f, 0.1f, 0, 1, 0};  // one row smoothed: sum y = 1
  const auto ps = softmax_rows(z, k);

  check_gradient("BinaryCrossentropy probabilities", [&](const double* x, double* g) {
    return fl::BinaryCrossentropy::probabilities(x, yb, g, batch, k);
  }, p);
  check_gradient("BinaryCrossentropy logits", [&](const double* x, double* g) {
    return fl::BinaryCrossentropy::logits(x, yb, g, batch, k);
  }, z);
  check_gradient("SparseCategoricalCrossentropy probabilities", [&](const double* x, double* g) {
    return fl::SparseCategoricalCrossentropy::probabilities(x, ys, g, batch, k);
  }, ps);
  check_gradient("SparseCategoricalCrossentropy logits", [&](const double* x, double* g) {
    return fl::SparseCategoricalCrossentropy::logits(x, ys, g, batch, k);
  }, z);
  check_gradient("CategoricalCrossentropy probabilities", [&](const double* x, double* g) {
    return fl::CategoricalCrossentropy::probabilities(x, yh, g, batch, k);
  }, ps);
  check_gradient("CategoricalCrossentropy logits", [&](const double* x, double* g) {
    return fl::CategoricalCrossentropy::logits(x, yh, g, batch, k);
  }, z);
  // Unnormalised label rows (sum y = 2) exercise the sum-of-labels term of the logits gradient.
  const float y2[] = {1, 0, 1, 0, 2, 0, 0.5f, 0.5f, 1};
  check_gradient("CategoricalCrossentropy logits, label rows summing to 2",
                 [&](const double* x, double* g) {
                   return fl::CategoricalCrossentropy::logits(x, y2, g, batch, k);
                 },
                 z);

  // Regression losses: targets in float as a data set stores them.
  const float yr[] = {0.5f, -1, 2, 0, 0.25f, -3, 1, 1, 0};
  check_gradient("MeanSquaredError", [&](const double* x, double* g) {
    return fl::MeanSquaredError::probabilities(x, yr, g, batch, k);
  }, z);
  // |o - y| >= 0.05 everywhere here: the kink at o = y is far from +-h.
  check_gradient("MeanAbsoluteError (away from the kink)", [&](const double* x, double* g) {
    return fl::MeanAbsoluteError::probabilities(x, yr, g, batch, k);
  }, z);
  // Huber, delta 1: |d| = 3.0, 1.3, 0.3, 0.4, 2.75, 3.0, 0.1, 2.2, 2.2 spans both regimes, none
  // within h of |d| = 1.
  check_gradient("Huber<> (both regimes)", [&](const double* x, double* g) {
    return fl::Huber<>::probabilities(x, yr, g, batch, k);
  }, z);
  check_gradient("Huber<ratio<5, 2>> (both regimes)", [&](const double* x, double* g) {
    return fl::Huber<std::ratio<5, 2>>::probabilities(x, yr, g, batch, k);
  }, z);
}

TEST_CASE("losses: class weights scale each sample's terms and gradients (Keras' class_weight)") {
  namespace fk = fitcheck::kernels;
  using fk::loss_kind;
  constexpr std::size_t batch = 3, k = 3;
  const std::vector<double> z = {-2.5, 0.3, 1.7, -0.4, 3.0, 0.0, 0.9, -1.2, 2.2};
  const auto ps = softmax_rows(z, k);
  const int ys[] = {2, 0, 1};
  const float yh[] = {0, 0, 1, 1, 0, 0, 0, 1, 0};  // the same classes, one-hot
  const double w3[] = {0.5, 3.0, 0.25};
  const fk::class_weights<double> weights{w3, 3};
  // The weighted mean is the sum of each row's unweighted loss times its class's weight, over
  // the batch (not over the weights' sum): every row's loss alone, as a batch of one.
  const auto check_rows = [&](const char* what, loss_kind kind, bool logits,
                              const std::vector<double>& o, const auto* y, std::size_t y_row) {
    INFO(what);
    std::vector<double> g(o.size()), gw(o.size());
    const double plain = fk::loss(fitcheck::reference, kind, logits, o.data(), y, g.data(),
                                  batch, k);
    const double weighted = fk::loss(fitcheck::reference, kind, logits, o.data(), y, gw.data(),
                                     batch, k, {}, weights);
    double expected = 0;
    for (std::size_t r = 0; r < batch; ++r)
      expected += w3[ys[r]] * fk::loss(fitcheck::reference, kind, logits, o.data() + r * k,
                                       y + r * y_row, no_grad, 1, k);
    CHECK(weighted == doctest::Approx(expected / batch).epsilon(1e-14));
    CHECK(weighted != doctest::Approx(plain).epsilon(1e-3));
    for (std::size_t i = 0; i < o.size(); ++i) CHECK(gw[i] == w3[ys[i / k]] * g[i]);
    check_gradient(std::string(what) + ", weighted", [&](const double* x, double* gr) {
      return fk::loss(fitcheck::reference, kind, logits, x, y, gr, batch, k, {}, weights);
    }, o);
  };
  check_rows("SparseCategoricalCrossentropy logits", loss_kind::sparse_categorical_crossentropy,
             true, z, ys, 1);
  check_rows("SparseCategoricalCrossentropy probabilities",
             loss_kind::sparse_categorical_crossentropy, false, ps, ys, 1);
  check_rows("CategoricalCrossentropy logits (the class of a one-hot row is its 1)",
             loss_kind::categorical_crossentropy, true, z, yh, k);
  check_rows("CategoricalCrossentropy probabilities", loss_kind::categorical_crossentropy, false,
             ps, yh, k);
  check_rows("MeanSquaredError on one-hot labels", loss_kind::mean_squared_error, false, ps, yh,
             k);

  // One 0/1 value per sample (BinaryLabel): the value is the class.
  const std::vector<double> zb = {-1.5, 0.2, 2.5, 0.7};
  std::vector<double> pb(zb.size());
  std::transform(zb.begin(), zb.end(), pb.begin(), sigmoid);
  const int yb[] = {1, 0, 0, 1};
  const double w2[] = {0.4, 2.5};
  for (const bool logits : {true, false}) {
    INFO("BinaryCrossentropy, logits " << logits);
    const auto& o = logits ? zb : pb;
    std::vector<double> g(4), gw(4);
    const double plain = fk::loss(fitcheck::reference, loss_kind::binary_crossentropy, logits,
                                  o.data(), yb, g.data(), 4, 1);
    const double weighted =
        fk::loss(fitcheck::reference, loss_kind::binary_crossentropy, logits, o.data(), yb,
                 gw.data(), 4, 1, {}, fk::class_weights<double>{w2, 2});
    double expected = 0;
    for (std::size_t r = 0; r < 4; ++r)
      expected += w2[yb[r]] * fk::loss(fitcheck::reference, loss_kind::binary_crossentropy,
                                       logits, o.data() + r, yb + r, no_grad, 1, 1);
    CHECK(weighted == doctest::Approx(expected / 4).epsilon(1e-14));
    CHECK(weighted != doctest::Approx(plain).epsilon(1e-3));
    for (std::size_t i = 0; i < 4; ++i) CHECK(gw[i] == w2[yb[i]] * g[i]);
  }
  // The cpu backend's vectorised binary cross-entropy steps aside for weights: the same numbers.
  const std::vector<float> zf = {-1.5f, 0.2f, 2.5f, 0.7f};
  const float w2f[] = {0.4f, 2.5f};
  std::vector<float> gc(4), gr(4);
  const float on_cpu =
      fk::loss(fitcheck::cpu, loss_kind::binary_crossentropy, true, zf.data(), yb, gc.data(), 4,
               1, {}, fk::class_weights<float>{w2f, 2});
  const float on_reference =
      fk::loss(fitcheck::reference, loss_kind::binary_crossentropy, true, zf.data(), yb,
               gr.data(), 4, 1, {}, fk::class_weights<float>{w2f, 2});
  CHECK(on_cpu == on_reference);
  CHECK(gc == gr);
}

TEST_CASE("losses: gradient of MAE and Huber by regime, exactly") {
  const double o[] = {3, -3, 0.5, 1};
  const float y[] = {0, 0, 0, 1};
  double g[4];
  (void)fl::MeanAbsoluteError::probabilities(o, y, g, 1, 4);
  CHECK(g[0] == 0.25);
  CHECK(g[1] == -0.25);
  CHECK(g[2] == 0.25);
  CHECK(g[3] == 0.0);  // at the kink, 0 as TF's sign()
  (void)fl::Huber<>::probabilities(o, y, g, 1, 4);
  CHECK(g[0] == 0.25);       // linear: delta / n
  CHECK(g[1] == -0.25);
  CHECK(g[2] == 0.5 / 4);    // quadratic: d / n
  CHECK(g[3] == 0.0);
}

}  // namespace nn_losses_test
