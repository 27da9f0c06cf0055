// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// augment(): the affine map, flips, brightness and contrast on hand-computed images, the fill
// modes, seeded reproducibility with new draws every epoch, one draw per image in a batch, the
// range checks, and the traits the compile-time rules read.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <numbers>
#include <set>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <support/errors.hpp>

#include <fitcheck/core/random.hpp>
#include <fitcheck/data/augment.hpp>
#include <fitcheck/data/batch.hpp>
#include <fitcheck/data/tensor_slices.hpp>

namespace data_augment_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fitcheck::test::message_of;

namespace {

using Image = fc::Features<3, 3>;
// 0 1 2 / 3 4 5 / 6 7 8
const std::vector<float> ramp = {0, 1, 2, 3, 4, 5, 6, 7, 8};

std::vector<float> apply(const fd::detail::image_transform& t, const fd::Augmentation& a,
                         const std::vector<float>& in, std::size_t rows, std::size_t columns,
                         std::size_t channels = 1) {
  std::vector<float> out(in.size(), -1.0f);
  fd::detail::apply_transform(t, a, in.data(), out.data(), rows, columns, channels);
  return out;
}

fd::detail::image_transform rotation(double degrees) {
  fd::detail::image_transform t;
  const double r = degrees * std::numbers::pi / 180;
  t.m[0][0] = std::cos(r);
  t.m[0][1] = -std::sin(r);
  t.m[1][0] = std::sin(r);
  t.m[1][1] = std::cos(r);
  return t;
}

void check_near(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == doctest::Approx(want[i]).epsilon(1e-5));
}

auto images(std::size_t n) {
  static std::vector<float> x;
  static std::vector<int> y;
  x.clear();
  y.clear();
  for (std::size_t i = 0; i < n; ++i) {
    x.insert(x.end(), ramp.begin(), ramp.end());
    y.push_back(int(i % 2));
  }
  return fd::from_tensor_slices<Image, fc::BinaryLabel>(std::span<const float>(x),
                                                        std::span<const int>(y));
}

template <class P>
std::vector<std::vector<float>> pass(P& p) {
  std::vector<std::vector<float>> out;
  for (const auto& e : p) {
    if constexpr (fd::batch_data<std::remove_cvref_t<decltype(e)>>) {
      for (std::size_t i = 0; i < e.size(); ++i)
        out.emplace_back(e.x_data() + i * 9, e.x_data() + (i + 1) * 9);
    } else {
      out.emplace_back(e.x.begin(), e.x.end());
    }
  }
  return out;
}

}  // namespace

static_assert(decltype(images(1) | fd::augment({}))::traits.augmented);
static_assert(!decltype(images(1))::traits.augmented);
static_assert(decltype(images(1) | fd::augment({}) | fd::batch<2>())::traits.augmented);

TEST_CASE("augment: the affine map about the centre, on hand-computed images") {
  const fd::Augmentation a{};
  // The identity copies.
  CHECK(apply({}, a, ramp, 3, 3) == ramp);
  // Output pixel p samples input centre + M (p - centre): with M a 90 degree rotation, output
  // (r, c) reads input (2 - c, r): the image turns a quarter.
  check_near(apply(rotation(90), a, ramp, 3, 3), {6, 3, 0, 7, 4, 1, 8, 5, 2});
  check_near(apply(rotation(180), a, ramp, 3, 3), {8, 7, 6, 5, 4, 3, 2, 1, 0});
  // A shift of one row down the input: each output row reads the row below; the last row is
  // filled by the nearest row.
  fd::detail::image_transform down;
  down.shift[0] = 1;
  CHECK(apply(down, a, ramp, 3, 3) == std::vector<float>{3, 4, 5, 6, 7, 8, 6, 7, 8});
  // Half a column: the mean of neighbours (bilinear).
  fd::detail::image_transform half;
  half.shift[1] = 0.5;
  CHECK(apply(half, a, ramp, 3, 3) == std::vector<float>{0.5f, 1.5f, 2, 3.5f, 4.5f, 5, 6.5f, 7.5f, 8});
  // A zoom of 2 about the centre reads the inner half: (r - 1) * 2 + 1.
  fd::detail::image_transform zoom;
  zoom.m[0][0] = zoom.m[1][1] = 0.5;  // output spans half the input: zoom in
  check_near(apply(zoom, a, ramp, 3, 3), {2, 2.5f, 3, 3.5f, 4, 4.5f, 5, 5.5f, 6});
}

TEST_CASE("augment: the fill modes outside the image, as scipy names them") {
  fd::detail::image_transform left;
  left.shift[1] = -2;  // each output column reads two columns to the left
  const std::vector<float> row = {1, 2, 3, 4};
  const auto fill = [&](fd::fill_mode m, float v = 0) {
    return apply(left, fd::Augmentation{.fill_mode = m, .fill_value = v}, row, 1, 4);
  };
  CHECK(fill(fd::fill_mode::nearest) == std::vector<float>{1, 1, 1, 2});
  CHECK(fill(fd::fill_mode::reflect) == std::vector<float>{2, 1, 1, 2});
  CHECK(fill(fd::fill_mode::wrap) == std::vector<float>{3, 4, 1, 2});
  CHECK(fill(fd::fill_mode::constant, 9) == std::vector<float>{9, 9, 1, 2});
  CHECK(fd::detail::fill_index(-5, 4, fd::fill_mode::reflect) == 3);
  CHECK(fd::detail::fill_index(9, 4, fd::fill_mode::wrap) == 1);
}

TEST_CASE("augment: flips, brightness and contrast") {
  const fd::Augmentation a{};
  fd::detail::image_transform flip;
  flip.flip_columns = true;
  CHECK(apply(flip, a, ramp, 3, 3) == std::vector<float>{2, 1, 0, 5, 4, 3, 8, 7, 6});
  flip.flip_rows = true;
  CHECK(apply(flip, a, ramp, 3, 3) == std::vector<float>{8, 7, 6, 5, 4, 3, 2, 1, 0});
  fd::detail::image_transform bright;
  bright.brightness = 1.5f;
  CHECK(apply(bright, a, ramp, 3, 3) == std::vector<float>{0, 1.5f, 3, 4.5f, 6, 7.5f, 9, 10.5f, 12});
  // Contrast per channel about its mean: 2 channels, means 2 and 20.
  fd::detail::image_transform contrast;
  contrast.contrast = 0.5f;
  const std::vector<float> two = {1, 10, 3, 30};
  CHECK(apply(contrast, a, two, 1, 2, 2) == std::vector<float>{1.5f, 15, 2.5f, 25});
}

TEST_CASE("augment: the same seed gives the same images, each epoch and each seed draws anew") {
  const fd::Augmentation a{.rotation_range = 30, .width_shift_range = 0.2, .zoom_range = 0.2,
                           .horizontal_flip = true, .brightness_range = 0.2};
  auto p = images(8) | fd::augment(a, fc::Seed{7});
  auto q = images(8) | fd::augment(a, fc::Seed{7});
  auto other = images(8) | fd::augment(a, fc::Seed{8});
  const auto first = pass(p);
  CHECK(first == pass(q));         // bit for bit
  CHECK(first != pass(other));     // another seed
  const auto second = pass(p);     // the next epoch
  CHECK(second != first);
  CHECK(second == pass(q));        // the same epoch of the same seed
  std::set<std::vector<float>> distinct(first.begin(), first.end());
  CHECK(distinct.size() == 8);     // one draw per image
}

TEST_CASE("augment: in a batch every image has its own draw, the same as before batching") {
  const fd::Augmentation a{.rotation_range = 45, .vertical_flip = true};
  auto before = images(6) | fd::augment(a, fc::Seed{3}) | fd::batch<3>();
  auto after = images(6) | fd::batch<3>() | fd::augment(a, fc::Seed{3});
  const auto b = pass(before), c = pass(after);
  CHECK(b.size() == 6);
  CHECK(b == c);
  CHECK(b[0] != b[1]);
}

TEST_CASE("augment: Parallel{n} workers give the images one thread gives, every epoch") {
  // Batches large enough to be shared among the workers (small ones stay on one thread).
  using Big = fc::Features<128, 128, 3>;
  constexpr std::size_t per_batch = 24;
  static_assert(per_batch * Big::size >= fd::detail::augment_share_values);
  std::vector<float> x(2 * per_batch * Big::size);
  fc::Rng rng(9);
  for (float& v : x) v = rng.uniform_float();
  const std::vector<int> y(2 * per_batch, 1);
  auto source = [&] {
    return fd::from_tensor_slices<Big, fc::BinaryLabel>(std::span<const float>(x),
                                                         std::span<const int>(y));
  };
  const fd::Augmentation a{.rotation_range = 30, .zoom_range = 0.2, .horizontal_flip = true,
                           .brightness_range = 0.3};
  auto one = source() | fd::batch<per_batch>() | fd::augment(a, fc::Seed{4});
  auto three = source() | fd::batch<per_batch>() | fd::augment(a, fc::Seed{4}, fd::Parallel{3});
  auto samples = source() | fd::augment(a, fc::Seed{4}, fd::Parallel{3});  // one at a time
  auto flat = [](auto& p) {
    std::vector<float> out;
    for (const auto& e : p) {
      if constexpr (fd::batch_data<std::remove_cvref_t<decltype(e)>>)
        out.insert(out.end(), e.x_data(), e.x_data() + e.size() * Big::size);
      else
        out.insert(out.end(), e.x.begin(), e.x.end());
    }
    return out;
  };
  for (int epoch = 0; epoch < 2; ++epoch) {
    const auto want = flat(one);
    CHECK(want != x);  // transformed
    CHECK(flat(three) == want);
    CHECK(flat(samples) == want);
  }
  // Small batches stay on the pipeline's thread, with the same images.
  auto small_one = images(13) | fd::batch<5>() | fd::augment(a, fc::Seed{4});
  auto small_three = images(13) | fd::batch<5>() | fd::augment(a, fc::Seed{4}, fd::Parallel{3});
  CHECK(pass(small_one) == pass(small_three));
}

TEST_CASE("augment: flips only: every image is itself or its mirror, and both happen") {
  auto p = images(64) | fd::augment({.horizontal_flip = true}, fc::Seed{1});
  const std::vector<float> mirror = {2, 1, 0, 5, 4, 3, 8, 7, 6};
  std::size_t flipped = 0;
  for (const auto& img : pass(p)) {
    CHECK((img == ramp || img == mirror));
    flipped += img == mirror;
  }
  CHECK(flipped > 16);
  CHECK(flipped < 48);
}

TEST_CASE("augment: ranges that cannot be are an argument_error") {
  const auto msg = message_of<fc::argument_error>([] { (void)fd::augment({.zoom_range = 1.0}); });
  CHECK(msg.find("augment: zoom_range 1 would allow a zoom of 0 or less") == 0);
  const auto neg = message_of<fc::argument_error>([] { (void)fd::augment({.rotation_range = -5}); });
  CHECK(neg.find("augment: rotation_range -5 is not a finite number >= 0") == 0);
  const auto dark = message_of<fc::argument_error>(
      [] { (void)fd::augment({.brightness_range = 1.5}); });
  CHECK(dark.find("would allow a factor of 0 or less (black)") != std::string::npos);
  const auto invert = message_of<fc::argument_error>(
      [] { (void)fd::augment({.contrast_range = 1.5}); });
  CHECK(invert.find("augment: contrast_range 1.5 would invert the contrast") == 0);
}

TEST_CASE("augment: center_crop keeps the centre, random_crop a seeded window, new every epoch") {
  auto centre = images(2) | fd::center_crop<2, 2>();
  static_assert(std::is_same_v<decltype(centre)::element_type::features_type, fc::Features<2, 2>>);
  static_assert(!decltype(centre)::traits.augmented);
  std::vector<std::vector<float>> seen;
  for (const auto& e : centre) seen.emplace_back(e.x.begin(), e.x.end());
  CHECK(seen == std::vector<std::vector<float>>{{0, 1, 3, 4}, {0, 1, 3, 4}});
  auto one = images(1) | fd::center_crop<1, 1>();
  CHECK((*one.begin()).x[0] == 4.0f);

  auto random = images(40) | fd::random_crop<2, 2>(fc::Seed{9});
  static_assert(decltype(random)::traits.augmented);
  const std::set<std::vector<float>> windows = {{0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}};
  std::vector<std::vector<float>> first;
  for (const auto& e : random) {
    first.emplace_back(e.x.begin(), e.x.end());
    CHECK(windows.count(first.back()) == 1);
    CHECK(e.y[0] == int((first.size() - 1) % 2));  // labels travel with their images
  }
  CHECK(std::set<std::vector<float>>(first.begin(), first.end()).size() == 4);
  std::vector<std::vector<float>> second;
  for (const auto& e : random) second.emplace_back(e.x.begin(), e.x.end());
  CHECK(second != first);
  auto again = images(40) | fd::random_crop<2, 2>(fc::Seed{9});
  std::vector<std::vector<float>> replay;
  for (const auto& e : again) replay.emplace_back(e.x.begin(), e.x.end());
  CHECK(replay == first);
}

}  // namespace data_augment_test
