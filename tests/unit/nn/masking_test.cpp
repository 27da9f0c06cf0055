// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Keras' masking (Embedding<V, D, mask_zero>, Masking): a padded sequence gives what its tokens
// alone give, wherever the padding lies (after, before, between them), through LSTM, GRU,
// Bidirectional, stacked layers and GlobalAveragePooling1D; the gradients with a mask against
// float64 finite differences; which layers the mask reaches.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <ratio>
#include <vector>
#include <xtensor/xtensor.hpp>

#include "gradient_check.hpp"

namespace nn_masking_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

constexpr std::size_t padded = 9, words = 4;

// Four tokens in [1, 20) per sample, laid out in `padded` positions: after the padding, before it,
// spread between it, and without any; the last sample is all padding.
struct samples {
  xt::xtensor<float, 2> tokens = xt::zeros<float>({std::size_t{5}, padded});
  xt::xtensor<float, 2> alone = xt::zeros<float>({std::size_t{5}, words});
};
samples make_samples() {
  samples s;
  const std::size_t at[4][words] = {{0, 1, 2, 3}, {5, 6, 7, 8}, {0, 3, 4, 8}, {1, 2, 6, 7}};
  for (std::size_t b = 0; b < 4; ++b)
    for (std::size_t w = 0; w < words; ++w) {
      const float token = float(1 + (b * 7 + w * 5) % 19);
      s.tokens(b, at[b][w]) = token;
      s.alone(b, w) = token;
    }
  return s;
}

// The padded model with a mask against the same layers (the same parameters: no layer's count
// depends on the length) on the tokens alone.
template <class... Layers>
void check_same_as_alone() {
  using Padded = fc::Sequential<fc::Input<padded>, fc::Embedding<20, 3, fc::mask_zero>, Layers...>;
  using Alone = fc::Sequential<fc::Input<words>, fc::Embedding<20, 3>, Layers...>;
  static_assert(Padded::param_count == Alone::param_count);
  fc::Model<Padded, fc::loss::MeanSquaredError> padded_model(fc::optim::SGD{});
  fc::Model<Alone, fc::loss::MeanSquaredError> alone_model(fc::optim::SGD{});
  std::ranges::copy(padded_model.parameters(), alone_model.parameters().begin());
  const samples s = make_samples();
  const auto with_padding = padded_model.predict(s.tokens);
  const auto without = alone_model.predict(s.alone);
  for (std::size_t b = 0; b < 4; ++b)
    for (std::size_t j = 0; j < with_padding.shape(1); ++j) {
      CAPTURE(b);
      CAPTURE(j);
      CHECK(with_padding(b, j) == doctest::Approx(without(b, j)).epsilon(1e-5));
    }
  // Without the mask the padding after sample 0's tokens changes its output.
  fc::Model<fc::Sequential<fc::Input<padded>, fc::Embedding<20, 3>, Layers...>,
            fc::loss::MeanSquaredError>
      unmasked(fc::optim::SGD{});
  std::ranges::copy(padded_model.parameters(), unmasked.parameters().begin());
  const auto read_as_data = unmasked.predict(s.tokens);
  bool differs = false;
  for (std::size_t j = 0; j < with_padding.shape(1); ++j)
    differs = differs || std::abs(read_as_data(0, j) - with_padding(0, j)) > 1e-4f;
  CHECK(differs);
}

// A bound layer with a fixed mask, for the gradient checker.
template <class B>
struct masked : B {
  std::vector<double> tokens;
  template <class T>
  void forward(const T* p, const T* x, T* y, std::size_t batch, nn::mode m) {
    B::forward(p, x, y, batch, m, nn::step_mask<T>{tokens.data(), B::input_shape::dims[0]});
  }
  template <class T>
  void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp, std::size_t batch) {
    B::backward(p, x, y, dy, dx, dp, batch,
                nn::step_mask<T>{tokens.data(), B::input_shape::dims[0]});
  }
};

// Holds a layer's dropout masks fixed from evaluation to evaluation (nothing without dropout).
struct same_masks {
  template <class B>
  void operator()(B& layer) const noexcept {
    if constexpr (nn::random_layer<B>) layer.seed(5);
  }
};

// Three samples of 5 steps: padding after, before and between the data.
const std::vector<double> mask_tokens = {3, 1, 4, 0, 0, 0, 0, 2, 7, 1, 5, 0, 9, 0, 2};

// `own_padded_outputs`: the layer computes an output at a padded step from that step's input (a
// TransformerEncoder's query), which the layers after it skip; those outputs then get no gradient
// here. A recurrent layer's padded output is the step before's, and gets one.
template <class B>
void check_masked_gradients(std::uint64_t seed, bool own_padded_outputs = false) {
  masked<B> layer;
  layer.tokens = mask_tokens;
  const auto p = fc::test::random_values(B::param_count, seed, -0.7, 0.7);
  const auto x = fc::test::random_values(3 * B::input_shape::size, seed + 1, -1.0, 1.0);
  const auto r = fc::test::check_gradients(layer, p, x, 3, {}, same_masks{});
  CHECK(r.passed(1e-6));
  // A padded step's input reaches nothing.
  std::vector<double> y(3 * B::output_shape::size), dy(y.size(), 1.0), dx(x.size(), 1.0),
      dp(B::param_count);
  if (own_padded_outputs)
    for (std::size_t i = 0; i < mask_tokens.size(); ++i)
      if (mask_tokens[i] == 0)
        for (std::size_t u = 0; u < B::output_shape::dims[1]; ++u)
          dy[i * B::output_shape::dims[1] + u] = 0.0;
  layer.forward(p.data(), x.data(), y.data(), 3, nn::mode::training);
  layer.backward(p.data(), x.data(), y.data(), dy.data(), dx.data(), dp.data(), 3);
  constexpr std::size_t features = B::input_shape::dims[1];
  for (std::size_t i = 0; i < mask_tokens.size(); ++i)
    if (mask_tokens[i] == 0)
      for (std::size_t d = 0; d < features; ++d) CHECK(dx[i * features + d] == 0.0);
}

// 37 samples of 5 steps (three blocks of the recurrence: 16, 16, 5), every fourth one padded.
std::vector<double> many_tokens() {
  std::vector<double> t(37 * 5);
  for (std::size_t i = 0; i < t.size(); ++i)
    t[i] = (i / 5) % 4 == 3 && i % 5 >= 2 + (i / 20) % 3 ? 0.0 : double(1 + i % 7);
  return t;
}

// The batch in several blocks: the gradients, and the same bits at 1 and 2 threads (a block runs
// on one thread, so the thread count cannot change a sample's arithmetic).
template <class B>
void check_blocks(std::uint64_t seed) {
  constexpr std::size_t batch = 37;
  masked<B> layer;
  layer.tokens = many_tokens();
  const auto p = fc::test::random_values(B::param_count, seed, -0.7, 0.7);
  const auto x = fc::test::random_values(batch * B::input_shape::size, seed + 1, -1.0, 1.0);
  CHECK(fc::test::check_gradients(layer, p, x, batch, {}, same_masks{}).passed(1e-6));

  masked<B> single;
  single.tokens = layer.tokens;
  single.reserve(batch);
  const std::vector<float> pf(p.begin(), p.end()), xf(x.begin(), x.end());
  std::vector<float> tokens(layer.tokens.begin(), layer.tokens.end());
  auto run = [&](unsigned threads) {
    fc::kernels::set_max_threads(threads);
    same_masks{}(single);  // dropout masks are a hash of the index, not of the thread
    std::vector<float> y(batch * B::output_shape::size), dx(xf.size()), dp(pf.size());
    std::vector<float> dy(y.size());
    for (std::size_t i = 0; i < dy.size(); ++i) dy[i] = float(i % 5) - 2.0f;
    const nn::step_mask<float> mask{tokens.data(), B::input_shape::dims[0]};
    single.B::forward(pf.data(), xf.data(), y.data(), batch, nn::mode::training, mask);
    single.B::backward(pf.data(), xf.data(), y.data(), dy.data(), dx.data(), dp.data(), batch,
                       mask);
    fc::kernels::set_max_threads(0);
    y.insert(y.end(), dx.begin(), dx.end());
    y.insert(y.end(), dp.begin(), dp.end());
    return y;
  };
  const auto one = run(1), two = run(2);
  CHECK(one == two);
}
}  // namespace

TEST_CASE("LSTM, GRU, SimpleRNN, Bidirectional: a batch of several blocks, on 1 and 2 threads") {
  SUBCASE("LSTM, every step") {
    check_blocks<nn::LSTM<3, fc::return_sequences>::bind<dims<5, 2>>>(60);
  }
  SUBCASE("GRU, the last step") { check_blocks<nn::GRU<4>::bind<dims<5, 2>>>(62); }
  SUBCASE("SimpleRNN, every step") {
    check_blocks<nn::SimpleRNN<3, fc::return_sequences>::bind<dims<5, 2>>>(66);
  }
  SUBCASE("Bidirectional LSTM, the last step") {
    check_blocks<nn::Bidirectional<nn::LSTM<2>>::bind<dims<5, 3>>>(64);
  }
  SUBCASE("with dropout and recurrent dropout") {
    using Fifth = std::ratio<1, 5>;
    check_blocks<nn::LSTM<3, fc::return_sequences, Fifth, Fifth>::bind<dims<5, 2>>>(68);
    check_blocks<nn::GRU<4, fc::last_step, Fifth, Fifth>::bind<dims<5, 2>>>(70);
    check_blocks<
        nn::Bidirectional<nn::SimpleRNN<3, fc::last_step, Fifth, Fifth>>::bind<dims<5, 3>>>(72);
  }
}

TEST_CASE("mask_zero: an LSTM gives a padded sequence's tokens what it gives them alone") {
  SUBCASE("the last step") { check_same_as_alone<fc::LSTM<5>>(); }
  SUBCASE("every step, averaged") {
    check_same_as_alone<fc::LSTM<5, fc::return_sequences>, fc::GlobalAveragePooling1D>();
  }
}

TEST_CASE("mask_zero: a GRU gives a padded sequence's tokens what it gives them alone") {
  SUBCASE("the last step") { check_same_as_alone<fc::GRU<5>>(); }
  SUBCASE("every step, averaged") {
    check_same_as_alone<fc::GRU<5, fc::return_sequences>, fc::GlobalAveragePooling1D>();
  }
}

TEST_CASE("mask_zero: Bidirectional, stacked layers, Dropout, LayerNormalization and TransformerEncoder "
          "skip the padding") {
  SUBCASE("Bidirectional LSTM, the last step") {
    check_same_as_alone<fc::Bidirectional<fc::LSTM<4>>>();
  }
  SUBCASE("Bidirectional GRU into an LSTM") {
    check_same_as_alone<fc::Bidirectional<fc::GRU<3, fc::return_sequences>>,
                        fc::Dropout<std::ratio<1, 4>>, fc::LSTM<2>>();
  }
  SUBCASE("an LSTM into a GRU into the average") {
    check_same_as_alone<fc::LSTM<4, fc::return_sequences>, fc::Tanh,
                        fc::GRU<3, fc::return_sequences>, fc::GlobalAveragePooling1D,
                        fc::Dense<2>>();
  }
  SUBCASE("the embeddings averaged directly") {
    check_same_as_alone<fc::GlobalAveragePooling1D, fc::Dense<2>>();
  }
  SUBCASE("a SimpleRNN, and a Bidirectional SimpleRNN into it") {
    check_same_as_alone<fc::SimpleRNN<4>>();
    check_same_as_alone<fc::Bidirectional<fc::SimpleRNN<3, fc::return_sequences>>,
                        fc::SimpleRNN<2>>();
  }
  SUBCASE("a TransformerEncoder into the average") {
    check_same_as_alone<fc::TransformerEncoder<5, 3>, fc::GlobalAveragePooling1D, fc::Dense<2>>();
  }
  SUBCASE("LayerNormalization before an LSTM and between it and a GRU") {
    check_same_as_alone<fc::LayerNormalization<>, fc::LSTM<4, fc::return_sequences>,
                        fc::LayerNormalization<>, fc::GRU<3>>();
  }
}

TEST_CASE("mask_zero: a sample that is all padding gives a zero state and a zero average") {
  using Net = fc::Sequential<fc::Input<padded>, fc::Embedding<20, 3, fc::mask_zero>,
                             fc::Bidirectional<fc::GRU<3>>>;
  using Avg = fc::Sequential<fc::Input<padded>, fc::Embedding<20, 3, fc::mask_zero>,
                             fc::GlobalAveragePooling1D>;
  fc::Model<Net, fc::loss::MeanSquaredError> model(fc::optim::SGD{});
  fc::Model<Avg, fc::loss::MeanSquaredError> avg(fc::optim::SGD{});
  const samples s = make_samples();
  const auto y = model.predict(s.tokens);
  const auto a = avg.predict(s.tokens);
  for (std::size_t j = 0; j < 6; ++j) CHECK(y(4, j) == 0.0f);
  for (std::size_t j = 0; j < 3; ++j) CHECK(a(4, j) == 0.0f);
  CHECK(std::isfinite(y(0, 0)));
}

TEST_CASE(
    "Masking: feature sequences padded with the mask value give what their steps alone "
    "give") {
  // Three steps of 2 features per sample in 7 positions (after, before, between the padding); a
  // data step may hold the mask value in one feature, only a step of all mask values is padding.
  auto check = [](auto value, float pad) {
    using Value = decltype(value);
    using Padded = fc::Sequential<fc::Input<7, 2>, fc::Masking<Value>,
                                  fc::Bidirectional<fc::LSTM<3, fc::return_sequences>>,
                                  fc::GlobalAveragePooling1D>;
    using Alone =
        fc::Sequential<fc::Input<3, 2>, fc::Bidirectional<fc::LSTM<3, fc::return_sequences>>,
                       fc::GlobalAveragePooling1D>;
    fc::Model<Padded, fc::loss::MeanSquaredError> padded_model(fc::optim::SGD{});
    fc::Model<Alone, fc::loss::MeanSquaredError> alone_model(fc::optim::SGD{});
    std::ranges::copy(padded_model.parameters(), alone_model.parameters().begin());
    xt::xtensor<float, 3> x = xt::zeros<float>({std::size_t{3}, std::size_t{7}, std::size_t{2}});
    x.fill(pad);
    xt::xtensor<float, 3> alone =
        xt::zeros<float>({std::size_t{3}, std::size_t{3}, std::size_t{2}});
    const std::size_t at[3][3] = {{0, 1, 2}, {4, 5, 6}, {1, 3, 6}};
    for (std::size_t b = 0; b < 3; ++b)
      for (std::size_t s = 0; s < 3; ++s)
        for (std::size_t f = 0; f < 2; ++f) {
          // Sample 2's middle step holds the mask value in its first feature: still data.
          const float v =
              b == 2 && s == 1 && f == 0 ? pad : 0.3f * float(b + 1) - 0.2f * float(s * 2 + f);
          x(b, at[b][s], f) = v;
          alone(b, s, f) = v;
        }
    const auto y = padded_model.predict(x);
    const auto want = alone_model.predict(alone);
    for (std::size_t b = 0; b < 3; ++b)
      for (std::size_t j = 0; j < 6; ++j) {
        CAPTURE(b);
        CAPTURE(j);
        CHECK(y(b, j) == doctest::Approx(want(b, j)).epsilon(1e-5));
      }
  };
  SUBCASE("the mask value 0") { check(std::ratio<0>{}, 0.0f); }
  SUBCASE("the mask value -1") { check(std::ratio<-1>{}, -1.0f); }
}

TEST_CASE("Masking: the data steps pass, the padded ones are 0 both ways") {
  using Layer = nn::Masking<std::ratio<-1>>::bind<dims<3, 2>>;
  Layer layer;
  // Sample 0: data, padding, data with one -1; sample 1: all data (a finite-difference check).
  const std::vector<double> x = {0.5, 0.25, -1, -1, -1, 2, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  std::vector<double> y(12), dx(12);
  const std::vector<double> dy = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  const double* none = nullptr;
  layer.forward(none, x.data(), y.data(), 2, nn::mode::training);
  layer.backward(none, x.data(), y.data(), dy.data(), dx.data(), static_cast<double*>(nullptr), 2);
  CHECK(y == std::vector<double>{0.5, 0.25, 0, 0, -1, 2, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
  CHECK(dx == std::vector<double>{1, 2, 0, 0, 5, 6, 7, 8, 9, 10, 11, 12});
  Layer data_only;
  CHECK(fc::test::check_gradients(data_only, {}, std::vector<double>(x.begin() + 6, x.end()), 1)
            .passed(1e-6));
  static_assert(Layer::makes_mask && Layer::mask_value == -1.0);
}

TEST_CASE("mask_zero: float64 finite differences match the gradients with padded steps") {
  SUBCASE("LSTM, the last step") { check_masked_gradients<nn::LSTM<3>::bind<dims<5, 2>>>(40); }
  SUBCASE("LSTM, every step") {
    check_masked_gradients<nn::LSTM<3, fc::return_sequences>::bind<dims<5, 2>>>(42);
  }
  SUBCASE("GRU, the last step") { check_masked_gradients<nn::GRU<3>::bind<dims<5, 2>>>(44); }
  SUBCASE("GRU, every step") {
    check_masked_gradients<nn::GRU<2, fc::return_sequences>::bind<dims<5, 3>>>(46);
  }
  SUBCASE("Bidirectional LSTM, every step") {
    check_masked_gradients<nn::Bidirectional<nn::LSTM<2, fc::return_sequences>>::bind<dims<5, 2>>>(
        48);
  }
  SUBCASE("SimpleRNN, the last step") {
    check_masked_gradients<nn::SimpleRNN<3>::bind<dims<5, 2>>>(52);
  }
  SUBCASE("SimpleRNN, every step") {
    check_masked_gradients<nn::SimpleRNN<2, fc::return_sequences>::bind<dims<5, 3>>>(54);
  }
  SUBCASE("TransformerEncoder") {
    check_masked_gradients<nn::TransformerEncoder<3, 2>::bind<dims<5, 4>>>(56, true);
  }
  SUBCASE("Bidirectional GRU, the last step") {
    check_masked_gradients<nn::Bidirectional<nn::GRU<2>>::bind<dims<5, 2>>>(50);
  }
  SUBCASE("GlobalAveragePooling1D") {
    check_masked_gradients<nn::GlobalAveragePooling1D::bind<dims<5, 3>>>(52);
  }
  SUBCASE("with dropout and recurrent dropout") {
    using Third = std::ratio<1, 3>;
    check_masked_gradients<nn::LSTM<3, fc::return_sequences, Third, Third>::bind<dims<5, 2>>>(74);
    check_masked_gradients<nn::GRU<3, fc::last_step, Third, Third>::bind<dims<5, 2>>>(76);
    check_masked_gradients<nn::SimpleRNN<2, fc::return_sequences, std::ratio<0>, Third>::bind<
        dims<5, 3>>>(78);
  }
}

TEST_CASE(
    "mask_zero: the mask goes through activations, Dropout and sequences, and ends in the "
    "layer that reads it") {
  using Net = fc::Sequential<fc::Input<6>, fc::Embedding<9, 4, fc::mask_zero>, fc::ReLU,
                             fc::LSTM<3, fc::return_sequences>, fc::Dropout<std::ratio<1, 2>>,
                             fc::GRU<2>, fc::Dense<1>, fc::Sigmoid>;
  // Layer i's input: 0 the tokens, 1 the embeddings (masked by layer 0, the Embedding), ...
  static_assert(Net::mask_sources[0] == Net::no_mask);
  static_assert(Net::mask_sources[1] == 0 && Net::mask_sources[2] == 0);
  static_assert(Net::mask_sources[3] == 0 && Net::mask_sources[4] == 0);
  static_assert(Net::mask_sources[5] == Net::no_mask && Net::mask_sources[7] == Net::no_mask);
  using Plain =
      fc::Sequential<fc::Input<6>, fc::Embedding<9, 4>, fc::LSTM<3>, fc::Dense<1>, fc::Sigmoid>;
  static_assert(Plain::mask_sources[2] == Plain::no_mask);
  // A layer that would read the padding as data is a compile error [I1]
  // (tests/compile_fail/nn/i1_*.cpp); without mask_zero the same layers compile.
  static_assert(
      fc::Sequential<fc::Input<6>, fc::Embedding<9, 4>, fc::Flatten, fc::Dense<1>>::depth == 3);
}

}  // namespace nn_masking_test
