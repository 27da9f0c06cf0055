// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <ratio>
#include <string>
#include <typeinfo>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/data.hpp>
#include <fitcheck/nn/activations.hpp>
#include <fitcheck/nn/dense.hpp>
#include <fitcheck/nn/embedding.hpp>
#include <fitcheck/nn/flatten.hpp>
#include <fitcheck/nn/input.hpp>
#include <fitcheck/nn/normalization.hpp>
#include <fitcheck/nn/one_hot.hpp>
#include <fitcheck/nn/transformer.hpp>
#include <fitcheck/nn/pooling.hpp>
#include <fitcheck/nn/recurrent.hpp>
#include <fitcheck/nn/rescaling.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <fitcheck/train/preflight.hpp>

namespace train_preflight_test {

namespace fc = fitcheck;
using fitcheck::test::contains;
using fitcheck::test::message_of;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {

using Net4 = nn::Sequential<nn::Input<4>, nn::Dense<8>, nn::ReLU, nn::Dense<3>, nn::Softmax>;
using NormNet4 = nn::Sequential<nn::Input<4>, nn::Normalization, nn::Dense<8>, nn::ReLU,
                                nn::Dense<3>, nn::Softmax>;
using EncodedNet4 = nn::Sequential<nn::Input<4>, nn::CategoryEncoding<4>, nn::Dense<3>,
                                   nn::Softmax>;
using Cancer = nn::Sequential<nn::Input<30>, nn::Dense<8>, nn::ReLU, nn::Dense<1>, nn::Sigmoid>;
using DigitsNorm = nn::Sequential<nn::Input<64>, nn::Normalization, nn::Dense<16>, nn::ReLU,
                                  nn::Dense<10>, nn::Softmax>;
using DigitsDense = nn::Sequential<nn::Input<64>, nn::Dense<16>, nn::ReLU, nn::Dense<10>,
                                   nn::Softmax>;
using DigitsScaled = nn::Sequential<nn::Input<64>, nn::Rescaling<std::ratio<1, 16>>, nn::Dense<16>,
                                    nn::ReLU, nn::Dense<10>, nn::Softmax>;
using ImageNet = nn::Sequential<nn::Input<2, 2>, nn::Flatten, nn::Dense<4>, nn::ReLU, nn::Dense<2>,
                                nn::Softmax>;

/// A source over raw arrays, labels unchecked, so the scan's own label check (C4) is reached.
template <class F, class L>
auto raw_source(std::vector<float> x, std::vector<typename L::value_type> y) {
  const std::size_t n = y.size() / fc::label_width<L>;
  auto owned = std::make_shared<std::vector<float>>(std::move(x));
  auto labels = std::make_shared<std::vector<typename L::value_type>>(std::move(y));
  const float* p = owned->data();
  return fd::TensorSlices<F, L>(std::move(owned), p, std::move(labels), n);
}

/// n clean, scaled samples of 4 features (two of them non-integer), labels cycling 0, 1, 2;
/// the first feature is the sample id / 100 so orders can be compared.
auto clean(std::size_t n) {
  std::vector<float> x;
  std::vector<int> y;
  for (std::size_t i = 0; i < n; ++i) {
    const float f = float(i);
    x.insert(x.end(), {f / 100.0f, 0.5f + 0.01f * f, std::sin(f), 0.25f * std::cos(f)});
    y.push_back(int(i % 3));
  }
  return raw_source<fc::Features<4>, fc::ClassLabel<3>>(std::move(x), std::move(y));
}

auto iris() { return fd::from_csv<fc::Features<4>, fc::ClassLabel<3>>(FITCHECK_DATA_DIR "/iris.csv"); }

/// The text of the only warning with `code`.
std::string warning_text(const fc::warning_capture& cap, const std::string& code) {
  REQUIRE(cap.count(code) == 1);
  for (const auto& w : cap.warnings())
    if (w.code == code) return w.message();
  return {};
}

template <class D>
std::vector<float> first_features(D& d) {
  std::vector<float> out;
  for (auto&& e : d) out.push_back(e.x[0]);
  return out;
}

}  // namespace

TEST_CASE("preflight: clean data raises nothing and reports the whole epoch") {
  fc::warning_capture cap;
  auto src = clean(60);
  const auto report = fc::preflight_scan<Net4>(src);
  CHECK(report.samples_scanned == 60);
  CHECK(report.complete);
  CHECK(report.longest_label_run == 1);
  CHECK(report.warnings.empty());
  CHECK(cap.warnings().empty());
}

TEST_CASE("preflight: B6 an empty pipeline is a data_error saying why") {
  auto empty = raw_source<fc::Features<4>, fc::ClassLabel<3>>({}, {});
  const auto m = message_of<fc::data_error>([&] { (void)fc::preflight_scan<Net4>(empty); });
  CHECK(contains(m, "the pipeline produced no samples: its size is 0"));
  CHECK(contains(m, "[B6]"));

  auto none = clean(30) | fd::filter([](const auto& e) { return e.label() == 7; });
  const auto f = message_of<fc::data_error>([&] { (void)fc::preflight_scan<Net4>(none); });
  CHECK(contains(f, "the pipeline produced no samples: a filter may reject every sample"));

  // Even when warnings are not wanted: no samples can never train.
  (void)message_of<fc::data_error>(
      [&] { (void)fc::preflight_scan<Net4>(none, fc::Preflight{fc::check::warn, 5}); });
}

TEST_CASE("preflight: D2 a NaN or Inf names sample, column and value") {
  std::vector<float> x(4 * 5, 0.5f);
  x[2 * 4 + 1] = std::numeric_limits<float>::quiet_NaN();
  auto src = raw_source<fc::Features<4>, fc::ClassLabel<3>>(x, {0, 1, 2, 0, 1});
  const auto m = message_of<fc::data_error>([&] { (void)fc::preflight_scan<Net4>(src); });
  CHECK(contains(m, "non-finite value: sample 2 (in pass order), feature column 1 is nan"));
  CHECK(contains(m, "[D2]"));

  // Images: the multi-index too; batched pipelines are read sample by sample.
  std::vector<float> img(4 * 3, 0.5f);
  img[1 * 4 + 3] = -std::numeric_limits<float>::infinity();
  auto images = raw_source<fc::Features<2, 2>, fc::ClassLabel<2>>(img, {0, 1, 0}) | fd::batch<2>();
  const auto i = message_of<fc::data_error>([&] { (void)fc::preflight_scan<ImageNet>(images); });
  CHECK(contains(i, "sample 1 (in pass order), feature column 3 (index (1, 1)) is -inf"));

  // check::error changes nothing here: still a data_error.
  (void)message_of<fc::data_error>(
      [&] { (void)fc::preflight_scan<Net4>(src, fc::Preflight{fc::check::error}); });
}

TEST_CASE("preflight: C4 a label the kind does not accept names sample, value and the rule") {
  std::vector<float> x(4 * 4, 0.5f);
  auto src = raw_source<fc::Features<4>, fc::ClassLabel<3>>(x, {0, 1, 5, 2});
  const auto m = message_of<fc::data_error>([&] { (void)fc::preflight_scan<Net4>(src); });
  CHECK(contains(m, "sample 2 (in pass order) has label 5, but the labels must be an integer "
                    "in [0, 3) [C4]"));

  // One-hot rows need exactly one 1.
  auto hot = raw_source<fc::Features<4>, fc::OneHotLabel<3>>(
      std::vector<float>(4 * 2, 0.5f), {0, 0, 1, 1, 1, 0});
  const auto h = message_of<fc::data_error>([&] { (void)fc::preflight_scan<Net4>(hot); });
  CHECK(contains(h, "sample 1 (in pass order) has 2 ones in its one-hot label"));

  auto legal = raw_source<fc::Features<4>, fc::OneHotLabel<3>>(
      std::vector<float>(4 * 2, 0.5f), {0, 0, 1, 1, 0, 0});
  CHECK_NOTHROW((void)fc::preflight_scan<Net4>(legal));
}

TEST_CASE("preflight: D1 breast_cancer names its large columns with their ranges") {
  fc::warning_capture cap;
  auto src = fd::from_csv<fc::Features<30>, fc::BinaryLabel>(FITCHECK_DATA_DIR "/breast_cancer.csv");
  const auto report = fc::preflight_scan<Cancer>(src);
  const auto m = warning_text(cap, "D1");
  CHECK(contains(m, "the inputs look unscaled: column 23 in [185.2, 4254], column 3 in "
                    "[143.5, 2501], column 13 in [6.802, 542.2], column 22 in [50.41, 251.2], "
                    "column 2 in [43.79, 188.5] and "));
  CHECK(contains(m, "Fix: put nn::Normalization first in the model"));
  CHECK(contains(m, "nn::Rescaling<std::ratio<1, S>>"));
  CHECK(report.unscaled_columns.size() > 5);
  CHECK(cap.count("A12") == 0);
  CHECK(cap.count("C5") == 0);
}

TEST_CASE("preflight: D1 is about spreads too, and silent when the model scales first") {
  // Every value within +-10, but one column spans 0.001 and another 5: 5000x apart.
  std::vector<float> x;
  std::vector<int> y;
  for (int i = 0; i < 20; ++i) {
    x.insert(x.end(), {0.5f + 0.0001f * float(i % 10), 0.1f * float(i % 7) - 0.3f,
                       0.25f * float(i % 21), 0.03f * float(i)});
    y.push_back(i % 3);
  }
  auto src = raw_source<fc::Features<4>, fc::ClassLabel<3>>(x, y);
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<Net4>(src);
    const auto m = warning_text(cap, "D1");
    CHECK(contains(m, "column 2 in [0, 4.75]"));
    CHECK(contains(m, "the narrowest, column 0, spans only [0.5, 0.5009]"));
  }

  auto digits = fd::from_csv<fc::Features<64>, fc::ClassLabel<10>>(FITCHECK_DATA_DIR "/digits.csv");
  {
    fc::warning_capture cap;
    const auto report = fc::preflight_scan<DigitsNorm>(digits);
    CHECK(report.unscaled_columns.empty());
    CHECK(cap.warnings().empty());
  }
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<DigitsScaled>(digits);
    CHECK(cap.warnings().empty());
  }
  {
    fc::warning_capture cap;  // the same data straight into Dense: 0..16 pixels
    (void)fc::preflight_scan<DigitsDense>(digits);
    CHECK(contains(warning_text(cap, "D1"), "in [0, 16]"));
    CHECK(cap.count("C5") == 0);  // pixels: the few-valued edge columns are no codes
  }
}

TEST_CASE("preflight: C5 a few distinct integers straight into Dense") {
  std::vector<float> x;
  std::vector<int> y;
  for (int i = 0; i < 40; ++i) {
    // column 0: codes 0..3; column 1: binary (not flagged); 2, 3: continuous.
    x.insert(x.end(), {float(i % 4), float(i % 2), 0.01f * float(i), std::sin(float(i))});
    y.push_back(i % 3);
  }
  auto src = raw_source<fc::Features<4>, fc::ClassLabel<3>>(x, y);
  {
    fc::warning_capture cap;
    const auto report = fc::preflight_scan<Net4>(src);
    const auto m = warning_text(cap, "C5");
    CHECK(contains(m, "go straight into Dense as numbers: column 0 {0 1 2 3}"));
    CHECK(contains(m, "Fix: encode each categorical column, e.g. nn::OneHot<K> or "
                      "nn::CategoryEncoding<K>"));
    CHECK(report.categorical_columns == std::vector<std::size_t>{0});
    CHECK(cap.count("D1") == 0);
  }
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<EncodedNet4>(src);
    CHECK(cap.count("C5") == 0);
  }
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<NormNet4>(src);
    CHECK(cap.warnings().empty());
  }
}

TEST_CASE("preflight: I2 padded sequences read by an LSTM without mask_zero") {
  // 40 sequences of 3 to 10 tokens in [1, 20), padded with 0 at the end (or at the front).
  auto sequences = [](bool at_end) {
    std::vector<float> x;
    std::vector<int> y;
    for (int i = 0; i < 40; ++i) {
      const int length = 3 + i % 8;
      for (int j = 0; j < 10; ++j) {
        const int at = at_end ? j : j - (10 - length);
        x.push_back(at >= 0 && at < length ? float(1 + (i * 3 + j) % 19) : 0.0f);
      }
      y.push_back(i % 2);
    }
    return raw_source<fc::Features<10>, fc::BinaryLabel>(std::move(x), std::move(y));
  };
  using Unmasked = nn::Sequential<nn::Input<10>, nn::Embedding<20, 4>, nn::LSTM<3>, nn::Dense<1>,
                                  nn::Sigmoid>;
  using Masked = nn::Sequential<nn::Input<10>, nn::Embedding<20, 4, nn::mask_zero>, nn::LSTM<3>,
                                nn::Dense<1>, nn::Sigmoid>;
  using Averaged = nn::Sequential<nn::Input<10>, nn::Embedding<20, 4>, nn::GlobalAveragePooling1D,
                                  nn::Dense<1>, nn::Sigmoid>;
  // TokenAndPositionEmbedding reads token indices as Embedding does: no D1 or C5 on them.
  using Positioned =
      nn::Sequential<nn::Input<10>, nn::TokenAndPositionEmbedding<20, 4>,
                     nn::TransformerEncoder<8, 2>, nn::GlobalAveragePooling1D, nn::Dense<1>,
                     nn::Sigmoid>;
  using PositionedLstm = nn::Sequential<nn::Input<10>, nn::TokenAndPositionEmbedding<20, 4>,
                                        nn::LSTM<3>, nn::Dense<1>, nn::Sigmoid>;
  auto padded = sequences(true);
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<PositionedLstm>(padded);
    CHECK(contains(warning_text(cap, "I2"), "30 of 40 samples end in padding"));
    CHECK(cap.warnings().size() == 1);
  }
  {
    fc::warning_capture cap;
    (void)fc::preflight_scan<Unmasked>(padded);
    // Lengths 3..8 end in 2 or more zeros: 30 of the 40 samples; length 3 leaves 7.
    const auto m = warning_text(cap, "I2");
    CHECK(contains(m, "30 of 40 samples end in padding (token 0, up to 7 of 10 positions) and "
                      "reach LSTM through an Embedding without mask_zero"));
    CHECK(contains(m, "Fix: Embedding<V, D, fc::mask_zero>"));
    CHECK(cap.warnings().size() == 1);
    fc::Preflight strict{.level = fc::check::error};
    const auto e = message_of<fc::warning_error>([&] { (void)fc::preflight_scan<Unmasked>(padded, strict); });
    CHECK(contains(e, "[I2]"));
  }
  {
    fc::warning_capture cap;  // the mask skips the padding
    (void)fc::preflight_scan<Masked>(padded);
    (void)fc::preflight_scan<Averaged>(padded);  // no recurrent layer: no last step after it
    (void)fc::preflight_scan<Positioned>(padded);
    auto front = sequences(false);
    (void)fc::preflight_scan<Unmasked>(front);  // Keras' pad_sequences default: the text is last
    CHECK(cap.warnings().empty());
  }
}

TEST_CASE("preflight: A12 sorted iris without shuffle, shuffled iris is clean") {
  {
    fc::warning_capture cap;
    auto sorted = iris();
    const auto report = fc::preflight_scan<Net4>(sorted);
    CHECK(report.longest_label_run == 50);
    const auto m = warning_text(cap, "A12");
    CHECK(contains(m, "labels arrive in runs of up to 50 equal values (sorted by label?) and the "
                      "pipeline has no shuffle. Fix: add shuffle(n) before batch, n >= the data "
                      "set size"));
    CHECK(cap.warnings().size() == 1);
  }
  {
    fc::warning_capture cap;  // batched the same
    auto batched = iris() | fd::batch<16>();
    (void)fc::preflight_scan<Net4>(batched);
    CHECK(contains(warning_text(cap, "A12"), "runs of up to 50 equal values"));
  }
  {
    fc::warning_capture cap;
    auto shuffled = iris() | fd::shuffle(150, fc::Seed{3}) | fd::batch<16>();
    const auto report = fc::preflight_scan<Net4>(shuffled);
    CHECK(report.samples_scanned == 150);
    CHECK(report.longest_label_run < 15);
    CHECK(cap.warnings().empty());
  }
}

TEST_CASE("preflight: A11 sorted data through a shuffle buffer too small to mix") {
  fc::warning_capture cap;
  auto src = iris() | fd::shuffle(10, fc::Seed{1});
  const std::size_t before = cap.count("A11");  // whatever the stage itself said
  (void)fc::preflight_scan<Net4>(src);
  REQUIRE(cap.count("A11") == before + 1);
  CHECK(cap.count("A12") == 0);
  const auto& w = cap.warnings().back();
  CHECK(w.code == "A11");
  CHECK(contains(w.problem, "equal values after the pipeline's shuffle: the shuffle buffer "
                            "cannot mix classes"));
  CHECK(contains(w.fix, "shuffle(n) before batch with a buffer as large as the data set"));
}

TEST_CASE("preflight: A11 is said once when the shuffle stage already said it") {
  // Sorted like iris, in memory: the shuffle stage knows the label runs when it is built.
  std::vector<float> x;
  std::vector<int> y;
  for (std::size_t i = 0; i < 150; ++i) {
    x.insert(x.end(), {0.01f * float(i), 0.5f, -0.25f, 0.125f * float(i % 3)});
    y.push_back(int(i / 50));
  }
  fc::warning_capture cap;
  auto train = raw_source<fc::Features<4>, fc::ClassLabel<3>>(x, y) | fd::shuffle(10, fc::Seed{1}) |
               fd::batch<10>();
  REQUIRE(cap.count("A11") == 1);  // from the stage, with the buffer and the data size
  CHECK(contains(cap.warnings()[0].problem, "shuffle(10) on 150 samples"));
  const auto report = fc::preflight_scan<Net4>(train);
  CHECK(report.longest_label_run > 20);  // the runs are still there...
  CHECK(cap.count("A11") == 1);          // ...but the scan does not repeat the warning
  CHECK(report.warnings.empty());
  // With check::error the scan still refuses: a warning printed earlier stopped nothing.
  const auto m = message_of<fc::warning_error>(
      [&] { (void)fc::preflight_scan<Net4>(train, fc::Preflight{.level = fc::check::error}); });
  CHECK(contains(m, "[A11] labels still arrive in runs of up to"));
}

TEST_CASE("preflight: the scan leaves the pipeline's shuffle order unchanged") {
  auto make = [] { return clean(50) | fd::shuffle(50, fc::Seed{9}); };
  auto scanned = make();
  auto untouched = make();
  (void)fc::preflight_scan<Net4>(scanned);
  const auto a1 = first_features(scanned);
  const auto b1 = first_features(untouched);
  CHECK(a1 == b1);
  CHECK(first_features(scanned) == first_features(untouched));  // epoch 2 as well
  REQUIRE(a1.size() == 50);
  CHECK(a1 != first_features(scanned));  // sanity: epochs do reshuffle, so the check can fail
}

TEST_CASE("preflight: check::error throws warning_error, check::off does nothing") {
  auto sorted = iris();
  fc::warning_capture cap;
  try {
    (void)fc::preflight_scan<Net4>(sorted, fc::Preflight{fc::check::error});
    FAIL("no exception was thrown");
  } catch (const fc::warning_error& e) {
    CHECK(e.code() == "A12");
    CHECK(contains(e.what(), "[A12] labels arrive in runs of up to 50 equal values"));
  }
  CHECK(cap.warnings().empty());

  std::vector<float> x(4 * 3, 0.5f);
  x[5] = std::numeric_limits<float>::infinity();
  auto broken = raw_source<fc::Features<4>, fc::ClassLabel<3>>(x, {0, 9, 1});
  const auto report = fc::preflight_scan<Net4>(broken, fc::Preflight{fc::check::off});
  CHECK(report.samples_scanned == 0);
  CHECK_FALSE(report.complete);
  CHECK(cap.warnings().empty());
}

TEST_CASE("preflight: a partial scan says how much it read") {
  fc::warning_capture cap;
  auto sorted = iris();
  const auto report = fc::preflight_scan<Net4>(sorted, fc::Preflight{fc::check::warn, 120});
  CHECK(report.samples_scanned == 120);
  CHECK_FALSE(report.complete);
  CHECK(contains(warning_text(cap, "A12"), "has no shuffle in the first 120 samples scanned"));

  // Cut inside a batch, and exactly at the end (still complete).
  auto batched = clean(40) | fd::batch<16>();
  const auto cut = fc::preflight_scan<Net4>(batched, fc::Preflight{fc::check::warn, 20});
  CHECK(cut.samples_scanned == 20);
  CHECK_FALSE(cut.complete);
  const auto exact = fc::preflight_scan<Net4>(batched, fc::Preflight{fc::check::warn, 40});
  CHECK(exact.samples_scanned == 40);
  CHECK(exact.complete);

  // repeat(): one epoch is scanned, not the data again.
  auto repeated = clean(30) | fd::repeat();
  const auto once = fc::preflight_scan<Net4>(repeated);
  CHECK(once.samples_scanned == 30);
  CHECK(once.complete);
  CHECK(cap.warnings().size() == 1);
}

}  // namespace train_preflight_test
