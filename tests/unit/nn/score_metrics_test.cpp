// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// F1Score, FBetaScore, R2Score, BinaryIoU, MeanIoU and IoU: Keras' documented examples, the
// averages worked by hand, each label kind, reset, the backup round trip, and the scores of a
// trained model against the same formulas over its predictions.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <support/metrics.hpp>

#include <fitcheck/fitcheck.hpp>

namespace nn_score_metrics_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fm = fitcheck::metrics;
using fitcheck::test::feed;

namespace {
using I = std::int32_t;
using half = std::ratio<1, 2>;

// Keras' F1Score / FBetaScore docstring example (threshold 0.5): per class F1 [0.5, 0.8,
// 0.6666667], F2 [0.3846154, 0.90909094, 0.8333334].
const std::vector<float> keras_true = {1, 1, 1, 1, 0, 0, 1, 1, 0};
const std::vector<float> keras_pred = {0.2f, 0.6f, 0.7f, 0.2f, 0.6f, 0.6f, 0.6f, 0.8f, 0.0f};
using Three = fc::MultiLabel<3>;
template <class M>
concept has_results = requires(const M& m) { m.results(); };
}  // namespace

TEST_CASE("F1Score and FBetaScore: Keras' example, each average") {
  CHECK(std::string(fm::F1Score<>::name) == "f1_score");
  CHECK(std::string(fm::FBetaScore<>::name) == "fbeta_score");
  fm::F1Score<fm::average::macro, half> macro;
  feed<Three>(macro, keras_pred, keras_true, 3);
  CHECK(macro.result() == doctest::Approx((0.5 + 0.8 + 2.0 / 3) / 3).epsilon(1e-6));
  // Micro: tp 4, fp 2, fn 2 over the three classes, so precision = recall = 2/3.
  fm::F1Score<fm::average::micro, half> micro;
  feed<Three>(micro, keras_pred, keras_true, 3);
  CHECK(micro.result() == doctest::Approx(2.0 / 3).epsilon(1e-6));
  // Weighted by the true instances, 3, 2 and 1.
  fm::F1Score<fm::average::weighted, half> weighted;
  feed<Three>(weighted, keras_pred, keras_true, 3);
  CHECK(weighted.result() == doctest::Approx((0.5 * 3 + 0.8 * 2 + 2.0 / 3) / 6).epsilon(1e-6));
  fm::FBetaScore<std::ratio<2>, fm::average::macro, half> f2;
  feed<Three>(f2, keras_pred, keras_true, 3);
  CHECK(f2.result() ==
        doctest::Approx((0.3846154 + 0.90909094 + 0.8333334) / 3).epsilon(1e-6));
  // Batch by batch is the same as all at once; reset forgets.
  fm::F1Score<fm::average::macro, half> split;
  for (std::size_t r = 0; r < 3; ++r)
    split.update<Three>(keras_pred.data() + 3 * r, keras_true.data() + 3 * r, 1, 3);
  CHECK(split.result() == macro.result());
  split.reset();
  CHECK(split.result() == 0.0);
  CHECK(fm::F1Score<>{}.result() == 0.0);  // nothing seen
}

TEST_CASE("F1Score without a threshold predicts each sample's largest output") {
  // Rows: predicted 0 (right), 2 (truth 1), 2 (right), a tie of 1 and 2 (both predicted; truth
  // 1), and a row of zeros (nothing predicted; truth 0).
  const std::vector<float> out = {0.7f, 0.2f, 0.1f, 0.1f, 0.3f, 0.6f, 0.2f, 0.2f, 0.6f,
                                  0.1f, 0.45f, 0.45f, 0.0f, 0.0f, 0.0f};
  const std::vector<float> onehot = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0};
  const std::vector<I> classes = {0, 1, 2, 1, 0};
  // Class 0: tp 1, fn 1 -> F1 2/3. Class 1: tp 1, fn 1 -> 2/3. Class 2: tp 1, fp 2 -> 1/2.
  const double want = (2.0 / 3 + 2.0 / 3 + 0.5) / 3;
  fm::F1Score<> from_onehot;
  feed<fc::OneHotLabel<3>>(from_onehot, out, onehot, 3);
  CHECK(from_onehot.result() == doctest::Approx(want).epsilon(1e-6));
  // Class indices count as their one-hot rows (Keras takes one-hot labels only).
  fm::F1Score<> from_classes;
  feed<fc::ClassLabel<3>>(from_classes, out, classes, 3);
  CHECK(from_classes.result() == from_onehot.result());
}

TEST_CASE("F1Score on one sigmoid unit scores the positive class at the threshold") {
  // Outputs above 1/2: samples 0, 2, 3; positives: 0, 1, 3. tp 2, fp 1, fn 1.
  const std::vector<float> out = {0.9f, 0.4f, 0.6f, 0.8f, 0.1f};
  const std::vector<I> y = {1, 1, 0, 1, 0};
  fm::F1Score<fm::average::macro, half> f1;
  feed<fc::BinaryLabel>(f1, out, y, 1);
  CHECK(f1.result() == doctest::Approx(2.0 / 3).epsilon(1e-6));
  // A higher threshold: only 0.9 and 0.8 are positive predictions: precision 1, recall 2/3.
  fm::F1Score<fm::average::macro, std::ratio<7, 10>> strict;
  feed<fc::BinaryLabel>(strict, out, y, 1);
  CHECK(strict.result() == doctest::Approx(0.8).epsilon(1e-6));
}

TEST_CASE("F1Score and FBetaScore with average::none: Keras' per-class array") {
  fm::F1Score<fm::average::none, half> f1;
  feed<Three>(f1, keras_pred, keras_true, 3);
  const std::vector<double> per_class = f1.results();
  REQUIRE(per_class.size() == 3);
  CHECK(per_class[0] == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(per_class[1] == doctest::Approx(0.8).epsilon(1e-6));
  CHECK(per_class[2] == doctest::Approx(0.6666667).epsilon(1e-6));
  CHECK(f1.result() == doctest::Approx((0.5 + 0.8 + 2.0 / 3) / 3).epsilon(1e-6));
  fm::FBetaScore<std::ratio<2>, fm::average::none, half> f2;
  feed<Three>(f2, keras_pred, keras_true, 3);
  const std::vector<double> f2s = f2.results();
  REQUIRE(f2s.size() == 3);
  CHECK(f2s[0] == doctest::Approx(0.3846154).epsilon(1e-6));
  CHECK(f2s[1] == doctest::Approx(0.90909094).epsilon(1e-6));
  CHECK(f2s[2] == doctest::Approx(0.8333334).epsilon(1e-6));
  CHECK(fm::F1Score<fm::average::none>{}.results().empty());  // nothing sized yet
  // The other averages have no per-class results (the logs hold their one number).
  static_assert(!has_results<fm::F1Score<fm::average::macro>> &&
                has_results<fm::F1Score<fm::average::none>>);
}

TEST_CASE("R2Score: Keras' example, the aggregations, adjusted, constant targets") {
  CHECK(std::string(fm::R2Score<>::name) == "r2_score");
  using One = fc::RegressionTarget<1>;
  fm::R2Score<> r2;
  feed<One>(r2, {2, 4, 4}, std::vector<float>{1, 4, 3}, 1);
  CHECK(r2.result() == doctest::Approx(0.57142854).epsilon(1e-6));
  // Adjusted for 1 regressor over n = 3 values: 1 - (1 - R2) (3 - 1) / (3 - 1 - 1).
  fm::R2Score<fm::r2_aggregation::uniform_average, 1> adjusted;
  feed<One>(adjusted, {2, 4, 4}, std::vector<float>{1, 4, 3}, 1);
  CHECK(adjusted.result() == doctest::Approx(1 - (1 - 4.0 / 7) * 2).epsilon(1e-6));
  // n - 1 regressors or more: Keras keeps the plain score.
  fm::R2Score<fm::r2_aggregation::uniform_average, 2> too_many;
  feed<One>(too_many, {2, 4, 4}, std::vector<float>{1, 4, 3}, 1);
  CHECK(too_many.result() == doctest::Approx(4.0 / 7).epsilon(1e-6));

  // Two outputs: the first as above (R2 4/7, total 14/3), the second y = (0, 2, 4) against
  // (1, 2, 3) (residual 2, total 8: R2 3/4).
  using Two = fc::RegressionTarget<2>;
  const std::vector<float> out = {2, 1, 4, 2, 4, 3};
  const std::vector<float> y = {1, 0, 4, 2, 3, 4};
  fm::R2Score<> uniform;
  feed<Two>(uniform, out, y, 2);
  CHECK(uniform.result() == doctest::Approx((4.0 / 7 + 0.75) / 2).epsilon(1e-6));
  fm::R2Score<fm::r2_aggregation::variance_weighted_average> weighted;
  feed<Two>(weighted, out, y, 2);
  CHECK(weighted.result() ==
        doctest::Approx((14.0 / 3 * 4.0 / 7 + 8 * 0.75) / (14.0 / 3 + 8)).epsilon(1e-6));
  // The backup round trip carries every sum.
  fm::R2Score<fm::r2_aggregation::variance_weighted_average> again;
  again.restore_state(weighted.backup_state());
  CHECK(again.result() == weighted.result());

  // Keras' class_aggregation=None: each output's score.
  fm::R2Score<fm::r2_aggregation::none> raw;
  feed<Two>(raw, out, y, 2);
  const std::vector<double> per_output = raw.results();
  REQUIRE(per_output.size() == 2);
  CHECK(per_output[0] == doctest::Approx(4.0 / 7).epsilon(1e-6));
  CHECK(per_output[1] == doctest::Approx(0.75).epsilon(1e-6));
  CHECK(raw.result() == uniform.result());
  CHECK(fm::R2Score<fm::r2_aggregation::none>{}.results().empty());

  // Targets that never vary: the ratio is infinite, which Keras scores 0.
  fm::R2Score<> flat;
  feed<One>(flat, {1, 2, 3}, std::vector<float>{2, 2, 2}, 1);
  CHECK(flat.result() == 0.0);
}

TEST_CASE("rates at a rate: Keras' examples, and the threshold that decides") {
  CHECK(std::string(fm::PrecisionAtRecall<half>::name) == "precision_at_recall");
  CHECK(std::string(fm::RecallAtPrecision<half>::name) == "recall_at_precision");
  CHECK(std::string(fm::SensitivityAtSpecificity<half>::name) == "sensitivity_at_specificity");
  CHECK(std::string(fm::SpecificityAtSensitivity<half>::name) == "specificity_at_sensitivity");
  // Keras' docstrings: labels [0, 0, 0, 1, 1], outputs [0, 0.3, 0.8, 0.3, 0.8].
  const std::vector<float> out = {0, 0.3f, 0.8f, 0.3f, 0.8f};
  const std::vector<I> y = {0, 0, 0, 1, 1};
  fm::SensitivityAtSpecificity<half> sens;
  feed<fc::BinaryLabel>(sens, out, y, 1);
  CHECK(sens.result() == doctest::Approx(0.5).epsilon(1e-6));
  fm::SpecificityAtSensitivity<half> spec;
  feed<fc::BinaryLabel>(spec, out, y, 1);
  CHECK(spec.result() == doctest::Approx(2.0 / 3).epsilon(1e-6));
  fm::PrecisionAtRecall<half> prec;
  feed<fc::BinaryLabel>(prec, out, y, 1);
  CHECK(prec.result() == doctest::Approx(0.5).epsilon(1e-6));
  // RecallAtPrecision(0.8): labels [0, 0, 1, 1], outputs [0, 0.5, 0.3, 0.9] -> 0.5.
  fm::RecallAtPrecision<std::ratio<4, 5>> rec;
  feed<fc::BinaryLabel>(rec, {0, 0.5f, 0.3f, 0.9f}, std::vector<I>{0, 0, 1, 1}, 1);
  CHECK(rec.result() == doctest::Approx(0.5).epsilon(1e-6));
  // Unreachable: no threshold gives precision 1 when the top score is a negative.
  fm::RecallAtPrecision<std::ratio<1>> never;
  feed<fc::BinaryLabel>(never, {0.9f, 0.2f}, std::vector<I>{0, 1}, 1);
  CHECK(never.result() == 0.0);
  // An output of exactly 0 is never predicted positive (thresholds start at 0, not -1e-7): all
  // recall needs a threshold below 0.2, where specificity is 0.
  fm::SpecificityAtSensitivity<std::ratio<1>> all;
  feed<fc::BinaryLabel>(all, {0.0f, 0.2f, 0.6f}, std::vector<I>{0, 1, 1}, 1);
  CHECK(all.result() == doctest::Approx(1.0).epsilon(1e-6));
  // The counts survive a backup.
  fm::SensitivityAtSpecificity<half> again;
  again.restore_state(sens.backup_state());
  CHECK(again.result() == sens.result());
}

TEST_CASE("BinaryIoU, MeanIoU and IoU: Keras' examples, the chosen classes, reset and backup") {
  CHECK(std::string(fm::BinaryIoU<>::name) == "binary_io_u");
  CHECK(std::string(fm::MeanIoU::name) == "mean_io_u");
  // keras.metrics.BinaryIoU(target_class_ids=[0, 1], threshold=0.3) on [0, 1, 0, 1] and
  // [0.1, 0.2, 0.4, 0.7]: 0.33333334. Class 0: TP 1, FP 1, FN 1; class 1 the same.
  const std::vector<float> truth = {0, 1, 0, 1}, pred = {0.1f, 0.2f, 0.4f, 0.7f};
  fm::BinaryIoU<fm::iou_classes::both, std::ratio<3, 10>> both;
  feed<fc::MultiLabel<4>>(both, pred, truth, 4);
  CHECK(both.result() == doctest::Approx(1.0 / 3).epsilon(1e-6));
  // At the default 0.5: 0.4 is class 0 now. Class 0: TP 2, FN 0, FP 1 (0.2) -> 2/3; class 1:
  // TP 1 (0.7), FN 1 -> 1/2.
  fm::BinaryIoU<fm::iou_classes::zero> zero;
  fm::BinaryIoU<fm::iou_classes::one> one;
  feed<fc::MultiLabel<4>>(zero, pred, truth, 4);
  feed<fc::MultiLabel<4>>(one, pred, truth, 4);
  CHECK(zero.result() == doctest::Approx(2.0 / 3).epsilon(1e-6));
  CHECK(one.result() == doctest::Approx(1.0 / 2).epsilon(1e-6));
  // Keras' >= at the threshold: an output of exactly 1/2 predicts 1.
  fm::BinaryIoU<fm::iou_classes::one> at;
  feed<fc::BinaryLabel>(at, std::vector<float>{0.5f}, std::vector<I>{1}, 1);
  CHECK(at.result() == doctest::Approx(1.0).epsilon(1e-6));
  // A mask as a regression target: its 0/1 values, pixel by pixel.
  fm::BinaryIoU<fm::iou_classes::one> mask;
  feed<fc::RegressionTarget<2, 2, 1>>(mask, std::vector<float>{0.9f, 0.8f, 0.1f, 0.7f},
                                      std::vector<float>{1, 1, 0, 0}, 4);
  CHECK(mask.result() == doctest::Approx(2.0 / 3).epsilon(1e-6));
  // A class neither seen nor predicted does not count: all background, predicted right.
  fm::BinaryIoU<> background;
  feed<fc::MultiLabel<2>>(background, std::vector<float>{0.1f, 0.2f}, std::vector<float>{0, 0},
                          2);
  CHECK(background.result() == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(fm::BinaryIoU<>{}.result() == 0.0);

  // keras.metrics.MeanIoU(num_classes=2) on [0, 0, 1, 1] and [0, 1, 0, 1]: 0.33333334 (the
  // predictions as the probabilities a model gives: their arg-max).
  fm::MeanIoU mean;
  feed<fc::ClassLabel<2>>(mean, std::vector<float>{0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f},
                          std::vector<I>{0, 0, 1, 1}, 2);
  CHECK(mean.result() == doctest::Approx(1.0 / 3).epsilon(1e-6));
  // keras.metrics.OneHotMeanIoU(num_classes=3)'s example without weights: truth 2, 0, 1, 0,
  // predicted 2, 2, 0, 2. Class 0: TP 0, FP 1, FN 2; class 1: FN 1; class 2: TP 1, FP 2 -> 1/3.
  fm::MeanIoU onehot;
  feed<fc::OneHotLabel<3>>(onehot,
                           std::vector<float>{0.2f, 0.3f, 0.5f, 0.1f, 0.2f, 0.7f, 0.5f, 0.3f,
                                              0.1f, 0.1f, 0.4f, 0.5f},
                           std::vector<float>{0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0}, 3);
  CHECK(onehot.result() == doctest::Approx((0.0 + 0.0 + 1.0 / 3) / 3).epsilon(1e-6));
  // keras.metrics.IoU(num_classes=2, target_class_ids=[0]) on [0, 0, 1, 1] and [0, 1, 0, 1]:
  // 0.33333334 (class 0: TP 1, FP 1, FN 1); class 1 alone the same; both: MeanIoU's.
  const std::vector<float> four = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f};
  const std::vector<I> four_truth = {0, 0, 1, 1};
  fm::IoU<0> class0;
  fm::IoU<0, 1> both_classes;
  feed<fc::ClassLabel<2>>(class0, four, four_truth, 2);
  feed<fc::ClassLabel<2>>(both_classes, four, four_truth, 2);
  CHECK(std::string(fm::IoU<0>::name) == "io_u");
  CHECK(class0.result() == doctest::Approx(1.0 / 3).epsilon(1e-6));
  CHECK(both_classes.result() == mean.result());
  // keras.metrics.OneHotIoU(num_classes=3, target_class_ids=[0, 2]) on OneHotMeanIoU's example
  // above: class 0's IoU 0 and class 2's 1/3, averaged: 1/6. Class 1 alone: 0.
  fm::IoU<0, 2> onehot02;
  fm::IoU<1> onehot1;
  const std::vector<float> three = {0.2f, 0.3f, 0.5f, 0.1f, 0.2f, 0.7f,
                                    0.5f, 0.3f, 0.1f, 0.1f, 0.4f, 0.5f};
  const std::vector<float> three_truth = {0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0};
  feed<fc::OneHotLabel<3>>(onehot02, three, three_truth, 3);
  feed<fc::OneHotLabel<3>>(onehot1, three, three_truth, 3);
  CHECK(onehot02.result() == doctest::Approx(1.0 / 6).epsilon(1e-6));
  CHECK(onehot1.result() == 0.0);
  // A target class neither seen nor predicted does not count: class 2 of three, never there.
  fm::IoU<0, 2> absent;
  feed<fc::ClassLabel<3>>(absent, std::vector<float>{0.9f, 0.1f, 0.0f, 0.2f, 0.8f, 0.0f},
                          std::vector<I>{0, 1}, 3);
  CHECK(absent.result() == doctest::Approx(1.0).epsilon(1e-6));
  fm::IoU<0, 2> restored;
  restored.restore_state(absent.backup_state());
  CHECK(restored.result() == absent.result());
  // The backup round trip, and reset.
  fm::MeanIoU copy;
  copy.restore_state(onehot.backup_state());
  CHECK(copy.result() == onehot.result());
  onehot.reset();
  CHECK(onehot.result() == 0.0);
}

TEST_CASE("F1Score and R2Score in fit: the logs hold the formulas over the model's predictions") {
  // A 3-class problem and a regression of two targets from the same features.
  std::vector<float> x;
  std::vector<I> cls;
  std::vector<float> targets;
  fc::Rng rng(8);
  constexpr std::size_t n = 150;
  for (std::size_t i = 0; i < n; ++i) {
    float s = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      x.push_back(2.0f * rng.uniform_float() - 1.0f);
      s += x.back() * float(j + 1) * (j % 2 ? -1.0f : 1.0f);
    }
    cls.push_back(s < -0.8f ? 0 : s < 0.8f ? 1 : 2);
    targets.push_back(s);
    targets.push_back(x[x.size() - 4] * x[x.size() - 3]);
  }
  using F1 = fm::F1Score<fm::average::weighted>;
  using Net = fc::Sequential<fc::Input<4>, fc::Dense<16>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy,
            fc::Metrics<F1, fm::Accuracy, fm::MeanIoU, fm::IoU<0, 2>>>
      model(
      fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{2});
  auto data = fd::from_tensor_slices<fc::Features<4>, fc::ClassLabel<3>>(
                  std::span<const float>(x), std::span<const I>(cls)) |
              fd::batch<32>();
  const fc::History h = model.fit(data, 15, fc::Verbose{0});
  CHECK(h["f1_score"].back() > h["f1_score"].front());
  const auto logs = model.evaluate(data);
  const auto probs = model.predict(data);
  F1 by_hand;
  by_hand.update<fc::ClassLabel<3>>(probs.data(), cls.data(), n, 3);
  CHECK(logs.at("f1_score") == doctest::Approx(by_hand.result()).epsilon(1e-12));
  CHECK(logs.at("f1_score") > 0.8);
  fm::MeanIoU iou_by_hand;
  iou_by_hand.update<fc::ClassLabel<3>>(probs.data(), cls.data(), n, 3);
  CHECK(logs.at("mean_io_u") == doctest::Approx(iou_by_hand.result()).epsilon(1e-12));
  CHECK(logs.at("mean_io_u") > 0.6);
  fm::IoU<0, 2> ends_by_hand;
  ends_by_hand.update<fc::ClassLabel<3>>(probs.data(), cls.data(), n, 3);
  CHECK(logs.at("io_u") == doctest::Approx(ends_by_hand.result()).epsilon(1e-12));
  CHECK(logs.at("io_u") != logs.at("mean_io_u"));

  using Reg = fc::Sequential<fc::Input<4>, fc::Dense<16>, fc::Tanh, fc::Dense<2>>;
  fc::Model<Reg, fc::loss::MeanSquaredError, fc::Metrics<fm::R2Score<>>> regression(
      fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{2});
  auto values = fd::from_tensor_slices<fc::Features<4>, fc::RegressionTarget<2>>(
                    std::span<const float>(x), std::span<const float>(targets)) |
                fd::batch<32>();
  (void)regression.fit(values, 30, fc::Verbose{0});
  const auto reg_logs = regression.evaluate(values);
  const auto predicted = regression.predict(values);
  fm::R2Score<> r2;
  r2.update<fc::RegressionTarget<2>>(predicted.data(), targets.data(), n, 2);
  CHECK(reg_logs.at("r2_score") == doctest::Approx(r2.result()).epsilon(1e-9));
  CHECK(reg_logs.at("r2_score") > 0.5);

  // average::none / r2_aggregation::none: a log entry per class or output, name[c], and in
  // History and the validation logs the same.
  using PerClass = fm::F1Score<fm::average::none>;
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<PerClass>> per_class(
      fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{2});
  auto held_out = fd::from_tensor_slices<fc::Features<4>, fc::ClassLabel<3>>(
                      std::span<const float>(x), std::span<const I>(cls)) |
                  fd::batch<32>();
  const fc::History ph = per_class.fit(data, 3, fc::Validation{held_out}, fc::Verbose{0});
  const auto pc_logs = per_class.evaluate(data);
  const auto pc_probs = per_class.predict(data);
  PerClass pc_by_hand;
  pc_by_hand.update<fc::ClassLabel<3>>(pc_probs.data(), cls.data(), n, 3);
  const std::vector<double> want = pc_by_hand.results();
  REQUIRE(want.size() == 3);
  for (std::size_t c = 0; c < 3; ++c) {
    CAPTURE(c);
    const std::string key = "f1_score[" + std::to_string(c) + "]";
    CHECK(pc_logs.at(key) == doctest::Approx(want[c]).epsilon(1e-12));
    CHECK(ph[key].size() == 3);
    CHECK(ph["val_" + key].back() == doctest::Approx(want[c]).epsilon(1e-12));
  }
  CHECK_FALSE(pc_logs.get("f1_score"));
  CHECK_FALSE(pc_logs.get("f1_score[3]"));
  fc::Model<Reg, fc::loss::MeanSquaredError, fc::Metrics<fm::R2Score<fm::r2_aggregation::none>>>
      outputs(fc::optim::Adam{.learning_rate = 0.02f}, fc::Seed{2});
  (void)outputs.fit(values, 3, fc::Verbose{0});
  const auto out_logs = outputs.evaluate(values);
  const auto out_pred = outputs.predict(values);
  fm::R2Score<fm::r2_aggregation::none> out_by_hand;
  out_by_hand.update<fc::RegressionTarget<2>>(out_pred.data(), targets.data(), n, 2);
  CHECK(out_logs.at("r2_score[0]") == doctest::Approx(out_by_hand.results()[0]).epsilon(1e-9));
  CHECK(out_logs.at("r2_score[1]") == doctest::Approx(out_by_hand.results()[1]).epsilon(1e-9));
}

}  // namespace nn_score_metrics_test
