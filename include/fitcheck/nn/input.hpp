// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>

#include <fitcheck/core/shape.hpp>

namespace fitcheck::nn {

/// The first entry of a Sequential: the shape of one sample, `Input<10>` or `Input<28, 28>`.
template <std::size_t... Dims_>
struct Input {
  static_assert(sizeof...(Dims_) >= 1,
                "Input: a model input needs at least one dimension. Fix: write Input<N> for N "
                "features per sample");
  /// The sample shape.
  using shape = Shape<Dims_...>;
  /// The sample shape as a value.
  static constexpr Dims dims = dims_v<shape>;
};

namespace detail {
/// The input of a network inside a layer (a branch of a merge block, nn/merge.hpp): the block's
/// input, not the model's, so the rules for a model's ends (C7) do not apply to it.
template <std::size_t... D>
struct branch_input : Input<D...> {};

template <class T>
inline constexpr bool is_input = false;
template <std::size_t... D>
inline constexpr bool is_input<Input<D...>> = true;
template <std::size_t... D>
inline constexpr bool is_input<branch_input<D...>> = true;

template <class T>
inline constexpr bool is_branch_input = false;
template <std::size_t... D>
inline constexpr bool is_branch_input<branch_input<D...>> = true;
}  // namespace detail

template <class T>
concept input_spec = detail::is_input<T>;

}  // namespace fitcheck::nn
