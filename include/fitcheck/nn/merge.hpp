// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/core/random.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/kernels/kernels.hpp>
#include <fitcheck/kernels/merge.hpp>
#include <fitcheck/kernels/state_buffer.hpp>
#include <fitcheck/nn/input.hpp>
#include <fitcheck/nn/layer.hpp>
#include <fitcheck/nn/sequential.hpp>
#include <fitcheck/nn/workspace.hpp>

// Paths that leave one tensor and meet again: Keras' functional `Add` and `Concatenate` over
// branches that all read the same input, written as one layer of a Sequential. A ResNet block
// is `Residual<Conv2D<64, 3, 1, padding::same>, BatchNormalization<>, ReLU, Conv2D<64, 3, 1,
// padding::same>, BatchNormalization<>>` (x + f(x)); its downsampling form projects the shortcut,
// `Add<Branch<Conv2D<128, 3, 2, padding::same>, ...>, Branch<Conv2D<128, 1, 2>,
// BatchNormalization<>>>`; an Inception block or a wide-and-deep join is `Concatenate<...>`.
//
// Each branch is a Sequential of its own over the block's input (its shapes inferred and checked
// at compile time, its activations fused as a model's are), so every layer works inside a branch
// as it does in a model. The block keeps each branch's activations for backward in its workspace
// (sized by `reserve`; the memory plan counts them per sample), adds or joins the branches'
// outputs in branch order, and in backward hands every branch its share of the gradient and sums
// the branches' input gradients, again in branch order: results do not depend on the thread
// count. Random layers inside (Dropout) draw from the block's one stream, reseeded from it at
// each training step, so a training backup that keeps that stream resumes them exactly. On the
// cuda backend the same runs in device memory.

namespace fitcheck::nn {

/// One path through a merge block: its layers in order, the first reading the block's input,
/// each width inferred from the layer before. `Branch<>` (`Identity`) is the input itself.
template <class... Specs>
struct Branch {
  static_assert((!input_spec<Specs> && ...),
                "Branch: a branch starts from the input of its merge block, so it takes no Input. "
                "Fix: leave Input out: Branch<Conv2D<32, 3>, ReLU>");
  /// The shape the branch's last layer gives for a block input of shape `in`.
  static constexpr Dims output_dims(Dims in) {
    if constexpr (!(input_spec<Specs> || ...)) ((in = Specs::output_dims(in)), ...);
    return in;
  }
};

/// The block's input, unchanged: the shortcut of a residual connection.
using Identity = Branch<>;

/// How a block merges its branches: element by element (every branch gives the same shape), or
/// joined along the last axis.
enum class merge_kind : std::uint8_t {
  add,          ///< the sum (Keras' Add)
  subtract,     ///< the first branch minus the second (Keras' Subtract)
  multiply,     ///< the product (Keras' Multiply)
  average,      ///< the mean (Keras' Average)
  maximum,      ///< the largest (Keras' Maximum)
  minimum,      ///< the smallest (Keras' Minimum)
  concatenate,  ///< joined along the last axis (Keras' Concatenate(axis=-1))
};

namespace detail {
template <class B>
struct branch_of {
  using type = Branch<B>;
};
template <class... S>
struct branch_of<Branch<S...>> {
  using type = Branch<S...>;
};
// A layer written where a branch goes is the branch of that one layer.
template <class B>
using branch_t = typename branch_of<B>::type;

template <class S>
struct branch_input_of;
template <std::size_t... D>
struct branch_input_of<Shape<D...>> {
  using type = branch_input<D...>;
};

// The network of a branch for a block input of shape In; void for the identity.
template <class InShape, class B>
struct branch_network_of {
  using type = void;
};
template <class InShape, class S0, class... S>
requires(!(input_spec<S0> || ... || input_spec<S>))  // else already an error (Branch)
    struct branch_network_of<InShape, Branch<S0, S...>> {
  using type = Sequential<typename branch_input_of<InShape>::type, S0, S...>;
};

template <merge_kind Kind, class... Branches>
constexpr Dims merged_dims(Dims in) {
  const std::array<Dims, sizeof...(Branches)> outs{Branches::output_dims(in)...};
  Dims d = outs[0];
  if (Kind == merge_kind::concatenate) {
    d.extent[d.rank - 1] = 0;
    for (const Dims& o : outs) d.extent[d.rank - 1] += o.extent[o.rank - 1];
  }
  return d;
}

template <std::size_t Count>
consteval bool merge_has_branches() {
  static_assert(Count >= 2,
                "Add / Concatenate: a merge block needs at least two branches. Fix: "
                "Add<Identity, Branch<...>> (or Residual<...>) for x + f(x), "
                "Concatenate<Branch<...>, Branch<...>> to join two paths");
  return true;
}
template <std::size_t Count>
consteval bool subtract_has_two_branches() {
  static_assert(Count == 2,
                "Subtract: the difference of exactly two branches (the first minus the second), "
                "as Keras' Subtract. Fix: Subtract<Branch<...>, Branch<...>>, or Add the others "
                "first");
  return true;
}

// The branch's position (counted from 1) and both shapes appear in the diagnostic's context.
template <bool Residual, std::size_t Position, class FirstShape, class BranchShape>
consteval bool add_shapes_agree() {
  static_assert(!Residual || std::is_same_v<FirstShape, BranchShape>,
                "Residual: the block's layers change the shape of its input (both Shapes are in "
                "the lines above), so x + f(x) cannot be formed [C1]. Fix: keep the shape inside "
                "the block (padding::same, strides 1, as many filters or units as the input has "
                "channels or features), or project the shortcut as Keras' ResNet does: "
                "Add<Branch<your layers>, Branch<Conv2D<Filters, 1, Strides>, "
                "BatchNormalization<>>>");
  static_assert(Residual || std::is_same_v<FirstShape, BranchShape>,
                "Add, Subtract, Multiply, Average, Maximum, Minimum: a branch's output shape "
                "differs from the first branch's (the branch's position, counted from 1, and both "
                "Shapes are in the lines above), and an element-wise merge needs equal shapes "
                "[C1]. Fix: keep the shape inside the branch (padding::same, "
                "strides 1, the same filters or units), or project the other branch to it, e.g. "
                "Branch<Conv2D<Filters, 1, Strides>> as the shortcut of a ResNet block");
  return true;
}

template <std::size_t Position, class FirstShape, class BranchShape>
consteval bool concatenated_shapes_agree() {
  constexpr bool same_rank = FirstShape::rank == BranchShape::rank;
  constexpr bool leading_agree = [] {
    if constexpr (same_rank) {
      for (std::size_t i = 0; i + 1 < FirstShape::rank; ++i)
        if (FirstShape::dims[i] != BranchShape::dims[i]) return false;
    }
    return same_rank;
  }();
  static_assert(leading_agree,
                "Concatenate: a branch's output differs from the first branch's in an axis "
                "other than the last (the branch's position, counted from 1, and both Shapes are "
                "in the lines above); outputs are joined along the last axis, so every other "
                "axis must agree [C1]. Fix: give the branches the same rank and the same sizes "
                "before the last axis (the same strides and padding::same for images), or "
                "Flatten each branch first");
  return true;
}
}  // namespace detail

namespace detail {
template <class Spec, Dims In>
class merge_layer;

inline constexpr const char* add_label = "Add";
inline constexpr const char* concatenate_label = "Concatenate";
inline constexpr const char* residual_label = "Residual";
inline constexpr const char* subtract_label = "Subtract";
inline constexpr const char* multiply_label = "Multiply";
inline constexpr const char* average_label = "Average";
inline constexpr const char* maximum_label = "Maximum";
inline constexpr const char* minimum_label = "Minimum";

// What the three merge specs share: their branches, how they merge, the name, the shapes.
template <merge_kind Kind, bool IsResidual, const char* const& Label, class... Branches>
struct merge_spec {
  static_assert([] {
    if constexpr (Kind == merge_kind::subtract) return subtract_has_two_branches<sizeof...(Branches)>();
    else return true;
  }());
  using branches = std::tuple<Branches...>;
  static constexpr merge_kind kind = Kind;
  static constexpr bool residual = IsResidual;
  static constexpr const char* label = Label;
  static constexpr Dims output_dims(Dims in) { return merged_dims<Kind, Branches...>(in); }
  template <Dims In>
  using bind = merge_layer<merge_spec, In>;
};
}  // namespace detail

/// The element-wise sum of branches over the same input (Keras' functional `Add`): a branch is
/// `Branch<Layers...>`, one layer, or `Identity`. Every branch must give the same shape (C1).
template <class... Branches>
struct Add : detail::merge_spec<merge_kind::add, false, detail::add_label,
                                detail::branch_t<Branches>...> {
  static_assert(detail::merge_has_branches<sizeof...(Branches)>());
};

/// The branches' outputs joined along the last axis (Keras' `Concatenate(axis=-1)`): features,
/// or channels of images of the same size. Every other axis must agree (C1).
template <class... Branches>
struct Concatenate : detail::merge_spec<merge_kind::concatenate, false, detail::concatenate_label,
                                        detail::branch_t<Branches>...> {
  static_assert(detail::merge_has_branches<sizeof...(Branches)>());
};

/// The first branch minus the second (Keras' `Subtract`: exactly two), equal shapes (C1).
template <class... Branches>
struct Subtract : detail::merge_spec<merge_kind::subtract, false, detail::subtract_label,
                                     detail::branch_t<Branches>...> {};

/// The element-wise product of the branches (Keras' `Multiply`): a gate, `Multiply<Dense<64>,
/// Branch<Dense<64>, Sigmoid>>`. Equal shapes (C1).
template <class... Branches>
struct Multiply : detail::merge_spec<merge_kind::multiply, false, detail::multiply_label,
                                     detail::branch_t<Branches>...> {
  static_assert(detail::merge_has_branches<sizeof...(Branches)>());
};

/// The element-wise mean of the branches (Keras' `Average`). Equal shapes (C1).
template <class... Branches>
struct Average : detail::merge_spec<merge_kind::average, false, detail::average_label,
                                    detail::branch_t<Branches>...> {
  static_assert(detail::merge_has_branches<sizeof...(Branches)>());
};

/// The element-wise largest of the branches (Keras' `Maximum`); the gradient goes to the first
/// branch holding it. Equal shapes (C1).
template <class... Branches>
struct Maximum : detail::merge_spec<merge_kind::maximum, false, detail::maximum_label,
                                    detail::branch_t<Branches>...> {
  static_assert(detail::merge_has_branches<sizeof...(Branches)>());
};

/// The element-wise smallest of the branches (Keras' `Minimum`), as Maximum.
template <class... Branches>
struct Minimum : detail::merge_spec<merge_kind::minimum, false, detail::minimum_label,
                                    detail::branch_t<Branches>...> {
  static_assert(detail::merge_has_branches<sizeof...(Branches)>());
};

/// x + f(x), f the layers given (a residual connection, He et al. 2015): `Add<Identity,
/// Branch<Layers...>>`, with a message of its own when f changes the shape.
template <class... Layers>
struct Residual
    : detail::merge_spec<merge_kind::add, true, detail::residual_label, Identity, Branch<Layers...>> {
  static_assert(sizeof...(Layers) >= 1,
                "Residual: a residual block needs the layers of its path, x + f(x). Fix: "
                "Residual<Dense<64>, ReLU, Dense<64>>");
};

namespace detail {

template <class InShape, class Net>
struct branch_output_shape {
  using type = typename Net::output_shape;
};
template <class InShape>
struct branch_output_shape<InShape, void> {
  using type = InShape;
};
template <class Net>
constexpr std::size_t net_device_workspace(std::size_t batch) noexcept {
  if constexpr (std::is_void_v<Net>)
    return 0;
  else
    return Net::device_workspace_floats(batch);
}
// An empty stand-in where a branch is the identity.
struct no_network {};
template <class Net>
using network_or_none = std::conditional_t<std::is_void_v<Net>, no_network, Net>;

template <class Spec, Dims In>
class merge_layer {
  using in_shape = shape_t<In>;
  static constexpr std::size_t count = std::tuple_size_v<typename Spec::branches>;
  template <std::size_t B>
  using branch = std::tuple_element_t<B, typename Spec::branches>;

 public:
  /// Branch B's network (Sequential's interface), void where the branch is the identity.
  template <std::size_t B>
  using branch_network_t = typename branch_network_of<in_shape, branch<B>>::type;

 private:
  template <std::size_t B>
  using out_shape_t = typename branch_output_shape<in_shape, branch_network_t<B>>::type;

  template <std::size_t... B>
  static consteval bool shapes_agree(std::index_sequence<B...>) {
    if constexpr (Spec::kind != merge_kind::concatenate)
      return (add_shapes_agree<Spec::residual, B + 1, out_shape_t<0>, out_shape_t<B>>() && ...);
    else
      return (concatenated_shapes_agree<B + 1, out_shape_t<0>, out_shape_t<B>>() && ...);
  }
  static_assert(shapes_agree(std::make_index_sequence<count>{}));

  static constexpr Dims out_dims = Spec::output_dims(In);

  // A fact of each branch's network, in branch order (0 for the identity): f takes the network
  // type as a std::type_identity.
  template <class F>
  static constexpr auto per_branch(F f) {
    return [&]<std::size_t... B>(std::index_sequence<B...>) {
      return std::array<std::size_t, count>{[&] {
        if constexpr (std::is_void_v<branch_network_t<B>>)
          return std::size_t{0};
        else
          return std::size_t{f(std::type_identity<branch_network_t<B>>{})};
      }()...};
    }
    (std::make_index_sequence<count>{});
  }
  static constexpr std::array<std::size_t, count + 1> offsets(std::array<std::size_t, count> c) {
    std::array<std::size_t, count + 1> o{};
    for (std::size_t b = 0; b < count; ++b) o[b + 1] = o[b] + c[b];
    return o;
  }
  static constexpr std::size_t sum(std::array<std::size_t, count> c) {
    std::size_t s = 0;
    for (std::size_t v : c) s += v;
    return s;
  }

  static constexpr std::size_t in_size = In.size();
  static constexpr std::size_t out_size = out_dims.size();
  // Rows of a concatenation: every axis but the last.
  static constexpr std::size_t row_width = out_dims.extent[out_dims.rank - 1];
  static constexpr std::size_t sample_rows = out_size / row_width;
  // Each branch's columns in a concatenation, and where they start.
  static constexpr std::array<std::size_t, count> parts = [] {
    return []<std::size_t... B>(std::index_sequence<B...>) {
      return std::array<std::size_t, count>{out_shape_t<B>::dims[out_shape_t<B>::rank - 1]...};
    }
    (std::make_index_sequence<count>{});
  }();
  static constexpr std::array<std::size_t, count + 1> part_offsets = offsets(parts);

  static constexpr std::array<std::size_t, count + 1> activation_offsets =
      offsets(per_branch([](auto n) {
        using N = typename decltype(n)::type;
        return N::activation_width - N::input_size;
      }));
  static constexpr std::size_t gradient_width =
      std::ranges::max(per_branch([](auto n) { return decltype(n)::type::max_width; }));
  // Per sample: the branches' activations, two gradient buffers, an input gradient.
  static constexpr std::size_t own_floats =
      activation_offsets[count] + 2 * gradient_width + in_size;

  // Branch B's penalties at the block's offsets, appended to out from `at` on.
  template <std::size_t B, std::size_t N>
  static constexpr void append_penalties(std::array<kernels::penalty, N>& out, std::size_t& at) {
    if constexpr (!std::is_void_v<branch_network_t<B>>)
      for (kernels::penalty p : branch_network_t<B>::penalties) {
        p.offset += branch_param_offsets[B];
        out[at++] = p;
      }
  }
  template <std::size_t... B>
  static constexpr auto gather_penalties(std::index_sequence<B...>) {
    constexpr std::size_t total =
        sum(per_branch([](auto n) { return decltype(n)::type::penalty_count; }));
    std::array<kernels::penalty, total> out{};
    std::size_t at = 0;
    (append_penalties<B>(out, at), ...);
    return out;
  }

 public:
  using input_shape = in_shape;
  using output_shape =
      typename fitcheck::detail::shape_of_extents<out_dims.rank, out_dims.extent[0],
                                                  out_dims.extent[1], out_dims.extent[2],
                                                  out_dims.extent[3]>::type;
  static constexpr const char* name = Spec::label;
  static constexpr merge_kind kind = Spec::kind;
  // The element-wise kernels' name for the kind (unused for a concatenation).
  static constexpr kernels::merge_op op = [] {
    switch (kind) {
      case merge_kind::subtract: return kernels::merge_op::subtract;
      case merge_kind::multiply: return kernels::merge_op::multiply;
      case merge_kind::average: return kernels::merge_op::average;
      case merge_kind::maximum: return kernels::merge_op::maximum;
      case merge_kind::minimum: return kernels::merge_op::minimum;
      default: return kernels::merge_op::add;
    }
  }();
  /// The paths, the identity included.
  static constexpr std::size_t branch_count = count;
  /// Where each branch's parameters start in the block's (the last entry: all of them).
  static constexpr std::array<std::size_t, count + 1> branch_param_offsets =
      offsets(per_branch([](auto n) { return decltype(n)::type::param_count; }));
  /// Where each branch's state (BatchNormalization's moving statistics) starts in the block's.
  static constexpr std::array<std::size_t, count + 1> branch_state_offsets =
      offsets(per_branch([](auto n) { return decltype(n)::type::state_count; }));
  static constexpr std::size_t param_count = branch_param_offsets[count];
  static constexpr std::size_t state_count = branch_state_offsets[count];
  /// The weight penalties of the branches' layers (Regularized), as slices of the block's
  /// parameters.
  static constexpr auto penalties = gather_penalties(std::make_index_sequence<count>{});
  /// Random layers inside the branches (Dropout), drawn from the block's one stream.
  static constexpr std::size_t random_layers =
      sum(per_branch([](auto n) { return decltype(n)::type::random_stream_count; }));
  /// Per sample: every branch layer's output and the gradients backward passes through, and
  /// what the branches' layers keep per sample themselves.
  static constexpr std::size_t sample_workspace_floats =
      own_floats +
      sum(per_branch([](auto n) { return decltype(n)::type::sample_workspace_floats; }));
  /// What the branches' layers keep at any batch (convolutions' lowering blocks).
  static constexpr std::size_t workspace_floats =
      sum(per_branch([](auto n) { return decltype(n)::type::workspace_floats; }));

  /// Branch B's network (for B not the identity).
  template <std::size_t B>
  auto& network() noexcept {
    return std::get<B>(nets_);
  }
  template <std::size_t B>
  const auto& network() const noexcept {
    return std::get<B>(nets_);
  }

  /// Each branch's layers from one stream, branch after branch; then the block's mask stream.
  void init(std::span<float> p, Rng& rng) {
    each_network([&]<std::size_t B>(auto& net) {
      net.init(p.subspan(branch_param_offsets[B], branch_network_t<B>::param_count), rng);
    });
    if constexpr (random_layers > 0) rng_ = Rng(rng());
  }

  /// Restarts the stream the branches' random layers are seeded from at each training step.
  void seed(std::uint64_t s) noexcept requires(random_layers > 0) { rng_ = Rng(s); }
  [[nodiscard]] Rng& random_stream() noexcept requires(random_layers > 0) { return rng_; }
  [[nodiscard]] const Rng& random_stream() const noexcept requires(random_layers > 0) {
    return rng_;
  }

  /// Sizes the block's and its layers' workspaces: a training step allocates nothing.
  void reserve(std::size_t max_batch) {
    each_network([&]<std::size_t>(auto& net) { net.reserve(max_batch); });
    work_.reserve(max_batch * own_floats);
  }

  void save_state(std::span<double> out) const {
    each_network([&]<std::size_t B>(const auto& net) {
      net.save_state(out.subspan(branch_state_offsets[B], branch_network_t<B>::state_count));
    });
  }
  /// Every branch's state, or none: a branch that refuses its values leaves the block as it was.
  void load_state(std::span<const double> in) {
    if constexpr (state_count > 0) {
      std::vector<double> before(state_count);
      save_state(before);
      try {
        load_branches(in);
      } catch (...) {
        load_branches(before);
        throw;
      }
    }
  }

  /// The same in a device backend's memory at `batch` (the block's own there), for [E1].
  static constexpr std::size_t device_workspace_floats(std::size_t batch) noexcept {
    return batch * own_floats + [&]<std::size_t... B>(std::index_sequence<B...>) {
      return (std::size_t{0} + ... + net_device_workspace<branch_network_t<B>>(batch));
    }
    (std::make_index_sequence<count>{});
  }

  /// With `be` = fc::cuda every pointer names device memory (the branches' layers must run there).
  template <class T, class Backend = cpu_t>
  void forward(const T* p, const T* x, T* y, std::size_t batch, mode m, Backend be = {}) {
    T* work = workspace<T>(be, batch);
    if constexpr (random_layers > 0)
      if (m == mode::training) reseed_branches();
    each_network([&]<std::size_t B>(auto& net) {
      auto acts = activations<B>(x, work, batch);
      net.forward(p + branch_param_offsets[B], acts.data(), batch, m, be);
    });
    if constexpr (kind == merge_kind::concatenate) {
      [&]<std::size_t... B>(std::index_sequence<B...>) {
        (kernels::place_columns(be, branch_output<B>(x, work, batch), parts[B], y, row_width,
                                part_offsets[B], batch * sample_rows),
         ...);
      }(std::make_index_sequence<count>{});
    } else {
      kernels::merge_forward(be, op, outputs(x, work, batch), y, batch * out_size);
    }
  }

  template <class T, class Backend = cpu_t>
  void backward(const T* p, const T* x, const T*, const T* dy, T* dx, T* dp, std::size_t batch,
                Backend be = {}) {
    T* work = workspace<T>(be, batch);
    T* grad = work + batch * activation_offsets[count];
    T* scratch = grad + batch * gradient_width;
    T* dx_branch = scratch + batch * gradient_width;
    bool dx_written = false;
    // Adds (or, the first time, writes) a branch's input gradient into dx.
    const auto into_dx = [&](const T* g) {
      if (dx_written)
        kernels::add_values(be, g, dx, batch * in_size);
      else
        kernels::copy_values(be, g, dx, batch * in_size);
      dx_written = true;
    };
    [&]<std::size_t... B>(std::index_sequence<B...>) {
      (
          [&] {
            using Net = branch_network_t<B>;
            // The gradient of this branch's output: its columns of dy for a join, dy times its
            // share for an element-wise merge (all of dy for a sum: the identity reads dy itself;
            // a network gets a copy, which its backward overwrites).
            const T* g = dy;
            if constexpr (kind == merge_kind::concatenate) {
              kernels::take_columns(be, dy, row_width, part_offsets[B], grad, parts[B],
                                    batch * sample_rows);
              g = grad;
            } else if constexpr (kind != merge_kind::add || !std::is_void_v<Net>) {
              kernels::merge_backward(be, op, outputs(x, work, batch), B, dy, grad,
                                      batch * out_size);
              g = grad;
            }
            if constexpr (std::is_void_v<Net>) {
              if (dx != nullptr) into_dx(g);
            } else {
              auto acts = activations<B>(x, work, batch);
              T* target = dx == nullptr ? nullptr : dx_written ? dx_branch : dx;
              std::get<B>(nets_).backward_to_input(p + branch_param_offsets[B], acts.data(), grad,
                                                   scratch, dp + branch_param_offsets[B], target,
                                                   batch, be);
              if (dx != nullptr) {
                if (dx_written) kernels::add_values(be, dx_branch, dx, batch * in_size);
                dx_written = true;
              }
            }
          }(),
          ...);
    }
    (std::make_index_sequence<count>{});
  }

 private:
  // Branch B's activations: [0] the block's input, then each layer's output in the workspace.
  template <std::size_t B, class T>
  static auto activations(const T* x, T* work, std::size_t batch) {
    using Net = branch_network_t<B>;
    std::array<T*, Net::depth + 1> a{};
    // The branch's first layer reads the block's input and, by the layer contract, never
    // writes it.
    a[0] = const_cast<T*>(x);
    T* at = work + batch * activation_offsets[B];
    for (std::size_t i = 1; i <= Net::depth; ++i) {
      a[i] = at;
      at += batch * Net::widths[i];
    }
    return a;
  }
  template <std::size_t B, class T>
  static const T* branch_output(const T* x, T* work, std::size_t batch) {
    if constexpr (std::is_void_v<branch_network_t<B>>)
      return x;
    else
      return activations<B>(x, work, batch)[branch_network_t<B>::depth];
  }
  // The branches' outputs, for an element-wise merge.
  template <class T>
  static kernels::merge_inputs<T, count> outputs(const T* x, T* work, std::size_t batch) {
    return [&]<std::size_t... B>(std::index_sequence<B...>) {
      return kernels::merge_inputs<T, count>{{branch_output<B>(x, work, batch)...}};
    }(std::make_index_sequence<count>{});
  }

  // The block's own workspace for `batch` in the backend's memory: grown only past the largest
  // batch reserved (the gradient checks, a first device step), so a training step allocates
  // nothing.
  template <class T, class Backend>
  T* workspace(Backend be, std::size_t batch) {
    const std::size_t n = batch * own_floats;
    if constexpr (is_host_backend<Backend>) {
      return work_.at_least<T>(n);
    } else {
      static_assert(std::is_same_v<T, float>, "merge blocks run float on a device backend");
      if (device_.size() < n) device_ = kernels::allocate_buffer<float>(be, n);
      return device_.data();
    }
  }

  // Each random layer inside takes a fresh seed from the block's stream.
  void reseed_branches() {
    each_network([&]<std::size_t B>(auto& net) {
      constexpr std::size_t n = branch_network_t<B>::random_stream_count;
      if constexpr (n > 0) {
        std::array<std::uint64_t, 4 * n> words{};
        for (std::size_t k = 0; k < n; ++k) {
          const auto s = Rng(rng_()).state();
          std::copy(s.begin(), s.end(), words.begin() + std::ptrdiff_t(4 * k));
        }
        net.load_random_streams(words);
      }
    });
  }

  void load_branches(std::span<const double> in) {
    each_network([&]<std::size_t B>(auto& net) {
      net.load_state(in.subspan(branch_state_offsets[B], branch_network_t<B>::state_count));
    });
  }

  template <class F>
  void each_network(F&& f) {
    [&]<std::size_t... B>(std::index_sequence<B...>) {
      (
          [&] {
            if constexpr (!std::is_void_v<branch_network_t<B>>)
              f.template operator()<B>(std::get<B>(nets_));
          }(),
          ...);
    }
    (std::make_index_sequence<count>{});
  }
  template <class F>
  void each_network(F&& f) const {
    [&]<std::size_t... B>(std::index_sequence<B...>) {
      (
          [&] {
            if constexpr (!std::is_void_v<branch_network_t<B>>)
              f.template operator()<B>(std::get<B>(nets_));
          }(),
          ...);
    }
    (std::make_index_sequence<count>{});
  }

  template <std::size_t... B>
  static auto networks(std::index_sequence<B...>)
      -> std::tuple<network_or_none<branch_network_t<B>>...>;

  decltype(networks(std::make_index_sequence<count>{})) nets_{};
  Rng rng_{0};
  typed_workspace work_;
  kernels::backend_buffer<float> device_;
};

}  // namespace detail

}  // namespace fitcheck::nn
