// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/batch_norm.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/kernels/state_buffer.hpp>
#include <fitcheck/data/dataset.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
template <class DataShape, class LayerShape>
consteval bool normalization_data_fits() {
  static_assert(std::is_same_v<DataShape, LayerShape>,
                "Normalization::adapt: the data's feature shape differs from the layer's input "
                "shape, so the statistics would belong to other features. Fix: adapt on the "
                "pipeline the model reads (before any map that changes the shape), or move "
                "Normalization to where the model sees that shape");
  return true;
}

template <class Layer, class Data>
consteval bool adaptable_layer() {
  static_assert(requires(Layer& l, Data& d) { l.adapt(d); },
                "adapt<I>: layer I of the model is not a Normalization (it has no adapt), or "
                "the pipeline is no dataset. Fix: pass the index of the Normalization layer, "
                "counting from 0 after Input");
  return true;
}
}  // namespace detail

/// Per-feature standardisation over the last axis, as Keras' `Normalization(axis=-1)`:
/// y = (x - mean) / sqrt(variance). A feature that is constant in the adapted data (sqrt(variance)
/// below 1e-7) is centred but not scaled, as scikit-learn's StandardScaler does. Keras divides
/// by max(sqrt(variance), 1e-7) instead, which maps a value the adapted data never had (an edge
/// pixel that was always 0) to about 1e7 and wrecks the loss on new data.
///
/// mean and variance are non-trainable state of the bound layer, set by `adapt(pipeline)` (one
/// pass, population variance as Keras) or `set_statistics(mean, variance)`. Until then the
/// layer is the identity (mean 0, variance 1) and `adapted()` is false; nothing is learned
/// about the data behind the user's back.
struct Normalization : detail::same_shape {
  template <Dims In>
  class bind {
  public:
    using input_shape = shape_t<In>;
    using output_shape = shape_t<In>;
    static constexpr std::size_t size = In.size();
    /// Statistics are kept per index of the last axis.
    static constexpr std::size_t features = In.rank == 0 ? 1 : In.extent[In.rank - 1];
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Normalization";
    static constexpr double epsilon = 1e-7;
    /// Saved with the weights: the means, the variances, then 1 if adapted (0 if not).
    static constexpr std::size_t state_count = 2 * features + 1;
    /// Keras' mean and variance (features each), and whether adapt set them (a scalar, 1 or 0).
    static constexpr std::array<tensor_spec, 3> tensors = {
        {{"mean", true, 0, 1, {features}},
         {"variance", true, features, 1, {features}},
         {"adapted", true, 2 * features, 0, {}}}};

    bind() : mean_(features, 0.0), variance_(features, 1.0), stats_(2 * features, 1.0) {
      std::fill_n(stats_.begin(), features, 0.0);
    }

    /// Whether mean and variance come from data (adapt) or the user (set_statistics).
    [[nodiscard]] bool adapted() const noexcept { return adapted_; }
    [[nodiscard]] std::span<const double> mean() const noexcept { return mean_; }
    [[nodiscard]] std::span<const double> variance() const noexcept { return variance_; }

    /// Explicit statistics, one value per feature (Keras' `mean=`, `variance=`). Throws
    /// shape_error on a wrong count and argument_error on a negative or non-finite value.
    void set_statistics(std::span<const double> mean, std::span<const double> variance) {
      if (mean.size() != features || variance.size() != features)
        throw shape_error("Normalization: " + std::to_string(mean.size()) + " means and " +
                              std::to_string(variance.size()) + " variances for " +
                              std::to_string(features) + " features (the last axis of " +
                              format_shape<input_shape>() + ")",
                          "pass one mean and one variance per feature, or one of each for all");
      for (std::size_t j = 0; j < features; ++j)
        if (!std::isfinite(mean[j]) || !std::isfinite(variance[j]) || variance[j] < 0)
          throw argument_error("Normalization: feature " + std::to_string(j) + " has mean " +
                                   std::to_string(mean[j]) + " and variance " +
                                   std::to_string(variance[j]),
                               "means must be finite and variances finite and >= 0");
      std::copy(mean.begin(), mean.end(), mean_.begin());
      std::copy(variance.begin(), variance.end(), variance_.begin());
      finish();
    }
    /// The same mean and variance for every feature.
    void set_statistics(double mean, double variance) {
      const std::vector<double> m(features, mean), v(features, variance);
      set_statistics(m, v);
    }

    /// Mean and variance of every feature over one pass of `data` (single samples or
    /// batches), in double with Welford's update so large offsets do not cancel. Throws
    /// data_error on an empty pass or a non-finite value (naming sample and feature).
    template <data::dataset P>
    void adapt(P& data) {
      using E = data::element_t<P>;
      static_assert(detail::normalization_data_fits<typename E::features_type::shape,
                                                    input_shape>());
      std::vector<double> mean(features, 0.0), m2(features, 0.0);
      double rows = 0;
      std::size_t sample = 0;
      auto add = [&](const float* x) {
        for (std::size_t r = 0; r < size / features; ++r, ++rows) {
          const float* xr = x + r * features;
          for (std::size_t j = 0; j < features; ++j) {
            const double v = xr[j];
            if (!std::isfinite(v))
              throw data_error("Normalization::adapt: sample " + std::to_string(sample) +
                                   ", feature " + std::to_string(j) + " is " + std::to_string(v),
                               "remove or impute non-finite values before adapting [D2]");
            const double delta = v - mean[j];
            mean[j] += delta / (rows + 1);
            m2[j] += delta * (v - mean[j]);
          }
        }
        ++sample;
      };
      auto cursor = data.open();
      E element = data.make_element();
      while (cursor.next(element)) {
        if constexpr (data::batch_data<E>) {
          for (std::size_t i = 0; i < element.size(); ++i) add(element.x_data() + i * size);
        } else {
          add(element.x.data());
        }
      }
      if (sample == 0)
        throw data_error("Normalization::adapt: the pipeline produced no samples",
                         "adapt on the training data, before fit");
      mean_ = std::move(mean);
      for (std::size_t j = 0; j < features; ++j) variance_[j] = m2[j] / rows;
      finish();
    }

    template <class T, class Backend = cpu_t>
    void forward(const T*, const T* x, T* y, std::size_t batch, mode, Backend be = {}) const
        noexcept(is_host_backend<Backend>) {
      kernels::normalize_forward(be, x, y, batch * (size / features), features, stats(be));
    }
    template <class T, class Backend = cpu_t>
    void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch,
                  Backend be = {}) const noexcept(is_host_backend<Backend>) {
      if (dx != nullptr)
        kernels::normalize_backward(be, dy, dx, batch * (size / features), features, stats(be));
    }

    /// Writes the state save_weights keeps (state_count values).
    void save_state(std::span<double> out) const noexcept {
      std::copy(mean_.begin(), mean_.end(), out.begin());
      std::copy(variance_.begin(), variance_.end(), out.begin() + features);
      out[2 * features] = adapted_ ? 1.0 : 0.0;
    }
    /// Restores what save_state wrote. Values no adapt could produce (non-finite, a negative
    /// variance, a flag other than 0 or 1) are a data_error and change nothing.
    void load_state(std::span<const double> in) {
      const double flag = in[2 * features];
      if (flag != 0.0 && flag != 1.0)
        throw data_error("Normalization: the saved 'adapted' flag is " + std::to_string(flag) +
                             ", not 0 or 1",
                         "the weights file was not written by fitcheck's save_weights; save "
                         "the weights again");
      for (std::size_t j = 0; j < features; ++j) {
        const double m = in[j], v = in[features + j];
        if (!std::isfinite(m) || !std::isfinite(v) || v < 0)
          throw data_error("Normalization: the saved statistics of feature " + std::to_string(j) +
                               " are mean " + std::to_string(m) + " and variance " +
                               std::to_string(v),
                           "means must be finite and variances finite and >= 0; adapt the "
                           "layer again and save the weights again");
      }
      std::copy(in.begin(), in.begin() + features, mean_.begin());
      std::copy(in.begin() + features, in.begin() + 2 * features, variance_.begin());
      finish();
      adapted_ = flag == 1.0;
    }

  private:
    void finish() {
      for (std::size_t j = 0; j < features; ++j) {
        stats_[j] = mean_[j];
        stats_[features + j] =
            std::sqrt(variance_[j]) < epsilon ? 1.0 : 1.0 / std::sqrt(variance_[j]);
      }
      device_current_ = false;
      adapted_ = true;
    }
    // The means, then the inverse standard deviations, in the backend's memory: a device takes a
    // copy on its first forward and again after the statistics change.
    template <class Backend>
    const double* stats(Backend be) const {
      if constexpr (is_host_backend<Backend>) {
        return stats_.data();
      } else {
        if (device_.empty()) device_ = kernels::allocate_state(be, stats_.size());
        if (!device_current_) device_.upload(stats_.data());
        device_current_ = true;
        return device_.data();
      }
    }

    std::vector<double> mean_, variance_, stats_;
    mutable kernels::state_buffer device_;
    mutable bool device_current_ = false;
    bool adapted_ = false;
  };
};

/// Adapts the Normalization at index I (counting from 0 after Input) of a Sequential:
/// `nn::adapt<0>(model.network_layers(), train)`.
template <std::size_t I, class Net, data::dataset P>
void adapt(Net& net, P& data) {
  using L = std::tuple_element_t<I, std::remove_cvref_t<decltype(net.layers())>>;
  static_assert(detail::adaptable_layer<L, P>());
  if constexpr (requires(L& l) { l.adapt(data); }) std::get<I>(net.layers()).adapt(data);
}

}  // namespace fitcheck::nn
