// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// TransformerEncoder and TokenAndPositionEmbedding: the forward pass against a scalar
// transcription of KerasHub's encoder block, float64 finite differences, Keras' initialisers and
// weight names, and a model that must tell positions apart learning to.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <ratio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "gradient_check.hpp"

namespace nn_transformer_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

constexpr std::size_t steps = 4, width = 6, heads = 2, key_dim = 3, inner = 5;
using Layer = nn::TransformerEncoder<inner, heads>::bind<dims<steps, width>>;
static_assert(Layer::param_count == 4 * (width * width + width) + 2 * width +
                                        (width * inner + inner) + (inner * width + width) +
                                        2 * width);
static_assert(std::is_same_v<Layer::output_shape, fc::Shape<steps, width>>);

std::vector<double> random_values(std::size_t n, std::uint64_t seed, double scale) {
  fc::Rng rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = scale * (2.0 * rng.uniform_float() - 1.0);
  return v;
}

// rows x out = rows x in times the (in, out) kernel at p, plus the bias after it.
std::vector<double> dense(const std::vector<double>& x, const double* p, std::size_t in,
                          std::size_t out) {
  const std::size_t rows = x.size() / in;
  std::vector<double> y(rows * out);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t o = 0; o < out; ++o) {
      double s = p[in * out + o];
      for (std::size_t i = 0; i < in; ++i) s += x[r * in + i] * p[i * out + o];
      y[r * out + o] = s;
    }
  return y;
}
std::vector<double> layer_norm(const std::vector<double>& x, const double* p) {
  std::vector<double> y(x.size());
  for (std::size_t r = 0; r < x.size() / width; ++r) {
    double mean = 0, var = 0;
    for (std::size_t j = 0; j < width; ++j) mean += x[r * width + j] / width;
    for (std::size_t j = 0; j < width; ++j) var += std::pow(x[r * width + j] - mean, 2) / width;
    for (std::size_t j = 0; j < width; ++j)
      y[r * width + j] = (x[r * width + j] - mean) / std::sqrt(var + 1e-5) * p[j] + p[width + j];
  }
  return y;
}

// KerasHub's TransformerEncoder for one sample, written out: `keep[j]` says whether key j holds
// data.
std::vector<double> transcribed(const std::vector<double>& p, const double* sample,
                                const std::vector<bool>& keep, bool pre_norm = false) {
  const std::vector<double> x(sample, sample + steps * width);
  // Pre-norm (normalize_first): the attention reads the normalised input.
  const auto in = pre_norm ? layer_norm(x, p.data() + Layer::attention_norm) : x;
  const auto q = dense(in, p.data() + Layer::query, width, width);
  const auto k = dense(in, p.data() + Layer::key, width, width);
  const auto v = dense(in, p.data() + Layer::value, width, width);
  std::vector<double> joined(steps * width, 0.0);
  for (std::size_t h = 0; h < heads; ++h)
    for (std::size_t i = 0; i < steps; ++i) {
      std::vector<double> w(steps);
      double total = 0;
      for (std::size_t j = 0; j < steps; ++j) {
        double s = 0;
        for (std::size_t d = 0; d < key_dim; ++d)
          s += q[i * width + h * key_dim + d] * k[j * width + h * key_dim + d];
        w[j] = keep[j] ? std::exp(s / std::sqrt(double(key_dim))) : 0.0;
        total += w[j];
      }
      for (std::size_t j = 0; j < steps; ++j)
        for (std::size_t d = 0; d < key_dim; ++d)
          joined[i * width + h * key_dim + d] += w[j] / total * v[j * width + h * key_dim + d];
    }
  auto a = dense(joined, p.data() + Layer::attention_output, width, width);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] += x[i];
  const auto normed = layer_norm(a, p.data() + (pre_norm ? Layer::output_norm
                                                         : Layer::attention_norm));
  auto hidden = dense(normed, p.data() + Layer::intermediate, width, inner);
  for (double& e : hidden) e = std::max(e, 0.0);
  auto out = dense(hidden, p.data() + Layer::output, inner, width);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] += pre_norm ? a[i] : normed[i];
  return pre_norm ? out : layer_norm(out, p.data() + Layer::output_norm);
}
}  // namespace

TEST_CASE("TransformerEncoder: the forward pass computes KerasHub's encoder block") {
  Layer layer;
  auto p = random_values(Layer::param_count, 3, 0.6);
  constexpr std::size_t batch = 3;
  const auto x = random_values(batch * steps * width, 4, 1.0);
  std::vector<double> y(x.size());
  layer.forward(p.data(), x.data(), y.data(), batch, nn::mode::training);
  double worst = 0;
  for (std::size_t b = 0; b < batch; ++b) {
    const auto want = transcribed(p, x.data() + b * steps * width, std::vector<bool>(steps, true));
    for (std::size_t i = 0; i < steps * width; ++i)
      worst = std::max(worst, std::abs(y[b * steps * width + i] - want[i]));
  }
  CHECK(worst <= 1e-12);
  // With a mask, no step attends to a padded one (sample 1's steps 1 and 3, all of sample 2).
  const std::vector<double> tokens{1, 2, 3, 4, 5, 0, 6, 0, 0, 0, 0, 0};
  const nn::step_mask<double> mask{tokens.data(), steps};
  layer.forward(p.data(), x.data(), y.data(), batch, nn::mode::training, mask);
  const auto want =
      transcribed(p, x.data() + steps * width, std::vector<bool>{true, false, true, false});
  worst = 0;
  for (std::size_t i = 0; i < steps * width; ++i)
    worst = std::max(worst, std::abs(y[steps * width + i] - want[i]));
  CHECK(worst <= 1e-12);
  for (std::size_t i = 2 * steps * width; i < y.size(); ++i) CHECK(std::isfinite(y[i]));
}

TEST_CASE("TransformerEncoder with normalize_first: each block's input normalised, as KerasHub") {
  using Pre =
      nn::TransformerEncoder<inner, heads, std::ratio<0>, fc::normalize_first>::bind<dims<steps,
                                                                                          width>>;
  static_assert(Pre::param_count == Layer::param_count && Pre::pre_norm && !Layer::pre_norm);
  Pre layer;
  const auto p = random_values(Pre::param_count, 30, 0.6);
  constexpr std::size_t batch = 2;
  const auto x = random_values(batch * steps * width, 31, 1.0);
  const std::vector<double> tokens{1, 2, 0, 3, 4, 5, 6, 7};
  std::vector<double> y(x.size());
  layer.forward(p.data(), x.data(), y.data(), batch, nn::mode::training,
                nn::step_mask<double>{tokens.data(), steps});
  double worst = 0;
  for (std::size_t b = 0; b < batch; ++b) {
    std::vector<bool> keep(steps);
    for (std::size_t t = 0; t < steps; ++t) keep[t] = tokens[b * steps + t] != 0;
    const auto want = transcribed(p, x.data() + b * steps * width, keep, true);
    for (std::size_t i = 0; i < steps * width; ++i)
      worst = std::max(worst, std::abs(y[b * steps * width + i] - want[i]));
  }
  CHECK(worst <= 1e-12);
  SUBCASE("float64 finite differences, with dropout held fixed") {
    using Dropping =
        nn::TransformerEncoder<inner, heads, std::ratio<1, 5>, fc::normalize_first>::bind<
            dims<steps, width>>;
    Pre plain;
    CHECK(fc::test::check_gradients(plain, p, x, batch).passed(1e-6));
    Dropping dropping;
    fc::test::gradient_check_options opt;
    CHECK(fc::test::check_gradients(dropping, p, x, batch, opt, [](Dropping& l) { l.seed(4); })
              .passed(1e-6));
  }
}

TEST_CASE("TransformerEncoder: float64 finite differences match its gradients") {
  SUBCASE("two heads") {
    Layer layer;
    CHECK(fc::test::check_gradients(layer, random_values(Layer::param_count, 5, 0.6),
                                    random_values(2 * steps * width, 6, 1.0), 2)
              .passed(1e-6));
  }
  SUBCASE("one head, a sequence of one step") {
    using One = nn::TransformerEncoder<3, 1>::bind<dims<1, 4>>;
    One layer;
    CHECK(fc::test::check_gradients(layer, random_values(One::param_count, 7, 0.6),
                                    random_values(3 * 4, 8, 1.0), 3)
              .passed(1e-6));
  }
}

TEST_CASE("TransformerEncoder with dropout: KerasHub's three dropouts in training, none after") {
  using Dropping = nn::TransformerEncoder<inner, heads, std::ratio<1, 4>>::bind<dims<steps, width>>;
  static_assert(nn::random_layer<Dropping> && Dropping::param_count == Layer::param_count);
  constexpr std::size_t batch = 3;
  const auto p = random_values(Layer::param_count, 20, 0.6);
  const auto x = random_values(batch * steps * width, 21, 1.0);
  auto run = [&](auto& layer, nn::mode m) {
    std::vector<double> y(x.size());
    layer.forward(p.data(), x.data(), y.data(), batch, m);
    return y;
  };
  Layer plain;
  Dropping dropping;
  dropping.seed(5);
  // Inference drops nothing: the layer without dropout's values.
  CHECK(run(dropping, nn::mode::inference) == run(plain, nn::mode::inference));
  // Training draws new masks each forward; the same seed draws the same ones.
  const auto first = run(dropping, nn::mode::training), second = run(dropping, nn::mode::training);
  CHECK(first != run(plain, nn::mode::training));
  CHECK(first != second);
  dropping.seed(5);
  CHECK(run(dropping, nn::mode::training) == first);
  SUBCASE("float64 finite differences with the masks held fixed") {
    Dropping layer;
    fc::test::gradient_check_options opt;
    const auto r = fc::test::check_gradients(
        layer, random_values(Layer::param_count, 22, 0.6),
        random_values(2 * steps * width, 23, 1.0), 2, opt, [](Dropping& l) { l.seed(9); });
    CHECK(r.passed(1e-6));
  }
}

TEST_CASE("TransformerEncoder: the same bits on 1 and 2 threads (a sample's attention on one)") {
  constexpr std::size_t batch = 7;
  const auto pd = random_values(Layer::param_count, 10, 0.6);
  const auto xd = random_values(batch * steps * width, 11, 1.0);
  const std::vector<float> p(pd.begin(), pd.end()), x(xd.begin(), xd.end());
  const std::vector<float> tokens{1, 2, 0, 0, 3, 4, 5, 6, 0, 1, 0, 2, 4, 4, 4, 4,
                                  1, 0, 0, 0, 2, 3, 0, 0, 0, 0, 0, 0};
  const nn::step_mask<float> mask{tokens.data(), steps};
  auto run = [&](unsigned threads) {
    fc::kernels::set_max_threads(threads);
    nn::TransformerEncoder<inner, heads, std::ratio<1, 5>>::bind<dims<steps, width>> layer;
    layer.seed(3);  // with dropout: its masks are a hash of the element's index, not the thread's
    layer.reserve(batch);
    std::vector<float> y(x.size()), dx(x.size()), dp(p.size()), dy(x.size());
    for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = float(i % 5) - 2.0f;
    layer.forward(p.data(), x.data(), y.data(), batch, nn::mode::training, mask);
    layer.backward(p.data(), x.data(), y.data(), dy.data(), dx.data(), dp.data(), batch, mask);
    fc::kernels::set_max_threads(0);
    y.insert(y.end(), dx.begin(), dx.end());
    y.insert(y.end(), dp.begin(), dp.end());
    return y;
  };
  const auto one = run(1), two = run(2);
  CHECK(one == two);
  // The last sample is all padding: finite outputs and gradients (no 0 / 0 in its softmax).
  for (const float v : one) CHECK(std::isfinite(v));
}

TEST_CASE("TransformerEncoder: Keras' initialisers and KerasHub's weight names") {
  Layer layer;
  std::vector<float> p(Layer::param_count, 7.0f);
  fc::Rng rng(9);
  layer.init(p, rng);
  // Keras' fans for the (width, heads, key_dim) projections: heads x width in, key_dim x width out.
  const double limit = std::sqrt(6.0 / double(width * (heads + key_dim)));
  double largest = 0;
  for (std::size_t i = 0; i < width * width; ++i)
    largest = std::max(largest, double(std::abs(p[i])));
  CHECK(largest <= limit);
  CHECK(largest > 0.8 * limit);
  for (std::size_t i = width * width; i < Layer::key; ++i) CHECK(p[i] == 0.0f);  // query bias
  CHECK(p[Layer::attention_norm] == 1.0f);
  CHECK(p[Layer::attention_norm + width] == 0.0f);
  CHECK(p[Layer::output_norm + width - 1] == 1.0f);
  CHECK(p[Layer::param_count - 1] == 0.0f);

  using Net = fc::Sequential<fc::Input<steps>, fc::Embedding<9, width>,
                             fc::TransformerEncoder<inner, heads>, fc::GlobalAveragePooling1D,
                             fc::Dense<1>, fc::Sigmoid>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  REQUIRE(tensors.size() == 19);
  CHECK(tensors[1].name == "transformer_encoder/self_attention_layer/query/kernel");
  CHECK(tensors[1].shape == std::vector<std::size_t>{width, heads, key_dim});
  CHECK(tensors[2].shape == std::vector<std::size_t>{heads, key_dim});
  CHECK(tensors[7].name == "transformer_encoder/self_attention_layer/attention_output/kernel");
  CHECK(tensors[7].shape == std::vector<std::size_t>{heads, key_dim, width});
  CHECK(tensors[16].name == "transformer_encoder/feedforward_layer_norm/beta");
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::Adam{});
  CHECK(model.summary().find("transformer_encoder (TransformerEncoder)") != std::string::npos);
}

TEST_CASE("TokenAndPositionEmbedding: a token's row plus its position's, gradients to both") {
  using Tp = nn::TokenAndPositionEmbedding<5, 2>::bind<dims<3>>;
  static_assert(Tp::param_count == 5 * 2 + 3 * 2 && Tp::positions == 10 && !Tp::makes_mask);
  static_assert(nn::TokenAndPositionEmbedding<5, 2, fc::mask_zero>::bind<dims<3>>::makes_mask);
  Tp layer;
  std::vector<float> p(Tp::param_count);
  for (std::size_t i = 0; i < p.size(); ++i) p[i] = float(i);
  // Tokens 4, 0, 4: rows 4, 0, 4 of the table (8 9, 0 1, 8 9) plus positions 0..2 (10 11, ...).
  const auto y = fc::test::forward_values(layer, {4, 0, 4}, 1, nn::mode::training, p);
  CHECK(y == std::vector<float>{18, 20, 12, 14, 22, 24});
  fc::test::gradient_check_options opt;
  opt.differentiable_inputs = false;
  CHECK(fc::test::check_gradients(layer, random_values(Tp::param_count, 14, 0.5),
                                  {1, 4, 4, 0, 2, 3}, 2, opt)
            .passed(1e-6));
  fc::Rng rng(15);
  std::vector<float> init(Tp::param_count);
  layer.init(init, rng);
  for (const float v : init) CHECK(std::abs(v) <= 0.05f);
  using Net =
      fc::Sequential<fc::Input<3>, fc::TokenAndPositionEmbedding<5, 2>, fc::Flatten, fc::Dense<1>>;
  const auto tensors = fc::io::detail::tensors_of<Net>();
  CHECK(tensors[0].name == "token_and_position_embedding/token_embedding/embeddings");
  CHECK(tensors[1].name == "token_and_position_embedding/position_embedding/embeddings");
  CHECK(tensors[1].shape == std::vector<std::size_t>{3, 2});
}

TEST_CASE("TokenAndPositionEmbedding: a bad token is the Embedding's data_error") {
  nn::TokenAndPositionEmbedding<5, 2>::bind<dims<3>> layer;
  const std::vector<float> p(16, 0.0f);
  CHECK_THROWS_WITH_AS(fc::test::forward_values(layer, {1, 5, 2}, 1, nn::mode::training, p),
                       doctest::Contains("position 1 holds 5, not a token index in [0, 5)"),
                       fc::data_error);
}

namespace {
// Sequences of 8 tokens from 3..11 holding token 1 and token 2 once each; the label says whether 1
// comes before 2: a model that cannot tell positions apart (attention and an average alone) is at
// chance on it.
auto order_data() {
  constexpr std::size_t n = 512, length = 8;
  fc::Rng rng(13);
  std::vector<float> x(n * length);
  std::vector<int> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < length; ++t) x[i * length + t] = float(3 + rng() % 9);
    const std::size_t a = rng() % length, b = (a + 1 + rng() % (length - 1)) % length;
    x[i * length + a] = 1.0f;
    x[i * length + b] = 2.0f;
    y[i] = a < b ? 1 : 0;
  }
  return std::pair{x, y};
}
}  // namespace

template <class Embedding, class Rate = std::ratio<0>>
double learn_order() {
  using Net = fc::Sequential<fc::Input<8>, Embedding, fc::TransformerEncoder<32, 2, Rate>,
                             fc::GlobalAveragePooling1D, fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.005f}, fc::Seed{1});
  const auto [x, y] = order_data();
  auto train = fitcheck::data::from_tensor_slices<fc::Features<8>, fc::BinaryLabel>(
                   std::span<const float>(x), std::span<const int>(y)) |
               fitcheck::data::shuffle(512, fc::Seed{2}) | fitcheck::data::batch<32>();
  const auto h = model.fit(train, 25, fc::Preflight{.level = fc::check::error}, fc::Verbose{0});
  MESSAGE("accuracy " << h["accuracy"].front() << " -> " << h["accuracy"].back());
  return h["accuracy"].back();
}

TEST_CASE("TransformerEncoder after TokenAndPositionEmbedding learns which token comes first" *
          doctest::test_suite("learning")) {
  CHECK(learn_order<fc::TokenAndPositionEmbedding<12, 16>>() > 0.95);
  // KerasHub's usual dropout of 0.1 inside the block: still learns it.
  CHECK(learn_order<fc::TokenAndPositionEmbedding<12, 16>, std::ratio<1, 10>>() > 0.9);
  // Without the positions attention and the average see a set of tokens: chance (0.53 measured).
  CHECK(learn_order<fc::Embedding<12, 16>>() < 0.7);
}

}  // namespace nn_transformer_test
