// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Conv2DTranspose and Conv1DTranspose: Keras' output sizes, the forward written out as the
// scatter it is (each input pixel adds its kernel-weighted copy to the output), the identity with
// the convolution it transposes (<conv(a), b> = <a, conv^T(b)>), and float64 finite differences
// over strides, paddings and kernels smaller than their strides.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <type_traits>
#include <vector>

#include "gradient_check.hpp"

namespace nn_conv_transpose_test {

namespace fc = fitcheck;
namespace nn = fitcheck::nn;
constexpr auto valid = fitcheck::padding::valid;
using same = fc::padding;

namespace {
template <std::size_t... D>
inline constexpr fc::Dims dims = fc::dims_v<fc::Shape<D...>>;

template <class B>
fc::test::gradient_check_result check(std::size_t batch, std::uint64_t seed) {
  B layer;
  return fc::test::check_gradients(
      layer, fc::test::random_values(B::param_count, seed, -1.0, 1.0),
      fc::test::random_values(batch * B::input_shape::size, seed + 1), batch);
}
}  // namespace

TEST_CASE("Conv2DTranspose: Keras' output sizes and weight shapes") {
  // valid: in s + max(k - s, 0); same: in s.
  static_assert(std::is_same_v<nn::Conv2DTranspose<8, 3>::bind<dims<5, 5, 2>>::output_shape,
                               fc::Shape<7, 7, 8>>);
  static_assert(
      std::is_same_v<nn::Conv2DTranspose<8, 3, 2, same::same>::bind<dims<7, 4, 2>>::output_shape,
                     fc::Shape<14, 8, 8>>);
  static_assert(std::is_same_v<nn::Conv2DTranspose<8, 3, 2>::bind<dims<7, 4, 2>>::output_shape,
                               fc::Shape<15, 9, 8>>);
  static_assert(std::is_same_v<nn::Conv2DTranspose<8, 2, 3>::bind<dims<4, 4, 2>>::output_shape,
                               fc::Shape<12, 12, 8>>);  // kernel smaller than the stride
  static_assert(std::is_same_v<
                nn::Conv2DTranspose<8, fc::Window{4, 2}, fc::Window{2, 1}, same::same>::bind<
                    dims<3, 5, 2>>::output_shape,
                fc::Shape<6, 5, 8>>);
  static_assert(std::is_same_v<nn::Conv1DTranspose<4, 3, 2, same::same>::bind<dims<6, 3>>::output_shape,
                               fc::Shape<12, 4>>);
  using B = nn::Conv2DTranspose<8, 3, 2>::bind<dims<5, 5, 2>>;
  static_assert(B::param_count == 3 * 3 * 8 * 2 + 8);
  static_assert(B::tensors[0].rank == 4 && B::tensors[0].shape[2] == 8 &&
                B::tensors[0].shape[3] == 2 && B::tensors[1].shape[0] == 8);
  static_assert(std::string_view(B::name) == "Conv2DTranspose");
}

TEST_CASE("Conv2DTranspose: each input pixel adds its kernel-weighted copy at stride offsets") {
  // One input channel, one filter, 2 x 2 input, 3 x 3 kernel, stride 2, valid: a 5 x 5 output.
  using B = nn::Conv2DTranspose<1, 3, 2>::bind<dims<2, 2, 1>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<5, 5, 1>>);
  B layer;
  std::vector<float> p(10);
  for (std::size_t i = 0; i < 9; ++i) p[i] = float(i + 1);  // kernel (i, j) = 3 i + j + 1
  p[9] = 0.5f;                                               // bias
  const std::vector<float> x{1, 10, 100, 1000};
  std::vector<float> y(25);
  layer.reserve(1);
  layer.forward(p.data(), x.data(), y.data(), 1, nn::mode::inference);
  std::vector<float> want(25, 0.5f);
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t q = 0; q < 2; ++q)
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j)
          want[(2 * r + i) * 5 + 2 * q + j] += x[r * 2 + q] * float(3 * i + j + 1);
  CHECK(y == want);
}

namespace {
// <conv(a), b> = <a, conv^T(b)> with one kernel (no biases): T is the transpose of C.
template <class T, class C>
void check_adjoint() {
  static_assert(std::is_same_v<typename C::output_shape, typename T::input_shape>);
  static_assert(std::is_same_v<typename C::input_shape, typename T::output_shape>);
  static_assert(T::param_count == C::param_count);
  const auto w = fc::test::random_values(T::param_count, 1);
  const auto a = fc::test::random_values(C::input_shape::size, 2),
             b = fc::test::random_values(T::input_shape::size, 3);
  T t;
  C c;
  std::vector<double> ta(T::output_shape::size), cb(C::output_shape::size);
  t.forward(w.data(), b.data(), ta.data(), 1, nn::mode::inference);
  c.forward(w.data(), a.data(), cb.data(), 1, nn::mode::inference);
  double lhs = 0, rhs = 0;
  for (std::size_t i = 0; i < cb.size(); ++i) lhs += cb[i] * b[i];
  for (std::size_t i = 0; i < ta.size(); ++i) rhs += a[i] * ta[i];
  CHECK(lhs == doctest::Approx(rhs).epsilon(1e-12));
}
}  // namespace

TEST_CASE("Conv2DTranspose: the adjoint of the convolution it transposes") {
  // Same padding at stride 2 (TensorFlow's padding of the output, the extra row at the bottom).
  check_adjoint<nn::Conv2DTranspose<3, 3, 2, same::same, nn::inferred_padding, 1, false>::bind<
                    dims<3, 4, 2>>,
                nn::Conv2D<2, 3, 2, same::same, 1, false>::bind<dims<6, 8, 3>>>();
  // An output padding of 0 with same padding: 2 in - 1 rows, padded on both sides.
  check_adjoint<nn::Conv2DTranspose<3, 3, 2, same::same, 0, 1, false>::bind<dims<3, 4, 2>>,
                nn::Conv2D<2, 3, 2, same::same, 1, false>::bind<dims<5, 7, 3>>>();
  // Dilation 2, same and valid.
  check_adjoint<nn::Conv2DTranspose<3, 3, 1, same::same, nn::inferred_padding, 2, false>::bind<
                    dims<5, 4, 2>>,
                nn::Conv2D<2, 3, 1, same::same, 2, false>::bind<dims<5, 4, 3>>>();
  check_adjoint<nn::Conv2DTranspose<3, 3, 1, valid, nn::inferred_padding, 2, false>::bind<
                    dims<5, 4, 2>>,
                nn::Conv2D<2, 3, 1, valid, 2, false>::bind<dims<9, 8, 3>>>();
}

TEST_CASE("Conv2DTranspose, Conv1DTranspose: float64 finite differences") {
  CHECK(check<nn::Conv2DTranspose<3, 3, 2, same::same>::bind<dims<3, 4, 2>>>(2, 11).passed(1e-6));
  CHECK(check<nn::Conv2DTranspose<2, 3>::bind<dims<3, 3, 3>>>(2, 12).passed(1e-6));
  CHECK(check<nn::Conv2DTranspose<2, 2, 3>::bind<dims<2, 3, 2>>>(2, 13).passed(1e-6));
  CHECK(check<nn::Conv2DTranspose<2, fc::Window{4, 2}, fc::Window{2, 1}, same::same,
                                  nn::inferred_padding, 1, false>::bind<dims<3, 2, 2>>>(2, 14)
            .passed(1e-6));
  CHECK(check<nn::Conv1DTranspose<3, 3, 2, same::same>::bind<dims<4, 2>>>(3, 15).passed(1e-6));
  // output_padding (the rows it adds get the bias alone) and dilation.
  CHECK(check<nn::Conv2DTranspose<2, 3, 2, same::same, 0>::bind<dims<3, 4, 2>>>(2, 16).passed(1e-6));
  CHECK(check<nn::Conv2DTranspose<2, 3, fc::Window{2, 3}, valid, fc::Window{1, 2}>::bind<
            dims<3, 2, 2>>>(2, 17)
            .passed(1e-6));
  CHECK(check<nn::Conv2DTranspose<2, 3, 1, same::same, nn::inferred_padding, 2>::bind<dims<4, 3, 2>>>(
            2, 18)
            .passed(1e-6));
  CHECK(check<nn::Conv1DTranspose<2, 3, 1, valid, nn::inferred_padding, 3>::bind<dims<4, 2>>>(2, 19)
            .passed(1e-6));
  CHECK(check<nn::Conv1DTranspose<2, 4, 3, same::same, 2>::bind<dims<3, 2>>>(2, 20).passed(1e-6));
}

TEST_CASE("Conv2DTranspose: Keras' sizes with output_padding and dilation") {
  // Keras' deconv_output_length: (in - 1) s + k + op, less 2 (k / 2) for same; k dilated.
  static_assert(std::is_same_v<nn::Conv2DTranspose<8, 3, 2, valid, 1>::bind<dims<5, 4, 2>>::output_shape,
                               fc::Shape<12, 10, 8>>);
  static_assert(
      std::is_same_v<nn::Conv2DTranspose<8, 3, 2, same::same, 0>::bind<dims<5, 4, 2>>::output_shape,
                     fc::Shape<9, 7, 8>>);
  static_assert(
      std::is_same_v<nn::Conv2DTranspose<8, 3, 2, same::same, 1>::bind<dims<5, 4, 2>>::output_shape,
                     fc::Shape<10, 8, 8>>);  // = inferred: in s
  static_assert(std::is_same_v<
                nn::Conv2DTranspose<8, 2, 3, valid, fc::Window{0, 2}>::bind<dims<4, 4, 2>>::output_shape,
                fc::Shape<11, 13, 8>>);  // a kernel smaller than the stride
  // Dilation 2 widens a 3 x 3 window to 5 x 5: valid in + 4, same in.
  static_assert(std::is_same_v<nn::Conv2DTranspose<8, 3, 1, valid, nn::inferred_padding, 2>::bind<
                                   dims<5, 4, 2>>::output_shape,
                               fc::Shape<9, 8, 8>>);
  static_assert(std::is_same_v<nn::Conv2DTranspose<8, 3, 1, same::same, nn::inferred_padding, 2>::bind<
                                   dims<5, 4, 2>>::output_shape,
                               fc::Shape<5, 4, 8>>);
  static_assert(std::is_same_v<
                nn::Conv1DTranspose<4, 3, 2, valid, 1>::bind<dims<6, 3>>::output_shape,
                fc::Shape<14, 4>>);
}

TEST_CASE("Conv2DTranspose: output_padding's extra rows and columns hold the bias alone") {
  // 2 x 2 input, 3 x 3 kernel, stride 2, valid, output padding 1: 6 x 6, the last row and
  // column outside every window.
  using B = nn::Conv2DTranspose<1, 3, 2, valid, 1>::bind<dims<2, 2, 1>>;
  static_assert(std::is_same_v<B::output_shape, fc::Shape<6, 6, 1>>);
  B layer;
  std::vector<float> p(10);
  for (std::size_t i = 0; i < 9; ++i) p[i] = float(i + 1);
  p[9] = 0.5f;
  const std::vector<float> x{1, 10, 100, 1000};
  std::vector<float> y(36);
  layer.reserve(1);
  layer.forward(p.data(), x.data(), y.data(), 1, nn::mode::inference);
  std::vector<float> want(36, 0.5f);
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t q = 0; q < 2; ++q)
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 3; ++j)
          want[(2 * r + i) * 6 + 2 * q + j] += x[r * 2 + q] * float(3 * i + j + 1);
  CHECK(y == want);
  CHECK(y[5] == 0.5f);
  CHECK(y[35] == 0.5f);
}

}  // namespace nn_conv_transpose_test
