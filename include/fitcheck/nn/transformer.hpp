// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/activation.hpp>
#include <fitcheck/kernels/cpu/threads.hpp>
#include <fitcheck/kernels/dropout.hpp>
#include <fitcheck/kernels/gemm.hpp>
#include <fitcheck/kernels/layer_norm.hpp>
#include <fitcheck/kernels/softmax.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/workspace.hpp>
#include <limits>
#include <ratio>
#include <span>
#include <utility>
#include <vector>

// KerasHub's TransformerEncoder (the encoder block of "Attention Is All You Need", PyTorch's
// nn.TransformerEncoderLayer with norm_first=False): multi-head self-attention, a residual
// connection and layer normalisation, then a position-wise feed-forward network, a residual
// connection and layer normalisation. The projections and the feed-forward products are GEMMs
// over every step of the batch at once; only the attention itself (two products per sample and
// head, T x T) runs sample by sample. The forward pass keeps every intermediate value in the
// layer's workspace (sized once by `reserve`), the backward pass writes the gradients beside them.

namespace fitcheck::nn {

/// Where a TransformerEncoder normalises: after each residual sum (the paper's post-norm,
/// KerasHub's and PyTorch's default) or before each block (pre-norm, `normalize_first=True`,
/// `norm_first`).
enum class norm_position : std::uint8_t { after, before };
/// KerasHub's `normalize_first=True`: `TransformerEncoder<128, 4, std::ratio<1, 10>,
/// fc::normalize_first>`.
inline constexpr norm_position normalize_first = norm_position::before;

namespace detail {
template <std::size_t Intermediate, std::size_t Heads, class Rate, class Epsilon, Dims In>
consteval bool transformer_encoder_fits() {
  static_assert(Heads >= 1 && Intermediate >= 1,
                "TransformerEncoder<IntermediateDim, NumHeads>: both must be at least 1. Fix: "
                "TransformerEncoder<64, 2>");
  static_assert(is_std_ratio<Rate>,
                "TransformerEncoder<I, H, Rate>: the dropout rate must be a std::ratio (a float "
                "cannot be a type). Fix: TransformerEncoder<64, 2, std::ratio<1, 10>>");
  if constexpr (is_std_ratio<Rate>)
    static_assert(Rate::num >= 0 && Rate::num < Rate::den,
                  "TransformerEncoder<I, H, Rate>: the dropout rate must lie in [0, 1) (a rate of "
                  "1 drops everything and its 1 / (1 - rate) scale divides by zero). Fix: "
                  "std::ratio<1, 10>, or std::ratio<0> for none");
  static_assert(is_std_ratio<Epsilon>,
                "TransformerEncoder<I, H, Epsilon>: Epsilon (its layer normalisations') must be a "
                "std::ratio (a float cannot be a type). Fix: std::ratio<1, 100000>, KerasHub's "
                "and PyTorch's 1e-5");
  static_assert(In.rank == 2,
                "TransformerEncoder takes (timesteps, features) samples (rank 2), and the layer "
                "before gives another rank [C1] (its position and shape are in the lines above). "
                "Fix: Embedding<V, D> for token indices, Input<Timesteps, Features>, or "
                "return_sequences on a recurrent layer before it");
  if constexpr (In.rank == 2 && Heads >= 1)
    static_assert(In.extent[1] % Heads == 0,
                  "TransformerEncoder: the features of each step (the model width) must split "
                  "evenly into NumHeads heads (KerasHub's key_dim = width / num_heads) [C1]. Fix: "
                  "a NumHeads that divides the width, or an Embedding dimension that NumHeads "
                  "divides");
  return true;
}

// Keras' glorot-uniform limit for a kernel of shape (receptive..., in, out): its compute_fans reads
// every axis but the last two as a receptive field (so an attention projection's (D, heads,
// key_dim) kernel has fan_in heads x D, fan_out key_dim x D).
inline double keras_glorot_limit(std::size_t receptive, std::size_t in, std::size_t out) {
  return std::sqrt(6.0 / double(receptive * (in + out)));
}
}  // namespace detail

/// KerasHub's `TransformerEncoder(intermediate_dim, num_heads, dropout)` with its defaults
/// (post-norm, ReLU, layer_norm_epsilon 1e-5): over (timesteps, D) samples,
///   a = LayerNorm(x + MultiHeadAttention(x, x, x)),  y = LayerNorm(a + relu(a W1 + b1) W2 + b2)
/// with NumHeads heads of D / NumHeads dimensions, scores scaled by 1 / sqrt(D / NumHeads). With
/// a dropout `Rate` (a std::ratio, 0 by default) training drops, as KerasHub does, the attention
/// weights, the attention's output before its residual sum and the feed-forward network's output
/// before its; inference drops nothing. After
/// `Embedding<V, D, mask_zero>` no step attends to a padded step (KerasHub's padding_mask,
/// PyTorch's src_key_padding_mask), and the mask goes on to the next layer. The key projection's
/// bias gets a zero gradient, its true one (PyTorch and Keras compute rounding noise there). Host
/// CPU only.
template <std::size_t IntermediateDim, std::size_t NumHeads, class Rate = std::ratio<0>,
          norm_position Norm = norm_position::after, class Epsilon = std::ratio<1, 100000>>
struct TransformerEncoder {
  /// The input's shape (after the rank error, a sequence of one feature: one diagnostic, not a
  /// second from the layer after it).
  static constexpr Dims output_dims(Dims in) { return in.rank == 2 ? in : Dims{2, {in.size(), 1}}; }

  template <Dims In>
  class bind {
    static_assert(detail::transformer_encoder_fits<IntermediateDim, NumHeads, Rate, Epsilon, In>());
    static constexpr std::size_t steps = output_dims(In).extent[0];
    static constexpr std::size_t width = output_dims(In).extent[1];
    static constexpr std::size_t heads = NumHeads == 0 ? 1 : NumHeads;
    static constexpr std::size_t key_dim = width / heads == 0 ? 1 : width / heads;
    static constexpr std::size_t inner = IntermediateDim;
    template <class T>
    struct parts;  // the workspace's arrays

   public:
    using input_shape = Shape<steps, width>;
    using output_shape = Shape<steps, width>;
    /// Offsets in the layer's parameters: the query, key, value and output projections (kernel,
    /// bias each), the attention's layer normalisation (gamma, beta), the feed-forward network's
    /// two Dense layers, its layer normalisation. KerasHub's order.
    static constexpr std::size_t query = 0, key = query + width * width + width,
                                 value = key + width * width + width,
                                 attention_output = value + width * width + width,
                                 attention_norm = attention_output + width * width + width,
                                 intermediate = attention_norm + 2 * width,
                                 output = intermediate + width * inner + inner,
                                 output_norm = output + inner * width + width;
    static constexpr std::size_t param_count = output_norm + 2 * width;
    static constexpr const char* name = "TransformerEncoder";
    static constexpr double epsilon = detail::ratio_value<Epsilon>();
    /// KerasHub's normalize_first: each block's input normalised, its output not.
    static constexpr bool pre_norm = Norm == norm_position::before;
    /// The dropout rate of the attention weights and of both blocks' outputs (KerasHub's).
    static constexpr std::uint64_t drop_num = [] {
      if constexpr (detail::is_std_ratio<Rate>) return std::uint64_t(Rate::num);
      else return std::uint64_t{0};
    }();
    static constexpr std::uint64_t drop_den = [] {
      if constexpr (detail::is_std_ratio<Rate>) return std::uint64_t(Rate::den);
      else return std::uint64_t{1};
    }();
    /// Skips padded keys; every step's output keeps its place, so the mask goes on.
    static constexpr bool reads_mask = true;
    static constexpr bool keeps_mask = true;
    /// KerasHub's weights, named and shaped as it names and shapes them.
    static constexpr std::array<tensor_spec, 16> tensors = [] {
      constexpr std::size_t d = width, h = heads, k = key_dim, f = inner;
      return std::array<tensor_spec, 16>{
          {{"self_attention_layer/query/kernel", false, query, 3, {d, h, k}},
           {"self_attention_layer/query/bias", false, query + d * d, 2, {h, k}},
           {"self_attention_layer/key/kernel", false, key, 3, {d, h, k}},
           {"self_attention_layer/key/bias", false, key + d * d, 2, {h, k}},
           {"self_attention_layer/value/kernel", false, value, 3, {d, h, k}},
           {"self_attention_layer/value/bias", false, value + d * d, 2, {h, k}},
           {"self_attention_layer/attention_output/kernel", false, attention_output, 3, {h, k, d}},
           {"self_attention_layer/attention_output/bias", false, attention_output + d * d, 1, {d}},
           {"self_attention_layer_norm/gamma", false, attention_norm, 1, {d}},
           {"self_attention_layer_norm/beta", false, attention_norm + d, 1, {d}},
           {"feedforward_intermediate_dense/kernel", false, intermediate, 2, {d, f}},
           {"feedforward_intermediate_dense/bias", false, intermediate + d * f, 1, {f}},
           {"feedforward_output_dense/kernel", false, output, 2, {f, d}},
           {"feedforward_output_dense/bias", false, output + f * d, 1, {d}},
           {"feedforward_layer_norm/gamma", false, output_norm, 1, {d}},
           {"feedforward_layer_norm/beta", false, output_norm + d, 1, {d}}}};
    }();
    /// Per sample: the forward's intermediate values and the backward's gradients of them (see
    /// parts), and the layer normalisations' row statistics (doubles).
    static constexpr std::size_t sample_values =
        7 * steps * width + heads * steps * steps + steps * inner;
    static constexpr std::size_t sample_workspace_floats = 2 * sample_values + 8 * steps;
    /// The layer normalisations' parameter sums (doubles).
    static constexpr std::size_t workspace_floats = 8 * width;

    /// Keras' initialisers: glorot-uniform kernels (with Keras' fans for the attention's 3-D
    /// kernels), zero biases, gamma 1 and beta 0.
    void init(std::span<float> p, Rng& rng) {
      auto uniform = [&](std::size_t at, std::size_t n, double limit) {
        for (std::size_t i = 0; i < n; ++i)
          p[at + i] = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * limit);
      };
      std::fill(p.begin(), p.end(), 0.0f);
      for (const std::size_t at : {query, key, value})
        uniform(at, width * width, detail::keras_glorot_limit(width, heads, key_dim));
      uniform(attention_output, width * width, detail::keras_glorot_limit(heads, key_dim, width));
      uniform(intermediate, width * inner, detail::keras_glorot_limit(1, width, inner));
      uniform(output, inner * width, detail::keras_glorot_limit(1, inner, width));
      std::fill_n(p.begin() + attention_norm, width, 1.0f);
      std::fill_n(p.begin() + output_norm, width, 1.0f);
      seed(rng());
    }
    /// Restarts the dropout stream: the same seed gives the same sequence of masks.
    void seed(std::uint64_t s) noexcept { rng_ = Rng(s); }
    /// The stream the dropout masks are drawn from (a training backup keeps its position).
    [[nodiscard]] Rng& random_stream() noexcept { return rng_; }
    [[nodiscard]] const Rng& random_stream() const noexcept { return rng_; }

    /// Sizes the workspace for batches of up to `max_batch`: forward and backward then allocate
    /// nothing.
    void reserve(std::size_t max_batch) {
      work_.reserve(max_batch * 2 * sample_values);
      const std::size_t n = 2 * kernels::layer_norm_workspace(max_batch * steps, width);
      if (stats_.size() < n) stats_.resize(n);
    }

    /// In training with a dropout rate, each forward draws the masks of its three dropouts (one
    /// value of the layer's stream each; whether element i is kept is a hash of it and i, as on
    /// the cuda backend's Dropout, so backward finds the masks again and no thread count changes
    /// them).
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode m, step_mask<T> mask = {}) {
      const parts<T> w = work<T>(batch);
      const std::size_t rows = batch * steps, n = rows * width;
      dropping_ = m == mode::training && drop_num != 0;
      if (dropping_)
        for (std::uint64_t& s : drop_seeds_) s = rng_();
      // Pre-norm: the attention reads LayerNorm(x), kept in sum2 (the output needs no sum2).
      const T* attention_input = x;
      if constexpr (pre_norm) {
        kernels::layer_norm_forward(cpu_t{}, norm_args(rows), p + attention_norm, x, w.sum2,
                                    statistics(rows, 0));
        attention_input = w.sum2;
      }
      attend(p, attention_input, w, batch, mask);
      project(p + attention_output, w.attended, w.sum1, rows);
      if (dropping_) drop(w.sum1, w.sum1, n, 1);
      for (std::size_t i = 0; i < n; ++i) w.sum1[i] += x[i];
      // The feed-forward network reads the normalised sum (both orders), in `normed`.
      kernels::layer_norm_forward(cpu_t{}, norm_args(rows),
                                  p + (pre_norm ? output_norm : attention_norm), w.sum1, w.normed,
                                  statistics(rows, pre_norm ? 1 : 0));
      T* out = pre_norm ? y : w.sum2;
      kernels::gemm_bias_act(cpu_t{}, {.m = rows, .n = inner, .k = width}, w.normed, width,
                             p + intermediate, inner, p + intermediate + width * inner,
                             kernels::activation::relu, static_cast<T*>(nullptr), w.hidden, inner);
      kernels::gemm_bias_act(cpu_t{}, {.m = rows, .n = width, .k = inner}, w.hidden, inner,
                             p + output, width, p + output + inner * width,
                             kernels::activation::identity, static_cast<T*>(nullptr), out, width);
      if (dropping_) drop(out, out, n, 2);
      const T* residual = pre_norm ? w.sum1 : w.normed;
      for (std::size_t i = 0; i < n; ++i) out[i] += residual[i];
      if constexpr (!pre_norm)
        kernels::layer_norm_forward(cpu_t{}, norm_args(rows), p + output_norm, w.sum2, y,
                                    statistics(rows, 1));
    }

    /// Backpropagation from the values of the last forward pass, which must have run on the same
    /// batch. Through the attention: dV = P^T dO, dP = dO V^T, dS = P (dP - rowsum(dP P)) (the
    /// softmax's), dQ = dS K scale, dK = dS^T Q scale; a padded key has P = 0, so dS = 0 there.
    template <class T>
    void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                  step_mask<T> = {}) {
      const parts<T> w = work<T>(batch);
      const std::size_t rows = batch * steps, n = rows * width;
      // dL/d(the block's output before its normalisation, post-norm) or dL/dy (pre-norm): the
      // gradient of the feed-forward network's residual sum, in d_normed (its residual's share)
      // and d_sum2 (the network's, after its dropout's).
      if constexpr (pre_norm) {
        std::copy_n(dy, n, w.d_sum2);
      } else {
        kernels::layer_norm_backward(cpu_t{}, norm_args(rows), p + output_norm, w.sum2, dy,
                                     w.d_sum2, dp + output_norm, statistics(rows, 1));
      }
      std::copy_n(w.d_sum2, n, pre_norm ? w.d_sum1 : w.d_normed);
      if (dropping_) drop(w.d_sum2, w.d_sum2, n, 2);
      dense_backward(p + output, w.hidden, w.d_sum2, w.d_hidden, dp + output, rows, inner, width);
      kernels::activation_backward_from_output(cpu_t{}, kernels::activation::relu, w.hidden,
                                               w.d_hidden, w.d_hidden, rows * inner);
      dense_backward(p + intermediate, w.normed, w.d_hidden, w.d_normed, dp + intermediate, rows,
                     width, inner, pre_norm ? T(0) : T(1));
      // Through the normalisation the network read, to the attention's residual sum (d_sum1).
      if constexpr (pre_norm) {
        kernels::layer_norm_backward(cpu_t{}, norm_args(rows), p + output_norm, w.sum1, w.d_normed,
                                     w.d_sum2, dp + output_norm, statistics(rows, 1));
        for (std::size_t i = 0; i < n; ++i) w.d_sum1[i] += w.d_sum2[i];
      } else {
        kernels::layer_norm_backward(cpu_t{}, norm_args(rows), p + attention_norm, w.sum1,
                                     w.d_normed, w.d_sum1, dp + attention_norm,
                                     statistics(rows, 0));
      }
      // The attention's output projection, after its dropout's (in d_sum2, free by now).
      const T* d_projected = w.d_sum1;
      if (dropping_) {
        drop(w.d_sum1, w.d_sum2, n, 1);
        d_projected = w.d_sum2;
      }
      dense_backward(p + attention_output, w.attended, d_projected, w.d_attended,
                     dp + attention_output, rows, width, width);
      attend_backward(w, batch);
      // The projections, from the attention's input: x (post-norm), or LayerNorm(x) in sum2,
      // whose gradient (in d_normed) goes back through that normalisation. The input's gradient
      // is the residual's plus theirs.
      const T* attention_input = pre_norm ? w.sum2 : x;
      T* into = pre_norm ? w.d_normed : dx;
      if (into != nullptr) {
        if constexpr (pre_norm)
          std::fill_n(into, n, T(0));
        else
          std::copy_n(w.d_sum1, n, into);
      }
      dense_backward(p + query, attention_input, w.dq, into, dp + query, rows, width, width, T(1));
      dense_backward(p + key, attention_input, w.dk, into, dp + key, rows, width, width, T(1));
      // The key bias adds q . b_k to every score of a row, which the softmax ignores: its true
      // gradient is 0, and the column sums above give rounding noise that Adam would turn into
      // steps of its learning rate (PyTorch's and Keras' key biases drift so).
      std::fill_n(dp + key + width * width, width, T(0));
      dense_backward(p + value, attention_input, w.dv, into, dp + value, rows, width, width, T(1));
      if constexpr (pre_norm) {
        kernels::layer_norm_backward(cpu_t{}, norm_args(rows), p + attention_norm, x, w.d_normed,
                                     w.d_sum2, dp + attention_norm, statistics(rows, 0));
        if (dx != nullptr)
          for (std::size_t i = 0; i < n; ++i) dx[i] = w.d_sum1[i] + w.d_sum2[i];
      }
    }

   private:
    // The heads' outputs joined, in w.attended, from the attention's input `in` (x, or its
    // normalisation before the block): the projections, then per sample and head the weights
    // (in w.probs; after dropout also in w.d_probs) and their average of the values.
    template <class T>
    void attend(const T* p, const T* in, const parts<T>& w, std::size_t batch,
                const step_mask<T>& mask) {
      const std::size_t rows = batch * steps;
      project(p + query, in, w.q, rows);
      project(p + key, in, w.k, rows);
      project(p + value, in, w.v, rows);
      const T scale = T(1) / std::sqrt(T(key_dim));
      over_samples(batch, [&](std::size_t b) {
        for (std::size_t h = 0; h < heads; ++h) {
          const std::size_t at = b * steps * width + h * key_dim;
          const std::size_t first = (b * heads + h) * steps * steps;
          T* s = w.probs + first;
          kernels::gemm(cpu_t{}, {.tb = kernels::trans::yes, .m = steps, .n = steps, .k = key_dim},
                        scale, w.q + at, width, w.k + at, width, T(0), s, steps);
          attention_weights(s, mask, b);
          // The weights the values are averaged with: P, or P after dropout (kept apart, the
          // softmax's backward reads P).
          const T* weights = s;
          if (dropping_) {
            drop(s, w.d_probs + first, steps * steps, 0, first);
            weights = w.d_probs + first;
          }
          kernels::gemm(cpu_t{}, {.m = steps, .n = key_dim, .k = steps}, T(1), weights, steps,
                        w.v + at, width, T(0), w.attended + at, width);
        }
      });
    }
    // dq, dk, dv from d_attended, per sample and head.
    template <class T>
    void attend_backward(const parts<T>& w, std::size_t batch) const {
      const T scale = T(1) / std::sqrt(T(key_dim));
      over_samples(batch, [&](std::size_t b) {
        for (std::size_t h = 0; h < heads; ++h) {
          const std::size_t at = b * steps * width + h * key_dim;
          const std::size_t first = (b * heads + h) * steps * steps;
          const T* prob = w.probs + first;
          T* ds = w.d_probs + first;
          if (dropping_) drop(prob, ds, steps * steps, 0, first);  // the weights after dropout
          kernels::gemm(cpu_t{}, {.ta = kernels::trans::yes, .m = steps, .n = key_dim, .k = steps},
                        T(1), dropping_ ? ds : prob, steps, w.d_attended + at, width, T(0),
                        w.dv + at, width);
          kernels::gemm(cpu_t{}, {.tb = kernels::trans::yes, .m = steps, .n = steps, .k = key_dim},
                        T(1), w.d_attended + at, width, w.v + at, width, T(0), ds, steps);
          if (dropping_) drop(ds, ds, steps * steps, 0, first);
          kernels::softmax_backward_rows(cpu_t{}, prob, ds, ds, steps, steps);
          kernels::gemm(cpu_t{}, {.m = steps, .n = key_dim, .k = steps}, scale, ds, steps, w.k + at,
                        width, T(0), w.dq + at, width);
          kernels::gemm(cpu_t{}, {.ta = kernels::trans::yes, .m = steps, .n = key_dim, .k = steps},
                        scale, ds, steps, w.q + at, width, T(0), w.dk + at, width);
        }
      });
    }
    // Inverted dropout of n values with mask `which` (0 the attention weights, 1 the attention's
    // output, 2 the feed-forward network's), element i of `in` being element first + i of the
    // mask; in may be out. Backward runs the same on the gradients.
    template <class T>
    void drop(const T* in, T* out, std::size_t n, std::size_t which, std::size_t first = 0) const {
      const T scale = T(drop_den) / T(drop_den - drop_num);
      for (std::size_t i = 0; i < n; ++i)
        out[i] = kernels::dropout_keeps(drop_seeds_[which], first + i, drop_num, drop_den)
                     ? in[i] * scale
                     : T(0);
    }
    // f(b) for every sample, the samples shared among the worker threads: a sample's attention
    // runs on one thread, so its arithmetic never depends on the thread count.
    template <class F>
    static void over_samples(std::size_t batch, const F& f) {
      const auto parts =
          static_cast<unsigned>(std::min<std::size_t>(batch, kernels::max_threads()));
      kernels::parallel_for(parts, [&](unsigned part) {
        for (std::size_t b = batch * part / parts; b < batch * (part + 1) / parts; ++b) f(b);
      });
    }
    // y = x W + b over `rows` rows of `width` values: a projection (W width x width).
    template <class T>
    static void project(const T* p, const T* x, T* y, std::size_t rows) {
      kernels::gemm_bias_act(cpu_t{}, {.m = rows, .n = width, .k = width}, x, width, p, width,
                             p + width * width, kernels::activation::identity,
                             static_cast<T*>(nullptr), y, width);
    }
    // For y = x W + b (W in x out, its bias after it in p): dW = x^T dy, db = column sums of dy,
    // and dx = dy W^T + beta dx unless dx is null.
    template <class T>
    static void dense_backward(const T* p, const T* x, const T* dy, T* dx, T* dp, std::size_t rows,
                               std::size_t in, std::size_t out, T beta = T(0)) {
      kernels::gemm(cpu_t{}, {.ta = kernels::trans::yes, .m = in, .n = out, .k = rows}, T(1), x, in,
                    dy, out, T(0), dp, out);
      kernels::column_sums(cpu_t{}, dy, dp + in * out, rows, out);
      if (dx != nullptr)
        kernels::gemm(cpu_t{}, {.tb = kernels::trans::yes, .m = rows, .n = in, .k = out}, T(1), dy,
                      out, p, out, beta, dx, in);
    }
    // Sample b's scores (steps x steps) to attention weights over the keys that hold data: a
    // padded key's score becomes -inf, so the softmax (the vectorised kernel) gives it 0; all 0
    // when no key holds data (a sample that is all padding attends to nothing, where Keras' and
    // PyTorch's give NaN).
    template <class T>
    static void attention_weights(T* s, const step_mask<T>& mask, std::size_t b) {
      if (mask.active()) {
        bool any = false;
        for (std::size_t j = 0; j < steps; ++j) {
          if (mask(b, j)) {
            any = true;
            continue;
          }
          for (std::size_t i = 0; i < steps; ++i)
            s[i * steps + j] = -std::numeric_limits<T>::infinity();
        }
        if (!any) {
          std::fill_n(s, steps * steps, T(0));
          return;
        }
      }
      kernels::softmax_rows(cpu_t{}, s, s, steps, steps);
    }
    static kernels::layer_norm_args norm_args(std::size_t rows) noexcept {
      return {.rows = rows, .channels = width, .epsilon = epsilon};
    }
    // The row statistics of the attention's (0) or the feed-forward network's (1) normalisation.
    double* statistics(std::size_t rows, std::size_t which) {
      const std::size_t n = kernels::layer_norm_workspace(rows, width);
      if (stats_.size() < 2 * n) stats_.resize(2 * n);
      return stats_.data() + which * n;
    }

    template <class T>
    struct parts {
      T *q, *k, *v;  // (batch, steps, width): the projections
      T* probs;      // (batch, heads, steps, steps): the attention weights
      T* attended;   // (batch, steps, width): the heads' outputs, joined
      T* sum1;       // x + the attention's output
      T* normed;     // its normalisation
      T* hidden;     // (batch, steps, inner): the feed-forward network's ReLU layer
      T* sum2;       // normed + the feed-forward network's output
      T *dq, *dk, *dv, *d_probs, *d_attended, *d_sum1, *d_normed, *d_hidden, *d_sum2;
    };
    template <class T>
    parts<T> work(std::size_t batch) {
      T* at = work_.at_least<T>(batch * 2 * sample_values);
      const std::size_t values = batch * steps * width;
      auto take = [&](std::size_t n) { return std::exchange(at, at + n); };
      parts<T> s{};
      s.q = take(values), s.k = take(values), s.v = take(values);
      s.probs = take(batch * heads * steps * steps);
      s.attended = take(values), s.sum1 = take(values), s.normed = take(values);
      s.hidden = take(batch * steps * inner);
      s.sum2 = take(values);
      s.dq = take(values), s.dk = take(values), s.dv = take(values);
      s.d_probs = take(batch * heads * steps * steps);
      s.d_attended = take(values), s.d_sum1 = take(values), s.d_normed = take(values);
      s.d_hidden = take(batch * steps * inner);
      s.d_sum2 = take(values);
      return s;
    }

    detail::typed_workspace work_;
    std::vector<double> stats_;
    Rng rng_{0};
    std::array<std::uint64_t, 3> drop_seeds_{};  // the masks of the last training forward
    bool dropping_ = false;                      // whether it dropped
  };
};

}  // namespace fitcheck::nn
