// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Metrics: exact values on small hand-made batches over several update calls, reset, undefined
// cases (0, as Keras), the label-kind choice of Accuracy, and the Keras log names.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <support/metrics.hpp>

#include <fitcheck/core/labels.hpp>
#include <fitcheck/nn/metrics.hpp>

namespace nn_metrics_test {

namespace fc = fitcheck;
namespace fm = fitcheck::metrics;
using fitcheck::test::feed;

namespace {
using I = std::int32_t;
}  // namespace

TEST_CASE("metrics: log names are Keras' default metric names") {
  CHECK(std::string(fm::Accuracy::name) == "accuracy");
  CHECK(std::string(fm::BinaryAccuracy::name) == "binary_accuracy");
  CHECK(std::string(fm::SparseCategoricalAccuracy::name) == "sparse_categorical_accuracy");
  CHECK(std::string(fm::CategoricalAccuracy::name) == "categorical_accuracy");
  CHECK(std::string(fm::Precision::name) == "precision");
  CHECK(std::string(fm::Recall::name) == "recall");
  CHECK(std::string(fm::AUC::name) == "auc");
  CHECK(std::string(fm::MeanSquaredError::name) == "mean_squared_error");
  CHECK(std::string(fm::MeanAbsoluteError::name) == "mean_absolute_error");
  CHECK(std::string(fm::RootMeanSquaredError::name) == "root_mean_squared_error");
  CHECK(std::string(fm::MeanAbsolutePercentageError::name) == "mean_absolute_percentage_error");
  CHECK(std::string(fm::MeanSquaredLogarithmicError::name) == "mean_squared_logarithmic_error");
  CHECK(std::string(fm::LogCoshError::name) == "logcosh");
  CHECK(std::string(fm::CosineSimilarity::name) == "cosine_similarity");
  CHECK(std::string(fm::TopKCategoricalAccuracy<>::name) == "top_k_categorical_accuracy");
  CHECK(std::string(fm::SparseTopKCategoricalAccuracy<>::name) ==
        "sparse_top_k_categorical_accuracy");
}

TEST_CASE("metrics: Accuracy picks its rule from the label kind") {
  fm::Accuracy m;
  CHECK(m.result() == 0.0);  // nothing seen yet
  SUBCASE("BinaryLabel, one sigmoid unit: output > 0.5 is class 1") {
    // 0.6 -> 1 right, 0.4 -> 0 right, 0.5 -> 0 (not above the threshold) wrong.
    feed<fc::BinaryLabel>(m, {0.6f, 0.4f, 0.5f}, std::vector<I>{1, 0, 1}, 1);
    CHECK(m.result() == doctest::Approx(2.0 / 3));
    feed<fc::BinaryLabel>(m, {0.9f}, std::vector<I>{1}, 1);
    CHECK(m.result() == doctest::Approx(3.0 / 4));
  }
  SUBCASE("BinaryLabel, two softmax units (sparse CE): p(class 1) > 0.5") {
    feed<fc::BinaryLabel>(m, {0.3f, 0.7f, 0.8f, 0.2f, 0.45f, 0.55f}, std::vector<I>{1, 1, 0}, 2);
    CHECK(m.result() == doctest::Approx(1.0 / 3));
  }
  SUBCASE("MultiLabel<3>: each unit on its own") {
    // Unit hits: row 0: 1,1,1; row 1: 1,0,1.
    feed<fc::MultiLabel<3>>(m, {0.9f, 0.1f, 0.7f, 0.2f, 0.3f, 0.6f},
                            std::vector<float>{1, 0, 1, 0, 1, 1}, 3);
    CHECK(m.result() == doctest::Approx(5.0 / 6));
  }
  SUBCASE("ClassLabel<3>: the arg-max, ties to the first") {
    feed<fc::ClassLabel<3>>(m, {0.1f, 0.7f, 0.2f, 0.4f, 0.4f, 0.2f, 0.5f, 0.2f, 0.3f},
                            std::vector<I>{1, 1, 2}, 3);
    CHECK(m.result() == doctest::Approx(1.0 / 3));  // row 1 ties to class 0
    feed<fc::ClassLabel<3>>(m, {0.1f, 0.2f, 0.7f}, std::vector<I>{2}, 3);
    CHECK(m.result() == doctest::Approx(2.0 / 4));
  }
  SUBCASE("OneHotLabel<3>: the arg-max against the hot index") {
    feed<fc::OneHotLabel<3>>(m, {0.1f, 0.7f, 0.2f, 0.6f, 0.3f, 0.1f},
                             std::vector<float>{0, 1, 0, 0, 0, 1}, 3);
    CHECK(m.result() == doctest::Approx(1.0 / 2));
  }
  m.reset();
  CHECK(m.result() == 0.0);
  feed<fc::ClassLabel<2>>(m, {0.2f, 0.8f}, std::vector<I>{1}, 2);
  CHECK(m.result() == 1.0);
}

TEST_CASE("metrics: BinaryAccuracy, per unit at 0.5, across updates and reset") {
  fm::BinaryAccuracy m;
  feed<fc::BinaryLabel>(m, {0.7f, 0.2f, 0.51f, 0.5f}, std::vector<I>{1, 1, 0, 0}, 1);
  CHECK(m.result() == doctest::Approx(2.0 / 4));
  feed<fc::BinaryLabel>(m, {0.1f, 0.9f}, std::vector<I>{0, 1}, 1);
  CHECK(m.result() == doctest::Approx(4.0 / 6));
  m.reset();
  CHECK(m.result() == 0.0);
  // Keras' example: [[1], [1], [0], [0]] against [[0.98], [1], [0], [0.6]] -> 0.75.
  feed<fc::MultiLabel<1>>(m, {0.98f, 1, 0, 0.6f}, std::vector<float>{1, 1, 0, 0}, 1);
  CHECK(m.result() == doctest::Approx(0.75));
  m.reset();
  // One-hot labels score unit by unit, as Keras does: 5 of 6 units right.
  feed<fc::OneHotLabel<3>>(m, {0.2f, 0.7f, 0.1f, 0.4f, 0.3f, 0.3f},
                           std::vector<float>{0, 1, 0, 1, 0, 0}, 3);
  CHECK(m.result() == doctest::Approx(5.0 / 6));
}

TEST_CASE("metrics: SparseCategoricalAccuracy and CategoricalAccuracy") {
  fm::SparseCategoricalAccuracy s;
  // Keras' example: [[2], [1]] against [[0.1, 0.6, 0.3], [0.05, 0.95, 0]] -> 0.5.
  feed<fc::ClassLabel<3>>(s, {0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0}, std::vector<I>{2, 1}, 3);
  CHECK(s.result() == doctest::Approx(0.5));
  feed<fc::ClassLabel<3>>(s, {0.1f, 0.1f, 0.8f, 0.3f, 0.3f, 0.4f}, std::vector<I>{2, 0}, 3);
  CHECK(s.result() == doctest::Approx(2.0 / 4));
  s.reset();
  CHECK(s.result() == 0.0);
  // BinaryLabel: two softmax units by arg-max, one sigmoid unit by the 0.5 threshold.
  feed<fc::BinaryLabel>(s, {0.3f, 0.7f, 0.6f, 0.4f}, std::vector<I>{1, 1}, 2);
  CHECK(s.result() == doctest::Approx(0.5));
  s.reset();
  feed<fc::BinaryLabel>(s, {0.8f, 0.3f, 0.6f}, std::vector<I>{1, 0, 0}, 1);
  CHECK(s.result() == doctest::Approx(2.0 / 3));

  fm::CategoricalAccuracy c;
  // Keras' example: [[0, 0, 1], [0, 1, 0]] against [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] -> 0.5.
  feed<fc::OneHotLabel<3>>(c, {0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0},
                           std::vector<float>{0, 0, 1, 0, 1, 0}, 3);
  CHECK(c.result() == doctest::Approx(0.5));
  feed<fc::OneHotLabel<3>>(c, {0.7f, 0.2f, 0.1f}, std::vector<float>{1, 0, 0}, 3);
  CHECK(c.result() == doctest::Approx(2.0 / 3));
  c.reset();
  CHECK(c.result() == 0.0);
}

TEST_CASE("metrics: Precision and Recall at 0.5, accumulated, 0 when undefined") {
  fm::Precision p;
  fm::Recall r;
  CHECK(p.result() == 0.0);
  CHECK(r.result() == 0.0);
  // Predicted positive (> 0.5): 0.9 (y 1: TP), 0.6 (y 0: FP), 0.7 (y 0: FP). 0.4 (y 1) is a FN.
  const std::vector<float> out = {0.9f, 0.6f, 0.4f, 0.2f, 0.7f};
  const std::vector<I> y = {1, 0, 1, 0, 0};
  feed<fc::BinaryLabel>(p, out, y, 1);
  feed<fc::BinaryLabel>(r, out, y, 1);
  CHECK(p.result() == doctest::Approx(1.0 / 3));
  CHECK(r.result() == doctest::Approx(1.0 / 2));
  feed<fc::BinaryLabel>(p, {0.8f, 0.5f}, std::vector<I>{1, 1}, 1);  // 0.5 is not above 0.5
  feed<fc::BinaryLabel>(r, {0.8f, 0.5f}, std::vector<I>{1, 1}, 1);
  CHECK(p.result() == doctest::Approx(2.0 / 4));
  CHECK(r.result() == doctest::Approx(2.0 / 4));

  p.reset();
  r.reset();
  // Keras' example: [0, 1, 1, 1] against [1, 0, 1, 1] -> precision 2/3, recall 2/3.
  feed<fc::BinaryLabel>(p, {1, 0, 1, 1}, std::vector<I>{0, 1, 1, 1}, 1);
  feed<fc::BinaryLabel>(r, {1, 0, 1, 1}, std::vector<I>{0, 1, 1, 1}, 1);
  CHECK(p.result() == doctest::Approx(2.0 / 3));
  CHECK(r.result() == doctest::Approx(2.0 / 3));

  p.reset();
  r.reset();
  // Nothing predicted positive: precision undefined -> 0; recall 0 of 1.
  feed<fc::BinaryLabel>(p, {0.1f, 0.2f}, std::vector<I>{1, 0}, 1);
  CHECK(p.result() == 0.0);
  // No positive labels: recall undefined -> 0.
  feed<fc::BinaryLabel>(r, {0.9f, 0.2f}, std::vector<I>{0, 0}, 1);
  CHECK(r.result() == 0.0);

  p.reset();
  r.reset();
  // Multi-label: micro-averaged over all units. TP: (0,0), (1,2); FP: (0,1); FN: (1,0).
  const std::vector<float> ml_out = {0.9f, 0.8f, 0.1f, 0.3f, 0.2f, 0.7f};
  const std::vector<float> ml_y = {1, 0, 0, 1, 0, 1};
  feed<fc::MultiLabel<3>>(p, ml_out, ml_y, 3);
  feed<fc::MultiLabel<3>>(r, ml_out, ml_y, 3);
  CHECK(p.result() == doctest::Approx(2.0 / 3));
  CHECK(r.result() == doctest::Approx(2.0 / 3));
}

TEST_CASE("metrics: AUC (ROC, 200 thresholds, interpolation)") {
  fm::AUC m;
  CHECK(m.result() == 0.0);
  SUBCASE("Keras' example: [0, 0, 1, 1] against [0, 0.5, 0.3, 0.9] -> 0.75") {
    feed<fc::BinaryLabel>(m, {0, 0.5f, 0.3f, 0.9f}, std::vector<I>{0, 0, 1, 1}, 1);
    // Of the 4 (positive, negative) pairs, 3 are ranked right: 0.75.
    CHECK(m.result() == doctest::Approx(0.75).epsilon(1e-12));
  }
  SUBCASE("accumulates over updates") {
    feed<fc::BinaryLabel>(m, {0.1f, 0.8f}, std::vector<I>{0, 1}, 1);
    CHECK(m.result() == doctest::Approx(1.0));
    feed<fc::BinaryLabel>(m, {0.9f, 0.2f}, std::vector<I>{0, 1}, 1);
    // Pairs (pos 0.8, 0.2) x (neg 0.1, 0.9): 0.8>0.1, 0.8<0.9, 0.2>0.1, 0.2<0.9 -> 2/4.
    CHECK(m.result() == doctest::Approx(0.5).epsilon(1e-12));
    m.reset();
    CHECK(m.result() == 0.0);
    feed<fc::BinaryLabel>(m, {0.9f, 0.2f}, std::vector<I>{0, 1}, 1);
    CHECK(m.result() == doctest::Approx(0.0).epsilon(1e-12));  // perfectly inverted
  }
  SUBCASE("ties and one class only") {
    feed<fc::BinaryLabel>(m, {0.4f, 0.4f, 0.4f}, std::vector<I>{0, 1, 1}, 1);
    CHECK(m.result() == doctest::Approx(0.5).epsilon(1e-12));  // a tie is half credit
    m.reset();
    feed<fc::BinaryLabel>(m, {0.4f, 0.9f}, std::vector<I>{1, 1}, 1);
    CHECK(m.result() == 0.0);  // no negatives: undefined -> 0
  }
  SUBCASE("scores at the ends: 0 and 1 fall inside the outer thresholds -1e-7 and 1 + 1e-7") {
    feed<fc::BinaryLabel>(m, {0.0f, 1.0f, 0.0f, 1.0f}, std::vector<I>{0, 1, 0, 1}, 1);
    CHECK(m.result() == doctest::Approx(1.0).epsilon(1e-12));
  }
  SUBCASE("multi-label: all units pooled") {
    // Positives 0.9, 0.7, 0.3; negatives 0.8, 0.2, 0.1. Wrong pairs: (0.7, 0.8), (0.3, 0.8).
    feed<fc::MultiLabel<3>>(m, {0.9f, 0.8f, 0.1f, 0.7f, 0.2f, 0.3f},
                            std::vector<float>{1, 0, 0, 1, 0, 1}, 3);
    CHECK(m.result() == doctest::Approx(7.0 / 9).epsilon(1e-12));
  }
}

TEST_CASE("metrics: AUC is the exact rank AUC up to bucket ties on a larger batch") {
  // Deterministic scores from a small LCG; positives drawn a bit higher.
  std::vector<float> out;
  std::vector<I> y;
  std::uint32_t s = 12345;
  auto next = [&] {
    s = s * 1664525u + 1013904223u;
    return float(s >> 8) / float(1u << 24);
  };
  for (int i = 0; i < 500; ++i) {
    const I label = next() < 0.4f ? 1 : 0;
    y.push_back(label);
    out.push_back(std::min(1.0f, next() * 0.8f + (label ? 0.2f : 0.0f)));
  }
  fm::AUC m;
  feed<fc::BinaryLabel>(m, out, y, 1);
  double right = 0, pairs = 0;
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < out.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        right += out[i] > out[j] ? 1.0 : out[i] == out[j] ? 0.5 : 0.0;
      }
  const double exact = right / pairs;
  CAPTURE(exact);
  CHECK(exact > 0.6);  // the data does separate the classes somewhat
  // A pair within one bucket (width 1/199) gets half credit instead of 0 or 1.
  CHECK(std::abs(m.result() - exact) < 0.005);
}

namespace {
// Keras' interpolate_pr_auc written out over the thresholds, its counts taken by comparing every
// score with every threshold (no histogram): what PRAUC must equal.
double keras_pr_auc(const std::vector<float>& out, const std::vector<I>& y) {
  const auto& t = fm::PRAUC::thresholds;
  const std::size_t n = t.size();
  std::vector<double> tp(n), fp(n);
  double positives = 0;
  for (std::size_t k = 0; k < out.size(); ++k) {
    positives += y[k];
    for (std::size_t i = 0; i < n; ++i)
      if (out[k] > t[i]) (y[k] ? tp : fp)[i] += 1;
  }
  double area = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double dtp = tp[i] - tp[i + 1];
    const double p = tp[i] + fp[i], p_next = tp[i + 1] + fp[i + 1];
    const double slope = p - p_next > 0 ? dtp / (p - p_next) : 0.0;
    const double intercept = tp[i + 1] - slope * p_next;
    const double ratio = p > 0 && p_next > 0 ? p / p_next : 1.0;
    const double increment = slope * (dtp + intercept * std::log(ratio));
    area += positives > 0 ? increment / positives : 0.0;
  }
  return area;
}
}  // namespace

TEST_CASE("metrics: PRAUC is Keras' interpolated precision-recall area") {
  CHECK(std::string(fm::PRAUC::name) == "pr_auc");
  fm::PRAUC m;
  CHECK(m.result() == 0.0);
  // Keras' AUC example, read as a PR curve.
  const std::vector<float> out = {0, 0.5f, 0.3f, 0.9f};
  const std::vector<I> y = {0, 0, 1, 1};
  feed<fc::BinaryLabel>(m, out, y, 1);
  CHECK(m.result() == doctest::Approx(keras_pr_auc(out, y)).epsilon(1e-12));
  // Perfectly ranked: precision 1 at every recall.
  m.reset();
  feed<fc::BinaryLabel>(m, {0.1f, 0.2f, 0.8f, 0.9f}, std::vector<I>{0, 0, 1, 1}, 1);
  CHECK(m.result() == doctest::Approx(1.0).epsilon(1e-9));
  // No positives: undefined -> 0.
  m.reset();
  feed<fc::BinaryLabel>(m, {0.1f, 0.7f}, std::vector<I>{0, 0}, 1);
  CHECK(m.result() == 0.0);

  // A larger, imbalanced batch over several updates: the histogram equals the direct count, and
  // the area is far below ROC AUC's where positives are rare and not well separated.
  std::vector<float> scores;
  std::vector<I> labels;
  std::uint32_t s = 777;
  auto next = [&] {
    s = s * 1664525u + 1013904223u;
    return float(s >> 8) / float(1u << 24);
  };
  for (int i = 0; i < 600; ++i) {
    const I label = next() < 0.08f ? 1 : 0;
    labels.push_back(label);
    scores.push_back(std::min(1.0f, next() * 0.7f + (label ? 0.3f : 0.0f)));
  }
  fm::PRAUC pr;
  fm::AUC roc;
  for (std::size_t at = 0; at < scores.size(); at += 150) {
    const std::vector<float> o(scores.begin() + long(at), scores.begin() + long(at + 150));
    const std::vector<I> l(labels.begin() + long(at), labels.begin() + long(at + 150));
    feed<fc::BinaryLabel>(pr, o, l, 1);
    feed<fc::BinaryLabel>(roc, o, l, 1);
  }
  const double want = keras_pr_auc(scores, labels);
  CAPTURE(want);
  CHECK(pr.result() == doctest::Approx(want).epsilon(1e-12));
  CHECK(pr.result() < roc.result() - 0.1);
  fm::PRAUC copy;
  copy.restore_state(pr.backup_state());
  CHECK(copy.result() == pr.result());
}

TEST_CASE("metrics: MeanSquaredError and MeanAbsoluteError") {
  fm::MeanSquaredError mse;
  fm::MeanAbsoluteError mae;
  // Keras' example: [[0, 1], [0, 0]] against [[1, 1], [0, 0]] -> 0.25 for both.
  feed<fc::RegressionTarget<2>>(mse, {1, 1, 0, 0}, std::vector<float>{0, 1, 0, 0}, 2);
  feed<fc::RegressionTarget<2>>(mae, {1, 1, 0, 0}, std::vector<float>{0, 1, 0, 0}, 2);
  CHECK(mse.result() == doctest::Approx(0.25));
  CHECK(mae.result() == doctest::Approx(0.25));
  feed<fc::RegressionTarget<2>>(mse, {3, -1}, std::vector<float>{1, 1}, 2);
  feed<fc::RegressionTarget<2>>(mae, {3, -1}, std::vector<float>{1, 1}, 2);
  CHECK(mse.result() == doctest::Approx((1.0 + 4 + 4) / 6));
  CHECK(mae.result() == doctest::Approx((1.0 + 2 + 2) / 6));
  mse.reset();
  mae.reset();
  CHECK(mse.result() == 0.0);
  CHECK(mae.result() == 0.0);
  // BinaryLabel with a sigmoid output: the Brier score.
  feed<fc::BinaryLabel>(mse, {0.8f, 0.3f}, std::vector<I>{1, 0}, 1);
  CHECK(mse.result() == doctest::Approx((0.04 + 0.09) / 2));
}

TEST_CASE("metrics: top-k accuracy, Keras' examples and ties at the k-th place") {
  // Keras' examples, k = 1: [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] with classes 2 and 1 -> 0.5.
  const std::vector<float> out = {0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0.0f};
  fm::SparseTopKCategoricalAccuracy<1> sparse1;
  feed<fc::ClassLabel<3>>(sparse1, out, std::vector<I>{2, 1}, 3);
  CHECK(sparse1.result() == 0.5);
  fm::TopKCategoricalAccuracy<1> dense1;
  feed<fc::OneHotLabel<3>>(dense1, out, std::vector<float>{0, 0, 1, 0, 1, 0}, 3);
  CHECK(dense1.result() == 0.5);
  // k = 2: class 2 of row 1 is second, class 2 of row 2 third: 1 of 2, then 3 of 4.
  fm::SparseTopKCategoricalAccuracy<2> sparse2;
  feed<fc::ClassLabel<3>>(sparse2, out, std::vector<I>{2, 2}, 3);
  CHECK(sparse2.result() == 0.5);
  feed<fc::ClassLabel<3>>(sparse2, out, std::vector<I>{1, 1}, 3);
  CHECK(sparse2.result() == 0.75);
  // A tie at the boundary counts in (tf.math.in_top_k): three equal outputs, k = 1, any class.
  fm::SparseTopKCategoricalAccuracy<1> tie;
  feed<fc::ClassLabel<3>>(tie, {0.2f, 0.4f, 0.4f, 0.4f}, std::vector<I>{2}, 4);
  CHECK(tie.result() == 1.0);
  // The default k = 5 over 4 classes: always in.
  fm::SparseTopKCategoricalAccuracy<> five;
  feed<fc::ClassLabel<4>>(five, {0.1f, 0.2f, 0.3f, 0.4f}, std::vector<I>{0}, 4);
  CHECK(five.result() == 1.0);
  five.reset();
  CHECK(five.result() == 0.0);
}

TEST_CASE("metrics: RMSE, MAPE, MSLE, log-cosh and cosine similarity, Keras' examples") {
  // Keras' examples: [[0, 1], [0, 0]] against [[1, 1], [0, 0]].
  const std::vector<float> out = {1, 1, 0, 0}, y = {0, 1, 0, 0};
  fm::RootMeanSquaredError rmse;
  fm::MeanAbsolutePercentageError mape;
  fm::MeanSquaredLogarithmicError msle;
  fm::LogCoshError logcosh;
  feed<fc::RegressionTarget<2>>(rmse, out, y, 2);
  feed<fc::RegressionTarget<2>>(mape, out, y, 2);
  feed<fc::RegressionTarget<2>>(msle, out, y, 2);
  feed<fc::RegressionTarget<2>>(logcosh, out, y, 2);
  CHECK(rmse.result() == doctest::Approx(0.5));
  CHECK(mape.result() == doctest::Approx(250000000.0));
  CHECK(msle.result() == doctest::Approx(0.12011322));
  CHECK(logcosh.result() == doctest::Approx(0.10844523));
  // RMSE is the root of the mean over every batch, not the mean of the batches' roots.
  feed<fc::RegressionTarget<2>>(rmse, {3, 1}, std::vector<float>{1, 1}, 2);
  CHECK(rmse.result() == doctest::Approx(std::sqrt(5.0 / 6)));
  // Cosine similarity: [[0, 1], [1, 1]] against [[1, 0], [1, 1]] -> 0.5; a zero row gives 0.
  fm::CosineSimilarity cosine;
  feed<fc::RegressionTarget<2>>(cosine, {1, 0, 1, 1}, std::vector<float>{0, 1, 1, 1}, 2);
  CHECK(cosine.result() == doctest::Approx(0.5));
  feed<fc::RegressionTarget<2>>(cosine, {0, 0, -2, 0}, std::vector<float>{1, 0, 1, 0}, 2);
  CHECK(cosine.result() == doctest::Approx((0.0 + 1 + 0 - 1) / 4));
  const auto state = cosine.backup_state();
  fm::CosineSimilarity restored;
  restored.restore_state(state);
  CHECK(restored.result() == cosine.result());
}

}  // namespace nn_metrics_test
