// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The smallest type that meets the layer contract (nn/layer.hpp): a spec whose bound layer passes
// its input through. A Sequential takes it between Dense layers, infers the shapes through it,
// and a Model trains it on the CPU.
#include <algorithm>
#include <cstddef>

#include <fitcheck/fitcheck.hpp>

namespace {
namespace fc = fitcheck;

struct Identity {
  static constexpr fc::Dims output_dims(fc::Dims in) { return in; }

  template <fc::Dims In>
  struct bind {
    using input_shape = fc::shape_t<In>;
    using output_shape = fc::shape_t<In>;
    static constexpr std::size_t param_count = 0;
    static constexpr const char* name = "Identity";

    template <class T>
    void forward(const T*, const T* x, T* y, std::size_t batch, fc::nn::mode) const {
      std::copy_n(x, batch * In.size(), y);
    }
    template <class T>
    void backward(const T*, const T*, const T*, const T* dy, T* dx, T*, std::size_t batch) const {
      if (dx != nullptr) std::copy_n(dy, batch * In.size(), dx);
    }
  };
};

using Net = fc::Sequential<fc::Input<4>, fc::Dense<8>, Identity, fc::Dense<1>, fc::Sigmoid>;
static_assert(Net::output_size == 1);
static_assert(Net::param_count == (4 * 8 + 8) + (8 * 1 + 1));

// Instantiated, not run: the Model's training step compiles with the layer in it.
[[maybe_unused]] double step(fc::Model<Net, fc::loss::BinaryCrossentropy>& model,
                             const fc::data::BatchData<fc::Features<4>, fc::BinaryLabel>& batch) {
  return model.train_step(batch);
}
}  // namespace
