// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>
#include <string>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class Rate>
consteval bool dropout_rate_fits() {
  constexpr bool is_ratio = is_std_ratio<Rate>;
  static_assert(is_ratio, "Dropout<Rate>: Rate must be a std::ratio (a float cannot be a type). "
                          "Fix: Dropout<std::ratio<1, 2>> to drop half of the units");
  if constexpr (is_ratio) {
    static_assert(Rate::num >= 0 && Rate::num < Rate::den,
                  "Dropout<Rate>: the rate must lie in [0, 1): a rate of 1 drops every unit (and "
                  "the 1 / (1 - rate) scale divides by zero), a negative one is no probability. "
                  "Fix: Dropout<std::ratio<N, D>> with 0 <= N < D, e.g. std::ratio<1, 5>");
  }
  return true;
}
}  // namespace detail

/// In training, zeroes each unit with probability Rate and scales the others by
/// 1 / (1 - Rate), so inference (the identity) sees the same expected values (Keras' inverted
/// dropout). `Dropout<std::ratio<1, 2>>`. No trainable parameters.
///
/// The mask stream is seeded from the model's initialisation stream (`init`), so one model seed
/// fixes every mask; each training forward draws a new mask, and backward reuses it. On the cuda
/// backend each training forward draws one value of that stream, and the mask is a hash of it
/// and the unit's index (kernels/dropout.hpp): as random and as reproducible, not the same masks
/// as the CPU's.
template <class Rate>
struct Dropout : detail::same_shape {
  static_assert(detail::dropout_rate_fits<Rate>());
  /// The fraction dropped, a std::ratio.
  using rate = Rate;

  template <Dims In>
  class bind {
  public:
    using input_shape = shape_t<In>;
    using output_shape = shape_t<In>;
    static constexpr std::size_t size = In.size();
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Dropout";
    /// Unit by unit, so a padding mask goes on past it.
    static constexpr bool keeps_mask = true;
    /// Runs inside the GPU's fused small-network step (kernels/gpu/fused_step.hpp).
    static constexpr bool in_fused_step = true;

    /// Takes one value of the model's stream as this layer's seed (params is empty).
    void init(std::span<float>, Rng& rng) noexcept { seed(rng()); }
    /// Restarts the mask stream: the same seed gives the same sequence of masks.
    void seed(std::uint64_t s) noexcept { rng_ = Rng(s); }
    /// The stream the masks are drawn from (a training backup keeps its position).
    [[nodiscard]] Rng& random_stream() noexcept { return rng_; }
    /// The stream the masks are drawn from.
    [[nodiscard]] const Rng& random_stream() const noexcept { return rng_; }

    /// Sizes the mask for batches of up to `max_batch` samples; forward never allocates.
    void reserve(std::size_t max_batch) {
      if (max_batch * size > keep_.size()) keep_.resize(max_batch * size);
    }

    /// Throws argument_error when a training batch exceeds what `reserve` sized (Model
    /// reserves before its first forward; direct callers must too).
    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode m, Backend be = {}) {
      masked_ = m == mode::training && Rate::num != 0;
      const std::size_t n = batch * size;
      if (!masked_) {
        kernels::copy_values(be, x, y, n);
      } else if constexpr (!is_host_backend<Backend>) {
        // A device draws its mask from a hash of one seed per step (kernels/dropout.hpp).
        device_seed_ = rng_();
        kernels::dropout_forward(be, device_seed_, Rate::num, Rate::den, x, y, n);
      } else {
        if (n > keep_.size())
          throw argument_error("Dropout: a training batch of " + std::to_string(batch) +
                                   " samples, but reserve() sized the mask for " +
                                   std::to_string(keep_.size() / size),
                               "call reserve(max_batch) before forward (Model does this itself)");
        const T scale = T(Rate::den) / T(Rate::den - Rate::num);
        for (std::size_t i = 0; i < n; ++i) {
          // below(den) < num has probability num / den exactly, unlike a float threshold.
          keep_[i] = rng_.below(std::uint64_t(Rate::den)) >= std::uint64_t(Rate::num);
          y[i] = keep_[i] ? x[i] * scale : T(0);
        }
      }
    }

    template <class T, class Backend = cpu_t>
    void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const noexcept(is_host_backend<Backend>) {
      const std::size_t n = batch * size;
      if (dx == nullptr) {
        return;
      } else if (!masked_) {
        kernels::copy_values(be, dy, dx, n);
      } else if constexpr (!is_host_backend<Backend>) {
        kernels::dropout_backward(be, device_seed_, Rate::num, Rate::den, dy, dx, n);
      } else {
        const T scale = T(Rate::den) / T(Rate::den - Rate::num);
        for (std::size_t i = 0; i < n; ++i) dx[i] = keep_[i] ? dy[i] * scale : T(0);
      }
    }

    /// Whether unit i of the last training forward was kept (row-major over the batch).
    [[nodiscard]] bool kept(std::size_t i) const noexcept { return keep_[i] != 0; }

  private:
    Rng rng_{0};
    std::vector<std::uint8_t> keep_;
    std::uint64_t device_seed_ = 0;  // the mask of the last device forward
    bool masked_ = false;
  };
};

}  // namespace fitcheck::nn
