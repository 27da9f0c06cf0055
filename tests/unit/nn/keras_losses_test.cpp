// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' other losses and label smoothing: values against Keras' documented examples, the
// identities that tie them to the cross-entropies (gamma 0 focal = cross-entropy, KL = CE less
// the targets' entropy, smoothing = the cross-entropy of the smoothed labels), the probability
// and logits forms against each other, and a float64 central finite-difference check of every
// gradient. Whole training runs against PyTorch: tests/unit/train/loss_reference_test.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <ratio>
#include <string>
#include <vector>

#include <fitcheck/nn/losses.hpp>

namespace nn_keras_losses_test {

namespace fl = fitcheck::loss;
using std::ratio;

namespace {
using Fn = std::function<double(const double*, double*)>;

// As tests/unit/nn/losses_test.cpp: the largest |analytic - central difference| /
// max(1, |analytic|), h = 1e-6 in float64, tolerance 1e-7.
constexpr double fd_tolerance = 1e-7;
void check_gradient(const std::string& what, const Fn& loss, std::vector<double> x) {
  const double h = 1e-6;
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
    worst = std::max(worst, std::abs((up - down) / (2 * h) - g[i]) / std::max(1.0, std::abs(g[i])));
  }
  MESSAGE(what << ": worst relative gradient error " << worst);
  CHECK_MESSAGE(worst <= fd_tolerance, what);
}

constexpr double* no_grad = nullptr;

std::vector<double> softmax_rows(const std::vector<double>& z, std::size_t k) {
  std::vector<double> p(z.size());
  for (std::size_t r = 0; r < z.size() / k; ++r) {
    const double m = *std::max_element(z.begin() + long(r * k), z.begin() + long(r * k + k));
    double s = 0;
    for (std::size_t j = 0; j < k; ++j) s += std::exp(z[r * k + j] - m);
    for (std::size_t j = 0; j < k; ++j) p[r * k + j] = std::exp(z[r * k + j] - m) / s;
  }
  return p;
}
double sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

// Keras' documented two-sample example inputs.
const float y_keras[] = {0, 1, 0, 0};
const double p_keras[] = {0.6, 0.4, 0.4, 0.6};
}  // namespace

TEST_CASE("Keras' other losses: the values Keras documents") {
  SUBCASE("BinaryFocalCrossentropy: 0.691, balanced 0.51, gamma 3 0.647, rows 0.330 and 0.206") {
    const int y[] = {0, 1, 0, 0};
    const double z[] = {-18.6, 0.51, 2.94, -12.8};
    CHECK(fl::BinaryFocalCrossentropy<>::logits(z, y, no_grad, 1, 4) ==
          doctest::Approx(0.691).epsilon(1e-3));
    CHECK(fl::BinaryFocalCrossentropy<ratio<2>, ratio<1, 4>>::logits(z, y, no_grad, 1, 4) ==
          doctest::Approx(0.51).epsilon(1e-2));
    CHECK(fl::BinaryFocalCrossentropy<ratio<3>>::logits(z, y, no_grad, 1, 4) ==
          doctest::Approx(0.647).epsilon(1e-3));
    // Keras' per-sample values of the probability form are 0.330 and 0.206: their mean.
    CHECK(fl::BinaryFocalCrossentropy<>::probabilities(p_keras, y_keras, no_grad, 2, 2) ==
          doctest::Approx((0.32986466 + 0.20579838) / 2).epsilon(1e-6));
    CHECK(std::string(fl::BinaryFocalCrossentropy<>::name) == "binary_focal_crossentropy");
  }
  SUBCASE("CategoricalFocalCrossentropy: 0.23315276") {
    const float y[] = {0, 1, 0, 0, 0, 1};
    const double p[] = {0.05, 0.95, 0, 0.1, 0.8, 0.1};
    CHECK(fl::CategoricalFocalCrossentropy<>::probabilities(p, y, no_grad, 2, 3) ==
          doctest::Approx(0.23315276).epsilon(1e-7));
  }
  SUBCASE("KLDivergence 0.458, Poisson 0.5, LogCosh 0.108") {
    CHECK(fl::KLDivergence::probabilities(p_keras, y_keras, no_grad, 2, 2) ==
          doctest::Approx(0.458).epsilon(1e-3));
    const double o[] = {1, 1, 0, 0};
    CHECK(fl::Poisson::probabilities(o, y_keras, no_grad, 2, 2) ==
          doctest::Approx(0.5).epsilon(1e-6));
    CHECK(fl::LogCosh::probabilities(o, y_keras, no_grad, 2, 2) ==
          doctest::Approx(0.108).epsilon(1e-2));
  }
  SUBCASE("Hinge 1.3, SquaredHinge 1.86, CategoricalHinge 1.4") {
    CHECK(fl::Hinge::probabilities(p_keras, y_keras, no_grad, 2, 2) ==
          doctest::Approx(1.3).epsilon(1e-12));
    CHECK(fl::SquaredHinge::probabilities(p_keras, y_keras, no_grad, 2, 2) ==
          doctest::Approx(1.86).epsilon(1e-12));
    CHECK(fl::CategoricalHinge::probabilities(p_keras, y_keras, no_grad, 2, 2) ==
          doctest::Approx(1.4).epsilon(1e-12));
  }
  SUBCASE("CosineSimilarity -0.5, MeanSquaredLogarithmicError 0.240, MAPE 50") {
    const float y[] = {0, 1, 1, 1};
    const double o[] = {1, 0, 1, 1};
    CHECK(fl::CosineSimilarity::probabilities(o, y, no_grad, 2, 2) ==
          doctest::Approx(-0.5).epsilon(1e-12));
    const double om[] = {1, 1, 1, 0};
    CHECK(fl::MeanSquaredLogarithmicError::probabilities(om, y_keras, no_grad, 2, 2) ==
          doctest::Approx(0.240).epsilon(1e-3));
    const float ya[] = {2, 1, 2, 3};
    CHECK(fl::MeanAbsolutePercentageError::probabilities(om, ya, no_grad, 2, 2) ==
          doctest::Approx(50.0).epsilon(1e-12));
  }
}

TEST_CASE("Keras' other losses: Dice and Tversky per sample, as Keras with axis=(1, 2, 3)") {
  // keras/src/losses/losses_test.py: the two 2 x 2 x 1 masks below give [0.5, 0.75757575].
  const float masks[] = {1, 1, 0, 0, 1, 1, 0, 0};
  const double predicted[] = {0, 1, 0, 1, 0.4, 0, 0, 0.9};
  const double each[] = {0.5, 0.75757575};
  CHECK(fl::Dice::probabilities(predicted, masks, no_grad, 2, 4) ==
        doctest::Approx((each[0] + each[1]) / 2).epsilon(1e-7));
  CHECK(fl::Dice::probabilities(predicted, masks, no_grad, 1, 4) ==
        doctest::Approx(each[0]).epsilon(1e-7));
  CHECK(fl::Tversky<>::probabilities(predicted + 4, masks + 4, no_grad, 1, 4) ==
        doctest::Approx(each[1]).epsilon(1e-7));
  // alpha 1/5, beta 4/5 by hand: I = 1, FP = 1, FN = 1 -> 1 - 1 / 2; I = 0.4, FP = 0.9,
  // FN = 1.6 -> 1 - 0.4 / (0.4 + 0.18 + 1.28).
  const double skewed = (0.5 + (1 - 0.4 / 1.86)) / 2;
  CHECK(fl::Tversky<ratio<1, 5>, ratio<4, 5>>::probabilities(predicted, masks, no_grad, 2, 4) ==
        doctest::Approx(skewed).epsilon(1e-7));
  CHECK(std::string(fl::Dice::name) == "dice");
  CHECK(std::string(fl::Tversky<>::name) == "tversky");
}

TEST_CASE("Keras' other losses: the identities with the cross-entropies") {
  constexpr std::size_t batch = 3, k = 4;
  const std::vector<double> z = {-2.5, 0.3, 1.7, 0.2, -0.4, 3.0, 0.0, -1.1, 0.9, -1.2, 2.2, 0.6};
  const auto p = softmax_rows(z, k);
  const float onehot[] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0};
  const float soft[] = {0.1f, 0.2f, 0.6f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f, 0.7f, 0.1f, 0.1f, 0.1f};
  const int classes[] = {2, 1, 0};
  const int bits[] = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1};
  const double eps = 1e-12;

  SUBCASE("gamma 0 focal losses are the cross-entropies (alpha 1 for the categorical one)") {
    CHECK(fl::BinaryFocalCrossentropy<ratio<0>>::logits(z.data(), bits, no_grad, batch, k) ==
          doctest::Approx(fl::BinaryCrossentropy::logits(z.data(), bits, no_grad, batch, k))
              .epsilon(eps));
    using Plain = fl::CategoricalFocalCrossentropy<ratio<1>, ratio<0>>;
    CHECK(Plain::logits(z.data(), soft, no_grad, batch, k) ==
          doctest::Approx(fl::CategoricalCrossentropy::logits(z.data(), soft, no_grad, batch, k))
              .epsilon(eps));
    CHECK(Plain::probabilities(p.data(), onehot, no_grad, batch, k) ==
          doctest::Approx(
              fl::CategoricalCrossentropy::probabilities(p.data(), onehot, no_grad, batch, k))
              .epsilon(eps));
  }
  SUBCASE("KL divergence is the cross-entropy less the targets' entropy, with its gradient") {
    double entropy = 0;
    for (const float t : soft) entropy -= t * std::log(double(t));
    std::vector<double> g_kl(z.size()), g_ce(z.size());
    const double kl = fl::KLDivergence::logits(z.data(), soft, g_kl.data(), batch, k);
    const double ce = fl::CategoricalCrossentropy::logits(z.data(), soft, g_ce.data(), batch, k);
    CHECK(kl == doctest::Approx(ce - entropy / batch).epsilon(eps));
    for (std::size_t i = 0; i < z.size(); ++i) CHECK(g_kl[i] == doctest::Approx(g_ce[i]));
    CHECK(fl::KLDivergence::probabilities(p.data(), soft, no_grad, batch, k) ==
          doctest::Approx(kl).epsilon(1e-9));
  }
  SUBCASE("label smoothing is the cross-entropy of the smoothed labels") {
    const double s = 0.2;
    std::vector<double> smoothed_onehot(std::size(onehot)), smoothed_bits(std::size(bits));
    for (std::size_t i = 0; i < smoothed_onehot.size(); ++i) {
      smoothed_onehot[i] = onehot[i] * (1 - s) + s / k;
      smoothed_bits[i] = bits[i] * (1 - s) + s / 2;
    }
    std::vector<double> g_a(z.size()), g_b(z.size());
    using Smooth = fl::LabelSmoothing<fl::CategoricalCrossentropy, ratio<1, 5>>;
    CHECK(Smooth::label_smoothing == s);
    const double a = Smooth::logits(z.data(), onehot, g_a.data(), batch, k);
    const double b =
        fl::CategoricalCrossentropy::logits(z.data(), smoothed_onehot.data(), g_b.data(), batch, k);
    CHECK(a == doctest::Approx(b).epsilon(eps));
    for (std::size_t i = 0; i < z.size(); ++i) CHECK(g_a[i] == doctest::Approx(g_b[i]));
    // The sparse form smooths the one-hot row of its class index (PyTorch's label_smoothing).
    using SparseSmooth = fl::LabelSmoothing<fl::SparseCategoricalCrossentropy, ratio<1, 5>>;
    const float rows[] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0};  // classes 2, 1, 0
    CHECK(SparseSmooth::logits(z.data(), classes, g_a.data(), batch, k) ==
          doctest::Approx(Smooth::logits(z.data(), rows, g_b.data(), batch, k)).epsilon(eps));
    for (std::size_t i = 0; i < z.size(); ++i) CHECK(g_a[i] == doctest::Approx(g_b[i]));
    CHECK(SparseSmooth::probabilities(p.data(), classes, no_grad, batch, k) ==
          doctest::Approx(Smooth::probabilities(p.data(), rows, no_grad, batch, k)).epsilon(eps));
    using BinarySmooth = fl::LabelSmoothing<fl::BinaryCrossentropy, ratio<1, 5>>;
    CHECK(BinarySmooth::logits(z.data(), bits, no_grad, batch, k) ==
          doctest::Approx(
              fl::BinaryCrossentropy::logits(z.data(), smoothed_bits.data(), no_grad, batch, k))
              .epsilon(eps));
    // Wrapped either way round with FromLogits, the same loss.
    using A = fl::FromLogits<Smooth>;
    using B = fl::LabelSmoothing<fl::FromLogits<fl::CategoricalCrossentropy>, ratio<1, 5>>;
    static_assert(A::from_logits && B::from_logits && A::label_smoothing == B::label_smoothing);
    CHECK(std::string(A::name) == "categorical_crossentropy");
  }
  SUBCASE("the probability and logits forms agree") {
    CHECK(fl::BinaryFocalCrossentropy<ratio<3, 2>, ratio<1, 4>>::logits(z.data(), bits, no_grad,
                                                                        batch, k) ==
          doctest::Approx([&] {
            std::vector<double> q(z.size());
            std::transform(z.begin(), z.end(), q.begin(), sigmoid);
            return fl::BinaryFocalCrossentropy<ratio<3, 2>, ratio<1, 4>>::probabilities(
                q.data(), bits, no_grad, batch, k);
          }())
              .epsilon(1e-9));
    CHECK(fl::CategoricalFocalCrossentropy<>::logits(z.data(), onehot, no_grad, batch, k) ==
          doctest::Approx(fl::CategoricalFocalCrossentropy<>::probabilities(p.data(), onehot,
                                                                            no_grad, batch, k))
              .epsilon(1e-9));
  }
}

TEST_CASE("Keras' other losses: float64 central finite differences match every gradient") {
  constexpr std::size_t batch = 3, k = 4;
  const std::vector<double> z = {-2.5, 0.3, 1.7, 0.2, -0.4, 3.0, 0.0, -1.1, 0.9, -1.2, 2.2, 0.6};
  std::vector<double> q(z.size());
  std::transform(z.begin(), z.end(), q.begin(), sigmoid);
  const auto p = softmax_rows(z, k);
  const int bits[] = {1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1};
  const int classes[] = {2, 1, 0};
  const float onehot[] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0};
  const float soft[] = {0.1f, 0.2f, 0.6f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f, 0.7f, 0.1f, 0.1f, 0.1f};
  // Regression targets; every |o - y| is at least 0.05 (away from the kinks of MAPE).
  const float yr[] = {0.5f, -1, 2, 0.6f, 0, 0.25f, -3, 1, 1, 0.4f, 0.5f, 2};

  // The sigmoid family on sigmoid outputs, the softmax family on softmax outputs.
  const auto sigmoid_family = [&](const std::string& what, auto loss) {
    using L = decltype(loss);
    check_gradient(
        what + " probabilities",
        [&](const double* x, double* g) { return L::probabilities(x, bits, g, batch, k); }, q);
    check_gradient(
        what + " logits",
        [&](const double* x, double* g) { return L::logits(x, bits, g, batch, k); }, z);
  };
  const auto softmax_family = [&](const std::string& what, auto loss, const auto* y) {
    using L = decltype(loss);
    check_gradient(
        what + " probabilities",
        [&](const double* x, double* g) { return L::probabilities(x, y, g, batch, k); }, p);
    check_gradient(
        what + " logits", [&](const double* x, double* g) { return L::logits(x, y, g, batch, k); },
        z);
  };
  sigmoid_family("BinaryFocalCrossentropy<>", fl::BinaryFocalCrossentropy<>{});
  sigmoid_family("BinaryFocalCrossentropy<1/2, 1/4>",
                 fl::BinaryFocalCrossentropy<ratio<1, 2>, ratio<1, 4>>{});
  sigmoid_family("LabelSmoothing<BinaryCrossentropy, 1/10>",
                 fl::LabelSmoothing<fl::BinaryCrossentropy, ratio<1, 10>>{});
  sigmoid_family("LabelSmoothing<BinaryFocalCrossentropy<3>, 1/10>",
                 fl::LabelSmoothing<fl::BinaryFocalCrossentropy<ratio<3>>, ratio<1, 10>>{});
  softmax_family("CategoricalFocalCrossentropy<>", fl::CategoricalFocalCrossentropy<>{}, onehot);
  softmax_family("CategoricalFocalCrossentropy<1/2, 1/2>, soft labels",
                 fl::CategoricalFocalCrossentropy<ratio<1, 2>, ratio<1, 2>>{}, soft);
  softmax_family("KLDivergence", fl::KLDivergence{}, soft);
  softmax_family("LabelSmoothing<CategoricalCrossentropy, 1/10>",
                 fl::LabelSmoothing<fl::CategoricalCrossentropy, ratio<1, 10>>{}, onehot);
  softmax_family("LabelSmoothing<SparseCategoricalCrossentropy, 1/10>",
                 fl::LabelSmoothing<fl::SparseCategoricalCrossentropy, ratio<1, 10>>{}, classes);
  softmax_family("LabelSmoothing<CategoricalFocalCrossentropy<>, 1/10>",
                 fl::LabelSmoothing<fl::CategoricalFocalCrossentropy<>, ratio<1, 10>>{}, onehot);

  // The value-by-value losses on raw outputs; Poisson and MSLE on positive ones.
  const auto raw = [&](const std::string& what, auto loss, const std::vector<double>& at,
                       const auto* y) {
    using L = decltype(loss);
    check_gradient(
        what, [&](const double* x, double* g) { return L::probabilities(x, y, g, batch, k); }, at);
  };
  std::vector<double> rate(z.size());
  std::transform(z.begin(), z.end(), rate.begin(), [](double v) { return std::exp(v); });
  const float counts[] = {0, 1, 3, 0, 2, 5, 1, 0, 4, 1, 0, 2};
  raw("Poisson", fl::Poisson{}, rate, counts);
  raw("LogCosh", fl::LogCosh{}, z, yr);
  raw("MeanSquaredLogarithmicError", fl::MeanSquaredLogarithmicError{}, rate, counts);
  // A target of 0 weighs its error 1e9 (Keras' floor): finite, but no test of the formula.
  const float away_from_zero[] = {0.5f, -1, 2, 0.6f, 0.3f, 0.25f, -3, 1, 1, 0.4f, 0.5f, 2};
  raw("MeanAbsolutePercentageError", fl::MeanAbsolutePercentageError{}, z, away_from_zero);
  raw("CosineSimilarity", fl::CosineSimilarity{}, z, yr);
  // Margins 1 - s o of Hinge: none within h of 0 here; the zero ones give gradient 0.
  raw("Hinge", fl::Hinge{}, z, bits);
  raw("SquaredHinge", fl::SquaredHinge{}, z, bits);
  raw("CategoricalHinge", fl::CategoricalHinge{}, z, onehot);
  // The overlap losses on sigmoid outputs, with 0/1 and with soft targets.
  raw("Dice, 0/1 targets", fl::Dice{}, q, bits);
  raw("Dice, soft targets", fl::Dice{}, q, soft);
  raw("Tversky<3/10, 7/10>, 0/1 targets", fl::Tversky<ratio<3, 10>, ratio<7, 10>>{}, q, bits);
  raw("Tversky<1, 0>, soft targets", fl::Tversky<ratio<1>, ratio<0>>{}, q, soft);
}

TEST_CASE("Keras' other losses: the gradient where Keras' clips and margins stop it") {
  // Hinge: a margin met (s o >= 1) gives nothing.
  const double o[] = {1.5, -2.0};
  const int y[] = {1, 0};
  double g[2] = {1, 1};
  CHECK(fl::Hinge::probabilities(o, y, g, 1, 2) == 0.0);
  CHECK(g[0] == 0.0);
  CHECK(g[1] == 0.0);
  // MSLE: an output below 1e-7 is clipped there, with no gradient.
  const double neg[] = {-0.5};
  const float t[] = {1};
  double gm = 1;
  CHECK(fl::MeanSquaredLogarithmicError::probabilities(neg, t, &gm, 1, 1) ==
        doctest::Approx(std::pow(std::log1p(1e-7) - std::log(2.0), 2)).epsilon(1e-12));
  CHECK(gm == 0.0);
  // Cosine similarity of a zero output: the norm floor keeps it finite, 0.
  const double zero[] = {0, 0};
  const float dir[] = {1, 0};
  double gc[2];
  CHECK(fl::CosineSimilarity::probabilities(zero, dir, gc, 1, 2) == 0.0);
  CHECK(std::isfinite(gc[0]));
  CHECK(std::isfinite(gc[1]));
  // A focal loss of a certain, correct output: 0 and a finite gradient, for gamma below 1 too.
  const double sure[] = {60.0};
  const int one[] = {1};
  double gf = 1;
  CHECK(fl::BinaryFocalCrossentropy<ratio<1, 2>>::logits(sure, one, &gf, 1, 1) == 0.0);
  CHECK(gf == 0.0);
}

}  // namespace nn_keras_losses_test
