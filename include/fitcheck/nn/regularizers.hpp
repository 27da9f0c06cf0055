// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string_view>

#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/regularize.hpp>
#include <fitcheck/nn/layer.hpp>

// Weight regularizers, Keras' kernel_regularizer, bias_regularizer and recurrent_regularizer:
// `Regularized<Dense<64>, L2<std::ratio<1, 10000>>>` is `Dense(64,
// kernel_regularizer=regularizers.L2(1e-4))`. The penalty joins the loss that training minimises
// and reports (and evaluate's, as in Keras); its gradient joins the data's before clipping and
// the update. The layer itself is unchanged: the wrapper only names slices of its parameters
// (kernels::penalty), which Sequential gathers and the step engines apply once per step.

namespace fitcheck::nn {

namespace detail {
template <class Factor>
consteval bool penalty_factor_fits() {
  static_assert(is_std_ratio<Factor>,
                "L1<Factor> / L2<Factor>: the factor is a std::ratio (a float cannot be a "
                "template argument). Fix: L2<std::ratio<1, 10000>> for Keras' L2(1e-4)");
  if constexpr (is_std_ratio<Factor>)
    static_assert(Factor::num >= 0,
                  "L1<Factor> / L2<Factor>: a negative factor rewards large weights, and "
                  "training diverges. Fix: a factor of 0 or more, e.g. std::ratio<1, 10000>");
  return true;
}
}  // namespace detail

/// Keras' `regularizers.L1(l1)`: l1 sum |w| (default 0.01, Keras').
template <class Factor = std::ratio<1, 100>>
struct L1 {
  static_assert(detail::penalty_factor_fits<Factor>());
  static constexpr double l1 = detail::ratio_value<Factor>();  ///< the factor of sum |w|
  static constexpr double l2 = 0.0;                            ///< the factor of sum w^2
};

/// Keras' `regularizers.L2(l2)`: l2 sum w^2 (default 0.01, Keras'). Not halved, as Keras: the
/// gradient is 2 l2 w. (Decoupled weight decay is AdamW's, optim/optimizer.hpp.)
template <class Factor = std::ratio<1, 100>>
struct L2 {
  static_assert(detail::penalty_factor_fits<Factor>());
  static constexpr double l1 = 0.0;                            ///< the factor of sum |w|
  static constexpr double l2 = detail::ratio_value<Factor>();  ///< the factor of sum w^2
};

/// Keras' `regularizers.L1L2(l1, l2)`: l1 sum |w| + l2 sum w^2.
template <class L1Factor, class L2Factor>
struct L1L2 {
  static_assert(detail::penalty_factor_fits<L1Factor>() && detail::penalty_factor_fits<L2Factor>());
  static constexpr double l1 = detail::ratio_value<L1Factor>();  ///< the factor of sum |w|
  static constexpr double l2 = detail::ratio_value<L2Factor>();  ///< the factor of sum w^2
};

/// Which of a layer's weights a regularizer applies to.
enum class weight_role : std::uint8_t {
  kernel,            ///< tensors named `kernel` (a depthwise or separable convolution's
                     ///< `depthwise_kernel` and `pointwise_kernel`, an Embedding's `embeddings`)
  bias,              ///< tensors named `bias`
  recurrent_kernel,  ///< a recurrent layer's `recurrent_kernel`
};

/// Keras' `kernel_regularizer=`: R on the layer's kernels (every `.../kernel` tensor, the
/// `embeddings` tables of the embedding layers). A regularizer given bare means this.
template <class R>
struct kernel_regularizer {
  using regularizer = R;                                    ///< the penalty
  static constexpr weight_role role = weight_role::kernel;  ///< the weights it applies to
};
/// Keras' `bias_regularizer=`: R on the layer's biases.
template <class R>
struct bias_regularizer {
  using regularizer = R;                                  ///< the penalty
  static constexpr weight_role role = weight_role::bias;  ///< the weights it applies to
};
/// Keras' `recurrent_regularizer=`: R on a recurrent layer's recurrent kernels.
template <class R>
struct recurrent_regularizer {
  using regularizer = R;                                              ///< the penalty
  static constexpr weight_role role = weight_role::recurrent_kernel;  ///< the weights it applies to
};

template <class Layer, class... Regularizers>
struct Regularized;

namespace detail {
template <class R>
concept regularizer = requires {
  { R::l1 } -> std::convertible_to<double>;
  { R::l2 } -> std::convertible_to<double>;
};
template <class A>
concept role_regularizer = requires {
  typename A::regularizer;
  { A::role } -> std::convertible_to<weight_role>;
};

// A bare regularizer is the kernel's.
template <class A>
struct role_of {
  using type = kernel_regularizer<A>;
};
template <role_regularizer A>
struct role_of<A> {
  using type = A;
};

template <class L>
inline constexpr bool is_regularized = false;
template <class L, class... R>
inline constexpr bool is_regularized<Regularized<L, R...>> = true;

// The role of a tensor, from the last part of its Keras name; none for the rest (gamma, beta,
// moving statistics).
constexpr int tensor_role(std::string_view name) noexcept {
  const std::size_t slash = name.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
  if (last == "kernel" || last == "depthwise_kernel" || last == "pointwise_kernel" ||
      last == "embeddings")
    return int(weight_role::kernel);
  if (last == "bias") return int(weight_role::bias);
  if (last == "recurrent_kernel") return int(weight_role::recurrent_kernel);
  return -1;
}

template <class Layer, class... Args>
consteval bool regularized_arguments_fit() {
  static_assert(sizeof...(Args) >= 1,
                "Regularized<Layer>: no regularizer given. Fix: Regularized<Dense<64>, "
                "L2<std::ratio<1, 10000>>> (the kernel's), or name the weights: "
                "kernel_regularizer<L2<...>>, bias_regularizer<L1<...>>");
  static_assert(
      ((regularizer<Args> ||
        (role_regularizer<Args> && regularizer<typename role_of<Args>::type::regularizer>)) &&
       ...),
      "Regularized<Layer, ...>: an argument after the layer is not a regularizer. Fix: "
      "L1<std::ratio<...>>, L2<std::ratio<...>> or L1L2<std::ratio<...>, std::ratio<...>>, "
      "bare (the kernel's) or in kernel_regularizer<...>, bias_regularizer<...>, "
      "recurrent_regularizer<...>");
  static_assert(!is_regularized<Layer>,
                "Regularized<Regularized<Layer, ...>, ...>: the layer is already regularized. "
                "Fix: give every regularizer in one Regularized<Layer, kernel_regularizer<...>, "
                "bias_regularizer<...>>");
  return true;
}

template <class... Args>
constexpr bool roles_distinct() {
  std::array<int, 3> uses{};
  ((++uses[std::size_t(role_of<Args>::type::role)]), ...);
  return uses[0] <= 1 && uses[1] <= 1 && uses[2] <= 1;
}
template <class... Args>
consteval bool regularizer_roles_distinct() {
  static_assert(roles_distinct<Args...>(),
                "Regularized<Layer, ...>: two regularizers for the same weights (a bare "
                "regularizer is the kernel's). Fix: one per weight, or L1L2<...> for both "
                "penalties on one");
  return true;
}

// Every regularizer given must find a weight it applies to: the layer's type and its tensors
// are in the instantiation context.
template <class Base, weight_role Role>
consteval bool layer_has_role() {
  static_assert(named_tensors<Base>,
                "Regularized<Layer, ...>: this layer names no weights (a merge block, or a layer "
                "without parameters). Fix: regularize the layers inside the block, or the Dense "
                "or Conv2D before an activation");
  if constexpr (named_tensors<Base>) {
    constexpr bool found = [] {
      for (const tensor_spec& t : Base::tensors)
        if (!t.state && tensor_role(t.name) == int(Role)) return true;
      return false;
    }();
    static_assert(found || Role != weight_role::kernel,
                  "Regularized<Layer, ...>: this layer has no kernel to regularize (a "
                  "BatchNormalization, LayerNormalization or Normalization: Keras' gamma and beta "
                  "regularizers are not there). Fix: regularize the Dense or Conv2D layers");
    static_assert(found || Role != weight_role::bias,
                  "Regularized<Layer, ..., bias_regularizer<...>>: this layer has no bias (a "
                  "convolution with UseBias = false, an Embedding). Fix: leave the "
                  "bias_regularizer out");
    static_assert(found || Role != weight_role::recurrent_kernel,
                  "Regularized<Layer, ..., recurrent_regularizer<...>>: only LSTM, GRU, "
                  "SimpleRNN and Bidirectional have a recurrent kernel. Fix: kernel_regularizer "
                  "for this layer's kernel");
  }
  return true;
}

template <class Base, class... Args>
constexpr auto layer_penalties() {
  constexpr std::size_t n = [] {
    std::size_t c = 0;
    if constexpr (named_tensors<Base>)
      for (const tensor_spec& t : Base::tensors)
        if (!t.state && ((tensor_role(t.name) == int(role_of<Args>::type::role)) || ...)) ++c;
    return c;
  }();
  std::array<kernels::penalty, n> out{};
  if constexpr (n > 0 && roles_distinct<Args...>()) {  // else: already an error
    std::size_t at = 0;
    for (const tensor_spec& t : Base::tensors) {
      if (t.state) continue;
      std::size_t count = 1;
      for (std::size_t d = 0; d < t.rank; ++d) count *= t.shape[d];
      (
          [&] {
            using R = typename role_of<Args>::type;
            if constexpr (regularizer<typename R::regularizer>)  // else: already an error
              if (tensor_role(t.name) == int(R::role))
                out[at++] = {t.offset, count, R::regularizer::l1, R::regularizer::l2};
          }(),
          ...);
    }
  }
  return out;
}
}  // namespace detail

/// A layer with weight penalties (Keras' `kernel_regularizer`, `bias_regularizer`,
/// `recurrent_regularizer`): `Regularized<Dense<64>, L2<std::ratio<1, 10000>>>` adds
/// 1e-4 sum w^2 over the Dense's kernel to the loss;
/// `Regularized<LSTM<32>, kernel_regularizer<L2<...>>, recurrent_regularizer<L2<...>>,
/// bias_regularizer<L1<...>>>` names each weight. The layer computes, initialises, saves and
/// exports as it does unwrapped (same weights, same names).
template <class Layer, class... Regularizers>
struct Regularized {
  static_assert(detail::regularized_arguments_fit<Layer, Regularizers...>());
  static_assert(detail::regularizer_roles_distinct<Regularizers...>());

  /// The wrapped layer as written.
  using layer = Layer;

  /// The wrapped layer's shape.
  static constexpr Dims output_dims(Dims in) { return Layer::output_dims(in); }

  /// The wrapped layer bound to `In`, with the slices of its parameters the penalties cover.
  template <Dims In>
  struct bind : Layer::template bind<In> {
    using base = typename Layer::template bind<In>;
    static_assert((detail::layer_has_role<base, detail::role_of<Regularizers>::type::role>() &&
                   ...));
    /// The penalised slices of this layer's parameters, in tensor order.
    static constexpr auto penalties = detail::layer_penalties<base, Regularizers...>();
  };
};

}  // namespace fitcheck::nn
