// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Merge blocks (Residual, Add, Concatenate): what each computes, written out against the branch
// networks run on their own; float64 finite differences through every kind of branch (an
// identity, a projection, BatchNormalization, Dropout with its masks held, a branch that starts
// with an activation, a block inside a block); the state and random streams the block keeps for
// its layers; and the block in a model: summary, weights layout, safetensors names, training,
// the memory plan and a resumed run.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <memory>
#include <ratio>
#include <stdexcept>
#include <string>
#include <support/files.hpp>
#include <type_traits>
#include <vector>

#include "gradient_check.hpp"

namespace nn_merge_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

template <class B>
fc::test::gradient_check_result check(B& layer, std::size_t batch, std::uint64_t seed,
                                      double gap = 0.0) {
  return fc::test::check_gradients(
      layer, fc::test::random_values(B::param_count, seed, -1.0, 1.0),
      fc::test::random_values(batch * B::input_shape::size, seed + 1, -2.0, 2.0, gap), batch);
}

std::vector<float> floats(std::size_t n, std::uint64_t seed) {
  const auto d = fc::test::random_values(n, seed, -1.0, 1.0);
  return {d.begin(), d.end()};
}

using same = fc::padding;
}  // namespace

TEST_CASE("Merge blocks: output shapes, parameters, state and workspace") {
  using Res = nn::Residual<nn::Dense<6>, nn::ReLU, nn::Dense<6>>::bind<dims<6>>;
  static_assert(std::is_same_v<Res::output_shape, fc::Shape<6>>);
  static_assert(Res::param_count == 2 * (6 * 6 + 6) && Res::state_count == 0);
  static_assert(Res::branch_count == 2 && Res::branch_param_offsets[1] == 0);
  static_assert(std::is_void_v<Res::branch_network_t<0>>);
  static_assert(std::string_view(Res::name) == "Residual");
  static_assert(!nn::random_layer<Res> && nn::composite_layer<Res>);
  // Per sample: the branch's three outputs, two gradient buffers of its widest value, an input
  // gradient.
  static_assert(Res::sample_workspace_floats == 3 * 6 + 2 * 6 + 6);

  using Down =
      nn::Add<nn::Branch<nn::Conv2D<4, 3, 2, same::same>, nn::BatchNormalization<>, nn::ReLU,
                         nn::Conv2D<4, 3, 1, same::same>>,
              nn::Branch<nn::Conv2D<4, 1, 2>, nn::BatchNormalization<>>>::bind<dims<6, 6, 2>>;
  static_assert(std::is_same_v<Down::output_shape, fc::Shape<3, 3, 4>>);
  static_assert(Down::param_count ==
                (3 * 3 * 2 * 4 + 4) + 8 + (3 * 3 * 4 * 4 + 4) + (2 * 4 + 4) + 8);
  static_assert(Down::state_count == 2 * 8);
  static_assert(Down::branch_state_offsets[1] == 8);
  using N0 = Down::branch_network_t<0>;
  static_assert(Down::workspace_floats ==
                N0::workspace_floats + Down::branch_network_t<1>::workspace_floats);
  static_assert(Down::sample_workspace_floats ==
                4 * 36 + 2 * 36 + 2 * std::max(N0::max_width, std::size_t{72}) + 72 +
                    N0::sample_workspace_floats +
                    Down::branch_network_t<1>::sample_workspace_floats);

  using Join = nn::Concatenate<nn::Identity, nn::Conv2D<3, 1>,
                               nn::Branch<nn::MaxPooling2D<3, 1, same::same>>>::bind<dims<4, 4, 2>>;
  static_assert(std::is_same_v<Join::output_shape, fc::Shape<4, 4, 7>>);
  static_assert(std::string_view(Join::name) == "Concatenate");

  using WithDropout = nn::Residual<nn::Dense<4>, nn::Dropout<std::ratio<1, 2>>>::bind<dims<4>>;
  static_assert(nn::random_layer<WithDropout> && WithDropout::random_layers == 1);
}

TEST_CASE("Residual: y = x + f(x), f the branch's layers run as their own Sequential") {
  using Block = nn::Residual<nn::Dense<5>, nn::Tanh, nn::Dense<5>>::bind<dims<5>>;
  using F = fc::Sequential<fc::Input<5>, fc::Dense<5>, fc::Tanh, fc::Dense<5>>;
  static_assert(Block::param_count == F::param_count);
  constexpr std::size_t batch = 3;
  Block block;
  block.reserve(batch);
  const auto p = floats(Block::param_count, 1), x = floats(batch * 5, 2);
  std::vector<float> y(batch * 5);
  block.forward(p.data(), x.data(), y.data(), batch, nn::mode::training);

  F f;
  f.reserve(batch);
  std::vector<float> h1(batch * 5), h2(batch * 5), out(batch * 5);
  std::vector<float> in = x;
  float* acts[] = {in.data(), h1.data(), h2.data(), out.data()};
  f.forward(p.data(), acts, batch, nn::mode::training);
  for (std::size_t i = 0; i < y.size(); ++i) {
    CAPTURE(i);
    CHECK(y[i] == x[i] + out[i]);
  }
}

TEST_CASE("Add sums the branches in their order, Concatenate joins their columns in order") {
  constexpr std::size_t batch = 2;
  using Sum =
      nn::Add<nn::Identity, nn::Dense<3>, nn::Branch<nn::Dense<3>, nn::Sigmoid>>::bind<dims<3>>;
  Sum sum;
  sum.reserve(batch);
  const auto p = floats(Sum::param_count, 3), x = floats(batch * 3, 4);
  std::vector<float> y(batch * 3);
  sum.forward(p.data(), x.data(), y.data(), batch, nn::mode::inference);
  for (std::size_t b = 0; b < batch; ++b)
    for (std::size_t j = 0; j < 3; ++j) {
      // Dense kernels (3 x 3, row-major as Keras) then biases, branch after branch.
      float d1 = p[9 + j], d2 = p[12 + 9 + j];
      for (std::size_t i = 0; i < 3; ++i) {
        d1 += x[b * 3 + i] * p[i * 3 + j];
        d2 += x[b * 3 + i] * p[12 + i * 3 + j];
      }
      const float s = 1.0f / (1.0f + std::exp(-d2));
      CHECK(y[b * 3 + j] == doctest::Approx(x[b * 3 + j] + d1 + s).epsilon(1e-6));
    }

  // A sequence of 2 steps: the identity's 3 features, then the 1-wide Conv1D's 2, step by step.
  using Join = nn::Concatenate<nn::Identity, nn::Conv1D<2, 1>>::bind<dims<2, 3>>;
  static_assert(std::is_same_v<Join::output_shape, fc::Shape<2, 5>>);
  Join join;
  join.reserve(batch);
  const auto q = floats(Join::param_count, 5), s = floats(batch * 6, 6);
  std::vector<float> z(batch * 10);
  join.forward(q.data(), s.data(), z.data(), batch, nn::mode::inference);
  for (std::size_t r = 0; r < batch * 2; ++r) {
    CAPTURE(r);
    for (std::size_t j = 0; j < 3; ++j) CHECK(z[r * 5 + j] == s[r * 3 + j]);
    for (std::size_t j = 0; j < 2; ++j) {
      float d = q[6 + j];
      for (std::size_t i = 0; i < 3; ++i) d += s[r * 3 + i] * q[i * 2 + j];
      CHECK(z[r * 5 + 3 + j] == doctest::Approx(d).epsilon(1e-6));
    }
  }
}

TEST_CASE("Merge blocks: float64 finite differences through every kind of branch") {
  SUBCASE("Residual over dense layers") {
    nn::Residual<nn::Dense<4>, nn::Tanh, nn::Dense<4>>::bind<dims<4>> block;
    CHECK(check(block, 3, 11).passed(1e-6));
  }
  SUBCASE("Add with an identity, a projection and a two-layer branch") {
    nn::Add<nn::Identity, nn::Dense<3>,
            nn::Branch<nn::Dense<5>, nn::Sigmoid, nn::Dense<3>>>::bind<dims<3>>
        block;
    CHECK(check(block, 4, 12).passed(1e-6));
  }
  SUBCASE("a ResNet downsampling block: strided convolutions, BatchNormalization, a projection") {
    nn::Add<nn::Branch<nn::Conv2D<3, 3, 2, same::same>, nn::BatchNormalization<>, nn::Tanh,
                       nn::Conv2D<3, 3, 1, same::same>, nn::BatchNormalization<>>,
            nn::Branch<nn::Conv2D<3, 1, 2>, nn::BatchNormalization<>>>::bind<dims<5, 5, 2>>
        block;
    CHECK(check(block, 2, 13).passed(1e-6));
  }
  SUBCASE("Concatenate of the input, a convolution and a pooling (Inception, DenseNet)") {
    nn::Concatenate<nn::Identity, nn::Branch<nn::Conv2D<2, 3, 1, same::same>, nn::Tanh>,
                    nn::AveragePooling2D<3, 1, same::same>>::bind<dims<4, 4, 2>>
        block;
    CHECK(check(block, 2, 14).passed(1e-6));
  }
  SUBCASE("a branch that starts with an activation: the input gradient through the fused Dense") {
    using Block = nn::Residual<nn::ReLU, nn::Dense<4>>::bind<dims<4>>;
    // Sequential applies the ReLU's derivative inside the Dense's input-gradient GEMM; the block
    // must still get the gradient of its input out of it.
    static_assert(Block::branch_network_t<1>::fused_backward<1>);
    Block block;
    CHECK(check(block, 3, 15, 0.1).passed(1e-6));
  }
  SUBCASE("a block inside a block") {
    nn::Residual<
        nn::Dense<4>, nn::Tanh,
        nn::Concatenate<nn::Dense<2>, nn::Branch<nn::Dense<2>, nn::Sigmoid>>>::bind<dims<4>>
        block;
    CHECK(check(block, 2, 16).passed(1e-6));
  }
  SUBCASE("Dropout inside, its masks held by reseeding the block") {
    using Block = nn::Residual<nn::Dense<6>, nn::Dropout<std::ratio<1, 3>>, nn::Tanh,
                               nn::Dense<6>>::bind<dims<6>>;
    Block block;
    const auto r = fc::test::check_gradients(
        block, fc::test::random_values(Block::param_count, 17, -1.0, 1.0),
        fc::test::random_values(3 * 6, 18), 3, {}, [](Block& b) { b.seed(5); });
    CHECK(r.passed(1e-6));
  }
  SUBCASE("the block as a model's first layer (no input gradient) gives the same parameters") {
    // check_gradients compares dparams with dx null and not null: covered by every subcase; here
    // also the identity-only sum, 2x.
    nn::Add<nn::Identity, nn::Identity>::bind<dims<3>> twice;
    const std::vector<float> x{1, -2, 3};
    std::vector<float> y(3), dx(3);
    twice.reserve(1);
    twice.forward(static_cast<const float*>(nullptr), x.data(), y.data(), 1, nn::mode::training);
    CHECK(y == std::vector<float>{2, -4, 6});
    const std::vector<float> dy{1, 0.5f, -1};
    twice.backward(static_cast<const float*>(nullptr), x.data(), y.data(), dy.data(), dx.data(),
                   static_cast<float*>(nullptr), 1);
    CHECK(dx == std::vector<float>{2, 1, -2});
  }
}

TEST_CASE("Subtract, Multiply, Average, Maximum, Minimum: Keras' element-wise merges") {
  constexpr std::size_t batch = 2;
  // Three branches over the same 4 features: the input, its Dense projection, and the Dense
  // output through a tanh.
  const auto x = floats(batch * 4, 21);
  using Plain = nn::Add<nn::Identity, nn::Dense<4>>::bind<dims<4>>;
  Plain plain;  // its parameters are the Dense's, and x + d gives d
  const auto p = floats(Plain::param_count, 22);
  std::vector<float> sum(batch * 4);
  plain.reserve(batch);
  plain.forward(p.data(), x.data(), sum.data(), batch, nn::mode::inference);
  auto run = [&](auto block) {
    std::vector<float> y(batch * 4);
    block.reserve(batch);
    block.forward(p.data(), x.data(), y.data(), batch, nn::mode::inference);
    return y;
  };
  const auto diff = run(nn::Subtract<nn::Identity, nn::Dense<4>>::bind<dims<4>>{});
  const auto prod = run(nn::Multiply<nn::Identity, nn::Dense<4>>::bind<dims<4>>{});
  const auto mean = run(nn::Average<nn::Identity, nn::Dense<4>>::bind<dims<4>>{});
  const auto most = run(nn::Maximum<nn::Identity, nn::Dense<4>>::bind<dims<4>>{});
  const auto least = run(nn::Minimum<nn::Identity, nn::Dense<4>>::bind<dims<4>>{});
  for (std::size_t i = 0; i < batch * 4; ++i) {
    CAPTURE(i);
    const float d = sum[i] - x[i];  // the Dense's output
    CHECK(diff[i] == doctest::Approx(x[i] - d).epsilon(1e-6));
    CHECK(prod[i] == doctest::Approx(x[i] * d).epsilon(1e-6));
    CHECK(mean[i] == doctest::Approx((x[i] + d) / 2).epsilon(1e-6));
    CHECK(most[i] == doctest::Approx(std::max(x[i], d)).epsilon(1e-6));
    CHECK(least[i] == doctest::Approx(std::min(x[i], d)).epsilon(1e-6));
  }
  // Ties: the gradient goes to the first branch that holds the extreme (TensorFlow's x >= y).
  nn::Maximum<nn::Identity, nn::Identity>::bind<dims<2>> tie;
  const std::vector<float> t{1, -3}, dy{2, 5};
  std::vector<float> ty(2), tdx(2);
  tie.reserve(1);
  tie.forward(static_cast<const float*>(nullptr), t.data(), ty.data(), 1, nn::mode::training);
  tie.backward(static_cast<const float*>(nullptr), t.data(), ty.data(), dy.data(), tdx.data(),
               static_cast<float*>(nullptr), 1);
  CHECK(ty == t);
  CHECK(tdx == dy);  // one copy's share, not two

  SUBCASE("float64 finite differences") {
    using Three = nn::Branch<nn::Dense<3>, nn::Tanh>;
    CHECK(check(*std::make_unique<nn::Subtract<nn::Dense<3>, Three>::bind<dims<3>>>(), 3, 31)
              .passed(1e-6));
    CHECK(check(*std::make_unique<nn::Multiply<nn::Identity, nn::Dense<3>, Three>::bind<dims<3>>>(),
                3, 32)
              .passed(1e-6));
    CHECK(check(*std::make_unique<nn::Average<nn::Identity, nn::Dense<3>, Three>::bind<dims<3>>>(),
                3, 33)
              .passed(1e-6));
    CHECK(check(*std::make_unique<nn::Maximum<nn::Identity, nn::Dense<3>, Three>::bind<dims<3>>>(),
                3, 34)
              .passed(1e-6));
    CHECK(check(*std::make_unique<nn::Minimum<nn::Identity, nn::Dense<3>, Three>::bind<dims<3>>>(),
                3, 35)
              .passed(1e-6));
  }
}

TEST_CASE("Merge blocks: the branches' BatchNormalization state travels with the block") {
  using Block = nn::Add<nn::Branch<nn::Dense<3>, nn::BatchNormalization<>>,
                        nn::Branch<nn::Dense<3>, nn::BatchNormalization<>>>::bind<dims<2>>;
  static_assert(nn::stateful_layer<Block> && Block::state_count == 12);
  Block block;
  std::vector<float> p(Block::param_count);
  fc::Rng rng(3);
  block.init(p, rng);
  block.reserve(8);
  const auto x = floats(8 * 2, 7);
  std::vector<float> y(8 * 3);
  std::vector<double> fresh(12), trained(12);
  block.save_state(fresh);
  // Moving statistics start at mean 0 and variance 1, each branch's in its own slice.
  CHECK(fresh == std::vector<double>{0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1});
  block.forward(p.data(), x.data(), y.data(), 8, nn::mode::training);
  block.save_state(trained);
  CHECK(trained != fresh);
  // Inference after training reads the moving statistics: a copy loaded with them agrees.
  Block copy;
  copy.reserve(8);
  copy.load_state(trained);
  std::vector<float> a(8 * 3), b(8 * 3);
  block.forward(p.data(), x.data(), a.data(), 8, nn::mode::inference);
  copy.forward(p.data(), x.data(), b.data(), 8, nn::mode::inference);
  CHECK(a == b);
  // A negative variance in the second branch: refused, and neither branch changes.
  std::vector<double> bad = fresh;
  bad[9] = -1;
  CHECK_THROWS_WITH_AS(copy.load_state(bad),
                       doctest::Contains("BatchNormalization: the saved moving statistics of "
                                         "channel 0 are mean 0.000000 and variance -1.000000"),
                       fc::data_error);
  std::vector<double> after(12);
  copy.save_state(after);
  CHECK(after == trained);
}

TEST_CASE("Merge blocks: Dropout inside draws from the block's stream") {
  using Block = nn::Residual<nn::Dropout<std::ratio<1, 2>>, nn::Dense<8>>::bind<dims<8>>;
  Block block;
  std::vector<float> p(Block::param_count);
  fc::Rng rng(4);
  block.init(p, rng);
  block.reserve(4);
  const auto x = floats(4 * 8, 8);
  std::vector<float> a(32), b(32), c(32), inference(32), plain(32);
  block.seed(9);
  block.forward(p.data(), x.data(), a.data(), 4, nn::mode::training);
  block.forward(p.data(), x.data(), b.data(), 4, nn::mode::training);
  CHECK(a != b);  // each training step new masks
  block.seed(9);
  block.forward(p.data(), x.data(), c.data(), 4, nn::mode::training);
  CHECK(a == c);  // the same stream, the same masks
  block.forward(p.data(), x.data(), inference.data(), 4, nn::mode::inference);
  nn::Residual<nn::Dense<8>>::bind<dims<8>> without;
  without.reserve(4);
  without.forward(p.data(), x.data(), plain.data(), 4, nn::mode::inference);
  CHECK(inference == plain);  // inference drops nothing
}

namespace {
// A small residual network on 6 x 6 images of 3 classes: a bright horizontal, vertical or
// diagonal stroke of 4 pixels, somewhere in the image.
using ResNet = fc::Sequential<
    fc::Input<6, 6, 1>, fc::Conv2D<8, 3, 1, same::same>, fc::ReLU,
    fc::Residual<fc::Conv2D<8, 3, 1, same::same>, fc::BatchNormalization<>, fc::ReLU,
                 fc::Conv2D<8, 3, 1, same::same>, fc::BatchNormalization<>>,
    fc::ReLU,
    fc::Add<fc::Branch<fc::Conv2D<8, 3, 2, same::same>, fc::ReLU, fc::Dropout<std::ratio<1, 5>>,
                       fc::Conv2D<8, 3, 1, same::same>>,
            fc::Conv2D<8, 1, 2>>,
    fc::ReLU, fc::GlobalMaxPooling2D, fc::Dense<3>, fc::Softmax>;
using ResModel =
    fc::Model<ResNet, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

auto stroke_data(std::size_t n) {
  fc::Rng rng(21);
  xt::xtensor<float, 4> x = xt::zeros<float>({n, std::size_t{6}, std::size_t{6}, std::size_t{1}});
  xt::xtensor<int, 1> y = xt::zeros<int>({n});
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < 6; ++r)
      for (std::size_t c = 0; c < 6; ++c) x(i, r, c, 0) = 0.3f * rng.uniform_float();
    const int k = int(rng() % 3);
    const std::size_t r0 = rng() % 3, c0 = rng() % 3;
    for (std::size_t t = 0; t < 4; ++t) x(i, k == 0 ? r0 : r0 + t, k == 1 ? c0 : c0 + t, 0) += 0.7f;
    y(i) = k;
  }
  return fd::from_tensor_slices<fc::Features<6, 6, 1>, fc::ClassLabel<3>>(x, y);
}
}  // namespace

TEST_CASE("Merge blocks in a model: summary, layout, safetensors names") {
  const std::string summary = fc::network_summary<ResNet>();
  CHECK(summary.find(" residual (Residual) ") != std::string::npos);
  CHECK(summary.find(" add (Add) ") != std::string::npos);
  CHECK(summary.find("(None, 3, 3, 8)") != std::string::npos);
  CHECK(summary.find("1,232") != std::string::npos);  // the Residual: 1,200 params, 32 state
  const std::string layout = fc::io::network_layout<ResNet>().description;
  CHECK(layout.find("Residual[Identity | Conv2D(6x6x8) 584 params -> BatchNormalization(6x6x8) 16 "
                    "params -> ReLU(6x6x8) -> Conv2D(6x6x8) 584 params -> "
                    "BatchNormalization(6x6x8) 16 params](6x6x8) 1200 params") !=
        std::string::npos);
  CHECK(layout.find("Add[Conv2D(3x3x8) 584 params -> ReLU(3x3x8) -> Dropout(3x3x8) -> "
                    "Conv2D(3x3x8) 584 params | Conv2D(3x3x8) 72 params](3x3x8) 1240 params") !=
        std::string::npos);

  const fc::test::temp_dir dir("merge");
  ResModel saved(fc::optim::Adam{}, fc::Seed{1});
  auto train = stroke_data(64) | fd::batch<16>();
  (void)saved.fit(train, 1, fc::Verbose{0});
  fc::io::save_safetensors(saved, dir.file("resnet.safetensors"));
  std::vector<std::string> names;
  for (const auto& t : fc::io::detail::tensors_of<ResNet>()) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"conv2d/kernel",
                                          "conv2d/bias",
                                          "residual/conv2d/kernel",
                                          "residual/conv2d/bias",
                                          "residual/batch_normalization/gamma",
                                          "residual/batch_normalization/beta",
                                          "residual/batch_normalization/moving_mean",
                                          "residual/batch_normalization/moving_variance",
                                          "residual/conv2d_1/kernel",
                                          "residual/conv2d_1/bias",
                                          "residual/batch_normalization_1/gamma",
                                          "residual/batch_normalization_1/beta",
                                          "residual/batch_normalization_1/moving_mean",
                                          "residual/batch_normalization_1/moving_variance",
                                          "add/conv2d/kernel",
                                          "add/conv2d/bias",
                                          "add/conv2d_1/kernel",
                                          "add/conv2d_1/bias",
                                          "add/conv2d_2/kernel",
                                          "add/conv2d_2/bias",
                                          "dense/kernel",
                                          "dense/bias"});
  ResModel loaded(fc::optim::Adam{}, fc::Seed{2});
  fc::io::load_safetensors(loaded, dir.file("resnet.safetensors"));
  CHECK(std::vector<float>(loaded.parameters().begin(), loaded.parameters().end()) ==
        std::vector<float>(saved.parameters().begin(), saved.parameters().end()));
  std::vector<double> a(ResNet::state_count), b(ResNet::state_count);
  saved.network_layers().save_state(a);
  loaded.network_layers().save_state(b);
  CHECK(a == b);

  // fitcheck's own weights file refuses a network whose blocks differ inside.
  fc::io::save_weights(saved, dir.file("resnet.fcw"));
  using Other = fc::Sequential<
      fc::Input<6, 6, 1>, fc::Conv2D<8, 3, 1, same::same>, fc::ReLU,
      fc::Residual<fc::Conv2D<8, 3, 1, same::same>, fc::ReLU, fc::BatchNormalization<>,
                   fc::Conv2D<8, 3, 1, same::same>, fc::BatchNormalization<>>,
      fc::ReLU,
      fc::Add<fc::Branch<fc::Conv2D<8, 3, 2, same::same>, fc::ReLU, fc::Dropout<std::ratio<1, 5>>,
                         fc::Conv2D<8, 3, 1, same::same>>,
              fc::Conv2D<8, 1, 2>>,
      fc::ReLU, fc::GlobalMaxPooling2D, fc::Dense<3>, fc::Softmax>;
  static_assert(Other::param_count == ResNet::param_count);
  fc::Model<Other, fc::loss::SparseCategoricalCrossentropy> other(fc::optim::Adam{});
  // The message says both layouts, the blocks' insides included.
  CHECK_THROWS_WITH_AS(fc::io::load_weights(other, dir.file("resnet.fcw")),
                       doctest::Contains("saved for Input(6x6x1) -> Conv2D(6x6x8) 80 params -> "
                                         "ReLU(6x6x8) -> Residual[Identity | Conv2D(6x6x8) 584 "
                                         "params -> BatchNormalization(6x6x8)"),
                       fc::data_error);
  CHECK_THROWS_WITH_AS(fc::io::load_weights(other, dir.file("resnet.fcw")),
                       doctest::Contains("this model is Input(6x6x1) -> Conv2D(6x6x8) 80 params "
                                         "-> ReLU(6x6x8) -> Residual[Identity | Conv2D(6x6x8) 584 "
                                         "params -> ReLU(6x6x8)"),
                       fc::data_error);
  ResModel again(fc::optim::Adam{}, fc::Seed{3});
  fc::io::load_weights(again, dir.file("resnet.fcw"));
  CHECK(std::vector<float>(again.parameters().begin(), again.parameters().end()) ==
        std::vector<float>(saved.parameters().begin(), saved.parameters().end()));
}

TEST_CASE("Merge blocks in a model: a residual network learns, its memory plan counts the blocks" *
          doctest::test_suite("learning")) {
  ResModel model(fc::optim::Adam{.learning_rate = 0.01f}, fc::Seed{1});
  auto train = stroke_data(384) | fd::shuffle(384, fc::Seed{2}) | fd::batch<32>();
  (void)model.fit(train, 40, fc::Verbose{0}, fc::Preflight{.level = fc::check::error});
  auto all = stroke_data(384) | fd::batch<64>();
  CHECK(model.evaluate(all).at("accuracy") > 0.95);

  using Plain = fc::Sequential<fc::Input<6, 6, 1>, fc::Conv2D<8, 3, 1, same::same>, fc::ReLU,
                               fc::ReLU, fc::GlobalMaxPooling2D, fc::Dense<3>, fc::Softmax>;
  using Block = ResNet::layer_t<2>;
  const auto with = fc::plan_memory<ResNet>(32, fc::optimizer_slots::adam);
  const auto plain = fc::plan_memory<Plain>(32, fc::optimizer_slots::adam);
  static_assert(ResNet::sample_workspace_floats ==
                Block::sample_workspace_floats + ResNet::layer_t<4>::sample_workspace_floats);
  CHECK(with.total() > plain.total() + 32 * Block::sample_workspace_floats * 4);
}

TEST_CASE("Merge blocks in a model: a run resumed from a backup is the run that did not stop") {
  static_assert(ResNet::random_stream_count == 1);  // the Add's, for its Dropout
  struct crash {
    std::size_t at;
    void on_epoch_end(fc::TrainingState& s, fc::Logs&) const {
      if (s.epoch == at) throw std::runtime_error("simulated crash");
    }
  };
  auto run = [](std::size_t crash_at, fc::Seed init, fc::callbacks::BackupAndRestore* backup) {
    ResModel model(fc::optim::Adam{.learning_rate = 0.01f}, init);
    auto train = stroke_data(64) | fd::shuffle(64, fc::Seed{2}) | fd::batch<16>();
    try {
      if (backup != nullptr)
        (void)model.fit(train, 3, fc::Verbose{0}, crash{crash_at}, *backup);
      else
        (void)model.fit(train, 3, fc::Verbose{0});
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "simulated crash");
    }
    std::vector<float> p(model.parameters().begin(), model.parameters().end());
    std::vector<double> s(ResNet::state_count);
    model.network_layers().save_state(s);
    for (double v : s) p.push_back(float(v));
    return p;
  };
  const auto whole = run(100, fc::Seed{7}, nullptr);
  const fc::test::temp_dir dir("merge_backup");
  fc::callbacks::BackupAndRestore backup{.backup_dir = dir.file("backup")};
  const auto crashed = run(1, fc::Seed{7}, &backup);
  CHECK(crashed != whole);
  const auto resumed = run(100, fc::Seed{99}, &backup);
  CHECK(resumed == whole);
}

}  // namespace nn_merge_test
