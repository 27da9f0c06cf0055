// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/nn/layer.hpp>
#include <span>
#include <string>

// Keras' Embedding: integer tokens (word indices, category codes) to trainable vectors. A token
// is a row index into the table, so the forward pass copies rows and the backward pass adds each
// position's output gradient into its token's row; tokens are not differentiable.

namespace fitcheck::nn {

namespace detail {
template <std::size_t Vocabulary, std::size_t Dim, Dims In>
consteval bool embedding_input_fits() {
  static_assert(Vocabulary >= 1 && Dim >= 1,
                "Embedding<Vocabulary, Dim>: both must be at least 1. Fix: Vocabulary = the "
                "number of distinct tokens (the largest index + 1), Dim = the vector length");
  static_assert(In.rank == 1,
                "Embedding: the input must be a flat sequence of token indices (rank 1), but the "
                "layer before gives a rank-2 or higher sample [C1]. Fix: feed Features<L> of L "
                "token indices, or put Flatten before Embedding");
  return true;
}
}  // namespace detail

/// Whether an Embedding marks token 0 as padding for the layers after it (Keras' mask_zero).
enum class token_mask : std::uint8_t {
  none,  ///< every position is data (Keras' default)
  zero,  ///< token 0 is padding: LSTM, GRU, Bidirectional and GlobalAveragePooling1D skip it
};
/// Keras' `mask_zero=True`: `Embedding<10000, 64, fc::mask_zero>`.
inline constexpr token_mask mask_zero = token_mask::zero;

/// Token indices in [0, Vocabulary) (stored as floats, one per position) to vectors of `Dim`
/// trainable values: a sample of L tokens becomes (L, Dim), as Keras'
/// `Embedding(input_dim=Vocabulary, output_dim=Dim)`. The table is initialised uniform in
/// [-0.05, 0.05] (Keras' default). A value that is not an integer in [0, Vocabulary) is a
/// data_error naming the sample, the position and the value. Follow it with
/// GlobalAveragePooling1D, Conv1D or Flatten. Host CPU only (like OneHot: the check reads the
/// tokens on the host).
///
/// With `mask_zero` (Keras' `mask_zero=True`) token 0 is padding: the recurrent layers after it
/// carry their state over padded steps and GlobalAveragePooling1D averages only the others, so
/// a padded text gives what the text alone gives. Token 0 keeps its row (Vocabulary counts it).
/// A layer after it that would read the padding as data (Flatten, Conv1D, GlobalMaxPooling1D) is a
/// compile error (Keras only warns that the mask is lost).
template <std::size_t Vocabulary, std::size_t Dim, token_mask Mask = token_mask::none>
struct Embedding {
  /// (L, Dim) for L tokens.
  static constexpr Dims output_dims(Dims in) { return Dims{2, {in.extent[0], Dim}}; }

  template <Dims In>
  struct bind {
    static_assert(detail::embedding_input_fits<Vocabulary, Dim, In>());
    static constexpr std::size_t length = In.extent[0];
    using input_shape = Shape<length>;
    using output_shape = Shape<length, Dim>;
    static constexpr std::size_t param_count = Vocabulary * Dim;
    static constexpr const char* name = "Embedding";
    /// With mask_zero, the layers after it skip the positions holding token 0.
    static constexpr bool makes_mask = Mask == token_mask::zero;
    /// The token of padding.
    static constexpr double mask_value = 0.0;
    /// Keras' weights: embeddings (Vocabulary, Dim), row t the vector of token t.
    static constexpr std::array<tensor_spec, 1> tensors = {
        {{"embeddings", false, 0, 2, {Vocabulary, Dim}}}};

    void init(std::span<float> p, Rng& rng) const {
      for (float& v : p) v = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * 0.05);
    }

    /// Row x of the table for every token x.
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode) const {
      for (std::size_t i = 0; i < batch * length; ++i) {
        const T* row = p + token(x[i], i) * Dim;
        for (std::size_t d = 0; d < Dim; ++d) y[i * Dim + d] = row[d];
      }
    }

    /// d(table row t) = the sum of dy over the positions holding t, added in position order
    /// (deterministic); no gradient reaches the tokens (dx is zero).
    template <class T>
    void backward(const T*, const T* x, const T*, const T* dy, T* dx, T* dp,
                  std::size_t batch) const {
      for (std::size_t i = 0; i < param_count; ++i) dp[i] = T(0);
      for (std::size_t i = 0; i < batch * length; ++i) {
        T* row = dp + token(x[i], i) * Dim;
        for (std::size_t d = 0; d < Dim; ++d) row[d] += dy[i * Dim + d];
      }
      if (dx != nullptr)
        for (std::size_t i = 0; i < batch * length; ++i) dx[i] = T(0);
    }

   private:
    // Also false for NaN. A silent clamp would train the wrong row.
    template <class T>
    static std::size_t token(T v, std::size_t at) {
      if (!(v >= T(0) && v < T(Vocabulary) && std::floor(v) == v)) reject(at, double(v));
      return static_cast<std::size_t>(v);
    }
    [[noreturn]] static void reject(std::size_t at, double v) {
      throw data_error("Embedding<" + std::to_string(Vocabulary) + ", " + std::to_string(Dim) +
                           ">: sample " + std::to_string(at / length) + " of the batch, position " +
                           std::to_string(at % length) + " holds " + format_number(v) +
                           ", not a token index in [0, " + std::to_string(Vocabulary) + ")",
                       "map the tokens to the integers 0.." + std::to_string(Vocabulary - 1) +
                           " before the layer (0 is usually the padding), or raise Vocabulary "
                           "to the largest index + 1");
    }
  };
};

/// KerasHub's `TokenAndPositionEmbedding(vocabulary_size, sequence_length, embedding_dim)`: an
/// Embedding of the tokens plus a trainable vector per position (the sequence length is the
/// input's), so that the layers after it (a TransformerEncoder, which by itself cannot tell
/// positions apart) see where each token stands. Both tables are initialised uniform in
/// [-0.05, 0.05] (KerasHub's "uniform"); tokens are checked as Embedding checks them, and
/// `mask_zero` marks token 0 as padding as Embedding's does. Host CPU only.
template <std::size_t Vocabulary, std::size_t Dim, token_mask Mask = token_mask::none>
struct TokenAndPositionEmbedding {
  /// (L, Dim) for L tokens.
  static constexpr Dims output_dims(Dims in) { return Embedding<Vocabulary, Dim>::output_dims(in); }

  template <Dims In>
  class bind {
    using tokens = typename Embedding<Vocabulary, Dim, Mask>::template bind<In>;

   public:
    static constexpr std::size_t length = tokens::length;
    using input_shape = typename tokens::input_shape;
    using output_shape = typename tokens::output_shape;
    /// The token table (Vocabulary, Dim), then the position table (length, Dim).
    static constexpr std::size_t positions = tokens::param_count;
    static constexpr std::size_t param_count = positions + length * Dim;
    static constexpr const char* name = "TokenAndPositionEmbedding";
    static constexpr bool makes_mask = tokens::makes_mask;
    static constexpr double mask_value = tokens::mask_value;
    /// KerasHub's weights: token_embedding/embeddings, position_embedding/embeddings.
    static constexpr std::array<tensor_spec, 2> tensors = {
        {{"token_embedding/embeddings", false, 0, 2, {Vocabulary, Dim}},
         {"position_embedding/embeddings", false, positions, 2, {length, Dim}}}};

    void init(std::span<float> p, Rng& rng) const {
      for (float& v : p) v = static_cast<float>((2.0 * rng.uniform_float() - 1.0) * 0.05);
    }

    /// The token's row plus the position's.
    template <class T>
    void forward(const T* p, const T* x, T* y, std::size_t batch, mode m) const {
      tokens_.forward(p, x, y, batch, m);
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t i = 0; i < length * Dim; ++i) y[b * length * Dim + i] += p[positions + i];
    }

    /// The token table's gradient as Embedding's; a position's row gets the sum of dy over the
    /// batch at that position.
    template <class T>
    void backward(const T* p, const T* x, const T* y, const T* dy, T* dx, T* dp,
                  std::size_t batch) const {
      tokens_.backward(p, x, y, dy, dx, dp, batch);
      for (std::size_t i = 0; i < length * Dim; ++i) dp[positions + i] = T(0);
      for (std::size_t b = 0; b < batch; ++b)
        for (std::size_t i = 0; i < length * Dim; ++i)
          dp[positions + i] += dy[b * length * Dim + i];
    }

   private:
    tokens tokens_;
  };
};

}  // namespace fitcheck::nn
