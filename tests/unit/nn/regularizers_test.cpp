// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Weight regularizers (Regularized, L1, L2, L1L2): which slices of a network's parameters each
// covers (every kind of layer with weights, inside merge blocks too); the penalty and its
// gradient against float64 finite differences; and in a model: the loss training and evaluate
// report is the data's plus the penalty, a step's gradient the data's plus the penalty's, the
// layer's weights, names and file layout those of the unwrapped layer, and L2 shrinks weights.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <ratio>
#include <span>
#include <string>
#include <support/files.hpp>
#include <vector>

namespace nn_regularizers_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;
namespace kn = fitcheck::kernels;

namespace {
using Hundredth = std::ratio<1, 100>;
using Thousandth = std::ratio<1, 1000>;

void check_slice(const kn::penalty& p, std::size_t offset, std::size_t count, double l1,
                 double l2) {
  CHECK(p.offset == offset);
  CHECK(p.count == count);
  CHECK(p.l1 == doctest::Approx(l1).epsilon(1e-15));
  CHECK(p.l2 == doctest::Approx(l2).epsilon(1e-15));
}

std::vector<float> spread(std::size_t n, float scale) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = scale * std::sin(0.7f * float(i) + 0.3f) + (i % 3 == 0 ? 0.05f : -0.05f);
  return v;
}
}  // namespace

TEST_CASE("Regularized: the slices of the parameters each regularizer covers") {
  SUBCASE("Dense: a bare regularizer is the kernel's, the others name their weights") {
    using Net =
        fc::Sequential<fc::Input<4>, fc::Regularized<fc::Dense<3>, fc::L2<Hundredth>>, fc::ReLU,
                       fc::Regularized<fc::Dense<2>, fc::kernel_regularizer<fc::L1<Thousandth>>,
                                       fc::bias_regularizer<fc::L1L2<Hundredth, Thousandth>>>>;
    static_assert(Net::param_count == 15 + 8 && Net::penalty_count == 3);
    check_slice(Net::penalties[0], 0, 12, 0, 0.01);
    check_slice(Net::penalties[1], 15, 6, 0.001, 0);
    check_slice(Net::penalties[2], 21, 2, 0.01, 0.001);
    // The wrapper is the layer: same name, tensors, parameters.
    using L = Net::layer_t<0>;
    static_assert(std::string_view(L::name) == "Dense" && L::tensors.size() == 2 &&
                  L::param_count == 15);
  }
  SUBCASE("a network without Regularized has none") {
    using Net = fc::Sequential<fc::Input<4>, fc::Dense<3>>;
    static_assert(Net::penalty_count == 0);
  }
  SUBCASE("Conv2D without a bias, Embedding's table, TransformerEncoder's kernels") {
    using Net = fc::Sequential<
        fc::Input<6, 6, 2>,
        fc::Regularized<fc::Conv2D<3, 3, 1, fc::padding::valid, 1, false>, fc::L2<Hundredth>>,
        fc::Flatten, fc::Dense<2>>;
    static_assert(Net::penalty_count == 1);
    check_slice(Net::penalties[0], 0, 3 * 3 * 2 * 3, 0, 0.01);

    using Text = fc::Sequential<fc::Input<5>, fc::Regularized<fc::Embedding<10, 4>, fc::L1<>>,
                                fc::Regularized<fc::TransformerEncoder<8, 2>, fc::L2<>,
                                                fc::bias_regularizer<fc::L2<Thousandth>>>,
                                fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;
    static_assert(Text::penalty_count == 1 + 6 + 6);
    check_slice(Text::penalties[0], 0, 40, 0.01, 0);  // Keras' default factor, 0.01
    // The encoder's six kernels (query, key, value, output, two feed-forward) and six biases,
    // never the layer normalisations' gamma and beta.
    std::size_t kernels = 0, biases = 0, covered = 0;
    for (std::size_t i = 1; i < Text::penalty_count; ++i) {
      (Text::penalties[i].l2 == 0.01 ? kernels : biases) += 1;
      covered += Text::penalties[i].count;
      CHECK(Text::penalties[i].offset >= Text::param_offsets[1]);
      CHECK(Text::penalties[i].offset + Text::penalties[i].count <= Text::param_offsets[2]);
    }
    CHECK(kernels == 6);
    CHECK(biases == 6);
    CHECK(covered == Text::param_counts[1] - 4 * 4);  // all but two gammas and betas
  }
  SUBCASE("LSTM and Bidirectional: kernel, recurrent kernel and bias each their own") {
    using R = fc::Regularized<fc::LSTM<3>, fc::kernel_regularizer<fc::L2<Hundredth>>,
                              fc::recurrent_regularizer<fc::L2<Thousandth>>>;
    using Net = fc::Sequential<fc::Input<4, 2>, R, fc::Dense<1>>;
    static_assert(Net::penalty_count == 2);
    check_slice(Net::penalties[0], 0, 2 * 12, 0, 0.01);
    check_slice(Net::penalties[1], 24, 3 * 12, 0, 0.001);

    using Both = fc::Sequential<
        fc::Input<4, 2>,
        fc::Regularized<fc::Bidirectional<fc::GRU<3>>, fc::recurrent_regularizer<fc::L1<>>>,
        fc::Dense<1>>;
    static_assert(Both::penalty_count == 2);
    const std::size_t half = Both::param_counts[0] / 2;
    check_slice(Both::penalties[0], 2 * 9, 3 * 9, 0.01, 0);
    check_slice(Both::penalties[1], half + 2 * 9, 3 * 9, 0.01, 0);
  }
  SUBCASE("inside merge blocks, at the block's and its branches' offsets") {
    using Block =
        fc::Add<fc::Branch<fc::Dense<4>, fc::ReLU, fc::Regularized<fc::Dense<4>, fc::L2<>>>,
                fc::Regularized<fc::Dense<4>, fc::L1<>, fc::bias_regularizer<fc::L1<>>>>;
    using Net = fc::Sequential<fc::Input<3>, fc::Regularized<fc::Dense<3>, fc::L2<Thousandth>>,
                               fc::Residual<fc::Residual<fc::Regularized<fc::Dense<3>, fc::L2<>>>>,
                               Block, fc::Dense<1>>;
    static_assert(Net::penalty_count == 1 + 1 + 3);
    check_slice(Net::penalties[0], 0, 9, 0, 0.001);
    check_slice(Net::penalties[1], 12, 9, 0, 0.01);
    const std::size_t block = Net::param_offsets[2];
    check_slice(Net::penalties[2], block + 16 + 0, 16, 0, 0.01);  // after the first Dense<4>
    check_slice(Net::penalties[3], block + 36, 12, 0.01, 0);      // the second branch's kernel
    check_slice(Net::penalties[4], block + 48, 4, 0.01, 0);       // and its bias
  }
}

TEST_CASE("Regularized: the penalty and its gradient against float64 finite differences") {
  const std::array<kn::penalty, 3> ranges = {
      {{0, 7, 0.0, 0.03}, {9, 5, 0.02, 0.0}, {20, 6, 0.01, 0.005}}};
  std::vector<float> p = spread(30, 0.8f);
  std::vector<float> g(30, 0.25f);
  const double total = kn::regularize(fc::reference, p.data(), g.data(), ranges);

  // Written out: l1 sum |w| + l2 sum w^2 over each slice.
  double expected = 0;
  for (const auto& r : ranges)
    for (std::size_t i = r.offset; i < r.offset + r.count; ++i)
      expected += r.l1 * std::abs(double(p[i])) + r.l2 * double(p[i]) * double(p[i]);
  CHECK(total == doctest::Approx(expected).epsilon(1e-12));
  CHECK(kn::regularize(fc::cpu, p.data(), nullptr, ranges) == total);  // no gradient asked

  // Each weight's gradient (added to the 0.25 already there) against the central difference of
  // the penalty in double; weights outside every slice keep theirs.
  const double h = 1e-4;
  double worst = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::vector<double> w(p.begin(), p.end());
    auto at = [&](double v) {
      double s = 0;
      for (const auto& r : ranges)
        for (std::size_t j = r.offset; j < r.offset + r.count; ++j) {
          const double x = j == i ? v : w[j];
          s += r.l1 * std::abs(x) + r.l2 * x * x;
        }
      return s;
    };
    const double numeric = (at(w[i] + h) - at(w[i] - h)) / (2 * h);
    worst = std::max(worst, std::abs(double(g[i]) - 0.25 - numeric));
  }
  CHECK(worst < 1e-6);
  // sign(0) = 0: an L1 weight at exactly zero gets no push.
  std::vector<float> zero(30, 0.0f), gz(30, 0.0f);
  CHECK(kn::regularize(fc::reference, zero.data(), gz.data(), ranges) == 0.0);
  CHECK(std::all_of(gz.begin(), gz.end(), [](float v) { return v == 0.0f; }));
}

namespace {
using Plain = fc::Sequential<fc::Input<4>, fc::Dense<6>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using Penalised = fc::Sequential<
    fc::Input<4>, fc::Regularized<fc::Dense<6>, fc::L2<std::ratio<1, 20>>>, fc::ReLU,
    fc::Regularized<fc::Dense<3>, fc::L1<std::ratio<1, 50>>, fc::bias_regularizer<fc::L2<>>>,
    fc::Softmax>;
using Loss = fc::loss::SparseCategoricalCrossentropy;

auto data() {
  std::vector<float> x(24 * 4);
  std::vector<int> y(24);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::cos(0.37f * float(i));
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = int(i % 3);
  return std::pair{x, y};
}

template <class Model>
void same_start(Model& model, std::span<const float> params) {
  std::copy(params.begin(), params.end(), model.parameters().begin());
}
}  // namespace

TEST_CASE("Regularized in a model: the loss and the gradient are the data's plus the penalty's") {
  const auto [x, y] = data();
  auto train = fd::from_tensor_slices<fc::Features<4>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                          std::span<const int>(y)) |
               fd::batch<8>();
  fc::Model<Plain, Loss> plain(fc::optim::SGD{.learning_rate = 0.1f});
  fc::Model<Penalised, Loss> penalised(fc::optim::SGD{.learning_rate = 0.1f});
  REQUIRE(Plain::param_count == Penalised::param_count);
  const std::vector<float> start = spread(Plain::param_count, 0.6f);
  same_start(plain, start);
  same_start(penalised, start);

  const double penalty = kn::regularize(fc::reference, start.data(), nullptr, Penalised::penalties);
  CHECK(penalty > 0.05);  // large enough to tell apart
  // evaluate: the data's loss plus the penalty (Keras counts it there too).
  CHECK(penalised.evaluate(train).at("loss") ==
        doctest::Approx(plain.evaluate(train).at("loss") + penalty).epsilon(1e-6));

  // A step: the reported loss, then the gradient, each the data's plus the penalty's.
  double plain_loss = 0, loss = 0;
  for (const auto& batch : train) {
    plain_loss = plain.train_step(batch);
    loss = penalised.train_step(batch);
    break;
  }
  CHECK(loss == doctest::Approx(plain_loss + penalty).epsilon(1e-6));
  std::vector<float> expected(plain.gradients().begin(), plain.gradients().end());
  kn::regularize(fc::reference, start.data(), expected.data(), Penalised::penalties);
  const auto got = penalised.gradients();
  double worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i)
    worst = std::max(worst, std::abs(double(got[i]) - double(expected[i])));
  CHECK(worst < 1e-6);
  // And SGD moved the weights by lr times that gradient.
  for (std::size_t i = 0; i < start.size(); ++i)
    CHECK(penalised.parameters()[i] ==
          doctest::Approx(start[i] - 0.1f * expected[i]).epsilon(1e-5));
}

TEST_CASE("Regularized in a model: L2 shrinks the weights training ends with") {
  const auto [x, y] = data();
  auto train = fd::from_tensor_slices<fc::Features<4>, fc::ClassLabel<3>>(std::span<const float>(x),
                                                                          std::span<const int>(y)) |
               fd::batch<8>();
  using Heavy =
      fc::Sequential<fc::Input<4>, fc::Regularized<fc::Dense<6>, fc::L2<std::ratio<1, 10>>>,
                     fc::ReLU, fc::Regularized<fc::Dense<3>, fc::L2<std::ratio<1, 10>>>,
                     fc::Softmax>;
  fc::Model<Plain, Loss> plain(fc::optim::Adam{.learning_rate = 0.05f});
  fc::Model<Heavy, Loss> heavy(fc::optim::Adam{.learning_rate = 0.05f});
  const std::vector<float> start = spread(Plain::param_count, 0.6f);
  same_start(plain, start);
  same_start(heavy, start);
  (void)plain.fit(train, 40, fc::Verbose{0});
  (void)heavy.fit(train, 40, fc::Verbose{0});
  auto squares = [](std::span<const float> p) {
    double s = 0;
    for (float v : p.subspan(0, 24)) s += double(v) * v;  // the first kernel
    return s;
  };
  CHECK(squares(heavy.parameters()) < 0.5 * squares(plain.parameters()));
}

TEST_CASE("Regularized in a model: the weights file and safetensors are the plain layer's") {
  fc::Model<Penalised, Loss> penalised;
  const std::vector<float> start = spread(Plain::param_count, 0.6f);
  same_start(penalised, start);
  std::vector<std::string> names;
  for (const auto& t : fc::io::detail::tensors_of<Penalised>()) names.push_back(t.name);
  CHECK(names ==
        std::vector<std::string>{"dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"});
  CHECK(fc::io::network_layout<Penalised>().description ==
        fc::io::network_layout<Plain>().description);
  // A weights file of the regularized model loads into the plain one (the same layers).
  const fc::test::temp_dir dir("regularizers");
  fc::io::save_weights(penalised, dir.file("model.fcw"));
  fc::Model<Plain, Loss> plain;
  fc::io::load_weights(plain, dir.file("model.fcw"));
  CHECK(std::equal(start.begin(), start.end(), plain.parameters().begin()));
  fc::io::save_safetensors(penalised, dir.file("model.safetensors"));
  fc::io::load_safetensors(plain, dir.file("model.safetensors"));
  CHECK(std::equal(start.begin(), start.end(), plain.parameters().begin()));
}

}  // namespace nn_regularizers_test
