// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/gemm.hpp>
#include <fitcheck/kernels/recurrent.hpp>
#include <fitcheck/nn/layer.hpp>

// Keras' LSTM, trained by backpropagation through time. The input products of every step are one
// GEMM over the whole batch and sequence; only the recurrent product runs step by step. The
// forward pass keeps each step's gates and cell state (the layer's per-sample workspace, counted
// by the memory plan); the backward pass writes every step's pre-activation gradients beside
// them, so the weight gradients are again whole-sequence GEMMs (and a second backward of the
// same forward gives the same gradients).

namespace fitcheck::nn {

/// What a recurrent layer returns: the output of its last step (Keras' default), or the output of
/// every step (`return_sequences=True`), which a second recurrent layer or Conv1D reads.
enum class sequence_output : std::uint8_t {
  last,  ///< (Units): the last step's output
  all,   ///< (timesteps, Units): every step's output
};
/// Keras' `return_sequences=True`: `LSTM<64, return_sequences>`.
inline constexpr sequence_output return_sequences = sequence_output::all;

namespace detail {
// Each number a template argument, so that the diagnostic shows them.
template <std::size_t Units, std::size_t Rank>
consteval bool recurrent_input_fits() {
  static_assert(Units >= 1, "LSTM<Units>: a layer of 0 units outputs nothing. Fix: Units >= 1, "
                            "e.g. LSTM<64>");
  static_assert(Rank == 2,
                "LSTM takes (timesteps, features) samples (rank 2), and the layer before gives "
                "another rank [C1] (its position and shape are in the lines above). Fix: after "
                "an LSTM that returns only its last step, give that one fc::return_sequences "
                "(LSTM<64, fc::return_sequences>); before the first one, Embedding<V, D> for "
                "token indices or Input<Timesteps, Features>");
  return true;
}

/// Keras' orthogonal initialiser for a (rows, cols) matrix, rows <= cols: the Q of a standard
/// normal matrix's QR (signs fixed so that R has a positive diagonal, which Gram-Schmidt gives),
/// transposed, so that the rows are orthonormal.
inline void orthogonal_rows(std::span<float> out, std::size_t rows, std::size_t cols, Rng& rng) {
  std::vector<double> q(rows * cols);  // row r: column r of the (cols x rows) normal matrix
  for (double& v : q) {
    // Box-Muller; 1 - u lies in (0, 1], so the log is finite.
    const double u1 = 1.0 - double(rng.uniform_float()), u2 = double(rng.uniform_float());
    v = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    double* v = q.data() + r * cols;
    for (std::size_t s = 0; s < r; ++s) {  // modified Gram-Schmidt
      const double* w = q.data() + s * cols;
      double dot = 0;
      for (std::size_t j = 0; j < cols; ++j) dot += v[j] * w[j];
      for (std::size_t j = 0; j < cols; ++j) v[j] -= dot * w[j];
    }
    double norm = 0;
    for (std::size_t j = 0; j < cols; ++j) norm += v[j] * v[j];
    norm = std::sqrt(norm);
    for (std::size_t j = 0; j < cols; ++j) v[j] /= norm;
  }
  for (std::size_t i = 0; i < rows * cols; ++i) out[i] = static_cast<float>(q[i]);
}

}  // namespace detail

/// Keras' `LSTM(Units)`: a long short-term memory layer over (timesteps, features) samples,
/// returning the last step's output (Units), or with `return_sequences` every step's
/// (timesteps, Units). Keras' defaults: tanh activation, sigmoid recurrent activation, the gates
/// in Keras' (and PyTorch's) order input, forget, cell, output; the kernel glorot-uniform, the
/// recurrent kernel orthogonal, the bias zero but 1 for the forget gate (`unit_forget_bias`).
/// The state starts at zero for every sample (not stateful). Host CPU only.
template <std::size_t Units, sequence_output Output = sequence_output::last>
struct LSTM {
  /// (Units), or (timesteps, Units) with return_sequences.
  static constexpr Dims output_dims(Dims in) {
    if constexpr (Output == sequence_output::all) return Dims{2, {in.extent[0], Units}};
    else return Dims{1, {Units}};
  }

  template <Dims In>
  class bind {
    static_assert(detail::recurrent_input_fits<Units, In.rank>());
    static constexpr bool sequences = Output == sequence_output::all;

  public:
    static constexpr std::size_t steps = In.extent[0];
    static constexpr std::size_t features = In.rank == 2 ? In.extent[1] : 1;
    static constexpr std::size_t gates = 4 * Units;
    using input_shape = Shape<steps, features>;
    using output_shape =
        std::conditional_t<sequences, Shape<steps, Units>, Shape<Units>>;
    /// Offsets in the layer's slice: kernel (features, 4 Units), recurrent kernel (Units,
    /// 4 Units), bias (4 Units); the gates' columns in the order i, f, c, o.
    static constexpr std::size_t kernel_offset = 0;
    static constexpr std::size_t recurrent_offset = features * gates;
    static constexpr std::size_t bias_offset = recurrent_offset + Units * gates;
    static constexpr std::size_t param_count = bias_offset + gates;
    static constexpr const char* name = "LSTM";
    /// Keras 3's weights: lstm_cell/kernel, lstm_cell/recurrent_kernel, lstm_cell/bias.
    static constexpr std::array<tensor_spec, 3> tensors = {
        {{"lstm_cell/kernel", false, kernel_offset, 2, {features, gates}},
         {"lstm_cell/recurrent_kernel", false, recurrent_offset, 2, {Units, gates}},
         {"lstm_cell/bias", false, bias_offset, 1, {gates}}}};
    /// Per sample: every step's gates, their gradients and the cell state, the hidden states
    /// when the output does not hold them, and the backward pass's carried gradients (the memory
    /// plan counts them).
    static constexpr std::size_t sample_workspace_floats =
        2 * steps * gates + steps * Units + (sequences ? 0 : steps * Units) + 2 * Units;

    void init(std::span<float> p, Rng& rng) const {
      const double limit = std::sqrt(6.0 / double(features + gates));
      for (std::size_t i = 0; i < recurrent_offset; ++i)
        p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * limit);
      detail::orthogonal_rows(p.subspan(recurrent_offset, Units * gates), Units, gates, rng);
      for (std::size_t g = 0; g < gates; ++g)
        p[bias_offset + g] = g >= Units && g < 2 * Units ? 1.0f : 0.0f;
    }

    /// Sizes the workspace for batches of up to `max_batch`: forward and backward then allocate
    /// nothing.
    void reserve(std::size_t max_batch) {
      if (max_batch * sample_workspace_floats > work_.size())
        work_.resize(max_batch * sample_workspace_floats);
    }

    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode) {
      const parts<T> w = work<T>(batch);
      T* h = sequences ? y : w.hidden;
      kernels::gemm_bias_act(cpu_t{}, {.m = batch * steps, .n = gates, .k = features}, x, features,
                             p + kernel_offset, gates, p + bias_offset,
                             kernels::activation::identity, static_cast<T*>(nullptr), w.gates,
                             gates);
      for (std::size_t t = 0; t < steps; ++t) {
        if (t > 0)
          kernels::gemm(cpu_t{}, {.m = batch, .n = gates, .k = Units}, T(1),
                        h + (t - 1) * Units, steps * Units, p + recurrent_offset, gates, T(1),
                        w.gates + t * gates, steps * gates);
        kernels::lstm_step_forward(
            cpu_t{}, kernels::lstm_step<T>{.rows = batch,
                                           .units = Units,
                                           .z = w.gates + t * gates,
                                           .ldz = steps * gates,
                                           .c_prev = t > 0 ? w.cells + (t - 1) * Units : nullptr,
                                           .c = w.cells + t * Units,
                                           .ldc = steps * Units,
                                           .h = h + t * Units,
                                           .ldh = steps * Units});
      }
      if constexpr (!sequences)
        for (std::size_t b = 0; b < batch; ++b)
          for (std::size_t u = 0; u < Units; ++u)
            y[b * Units + u] = h[(b * steps + steps - 1) * Units + u];
    }

    /// Backpropagation through time from the gates and cell states of the last forward pass,
    /// which must have run on the same batch.
    template <class T>
    void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp,
                  std::size_t batch) {
      const parts<T> w = work<T>(batch);
      const T* h = sequences ? y : w.hidden;
      T* dh = w.carry;               // dL/dh of the step after, through the recurrence
      T* dc = w.carry + batch * Units;  // dL/dc of the step after
      for (std::size_t i = 0; i < 2 * batch * Units; ++i) w.carry[i] = T(0);
      for (std::size_t t = steps; t-- > 0;) {
        const T* dy_t = nullptr;
        if constexpr (sequences) dy_t = dy + t * Units;
        else if (t == steps - 1) dy_t = dy;
        kernels::lstm_step_backward(
            cpu_t{}, kernels::lstm_step_grad<T>{.rows = batch,
                                                .units = Units,
                                                .z = w.gates + t * gates,
                                                .dz = w.grads + t * gates,
                                                .ldz = steps * gates,
                                                .c_prev = t > 0 ? w.cells + (t - 1) * Units
                                                                : nullptr,
                                                .c = w.cells + t * Units,
                                                .ldc = steps * Units,
                                                .dy = dy_t,
                                                .ldy = sequences ? steps * Units : Units,
                                                .dh = dh,
                                                .dc = dc});
        if (t > 0)
          kernels::gemm(cpu_t{}, {.tb = kernels::trans::yes, .m = batch, .n = Units, .k = gates},
                        T(1), w.grads + t * gates, steps * gates, p + recurrent_offset, gates, T(0),
                        dh, Units);
      }
      // dL/dz of every step is known: the weight gradients are whole-sequence products.
      kernels::gemm(cpu_t{},
                    {.ta = kernels::trans::yes, .m = features, .n = gates, .k = batch * steps},
                    T(1), x, features, w.grads, gates, T(0), dp + kernel_offset, gates);
      for (std::size_t i = 0; i < Units * gates; ++i) dp[recurrent_offset + i] = T(0);
      if (steps > 1)
        for (std::size_t b = 0; b < batch; ++b)
          kernels::gemm(cpu_t{},
                        {.ta = kernels::trans::yes, .m = Units, .n = gates, .k = steps - 1}, T(1),
                        h + b * steps * Units, Units, w.grads + (b * steps + 1) * gates, gates,
                        T(1), dp + recurrent_offset, gates);
      kernels::column_sums(cpu_t{}, w.grads, dp + bias_offset, batch * steps, gates);
      if (dx != nullptr)
        kernels::gemm(cpu_t{},
                      {.tb = kernels::trans::yes, .m = batch * steps, .n = features, .k = gates},
                      T(1), w.grads, gates, p + kernel_offset, gates, T(0), dx, features);
    }

  private:
    template <class T>
    struct parts {
      T* gates;   // (batch, steps, 4 Units): pre-activations, then the gates' values
      T* grads;   // (batch, steps, 4 Units): dL/d(pre-activation)
      T* cells;   // (batch, steps, Units)
      T* hidden;  // (batch, steps, Units) when the output does not hold them
      T* carry;   // 2 x (batch, Units)
    };
    // float runs in the reserved workspace; double (the gradient checks) in its own.
    template <class T>
    parts<T> work(std::size_t batch) {
      std::vector<T>& v = [&]() -> std::vector<T>& {
        if constexpr (std::is_same_v<T, float>) return work_;
        else return work_other_;
      }();
      if (v.size() < batch * sample_workspace_floats) v.resize(batch * sample_workspace_floats);
      T* at = v.data();
      parts<T> s{};
      s.gates = at;
      at += batch * steps * gates;
      s.grads = at;
      at += batch * steps * gates;
      s.cells = at;
      at += batch * steps * Units;
      if constexpr (!sequences) {
        s.hidden = at;
        at += batch * steps * Units;
      }
      s.carry = at;
      return s;
    }

    std::vector<float> work_;
    std::vector<double> work_other_;
  };
};

}  // namespace fitcheck::nn
