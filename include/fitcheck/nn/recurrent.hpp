// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/dropout.hpp>
#include <fitcheck/kernels/gemm.hpp>
#include <fitcheck/kernels/recurrent.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/workspace.hpp>

// Keras' LSTM and GRU, trained by backpropagation through time. The input products of every step
// are one GEMM over the whole batch and sequence; only the recurrent product runs step by step,
// then one element-wise kernel per step (kernels/recurrent.hpp). The forward pass keeps each
// step's gates and state (the layer's per-sample workspace, counted by the memory plan); the
// backward pass writes every step's pre-activation gradients beside them, so the weight gradients
// are again whole-sequence GEMMs (and a second backward of the same forward gives the same
// gradients).

namespace fitcheck::nn {

/// What a recurrent layer returns: the output of its last step (Keras' default), or the output of
/// every step (`return_sequences=True`), which a second recurrent layer or Conv1D reads.
enum class sequence_output : std::uint8_t {
  last,  ///< (Units): the last step's output
  all,   ///< (timesteps, Units): every step's output
};
/// Keras' `return_sequences=True`: `LSTM<64, return_sequences>`, `GRU<64, return_sequences>`.
inline constexpr sequence_output return_sequences = sequence_output::all;
/// Keras' default `return_sequences=False`, to spell out before the dropout rates:
/// `LSTM<64, fc::last_step, std::ratio<1, 5>, std::ratio<1, 5>>`.
inline constexpr sequence_output last_step = sequence_output::last;

namespace detail {
// Each number a template argument, so that the diagnostic shows them.
template <std::size_t Units, std::size_t Rank>
consteval bool recurrent_input_fits() {
  static_assert(Units >= 1,
                "LSTM<Units>, GRU<Units>, SimpleRNN<Units>: a layer of 0 units outputs nothing. "
                "Fix: Units >= 1, e.g. LSTM<64>");
  static_assert(
      Rank == 2,
      "LSTM, GRU and SimpleRNN take (timesteps, features) samples (rank 2), and the layer "
      "before gives another rank [C1] (its position and shape are in the lines above). "
      "Fix: "
      "after a recurrent layer that returns only its last step, give that one "
      "fc::return_sequences (LSTM<64, fc::return_sequences>); before the first one, "
      "Embedding<V, D> for token indices or Input<Timesteps, Features>");
  return true;
}

template <class Rate>
consteval bool recurrent_dropout_fits() {
  static_assert(is_std_ratio<Rate>,
                "LSTM, GRU, SimpleRNN<Units, Output, DropoutRate, RecurrentDropoutRate>: a dropout "
                "rate must be a std::ratio (a float cannot be a type). Fix: LSTM<64, "
                "fc::last_step, std::ratio<1, 5>, std::ratio<1, 5>> for Keras' dropout=0.2, "
                "recurrent_dropout=0.2");
  if constexpr (is_std_ratio<Rate>)
    static_assert(Rate::num >= 0 && Rate::num < Rate::den,
                  "LSTM, GRU, SimpleRNN: a dropout rate must lie in [0, 1): a rate of 1 would drop "
                  "every input (Keras then silently drops none), a negative one is no probability. "
                  "Fix: std::ratio<N, D> with 0 <= N < D, e.g. std::ratio<1, 5>");
  return true;
}
// The rate, or 0 after the error above (one diagnostic, not a cascade).
template <class Rate>
using rate_or_zero = std::conditional_t<is_std_ratio<Rate>, Rate, std::ratio<0>>;

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

/// What LSTM, GRU and SimpleRNN share: the shapes, the products around the element-wise step (one
/// GEMM per whole sequence, one per step for the recurrence), the initialisers, the workspace,
/// and Keras' `dropout` (of the inputs) and `recurrent_dropout` (of the state the recurrent
/// kernel reads): variational dropout, each mask drawn once per sample and batch and the same at
/// every step (Keras' DropoutRNNCell). With `recurrent_dropout`, each gate has its own masks of
/// the input and of the state (Keras 3 then runs its implementation 1); with `dropout` alone, one
/// mask of the input serves every gate (its implementation 2 and cuDNN path).
template <std::size_t Units, sequence_output Output, Dims In, std::size_t GatesPerUnit,
          class InputRate, class StateRate>
class recurrent_base {
  static_assert(recurrent_input_fits<Units, In.rank>());

 public:
  static constexpr bool sequences = Output == sequence_output::all;
  static constexpr std::size_t steps = In.extent[0];
  static constexpr std::size_t features = In.rank == 2 ? In.extent[1] : 1;
  static constexpr std::size_t gates = GatesPerUnit * Units;
  using input_shape = Shape<steps, features>;
  using output_shape = std::conditional_t<sequences, Shape<steps, Units>, Shape<Units>>;
  /// Offsets in the layer's slice: kernel (features, gates), recurrent kernel (Units, gates),
  /// then the bias or biases.
  static constexpr std::size_t kernel_offset = 0;
  static constexpr std::size_t recurrent_offset = features * gates;
  static constexpr std::size_t bias_offset = recurrent_offset + Units * gates;
  /// Carries a state from step to step (the pre-flight scan's [I2] looks for it).
  static constexpr bool recurrent_layer = true;
  /// Skips the steps an Embedding with mask_zero marks as padding: the state carries over them.
  static constexpr bool reads_mask = true;
  /// Every step's output keeps the input's steps, so the mask goes on (Keras' compute_mask).
  static constexpr bool keeps_mask = sequences;

  /// Keras' `dropout` and `recurrent_dropout`, std::ratio fractions.
  using dropout_rate = InputRate;
  using recurrent_dropout_rate = StateRate;
  static constexpr bool drops_inputs = InputRate::num != 0;
  static constexpr bool drops_states = StateRate::num != 0;
  /// Masks per sample: of the input (features each), of the state (Units each).
  static constexpr std::size_t input_masks = !drops_inputs ? 0 : drops_states ? GatesPerUnit : 1;
  static constexpr std::size_t state_masks = drops_states ? GatesPerUnit : 0;
  /// The dropout's share of the per-sample workspace: the masks, the input times one mask (in
  /// backward its gradient), a step's state times one mask (its gradient).
  static constexpr std::size_t dropout_sample_floats =
      input_masks * features + state_masks * Units + (drops_inputs ? steps * features : 0) +
      (drops_states ? Units : 0);
  /// One sample's recurrent kernel gradient before its state masks scale it.
  static constexpr std::size_t workspace_floats = drops_states ? Units * gates : 0;

  /// Restarts the mask stream (only with a dropout rate): the same seed, the same masks.
  void seed(std::uint64_t s) noexcept requires(drops_inputs || drops_states) { rng_ = Rng(s); }
  /// The stream the masks are drawn from (a training backup keeps its position).
  [[nodiscard]] Rng& random_stream() noexcept requires(drops_inputs || drops_states) {
    return rng_;
  }
  [[nodiscard]] const Rng& random_stream() const noexcept requires(drops_inputs || drops_states) {
    return rng_;
  }
  /// Whether the last training forward kept input `feature` of `sample` in input mask `mask`
  /// (one mask, or one per gate in the gates' order), and state unit `unit` in state mask `mask`.
  [[nodiscard]] bool input_kept(std::size_t sample, std::size_t mask,
                                std::size_t feature) const noexcept requires drops_inputs {
    return keeps<InputRate>(input_seed_, (sample * input_masks + mask) * features + feature);
  }
  [[nodiscard]] bool state_kept(std::size_t sample, std::size_t mask,
                                std::size_t unit) const noexcept requires drops_states {
    return keeps<StateRate>(state_seed_, (sample * state_masks + mask) * Units + unit);
  }

 protected:
  // Keras' defaults: the kernel glorot-uniform over (features, gates), the recurrent kernel
  // orthogonal; the biases are the layer's. With dropout, then the mask stream's seed.
  void init_kernels(std::span<float> p, Rng& rng) {
    const double limit = std::sqrt(6.0 / double(features + gates));
    for (std::size_t i = 0; i < recurrent_offset; ++i)
      p[i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * limit);
    orthogonal_rows(p.subspan(recurrent_offset, Units * gates), Units, gates, rng);
    if constexpr (drops_inputs || drops_states) rng_ = Rng(rng());
  }

  // A training forward draws new masks for its batch; any other runs without.
  template <class T>
  void draw_masks(mode run, std::size_t batch) {
    dropping_ = (drops_inputs || drops_states) && run == mode::training;
    if (!dropping_) return;
    batch_ = batch;
    const dropout_parts<T> d = dropout_work<T>(batch);
    if constexpr (drops_inputs) input_seed_ = rng_();
    if constexpr (drops_states) state_seed_ = rng_();
    draw(InputRate{}, input_seed_, d.input_mask, batch * input_masks * features);
    draw(StateRate{}, state_seed_, d.state_mask, batch * state_masks * Units);
  }

  // z = x W + b for every step of every sample: rows (sample, step), `gates` wide. With input
  // dropout, each mask's gates read the input times that mask.
  template <class T>
  void input_products(const T* p, const T* x, const T* bias, T* z, std::size_t batch) {
    if (!(drops_inputs && dropping_)) {
      kernels::gemm_bias_act(cpu_t{}, {.m = batch * steps, .n = gates, .k = features}, x, features,
                             p + kernel_offset, gates, bias, kernels::activation::identity,
                             static_cast<T*>(nullptr), z, gates);
      return;
    }
    const dropout_parts<T> d = dropout_work<T>(batch);
    constexpr std::size_t cols = gates / std::max<std::size_t>(input_masks, 1);
    for (std::size_t k = 0; k < input_masks; ++k) {
      mask_inputs(x, d.input_mask, k, d.inputs, batch, false);
      kernels::gemm_bias_act(cpu_t{}, {.m = batch * steps, .n = cols, .k = features}, d.inputs,
                             features, p + kernel_offset + k * cols, gates, bias + k * cols,
                             kernels::activation::identity, static_cast<T*>(nullptr), z + k * cols,
                             gates);
    }
  }
  // z_t (+)= h_{t-1} R over the `rows` samples from `first`: h_prev and z_t point at step rows
  // of (sample, step) data. With recurrent dropout, gate g reads h_{t-1} times mask g.
  template <class T>
  void recurrent_product(const T* p, const T* h_prev, T beta, T* z_t, std::size_t first,
                         std::size_t rows) {
    if (!(drops_states && dropping_)) {
      kernels::gemm(cpu_t{}, {.m = rows, .n = gates, .k = Units}, T(1), h_prev, steps * Units,
                    p + recurrent_offset, gates, beta, z_t, steps * gates);
      return;
    }
    const dropout_parts<T> d = dropout_work<T>(batch_);
    T* masked = d.state + first * Units;
    for (std::size_t g = 0; g < state_masks; ++g) {
      for (std::size_t b = 0; b < rows; ++b) {
        const T* r = state_mask_of(d, first + b, g);
        for (std::size_t u = 0; u < Units; ++u)
          masked[b * Units + u] = h_prev[b * steps * Units + u] * r[u];
      }
      kernels::gemm(cpu_t{}, {.m = rows, .n = Units, .k = Units}, T(1), masked, Units,
                    p + recurrent_offset + g * Units, gates, beta, z_t + g * Units, steps * gates);
    }
  }
  // dh (+)= dz_t R^T: the hidden state's gradient through the recurrence (through the masks).
  template <class T>
  void recurrent_gradient(const T* p, const T* dz_t, T beta, T* dh, std::size_t first,
                          std::size_t rows) {
    if (!(drops_states && dropping_)) {
      kernels::gemm(cpu_t{}, {.tb = kernels::trans::yes, .m = rows, .n = Units, .k = gates}, T(1),
                    dz_t, steps * gates, p + recurrent_offset, gates, beta, dh, Units);
      return;
    }
    const dropout_parts<T> d = dropout_work<T>(batch_);
    T* part = d.state + first * Units;
    if (beta == T(0))
      for (std::size_t i = 0; i < rows * Units; ++i) dh[i] = T(0);
    for (std::size_t g = 0; g < state_masks; ++g) {
      kernels::gemm(cpu_t{}, {.tb = kernels::trans::yes, .m = rows, .n = Units, .k = Units}, T(1),
                    dz_t + g * Units, steps * gates, p + recurrent_offset + g * Units, gates, T(0),
                    part, Units);
      for (std::size_t b = 0; b < rows; ++b) {
        const T* r = state_mask_of(d, first + b, g);
        for (std::size_t u = 0; u < Units; ++u) dh[b * Units + u] += part[b * Units + u] * r[u];
      }
    }
  }
  // From every step's pre-activation gradients, dzx of the input parts and dzh of the recurrent
  // parts (the same for an LSTM): dW = x^T dzx, dR = the sum over samples and steps of
  // h_{t-1}^T dzh_t, and dx = dzx W^T unless dx is null; each through the forward's masks.
  template <class T>
  void weight_gradients(const T* p, const T* x, const T* h, const T* dzx, const T* dzh, T* dx,
                        T* dp, std::size_t batch) {
    const bool inputs_dropped = drops_inputs && dropping_,
               states_dropped = drops_states && dropping_;
    const dropout_parts<T> d =
        inputs_dropped || states_dropped ? dropout_work<T>(batch) : dropout_parts<T>{};
    constexpr std::size_t cols = gates / std::max<std::size_t>(input_masks, 1);
    if (!inputs_dropped)
      kernels::gemm(cpu_t{},
                    {.ta = kernels::trans::yes, .m = features, .n = gates, .k = batch * steps},
                    T(1), x, features, dzx, gates, T(0), dp + kernel_offset, gates);
    for (std::size_t k = 0; inputs_dropped && k < input_masks; ++k) {
      mask_inputs(x, d.input_mask, k, d.inputs, batch, false);
      kernels::gemm(
          cpu_t{}, {.ta = kernels::trans::yes, .m = features, .n = cols, .k = batch * steps}, T(1),
          d.inputs, features, dzx + k * cols, gates, T(0), dp + kernel_offset + k * cols, gates);
    }
    for (std::size_t i = 0; i < Units * gates; ++i) dp[recurrent_offset + i] = T(0);
    for (std::size_t b = 0; b < batch && steps > 1; ++b) {
      const kernels::gemm_args product{
          .ta = kernels::trans::yes, .m = Units, .n = gates, .k = steps - 1};
      if (!states_dropped) {
        kernels::gemm(cpu_t{}, product, T(1), h + b * steps * Units, Units,
                      dzh + (b * steps + 1) * gates, gates, T(1), dp + recurrent_offset, gates);
        continue;
      }
      // Mask g scales row u of gate g's columns: (h r_g)^T dz = diag(r_g) h^T dz.
      kernels::gemm(cpu_t{}, product, T(1), h + b * steps * Units, Units,
                    dzh + (b * steps + 1) * gates, gates, T(0), d.kernel_grad, gates);
      for (std::size_t g = 0; g < state_masks; ++g) {
        const T* r = state_mask_of(d, b, g);
        for (std::size_t u = 0; u < Units; ++u)
          for (std::size_t j = g * Units; j < (g + 1) * Units; ++j)
            dp[recurrent_offset + u * gates + j] += r[u] * d.kernel_grad[u * gates + j];
      }
    }
    if (dx == nullptr) return;
    if (!inputs_dropped)
      kernels::gemm(cpu_t{},
                    {.tb = kernels::trans::yes, .m = batch * steps, .n = features, .k = gates},
                    T(1), dzx, gates, p + kernel_offset, gates, T(0), dx, features);
    for (std::size_t k = 0; inputs_dropped && k < input_masks; ++k) {
      kernels::gemm(
          cpu_t{}, {.tb = kernels::trans::yes, .m = batch * steps, .n = features, .k = cols}, T(1),
          dzx + k * cols, gates, p + kernel_offset + k * cols, gates, T(0), d.inputs, features);
      mask_inputs(d.inputs, d.input_mask, k, dx, batch, k > 0);
    }
  }
  // The output's gradient at step t (rows output_stride apart): none before the last step when
  // only the last step is the output.
  static constexpr std::size_t output_stride = sequences ? steps * Units : Units;
  template <class T>
  static const T* step_gradient(const T* dy, std::size_t t) {
    if constexpr (sequences)
      return dy + t * Units;
    else
      return t == steps - 1 ? dy : nullptr;
  }
  // The last step's hidden state of each sample, when that is the output.
  template <class T>
  static void copy_last_step(const T* h, T* y, std::size_t batch) {
    for (std::size_t b = 0; b < batch; ++b)
      for (std::size_t u = 0; u < Units; ++u)
        y[b * Units + u] = h[(b * steps + steps - 1) * Units + u];
  }

  // Samples per block of the recurrence: 16, or an eighth of a large batch (a step's products
  // over fewer rows cost more per row: 16-sample blocks run about 10 % slower on one thread than
  // a batch of 32 in one piece). Each block runs its steps alone, on one thread, so a sample's
  // arithmetic depends on the batch, never on the thread count.
  static constexpr std::size_t block_samples(std::size_t batch) noexcept {
    return std::max<std::size_t>(16, (batch + 7) / 8);
  }
  // Runs f(first, count) for each block of samples, the blocks shared among the worker threads.
  template <class F>
  static void over_blocks(std::size_t batch, const F& f) {
    const std::size_t size = block_samples(batch), blocks = (batch + size - 1) / size;
    const auto parts = static_cast<unsigned>(std::min<std::size_t>(blocks, kernels::max_threads()));
    kernels::parallel_for(parts, [&](unsigned part) {
      for (std::size_t b = blocks * part / parts; b < blocks * (part + 1) / parts; ++b)
        f(b * size, std::min(size, batch - b * size));
    });
  }

  // Calls data(first, count) for each run of consecutive samples whose step t holds data (one run
  // of the whole batch without a mask), and padding(b) for each sample whose step t is padding.
  template <class T, class Data, class Padding>
  static void over_rows(step_mask<T> mask, std::size_t t, std::size_t batch, Data data,
                        Padding padding) {
    for (std::size_t b = 0; b < batch;) {
      if (!mask(b, t)) {
        padding(b++);
        continue;
      }
      std::size_t end = b + 1;
      while (end < batch && mask(end, t)) ++end;
      data(b, end - b);
      b = end;
    }
  }
  // Backward through a padded step of sample b: no gradient for its pre-activations (dz, `width`
  // of them), and the output's gradient joins the state's, which passes to the step before.
  template <class T>
  static void pass_padded(T* dz, std::size_t width, const T* dy_t, std::size_t b, T* dh) {
    for (std::size_t g = 0; g < width; ++g) dz[g] = T(0);
    if (dy_t != nullptr)
      for (std::size_t u = 0; u < Units; ++u) dh[b * Units + u] += dy_t[b * output_stride + u];
  }
  // A padded step keeps the state of the step before (zero before the first): Keras' mask.
  template <class T>
  static void carry_state(T* at, std::size_t t) {
    const T* before = t > 0 ? at - Units : nullptr;
    for (std::size_t u = 0; u < Units; ++u) at[u] = before != nullptr ? before[u] : T(0);
  }

  // `floats` values per sample for `batch` samples.
  template <class T>
  T* workspace(std::size_t batch, std::size_t floats) {
    return work_.at_least<T>(batch * floats);
  }
  // Sizes the layer's `floats` per sample and the dropout's for batches of up to max_batch.
  void reserve_floats(std::size_t max_batch, std::size_t floats) {
    work_.reserve(max_batch * floats);
    drop_.reserve(max_batch * dropout_sample_floats + workspace_floats);
  }

 private:
  template <class T>
  struct dropout_parts {
    T* input_mask = nullptr;   // (batch, input_masks, features): 0 or 1 / (1 - rate)
    T* state_mask = nullptr;   // (batch, state_masks, Units)
    T* inputs = nullptr;       // (batch, steps, features): x times one mask, or its gradient
    T* state = nullptr;        // (batch, Units): h_{t-1} times one mask, or its gradient
    T* kernel_grad = nullptr;  // (Units, gates)
  };
  template <class T>
  dropout_parts<T> dropout_work(std::size_t batch) {
    T* at = drop_.at_least<T>(batch * dropout_sample_floats + workspace_floats);
    dropout_parts<T> d;
    d.input_mask = at;
    d.state_mask = at += batch * input_masks * features;
    d.inputs = at += batch * state_masks * Units;
    d.state = at += drops_inputs ? batch * steps * features : 0;
    d.kernel_grad = at + (drops_states ? batch * Units : 0);
    return d;
  }
  static const auto* state_mask_of(const auto& d, std::size_t sample, std::size_t g) {
    return d.state_mask + (sample * state_masks + g) * Units;
  }
  // n mask values: kept with probability 1 - rate, as kernels::dropout_keeps hashes (seed, i),
  // so a mask is independent of the thread count.
  template <class Rate, class T>
  static void draw(Rate, std::uint64_t seed, T* mask, std::size_t n) {
    const T scale = T(Rate::den) / T(Rate::den - Rate::num);
    for (std::size_t i = 0; i < n; ++i) mask[i] = keeps<Rate>(seed, i) ? scale : T(0);
  }
  template <class Rate>
  static bool keeps(std::uint64_t seed, std::size_t i) noexcept {
    return kernels::dropout_keeps(seed, i, std::uint64_t(Rate::num), std::uint64_t(Rate::den));
  }
  // out (+)= in times input mask k of each sample, at every step (the mask is the same at each).
  template <class T>
  static void mask_inputs(const T* in, const T* masks, std::size_t k, T* out, std::size_t batch,
                          bool add) {
    for (std::size_t b = 0; b < batch; ++b) {
      const T* mask = masks + (b * input_masks + k) * features;
      for (std::size_t t = 0; t < steps; ++t) {
        const std::size_t row = (b * steps + t) * features;
        for (std::size_t j = 0; j < features; ++j)
          out[row + j] = (add ? out[row + j] : T(0)) + in[row + j] * mask[j];
      }
    }
  }

  typed_workspace work_, drop_;
  Rng rng_{0};
  std::uint64_t input_seed_ = 0, state_seed_ = 0;  // the masks of the last training forward
  bool dropping_ = false;  // the last forward drew masks (training with a rate)
  std::size_t batch_ = 0;  // its batch
};
}  // namespace detail

/// Keras' `LSTM(Units)`: a long short-term memory layer over (timesteps, features) samples,
/// returning the last step's output (Units), or with `return_sequences` every step's
/// (timesteps, Units). Keras' defaults: tanh activation, sigmoid recurrent activation, the gates
/// in Keras' (and PyTorch's) order input, forget, cell, output; the kernel glorot-uniform, the
/// recurrent kernel orthogonal, the bias zero but 1 for the forget gate (`unit_forget_bias`).
/// The state starts at zero for every sample (not stateful). Host CPU only.
///
/// `DropoutRate` and `RecurrentDropoutRate` (std::ratios, 0 by default) are Keras' `dropout` and
/// `recurrent_dropout`: in training, masks of the inputs and of the state the recurrent kernel
/// reads, drawn once per batch and kept for every step (the same rule for GRU and SimpleRNN):
/// `LSTM<64, fc::last_step, std::ratio<1, 5>, std::ratio<1, 5>>` is `LSTM(64, dropout=0.2,
/// recurrent_dropout=0.2)`.
template <std::size_t Units, sequence_output Output = sequence_output::last,
          class DropoutRate = std::ratio<0>, class RecurrentDropoutRate = std::ratio<0>>
struct LSTM {
  static_assert(detail::recurrent_dropout_fits<DropoutRate>() &&
                detail::recurrent_dropout_fits<RecurrentDropoutRate>());
  /// (Units), or (timesteps, Units) with return_sequences.
  static constexpr Dims output_dims(Dims in) {
    if constexpr (Output == sequence_output::all)
      return Dims{2, {in.extent[0], Units}};
    else
      return Dims{1, {Units}};
  }

  template <Dims In>
  class bind
      : public detail::recurrent_base<Units, Output, In, 4, detail::rate_or_zero<DropoutRate>,
                                      detail::rate_or_zero<RecurrentDropoutRate>> {
    using base = detail::recurrent_base<Units, Output, In, 4, detail::rate_or_zero<DropoutRate>,
                                        detail::rate_or_zero<RecurrentDropoutRate>>;
    using base::sequences;

   public:
    using base::bias_offset, base::features, base::gates, base::kernel_offset,
        base::recurrent_offset, base::steps;
    static constexpr std::size_t param_count = bias_offset + gates;
    static constexpr const char* name = "LSTM";
    /// Keras 3's weights: lstm_cell/kernel (features, 4 Units), lstm_cell/recurrent_kernel
    /// (Units, 4 Units), lstm_cell/bias (4 Units); the gates' columns in the order i, f, c, o.
    static constexpr std::array<tensor_spec, 3> tensors = {
        {{"lstm_cell/kernel", false, kernel_offset, 2, {features, gates}},
         {"lstm_cell/recurrent_kernel", false, recurrent_offset, 2, {Units, gates}},
         {"lstm_cell/bias", false, bias_offset, 1, {gates}}}};
    /// Per sample: every step's gates, their gradients and the cell state, the hidden states
    /// when the output does not hold them, and the backward pass's carried gradients (the memory
    /// plan counts them).
    static constexpr std::size_t own_floats =
        2 * steps * gates + steps * Units + (sequences ? 0 : steps * Units) + 2 * Units;
    static constexpr std::size_t sample_workspace_floats = own_floats + base::dropout_sample_floats;

    void init(std::span<float> p, Rng& rng) {
      base::init_kernels(p, rng);
      for (std::size_t g = 0; g < gates; ++g)
        p[bias_offset + g] = g >= Units && g < 2 * Units ? 1.0f : 0.0f;
    }

    /// Sizes the workspace for batches of up to `max_batch`: forward and backward then allocate
    /// nothing.
    void reserve(std::size_t max_batch) { base::reserve_floats(max_batch, own_floats); }

    /// With a mask, a padded step keeps the step before's state and output.
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode run,
                 step_mask<T> mask = {}) {
      base::template draw_masks<T>(run, batch);
      const parts<T> whole = work<T>(batch);
      T* h_all = sequences ? y : whole.hidden;
      base::input_products(p, x, p + bias_offset, whole.gates, batch);
      base::over_blocks(batch, [&](std::size_t first, std::size_t rows) {
        const parts<T> w = whole.from(first);
        T* h = h_all + first * steps * Units;
        const step_mask<T> m = mask.from(first);
        for (std::size_t t = 0; t < steps; ++t) {
          if (t > 0)
            base::recurrent_product(p, h + (t - 1) * Units, T(1), w.gates + t * gates, first, rows);
          base::over_rows(
              m, t, rows,
              [&](std::size_t b, std::size_t n) {
                const std::size_t at = b * steps + t;  // sample b's step t
                kernels::lstm_step_forward(
                    cpu_t{},
                    kernels::lstm_step<T>{.rows = n,
                                          .units = Units,
                                          .z = w.gates + at * gates,
                                          .ldz = steps * gates,
                                          .c_prev = t > 0 ? w.cells + (at - 1) * Units : nullptr,
                                          .c = w.cells + at * Units,
                                          .ldc = steps * Units,
                                          .h = h + at * Units,
                                          .ldh = steps * Units});
              },
              [&](std::size_t b) {
                base::carry_state(w.cells + (b * steps + t) * Units, t);
                base::carry_state(h + (b * steps + t) * Units, t);
              });
        }
      });
      if constexpr (!sequences) base::copy_last_step(h_all, y, batch);
    }

    /// Backpropagation through time from the gates and cell states of the last forward pass,
    /// which must have run on the same batch.
    /// With a mask (the forward's), a padded step passes its state's gradients to the step
    /// before and none to its input or the weights.
    template <class T>
    void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp, std::size_t batch,
                  step_mask<T> mask = {}) {
      const parts<T> whole = work<T>(batch);
      const T* h_all = sequences ? y : whole.hidden;
      base::over_blocks(batch, [&](std::size_t first, std::size_t rows) {
        const parts<T> w = whole.from(first);
        const step_mask<T> m = mask.from(first);
        T* dh = w.carry;                  // dL/dh of the step after, through the recurrence
        T* dc = w.carry + batch * Units;  // dL/dc of the step after
        for (std::size_t i = 0; i < rows * Units; ++i) dh[i] = dc[i] = T(0);
        for (std::size_t t = steps; t-- > 0;) {
          const T* dy_t = base::step_gradient(dy + first * base::output_stride, t);
          base::over_rows(
              m, t, rows,
              [&](std::size_t b, std::size_t n) {
                const std::size_t at = b * steps + t;
                kernels::lstm_step_backward(
                    cpu_t{}, kernels::lstm_step_grad<T>{
                                 .rows = n,
                                 .units = Units,
                                 .z = w.gates + at * gates,
                                 .dz = w.grads + at * gates,
                                 .ldz = steps * gates,
                                 .c_prev = t > 0 ? w.cells + (at - 1) * Units : nullptr,
                                 .c = w.cells + at * Units,
                                 .ldc = steps * Units,
                                 .dy = dy_t == nullptr ? nullptr : dy_t + b * base::output_stride,
                                 .ldy = base::output_stride,
                                 .dh = dh + b * Units,
                                 .dc = dc + b * Units});
                // With a mask the recurrent product adds to dh, and these rows take only it.
                if (m.active())
                  for (std::size_t i = b * Units; i < (b + n) * Units; ++i) dh[i] = T(0);
              },
              [&](std::size_t b) {
                base::pass_padded(w.grads + (b * steps + t) * gates, gates, dy_t, b, dh);
              });
          if (t > 0)
            base::recurrent_gradient(p, w.grads + t * gates, m.active() ? T(1) : T(0), dh, first,
                                     rows);
        }
      });
      base::weight_gradients(p, x, h_all, whole.grads, whole.grads, dx, dp, batch);
      kernels::column_sums(cpu_t{}, whole.grads, dp + bias_offset, batch * steps, gates);
    }

   private:
    template <class T>
    struct parts {
      T* gates;   // (batch, steps, 4 Units): pre-activations, then the gates' values
      T* grads;   // (batch, steps, 4 Units): dL/d(pre-activation)
      T* cells;   // (batch, steps, Units)
      T* hidden;  // (batch, steps, Units) when the output does not hold them
      T* carry;   // 2 x (batch, Units)
      // The same parts from sample `first` on.
      parts from(std::size_t first) const {
        const std::size_t row = first * steps;
        return {gates + row * base::gates, grads + row * base::gates, cells + row * Units,
                hidden == nullptr ? nullptr : hidden + row * Units, carry + first * Units};
      }
    };
    template <class T>
    parts<T> work(std::size_t batch) {
      T* at = base::template workspace<T>(batch, own_floats);
      parts<T> s{};
      s.gates = at;
      s.grads = at += batch * steps * gates;
      s.cells = at += batch * steps * gates;
      at += batch * steps * Units;
      if constexpr (!sequences) {
        s.hidden = at;
        at += batch * steps * Units;
      }
      s.carry = at;
      return s;
    }
  };
};

/// Keras' `GRU(Units)`: a gated recurrent unit layer over (timesteps, features) samples,
/// returning the last step's output (Units), or with `return_sequences` every step's
/// (timesteps, Units). Keras' defaults: `reset_after=True` (the reset gate scales the recurrent
/// product, as PyTorch's GRU and cuDNN compute it), tanh and sigmoid, the gates in Keras' order
/// update, reset, candidate; the kernel glorot-uniform, the recurrent kernel orthogonal, both
/// biases zero. h = u h_prev + (1 - u) candidate. The state starts at zero for every sample.
/// Host CPU only. `DropoutRate` and `RecurrentDropoutRate` as for the LSTM (with recurrent
/// dropout, the state keeps its unmasked value in h = u h_prev + (1 - u) candidate, as in Keras).
template <std::size_t Units, sequence_output Output = sequence_output::last,
          class DropoutRate = std::ratio<0>, class RecurrentDropoutRate = std::ratio<0>>
struct GRU {
  static_assert(detail::recurrent_dropout_fits<DropoutRate>() &&
                detail::recurrent_dropout_fits<RecurrentDropoutRate>());
  /// (Units), or (timesteps, Units) with return_sequences.
  static constexpr Dims output_dims(Dims in) { return LSTM<Units, Output>::output_dims(in); }

  template <Dims In>
  class bind
      : public detail::recurrent_base<Units, Output, In, 3, detail::rate_or_zero<DropoutRate>,
                                      detail::rate_or_zero<RecurrentDropoutRate>> {
    using base = detail::recurrent_base<Units, Output, In, 3, detail::rate_or_zero<DropoutRate>,
                                        detail::rate_or_zero<RecurrentDropoutRate>>;
    using base::sequences;

   public:
    using base::bias_offset, base::features, base::gates, base::kernel_offset,
        base::recurrent_offset, base::steps;
    /// The input bias, then the recurrent bias (Keras' bias of shape (2, 3 Units)).
    static constexpr std::size_t recurrent_bias_offset = bias_offset + gates;
    static constexpr std::size_t param_count = bias_offset + 2 * gates;
    static constexpr const char* name = "GRU";
    /// Keras 3's weights: gru_cell/kernel (features, 3 Units), gru_cell/recurrent_kernel
    /// (Units, 3 Units), gru_cell/bias (2, 3 Units); the gates' columns in the order u, r, c.
    static constexpr std::array<tensor_spec, 3> tensors = {
        {{"gru_cell/kernel", false, kernel_offset, 2, {features, gates}},
         {"gru_cell/recurrent_kernel", false, recurrent_offset, 2, {Units, gates}},
         {"gru_cell/bias", false, bias_offset, 2, {2, gates}}}};
    /// Per sample: every step's input and recurrent parts of the gates and their gradients, the
    /// hidden states when the output does not hold them, and the carried gradient.
    static constexpr std::size_t own_floats =
        4 * steps * gates + (sequences ? 0 : steps * Units) + Units;
    static constexpr std::size_t sample_workspace_floats = own_floats + base::dropout_sample_floats;

    void init(std::span<float> p, Rng& rng) {
      base::init_kernels(p, rng);
      for (std::size_t i = bias_offset; i < param_count; ++i) p[i] = 0.0f;
    }

    /// Sizes the workspace for batches of up to `max_batch`: forward and backward then allocate
    /// nothing.
    void reserve(std::size_t max_batch) { base::reserve_floats(max_batch, own_floats); }

    /// With a mask, a padded step keeps the step before's state and output.
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode run,
                 step_mask<T> mask = {}) {
      base::template draw_masks<T>(run, batch);
      const parts<T> whole = work<T>(batch);
      T* h_all = sequences ? y : whole.hidden;
      base::input_products(p, x, p + bias_offset, whole.zx, batch);
      base::over_blocks(batch, [&](std::size_t first, std::size_t rows) {
        const parts<T> w = whole.from(first);
        T* h = h_all + first * steps * Units;
        const step_mask<T> m = mask.from(first);
        for (std::size_t t = 0; t < steps; ++t) {
          T* zh = w.zh + t * gates;  // h_{t-1} R + the recurrent bias
          for (std::size_t b = 0; b < rows; ++b)
            for (std::size_t g = 0; g < gates; ++g)
              zh[b * steps * gates + g] = p[recurrent_bias_offset + g];
          if (t > 0) base::recurrent_product(p, h + (t - 1) * Units, T(1), zh, first, rows);
          base::over_rows(
              m, t, rows,
              [&](std::size_t b, std::size_t n) {
                const std::size_t at = b * steps + t;
                kernels::gru_step_forward(
                    cpu_t{}, kernels::gru_step<T>{.rows = n,
                                                  .units = Units,
                                                  .zx = w.zx + at * gates,
                                                  .ldzx = steps * gates,
                                                  .zh = w.zh + at * gates,
                                                  .ldzh = steps * gates,
                                                  .h_prev = t > 0 ? h + (at - 1) * Units : nullptr,
                                                  .h = h + at * Units,
                                                  .ldh = steps * Units});
              },
              [&](std::size_t b) { base::carry_state(h + (b * steps + t) * Units, t); });
        }
      });
      if constexpr (!sequences) base::copy_last_step(h_all, y, batch);
    }

    /// Backpropagation through time from the gates of the last forward pass, which must have
    /// run on the same batch.
    /// With a mask (the forward's), a padded step passes its state's gradient to the step
    /// before and none to its input or the weights.
    template <class T>
    void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp, std::size_t batch,
                  step_mask<T> mask = {}) {
      const parts<T> whole = work<T>(batch);
      const T* h_all = sequences ? y : whole.hidden;
      base::over_blocks(batch, [&](std::size_t first, std::size_t rows) {
        const parts<T> w = whole.from(first);
        const T* h = h_all + first * steps * Units;
        const step_mask<T> m = mask.from(first);
        T* dh = w.carry;  // dL/dh of the step after
        for (std::size_t i = 0; i < rows * Units; ++i) dh[i] = T(0);
        for (std::size_t t = steps; t-- > 0;) {
          const T* dy_t = base::step_gradient(dy + first * base::output_stride, t);
          base::over_rows(
              m, t, rows,
              [&](std::size_t b, std::size_t n) {
                const std::size_t at = b * steps + t;
                kernels::gru_step_backward(
                    cpu_t{}, kernels::gru_step_grad<T>{
                                 .rows = n,
                                 .units = Units,
                                 .z = w.zx + at * gates,
                                 .dzx = w.dzx + at * gates,
                                 .ldz = steps * gates,
                                 .zh = w.zh + at * gates,
                                 .dzh = w.dzh + at * gates,
                                 .ldzh = steps * gates,
                                 .h_prev = t > 0 ? h + (at - 1) * Units : nullptr,
                                 .ldh = steps * Units,
                                 .dy = dy_t == nullptr ? nullptr : dy_t + b * base::output_stride,
                                 .ldy = base::output_stride,
                                 .dh = dh + b * Units});
              },
              [&](std::size_t b) {
                const std::size_t at = b * steps + t;
                for (std::size_t g = 0; g < gates; ++g) w.dzx[at * gates + g] = T(0);
                base::pass_padded(w.dzh + at * gates, gates, dy_t, b, dh);
              });
          if (t > 0) base::recurrent_gradient(p, w.dzh + t * gates, T(1), dh, first, rows);
        }
      });
      base::weight_gradients(p, x, h_all, whole.dzx, whole.dzh, dx, dp, batch);
      kernels::column_sums(cpu_t{}, whole.dzx, dp + bias_offset, batch * steps, gates);
      kernels::column_sums(cpu_t{}, whole.dzh, dp + recurrent_bias_offset, batch * steps, gates);
    }

   private:
    template <class T>
    struct parts {
      T* zx;   // (batch, steps, 3 Units): input parts, then the gates' values
      T* zh;   // (batch, steps, 3 Units): recurrent parts
      T* dzx;  // their gradients
      T* dzh;
      T* hidden;  // (batch, steps, Units) when the output does not hold them
      T* carry;   // (batch, Units)
      // The same parts from sample `first` on.
      parts from(std::size_t first) const {
        const std::size_t row = first * steps * gates;
        return {zx + row,
                zh + row,
                dzx + row,
                dzh + row,
                hidden == nullptr ? nullptr : hidden + first * steps * Units,
                carry + first * Units};
      }
    };
    template <class T>
    parts<T> work(std::size_t batch) {
      T* at = base::template workspace<T>(batch, own_floats);
      const std::size_t block = batch * steps * gates;
      parts<T> s{};
      s.zx = at;
      s.zh = at += block;
      s.dzx = at += block;
      s.dzh = at += block;
      at += block;
      if constexpr (!sequences) {
        s.hidden = at;
        at += batch * steps * Units;
      }
      s.carry = at;
      return s;
    }
  };
};

/// Keras' `SimpleRNN(Units)`: a fully connected recurrence over (timesteps, features) samples,
/// h_t = tanh(x_t W + h_{t-1} R + b), returning the last step's output (Units), or with
/// `return_sequences` every step's (timesteps, Units). Keras' defaults: the tanh activation, the
/// kernel glorot-uniform, the recurrent kernel orthogonal, the bias zero. The state starts at zero
/// for every sample. Host CPU only. `DropoutRate` and `RecurrentDropoutRate` as for the LSTM.
template <std::size_t Units, sequence_output Output = sequence_output::last,
          class DropoutRate = std::ratio<0>, class RecurrentDropoutRate = std::ratio<0>>
struct SimpleRNN {
  static_assert(detail::recurrent_dropout_fits<DropoutRate>() &&
                detail::recurrent_dropout_fits<RecurrentDropoutRate>());
  /// (Units), or (timesteps, Units) with return_sequences.
  static constexpr Dims output_dims(Dims in) { return LSTM<Units, Output>::output_dims(in); }

  template <Dims In>
  class bind
      : public detail::recurrent_base<Units, Output, In, 1, detail::rate_or_zero<DropoutRate>,
                                      detail::rate_or_zero<RecurrentDropoutRate>> {
    using base = detail::recurrent_base<Units, Output, In, 1, detail::rate_or_zero<DropoutRate>,
                                        detail::rate_or_zero<RecurrentDropoutRate>>;
    using base::sequences;

   public:
    using base::bias_offset, base::features, base::kernel_offset, base::recurrent_offset,
        base::steps;
    static constexpr std::size_t param_count = bias_offset + Units;
    static constexpr const char* name = "SimpleRNN";
    /// Keras 3's weights: simple_rnn_cell/kernel (features, Units),
    /// simple_rnn_cell/recurrent_kernel (Units, Units), simple_rnn_cell/bias (Units).
    static constexpr std::array<tensor_spec, 3> tensors = {
        {{"simple_rnn_cell/kernel", false, kernel_offset, 2, {features, Units}},
         {"simple_rnn_cell/recurrent_kernel", false, recurrent_offset, 2, {Units, Units}},
         {"simple_rnn_cell/bias", false, bias_offset, 1, {Units}}}};
    /// Per sample: every step's pre-activations and their gradients, the hidden states when the
    /// output does not hold them, and the carried gradient.
    static constexpr std::size_t own_floats =
        2 * steps * Units + (sequences ? 0 : steps * Units) + Units;
    static constexpr std::size_t sample_workspace_floats = own_floats + base::dropout_sample_floats;

    void init(std::span<float> p, Rng& rng) {
      base::init_kernels(p, rng);
      for (std::size_t u = 0; u < Units; ++u) p[bias_offset + u] = 0.0f;
    }

    /// Sizes the workspace for batches of up to `max_batch`: forward and backward then allocate
    /// nothing.
    void reserve(std::size_t max_batch) { base::reserve_floats(max_batch, own_floats); }

    /// With a mask, a padded step keeps the step before's state and output.
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode run,
                 step_mask<T> mask = {}) {
      base::template draw_masks<T>(run, batch);
      const parts<T> whole = work<T>(batch);
      T* h_all = sequences ? y : whole.hidden;
      base::input_products(p, x, p + bias_offset, whole.z, batch);
      base::over_blocks(batch, [&](std::size_t first, std::size_t rows) {
        const parts<T> w = whole.from(first);
        T* h = h_all + first * steps * Units;
        const step_mask<T> m = mask.from(first);
        for (std::size_t t = 0; t < steps; ++t) {
          if (t > 0)
            base::recurrent_product(p, h + (t - 1) * Units, T(1), w.z + t * Units, first, rows);
          base::over_rows(
              m, t, rows,
              [&](std::size_t b, std::size_t n) {
                for (std::size_t r = b; r < b + n; ++r)
                  kernels::activation_forward(cpu_t{}, kernels::activation::tanh,
                                              w.z + (r * steps + t) * Units,
                                              h + (r * steps + t) * Units, Units);
              },
              [&](std::size_t b) { base::carry_state(h + (b * steps + t) * Units, t); });
        }
      });
      if constexpr (!sequences) base::copy_last_step(h_all, y, batch);
    }

    /// Backpropagation through time from the states of the last forward pass, which must have
    /// run on the same batch: dz_t = (dy_t + dh_t) (1 - h_t^2), dh_{t-1} = dz_t R^T. With a mask
    /// (the forward's), a padded step passes its state's gradient to the step before and none to
    /// its input or the weights.
    template <class T>
    void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp, std::size_t batch,
                  step_mask<T> mask = {}) {
      const parts<T> whole = work<T>(batch);
      const T* h_all = sequences ? y : whole.hidden;
      base::over_blocks(batch, [&](std::size_t first, std::size_t rows) {
        const parts<T> w = whole.from(first);
        const T* h = h_all + first * steps * Units;
        const step_mask<T> m = mask.from(first);
        T* dh = w.carry;  // dL/dh of the step after, through the recurrence
        for (std::size_t i = 0; i < rows * Units; ++i) dh[i] = T(0);
        for (std::size_t t = steps; t-- > 0;) {
          const T* dy_t = base::step_gradient(dy + first * base::output_stride, t);
          base::over_rows(
              m, t, rows,
              [&](std::size_t b, std::size_t n) {
                for (std::size_t r = b; r < b + n; ++r) {
                  T* dz = w.dz + (r * steps + t) * Units;
                  for (std::size_t u = 0; u < Units; ++u)
                    dz[u] = dh[r * Units + u] +
                            (dy_t == nullptr ? T(0) : dy_t[r * base::output_stride + u]);
                  kernels::activation_backward_from_output(cpu_t{}, kernels::activation::tanh,
                                                           h + (r * steps + t) * Units, dz, dz,
                                                           Units);
                }
                // With a mask the recurrent product adds to dh, and these rows take only it.
                if (m.active())
                  for (std::size_t i = b * Units; i < (b + n) * Units; ++i) dh[i] = T(0);
              },
              [&](std::size_t b) {
                base::pass_padded(w.dz + (b * steps + t) * Units, Units, dy_t, b, dh);
              });
          if (t > 0)
            base::recurrent_gradient(p, w.dz + t * Units, m.active() ? T(1) : T(0), dh, first,
                                     rows);
        }
      });
      base::weight_gradients(p, x, h_all, whole.dz, whole.dz, dx, dp, batch);
      kernels::column_sums(cpu_t{}, whole.dz, dp + bias_offset, batch * steps, Units);
    }

   private:
    template <class T>
    struct parts {
      T* z;       // (batch, steps, Units): pre-activations
      T* dz;      // (batch, steps, Units): their gradients
      T* hidden;  // (batch, steps, Units) when the output does not hold them
      T* carry;   // (batch, Units)
      // The same parts from sample `first` on.
      parts from(std::size_t first) const {
        const std::size_t row = first * steps;
        return {z + row * Units, dz + row * Units,
                hidden == nullptr ? nullptr : hidden + row * Units, carry + first * Units};
      }
    };
    template <class T>
    parts<T> work(std::size_t batch) {
      T* at = base::template workspace<T>(batch, own_floats);
      parts<T> s{};
      s.z = at;
      s.dz = at += batch * steps * Units;
      at += batch * steps * Units;
      if constexpr (!sequences) {
        s.hidden = at;
        at += batch * steps * Units;
      }
      s.carry = at;
      return s;
    }
  };
};

namespace detail {
template <class L>
inline constexpr bool is_recurrent = false;
template <std::size_t U, sequence_output O, class D, class R>
inline constexpr bool is_recurrent<LSTM<U, O, D, R>> = true;
template <std::size_t U, sequence_output O, class D, class R>
inline constexpr bool is_recurrent<GRU<U, O, D, R>> = true;
template <std::size_t U, sequence_output O, class D, class R>
inline constexpr bool is_recurrent<SimpleRNN<U, O, D, R>> = true;

template <class L>
consteval bool bidirectional_fits() {
  static_assert(is_recurrent<L>,
                "Bidirectional<Layer>: Layer must be a recurrent layer, LSTM<Units>, "
                "GRU<Units> or SimpleRNN<Units> (with or without return_sequences). Fix: "
                "Bidirectional<fc::LSTM<64>> (a Regularized goes around it: "
                "Regularized<Bidirectional<LSTM<64>>, ...>)");
  return true;
}
}  // namespace detail

/// Keras' `Bidirectional(layer)` with its default `merge_mode="concat"`: the layer reads the
/// sequence forwards, a second copy of it (its own weights) reads it backwards, and the two
/// outputs are joined along the last axis: (2 Units), or with return_sequences (timesteps,
/// 2 Units), where the backward copy's output at step t is the one it gave reading x_t (Keras'
/// and PyTorch's alignment). The weights are the forward layer's, then the backward layer's.
/// `Bidirectional<LSTM<64>>`, `Bidirectional<GRU<32, return_sequences>>`. Host CPU only.
template <class Layer>
struct Bidirectional {
  static_assert(detail::bidirectional_fits<Layer>());
  /// The wrapped layer (after the error above, a stand-in that keeps the rest well-formed: one
  /// diagnostic, not five).
  using recurrent = std::conditional_t<detail::is_recurrent<Layer>, Layer, LSTM<1>>;

  /// The layer's output with its last axis doubled.
  static constexpr Dims output_dims(Dims in) {
    Dims d = recurrent::output_dims(in);
    d.extent[d.rank - 1] *= 2;
    return d;
  }

  template <Dims In>
  class bind {
    using inner = typename recurrent::template bind<In>;
    static constexpr std::size_t steps = inner::steps, features = inner::features;
    static constexpr std::size_t in_size = steps * features;
    static constexpr std::size_t out_size = inner::output_shape::size;
    static constexpr std::size_t units = inner::output_shape::dims.back();
    static constexpr bool sequences = inner::output_shape::rank == 2;

   public:
    using input_shape = typename inner::input_shape;
    using output_shape = std::conditional_t<sequences, Shape<steps, 2 * units>, Shape<2 * units>>;
    static constexpr std::size_t param_count = 2 * inner::param_count;
    static constexpr const char* name = "Bidirectional";
    /// Carries a state from step to step, in both directions.
    static constexpr bool recurrent_layer = true;
    /// Both layers skip padded steps (the backward one reads the mask reversed).
    static constexpr bool reads_mask = true;
    /// With return_sequences the output keeps the input's steps, and the mask goes on.
    static constexpr bool keeps_mask = sequences;
    /// Keras 3's weights: forward_lstm/lstm_cell/kernel, ..., backward_lstm/lstm_cell/bias (gru
    /// for a GRU), the backward layer's after the forward layer's.
    static constexpr auto tensors = [] {
      constexpr std::string_view kind = inner::name;
      constexpr std::array<const char*, 6> names =
          kind == "LSTM" ? std::array<const char*, 6>{"forward_lstm/lstm_cell/kernel",
                                                      "forward_lstm/lstm_cell/recurrent_kernel",
                                                      "forward_lstm/lstm_cell/bias",
                                                      "backward_lstm/lstm_cell/kernel",
                                                      "backward_lstm/lstm_cell/recurrent_kernel",
                                                      "backward_lstm/lstm_cell/bias"}
          : kind == "GRU"
              ? std::array<const char*, 6>{"forward_gru/gru_cell/kernel",
                                           "forward_gru/gru_cell/recurrent_kernel",
                                           "forward_gru/gru_cell/bias",
                                           "backward_gru/gru_cell/kernel",
                                           "backward_gru/gru_cell/recurrent_kernel",
                                           "backward_gru/gru_cell/bias"}
              : std::array<const char*, 6>{"forward_simple_rnn/simple_rnn_cell/kernel",
                                           "forward_simple_rnn/simple_rnn_cell/recurrent_kernel",
                                           "forward_simple_rnn/simple_rnn_cell/bias",
                                           "backward_simple_rnn/simple_rnn_cell/kernel",
                                           "backward_simple_rnn/simple_rnn_cell/recurrent_kernel",
                                           "backward_simple_rnn/simple_rnn_cell/bias"};
      std::array<tensor_spec, 6> t{};
      for (std::size_t i = 0; i < 3; ++i) {
        t[i] = t[i + 3] = inner::tensors[i];
        t[i].name = names[i];
        t[i + 3].name = names[i + 3];
        t[i + 3].offset += inner::param_count;
      }
      return t;
    }();
    /// Per sample: both layers' own, the reversed input and the input gradient of the backward
    /// layer, the forward gradient of the input, and both layers' outputs and their gradients.
    static constexpr std::size_t sample_workspace_floats =
        2 * inner::sample_workspace_floats + 3 * in_size + 4 * out_size;
    /// Both layers' own (their dropout's).
    static constexpr std::size_t workspace_floats = 2 * inner::workspace_floats;

    void init(std::span<float> p, Rng& rng) {
      forward_.init(p.first(inner::param_count), rng);
      backward_.init(p.subspan(inner::param_count), rng);
    }

    /// With dropout: the forward layer's mask stream, which also seeds the backward layer's at
    /// each training step (so one stream, the one a training backup keeps, fixes both).
    void seed(std::uint64_t s) noexcept requires random_layer<inner> { forward_.seed(s); }
    [[nodiscard]] Rng& random_stream() noexcept requires random_layer<inner> {
      return forward_.random_stream();
    }
    [[nodiscard]] const Rng& random_stream() const noexcept requires random_layer<inner> {
      return forward_.random_stream();
    }

    void reserve(std::size_t max_batch) {
      forward_.reserve(max_batch);
      backward_.reserve(max_batch);
      work_.reserve(max_batch * (3 * in_size + 4 * out_size));
    }

    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode m, step_mask<T> mask = {}) {
      const parts<T> w = work<T>(batch);
      reverse_steps(x, w.x_reversed, batch, features);
      if constexpr (random_layer<inner>)
        if (m == mode::training) backward_.seed(forward_.random_stream()());
      forward_.forward(p, x, w.y_forward, batch, m, mask);
      backward_.forward(p + inner::param_count, w.x_reversed, w.y_backward, batch, m,
                        mask.reverse());
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t t = 0; t < (sequences ? steps : 1); ++t) {
          T* out = y + (b * (sequences ? steps : 1) + t) * 2 * units;
          const T* f = w.y_forward + (b * (sequences ? steps : 1) + t) * units;
          const T* r = w.y_backward +
                       (b * (sequences ? steps : 1) + (sequences ? steps - 1 - t : 0)) * units;
          for (std::size_t u = 0; u < units; ++u) {
            out[u] = f[u];
            out[units + u] = r[u];
          }
        }
    }

    template <class T>
    void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                  step_mask<T> mask = {}) {
      const parts<T> w = work<T>(batch);
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t t = 0; t < (sequences ? steps : 1); ++t) {
          const T* g = dy + (b * (sequences ? steps : 1) + t) * 2 * units;
          T* f = w.dy_forward + (b * (sequences ? steps : 1) + t) * units;
          T* r = w.dy_backward +
                 (b * (sequences ? steps : 1) + (sequences ? steps - 1 - t : 0)) * units;
          for (std::size_t u = 0; u < units; ++u) {
            f[u] = g[u];
            r[u] = g[units + u];
          }
        }
      forward_.backward(p, x, w.y_forward, w.dy_forward, dx == nullptr ? nullptr : w.dx_forward, dp,
                        batch, mask);
      backward_.backward(p + inner::param_count, w.x_reversed, w.y_backward, w.dy_backward,
                         dx == nullptr ? nullptr : w.dx_reversed, dp + inner::param_count, batch,
                         mask.reverse());
      if (dx == nullptr) return;
      reverse_steps(w.dx_reversed, dx, batch, features);
      for (std::size_t i = 0; i < batch * in_size; ++i) dx[i] += w.dx_forward[i];
    }

   private:
    // Each sample's steps in reverse order.
    template <class T>
    static void reverse_steps(const T* in, T* out, std::size_t batch, std::size_t width) {
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t t = 0; t < steps; ++t)
          for (std::size_t j = 0; j < width; ++j)
            out[(b * steps + t) * width + j] = in[(b * steps + steps - 1 - t) * width + j];
    }

    template <class T>
    struct parts {
      T* x_reversed;   // (batch, steps, features)
      T* dx_reversed;  // the backward layer's input gradient, in its (reversed) order
      T* dx_forward;   // the forward layer's input gradient
      T* y_forward;    // the layers' outputs and their gradients, (batch, out_size) each
      T* y_backward;
      T* dy_forward;
      T* dy_backward;
    };
    template <class T>
    parts<T> work(std::size_t batch) {
      T* at = work_.at_least<T>(batch * (3 * in_size + 4 * out_size));
      parts<T> s{};
      s.x_reversed = at;
      s.dx_reversed = at += batch * in_size;
      s.dx_forward = at += batch * in_size;
      s.y_forward = at += batch * in_size;
      s.y_backward = at += batch * out_size;
      s.dy_forward = at += batch * out_size;
      s.dy_backward = at += batch * out_size;
      return s;
    }

    inner forward_, backward_;
    detail::typed_workspace work_;
  };
};

}  // namespace fitcheck::nn
