// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// In: a dataset of images (Features<H, W, C> or Features<H, W>), samples or batches.
// Out: the same, each image randomly transformed as Keras' ImageDataGenerator does: rotation,
// shifts, shear and zoom as one affine map (sampled bilinearly, the area outside the image filled
// by `fill`), horizontal and vertical flips, brightness and contrast.
//
// Parameters are drawn per image from the stage's seed, the pass (epoch) and the image's position
// in the pass: the same seed gives the same images bit for bit, every epoch draws anew, and in a
// batch every image has its own draw (augmenting after batch() is the same as before it). The
// stage marks the pipeline `augmented`, which validation data, evaluate and predict refuse at
// compile time [G4], and cache() after it too [G5].

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/data/element.hpp>
#include <fitcheck/data/map.hpp>
#include <fitcheck/data/pipe.hpp>
#include <fitcheck/data/rules.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>

namespace fitcheck::data {

/// What lies outside the image after a rotation, shift, shear or zoom (scipy's modes, which
/// ImageDataGenerator uses): for a row a b c d.
enum class fill_mode : std::uint8_t {
  nearest,   ///< a a a a | a b c d | d d d d
  reflect,   ///< d c b a | a b c d | d c b a
  wrap,      ///< a b c d | a b c d | a b c d
  constant,  ///< v v v v | a b c d | v v v v, v = fill_value
};

/// The random transformations of `augment`, ImageDataGenerator's parameters; every member has a
/// default (off): write only what you want, `{.rotation_range = 20, .horizontal_flip = true}`.
struct Augmentation {
  double rotation_range = 0;      ///< degrees: a rotation uniform in [-r, r]
  double width_shift_range = 0;   ///< fraction of the width: a shift uniform in [-s, s] x W
  double height_shift_range = 0;  ///< fraction of the height
  double shear_range = 0;         ///< degrees: a shear angle uniform in [-s, s]
  double zoom_range = 0;          ///< zoom factors uniform in [1 - z, 1 + z], per axis
  bool horizontal_flip = false;   ///< mirror left-right with probability 1/2
  bool vertical_flip = false;     ///< mirror top-bottom with probability 1/2
  double brightness_range = 0;    ///< multiply the values by a factor uniform in [1 - b, 1 + b]
  double contrast_range = 0;      ///< scale each channel's deviation from its mean by [1 - c, 1 + c]
  data::fill_mode fill_mode = data::fill_mode::nearest;  ///< outside the image
  float fill_value = 0;  ///< the value outside the image with fill_mode::constant
};

namespace detail {

/// One image's draw: the affine map from output to input pixel coordinates, flips, factors.
struct image_transform {
  double m[2][2] = {{1, 0}, {0, 1}};  // (row, column) -> (row, column), about the centre
  double shift[2] = {0, 0};           // rows, columns
  bool flip_rows = false, flip_columns = false;
  float brightness = 1, contrast = 1;
  [[nodiscard]] bool affine() const noexcept {
    return m[0][0] != 1 || m[0][1] != 0 || m[1][0] != 0 || m[1][1] != 1 || shift[0] != 0 ||
           shift[1] != 0;
  }
};

inline double uniform(Rng& rng, double range) noexcept {
  if (range == 0) return 0;
  const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;  // [0, 1)
  return (2 * u - 1) * range;
}

/// ImageDataGenerator's random transform for an image of `rows` x `columns`: the input pixel
/// for output pixel p is centre + R (Sh Z (p - centre) + t), R the rotation, Sh the shear, Z the
/// zoom, t the shift (Keras' apply_affine_transform).
inline image_transform draw_transform(const Augmentation& a, Rng& rng, std::size_t rows,
                                      std::size_t columns) noexcept {
  constexpr double degree = std::numbers::pi / 180;
  image_transform t;
  const double theta = uniform(rng, a.rotation_range) * degree;
  const double tx = uniform(rng, a.height_shift_range) * static_cast<double>(rows);
  const double ty = uniform(rng, a.width_shift_range) * static_cast<double>(columns);
  const double shear = uniform(rng, a.shear_range) * degree;
  const double zx = 1 + uniform(rng, a.zoom_range);
  const double zy = 1 + uniform(rng, a.zoom_range);
  t.flip_columns = a.horizontal_flip && (rng() >> 63) != 0;
  t.flip_rows = a.vertical_flip && (rng() >> 63) != 0;
  t.brightness = static_cast<float>(1 + uniform(rng, a.brightness_range));
  t.contrast = static_cast<float>(1 + uniform(rng, a.contrast_range));
  // Sh Z = [[zx, -sin(shear) zy], [0, cos(shear) zy]]; then R.
  const double c = std::cos(theta), s = std::sin(theta);
  const double sz[2][2] = {{zx, -std::sin(shear) * zy}, {0, std::cos(shear) * zy}};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) t.m[i][j] = (i == 0 ? c : s) * sz[0][j] + (i == 0 ? -s : c) * sz[1][j];
  t.shift[0] = c * tx - s * ty;
  t.shift[1] = s * tx + c * ty;
  return t;
}

/// Index `i` of a row of `n` pixels under the fill mode; -1 for "outside" (constant).
inline std::ptrdiff_t fill_index(std::ptrdiff_t i, std::ptrdiff_t n, fill_mode mode) noexcept {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case fill_mode::nearest:
      return i < 0 ? 0 : n - 1;
    case fill_mode::reflect: {
      const std::ptrdiff_t period = 2 * n;
      std::ptrdiff_t k = ((i % period) + period) % period;
      return k < n ? k : period - 1 - k;
    }
    case fill_mode::wrap:
      return ((i % n) + n) % n;
    case fill_mode::constant:
      break;
  }
  return -1;
}

/// Applies `t` to the image `in` (rows x columns x channels) into `out` (another buffer).
inline void apply_transform(const image_transform& t, const Augmentation& a, const float* in,
                            float* out, std::size_t rows, std::size_t columns,
                            std::size_t channels) noexcept {
  const auto R = static_cast<std::ptrdiff_t>(rows), C = static_cast<std::ptrdiff_t>(columns);
  const double cr = static_cast<double>(rows) / 2 - 0.5, cc = static_cast<double>(columns) / 2 - 0.5;
  const bool affine = t.affine();
  for (std::size_t r = 0; r < rows; ++r) {
    // Flips act on the output of the affine map (Keras flips after it).
    const std::size_t sr = t.flip_rows ? rows - 1 - r : r;
    const double pr = static_cast<double>(sr) - cr;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t sc = t.flip_columns ? columns - 1 - c : c;
      float* o = out + (r * columns + c) * channels;
      if (!affine) {
        const float* p = in + (sr * columns + sc) * channels;
        for (std::size_t k = 0; k < channels; ++k) o[k] = p[k];
        continue;
      }
      const double pc = static_cast<double>(sc) - cc;
      const double ir = cr + t.m[0][0] * pr + t.m[0][1] * pc + t.shift[0];
      const double ic = cc + t.m[1][0] * pr + t.m[1][1] * pc + t.shift[1];
      const double fr = std::floor(ir), fc = std::floor(ic);
      const auto r0 = static_cast<std::ptrdiff_t>(fr), c0 = static_cast<std::ptrdiff_t>(fc);
      const auto wr = static_cast<float>(ir - fr), wc = static_cast<float>(ic - fc);
      // The four neighbours, each a pixel offset or -1 (outside, constant fill).
      const std::ptrdiff_t rows_at[2] = {fill_index(r0, R, a.fill_mode), fill_index(r0 + 1, R, a.fill_mode)};
      const std::ptrdiff_t cols_at[2] = {fill_index(c0, C, a.fill_mode), fill_index(c0 + 1, C, a.fill_mode)};
      const float* p[2][2];
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j)
          p[i][j] = rows_at[i] < 0 || cols_at[j] < 0
                        ? nullptr
                        : in + (static_cast<std::size_t>(rows_at[i]) * columns +
                                static_cast<std::size_t>(cols_at[j])) * channels;
      for (std::size_t k = 0; k < channels; ++k) {
        const float v00 = p[0][0] ? p[0][0][k] : a.fill_value, v01 = p[0][1] ? p[0][1][k] : a.fill_value;
        const float v10 = p[1][0] ? p[1][0][k] : a.fill_value, v11 = p[1][1] ? p[1][1][k] : a.fill_value;
        const float top = v00 + (v01 - v00) * wc;
        const float bottom = v10 + (v11 - v10) * wc;
        o[k] = top + (bottom - top) * wr;
      }
    }
  }
  if (t.contrast != 1) {
    for (std::size_t k = 0; k < channels; ++k) {
      double mean = 0;
      for (std::size_t i = 0; i < rows * columns; ++i) mean += out[i * channels + k];
      const auto m = static_cast<float>(mean / static_cast<double>(rows * columns));
      for (std::size_t i = 0; i < rows * columns; ++i)
        out[i * channels + k] = (out[i * channels + k] - m) * t.contrast + m;
    }
  }
  if (t.brightness != 1)
    for (std::size_t i = 0; i < rows * columns * channels; ++i) out[i] *= t.brightness;
}

template <class Shape>
consteval bool image_shape() {
  static_assert(Shape::rank == 2 || Shape::rank == 3,
                "augment: the features are not images. Fix: augment Features<H, W, C> or "
                "Features<H, W> (height, width, channels), e.g. from image_folder or from_idx");
  return true;
}

inline void check_augmentation(const Augmentation& a) {
  const auto bad = [](const char* name, double v, const char* want) {
    throw argument_error(std::string("augment: ") + name + " " + format_number(v) + " " + want,
                         "pass ranges as ImageDataGenerator takes them: rotation_range = 20 "
                         "(degrees), width_shift_range = 0.2 (of the width), zoom_range = 0.2");
  };
  const std::pair<const char*, double> ranges[] = {
      {"rotation_range", a.rotation_range},       {"width_shift_range", a.width_shift_range},
      {"height_shift_range", a.height_shift_range}, {"shear_range", a.shear_range},
      {"zoom_range", a.zoom_range},               {"brightness_range", a.brightness_range},
      {"contrast_range", a.contrast_range}};
  for (const auto& [name, v] : ranges)
    if (!(v >= 0) || !std::isfinite(v)) bad(name, v, "is not a finite number >= 0");
  if (a.zoom_range >= 1) bad("zoom_range", a.zoom_range, "would allow a zoom of 0 or less");
  if (a.brightness_range >= 1)
    bad("brightness_range", a.brightness_range, "would allow a factor of 0 or less (black)");
  if (a.contrast_range > 1) bad("contrast_range", a.contrast_range, "would invert the contrast");
}

}  // namespace detail

namespace detail {
/// Values a batch needs before its images are shared among workers: 32 images of 28 x 28 x 3
/// take microseconds, less than handing them over; 32 of 224 x 224 x 3 take milliseconds.
inline constexpr std::size_t augment_share_values = std::size_t{1} << 20;
}  // namespace detail

/// The stage of augment(): each image randomly transformed, new draws every pass.
template <dataset Source>
class Augment : public dataset_interface<Augment<Source>> {
  using E = element_t<Source>;
  using shape = typename E::features_type::shape;
  static_assert(detail::image_shape<shape>());
  // (Safe for any rank, so that a non-image shape gives the one error above.)
  static constexpr std::size_t rows = shape::dims[0];
  static constexpr std::size_t columns = shape::rank >= 2 ? shape::dims[shape::rank >= 2 ? 1 : 0] : 1;
  static constexpr std::size_t channels = shape::rank == 3 ? shape::dims[2] : 1;
  static constexpr std::size_t image_size = rows * columns * channels;

public:
  /// What one pass yields: the source's elements, transformed.
  using element_type = E;
  /// As the source: augmenting keeps every element.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// As the source's, and `augmented`.
  static constexpr pipeline_traits traits = [] {
    pipeline_traits t = Source::traits;
    t.augmented = true;
    return t;
  }();

  /// Checks the ranges (argument_error). `workers` threads transform the images of a batch
  /// (the draws, per image, do not depend on how many).
  Augment(Source source, Augmentation a, Seed seed, std::size_t workers = 1)
      : source_(std::move(source)), a_(a), seed_(seed.value), workers_(workers) {
    rules::check_after_prefetch<Source>("augment");
    detail::check_augmentation(a_);
  }

  /// The element count over all passes.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element to fill.
  [[nodiscard]] element_type make_element() const { return source_.make_element(); }
  /// The stage upstream.
  [[nodiscard]] const Source& source() const noexcept { return source_; }
  /// The transformations.
  [[nodiscard]] const Augmentation& augmentation() const noexcept { return a_; }

  /// One pass: the source's, each image transformed with its own draw.
  class cursor {
  public:
    cursor(Augment& a, std::uint64_t pass)
        : source_(a.source_.open()), a_(&a.a_), seed_(a.seed_), pass_(pass),
          workers_(batch_data<element_type> ? a.workers_ : 1), scratch_(workers_ * image_size),
          pool_(workers_ > 1 ? std::make_unique<kernels::detail::thread_pool>(
                                   static_cast<unsigned>(workers_))
                             : nullptr) {}
    bool next(element_type& out) {
      if (!source_.next(out)) return false;
      if constexpr (batch_data<element_type>) {
        const std::size_t n = out.size();
        const bool share = pool_ != nullptr && n * image_size >= detail::augment_share_values;
        const unsigned parts = share ? static_cast<unsigned>(std::min(workers_, n)) : 1u;
        auto part = [&](unsigned p) {
          for (std::size_t i = n * p / parts; i < n * (p + 1) / parts; ++i)
            transform(out.x_data() + i * image_size, position_ + i,
                      scratch_.data() + p * image_size);
        };
        if (parts > 1) kernels::parallel_for(*pool_, parts, part);
        else part(0);
        position_ += n;
      } else {
        transform(out.x.data(), position_++, scratch_.data());
      }
      return true;
    }

  private:
    void transform(float* image, std::uint64_t position, float* scratch) const {
      // One stream per image: (pass, position) → the same draws whatever the batching and
      // the number of workers.
      Rng rng(seed_, (pass_ << 40) ^ position);
      const detail::image_transform t = detail::draw_transform(*a_, rng, rows, columns);
      std::copy(image, image + image_size, scratch);
      detail::apply_transform(t, *a_, scratch, image, rows, columns, channels);
    }

    cursor_t<Source> source_;
    const Augmentation* a_;
    std::uint64_t seed_;
    std::uint64_t pass_;
    std::uint64_t position_ = 0;
    std::size_t workers_;
    std::vector<float> scratch_;  // one image per worker: allocated once per pass
    std::unique_ptr<kernels::detail::thread_pool> pool_;  // its threads end with the pass
  };
  /// Starts a pass; each pass draws new transformations.
  [[nodiscard]] cursor open() { return cursor(*this, pass_++); }

private:
  Source source_;
  Augmentation a_;
  std::uint64_t seed_;
  std::size_t workers_;
  std::uint64_t pass_ = 0;
};

namespace detail {
struct augment_fn {
  /// `source | augment({.rotation_range = 20, .horizontal_flip = true}, Seed{7})`; with
  /// Parallel{n} the images of each batch are shared among n threads (after batch: single
  /// samples are transformed where they are pulled).
  auto operator()(Augmentation a, Seed seed = Seed{0}, Parallel workers = Parallel{1}) const {
    check_augmentation(a);
    return make_stage_closure([a, seed, n = workers.workers]<dataset S>(S source) {
      return Augment<S>(std::move(source), a, seed, n);
    });
  }
};
}  // namespace detail

/// Random image transformations for training (ImageDataGenerator's): on samples or batches,
/// seeded, new every epoch; `augment(a, seed, Parallel{n})` after batch shares each batch's
/// images among n threads, with the same images as one thread. Training pipelines only:
/// validation data, evaluate and predict refuse an augmented pipeline at compile time [G4]; put
/// cache() before it [G5].
inline constexpr detail::augment_fn augment{};

namespace detail {
template <class Source, std::size_t Rows, std::size_t Columns>
consteval bool crop_fits() {
  using shape = typename element_t<Source>::features_type::shape;
  static_assert(image_shape<shape>());
  static_assert(!Source::traits.batched,
                "random_crop / center_crop after batch: a crop changes the image size, so it "
                "works on single images. Fix: crop before batch<N>()");
  if constexpr (shape::rank >= 2) {
    static_assert(Rows >= 1 && Columns >= 1 && Rows <= shape::dims[0] &&
                      Columns <= shape::dims[shape::rank >= 2 ? 1 : 0],
                  "random_crop / center_crop: the crop is larger than the image. Fix: crop to "
                  "at most the image's height and width (image_folder resizes first)");
  }
  return true;
}

template <class Shape, std::size_t Rows, std::size_t Columns>
struct cropped_features;
template <std::size_t H, std::size_t W, std::size_t Rows, std::size_t Columns>
struct cropped_features<Shape<H, W>, Rows, Columns> {
  using type = Features<Rows, Columns>;
};
template <std::size_t H, std::size_t W, std::size_t C, std::size_t Rows, std::size_t Columns>
struct cropped_features<Shape<H, W, C>, Rows, Columns> {
  using type = Features<Rows, Columns, C>;
};
}  // namespace detail

/// The stage of random_crop<Rows, Columns>() and center_crop<Rows, Columns>(): each image cut to
/// Rows x Columns, at a random place (new every pass, seeded per image as augment) or centred.
template <dataset Source, std::size_t Rows, std::size_t Columns, bool Random>
class Crop : public dataset_interface<Crop<Source, Rows, Columns, Random>> {
  static_assert(detail::crop_fits<Source, Rows, Columns>());
  using In = element_t<Source>;
  using in_shape = typename In::features_type::shape;
  static constexpr std::size_t rows = in_shape::dims[0];
  static constexpr std::size_t columns = in_shape::rank >= 2 ? in_shape::dims[in_shape::rank >= 2 ? 1 : 0] : 1;
  static constexpr std::size_t channels = in_shape::rank == 3 ? in_shape::dims[2] : 1;

public:
  /// The cropped images and their labels.
  using element_type =
      Example<typename detail::cropped_features<in_shape, Rows, Columns>::type, typename In::label_type>;
  /// As the source: a crop keeps every element.
  static constexpr Cardinality static_cardinality = Source::static_cardinality;
  /// As the source's; a random crop marks the pipeline augmented [G4].
  static constexpr pipeline_traits traits = [] {
    pipeline_traits t = Source::traits;
    if (Random) t.augmented = true;
    return t;
  }();

  /// Crops `source`'s images (`seed` draws the random places).
  Crop(Source source, Seed seed) : source_(std::move(source)), seed_(seed.value) {
    rules::check_after_prefetch<Source>(Random ? "random_crop" : "center_crop");
  }

  /// The element count over all passes.
  [[nodiscard]] Cardinality cardinality() const { return source_.cardinality(); }
  /// The element count of one epoch's pass.
  [[nodiscard]] Cardinality epoch_cardinality() const { return source_.epoch_cardinality(); }
  /// An element to fill.
  [[nodiscard]] element_type make_element() const { return {}; }
  /// The stage upstream.
  [[nodiscard]] const Source& source() const noexcept { return source_; }

  /// One pass: each source image read into a buffer of this cursor, then cut.
  class cursor {
  public:
    cursor(Crop& c, std::uint64_t pass)
        : source_(c.source_.open()), in_(c.source_.make_element()), seed_(c.seed_), pass_(pass) {}
    bool next(element_type& out) {
      if (!source_.next(in_)) return false;
      if constexpr (!Source::traits.batched) {  // (batched input is the error above)
        crop(out);
      }
      return true;
    }

  private:
    void crop(element_type& out) {
      std::size_t top = (rows - Rows) / 2, left = (columns - Columns) / 2;
      if constexpr (Random) {
        Rng rng(seed_, (pass_ << 40) ^ position_++);
        top = static_cast<std::size_t>(rng.below(rows - Rows + 1));
        left = static_cast<std::size_t>(rng.below(columns - Columns + 1));
      }
      for (std::size_t r = 0; r < Rows; ++r) {
        const float* from = in_.x.data() + ((top + r) * columns + left) * channels;
        std::copy(from, from + Columns * channels, out.x.data() + r * Columns * channels);
      }
      out.y = in_.y;
    }

    cursor_t<Source> source_;
    In in_;  // the uncropped image
    std::uint64_t seed_, pass_, position_ = 0;
  };
  /// Starts a pass; a random crop draws new places every pass.
  [[nodiscard]] cursor open() { return cursor(*this, pass_++); }

private:
  Source source_;
  std::uint64_t seed_;
  std::uint64_t pass_ = 0;
};

/// Cuts each image to Rows x Columns at a random place, new every epoch (Keras' RandomCrop in
/// training): `image_folder<256, 256, 3, L>(dir) | random_crop<224, 224>(Seed{1}) | batch<32>()`.
/// On single images (before batch); marks the pipeline augmented [G4]: its validation
/// counterpart is center_crop.
template <std::size_t Rows, std::size_t Columns>
auto random_crop(Seed seed = Seed{0}) {
  return make_stage_closure([seed]<dataset S>(S source) {
    return Crop<S, Rows, Columns, true>(std::move(source), seed);
  });
}

/// Cuts each image to its centred Rows x Columns window (Keras' CenterCrop): the evaluation
/// counterpart of random_crop.
template <std::size_t Rows, std::size_t Columns>
auto center_crop() {
  return make_stage_closure([]<dataset S>(S source) {
    return Crop<S, Rows, Columns, false>(std::move(source), Seed{0});
  });
}

}  // namespace fitcheck::data
