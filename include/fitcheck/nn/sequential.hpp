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
#include <fitcheck/kernels/backend.hpp>
#include <fitcheck/nn/input.hpp>
#include <fitcheck/nn/layer.hpp>

namespace fitcheck::nn {

namespace detail {
// Binds spec `Spec` at position `Index` to its input `In`: the position and both shapes appear
// in any diagnostic the layer raises.
template <std::size_t Index, class Spec, Dims In>
struct layer_at {
  using type = typename Spec::template bind<In>;
  // Completes the layer here, so that its diagnostics are "required from layer_at<Index, ...>".
  static_assert(sizeof(type) > 0);
};

template <class First, class... Rest>
consteval bool sequential_starts_with_input() {
  static_assert(input_spec<First>,
                "Sequential: the first entry must be the input shape. Fix: "
                "Sequential<Input<N>, Dense<...>, ...>");
  static_assert(sizeof...(Rest) >= 1,
                "Sequential: a model needs at least one layer after Input. Fix: "
                "Sequential<Input<N>, Dense<K>, ...>");
  return true;
}

template <class Last>
consteval bool sequential_output_fits() {
  static_assert(!requires { Last::normalizes_output; },
                "Sequential: BatchNormalization (or LayerNormalization) as the last layer "
                "standardises the model's outputs, so they are no longer the probabilities or "
                "values the loss expects [C7]. Fix: put it before the activation of a hidden "
                "layer (or between a Conv2D and its activation), and end with the output layer");
  return true;
}

// A network inside a layer (a merge block's branch) ends inside the model, so C7 is not its rule.
template <class InputSpec, class Last>
consteval bool model_output_fits() {
  if constexpr (is_branch_input<InputSpec>) return true;
  else return sequential_output_fits<Last>();
}

// What Sequential fuses: a bound layer whose GEMM applies an activation in its epilogue (Dense,
// Conv2D), and an activation spec that names its kernel (ReLU, Sigmoid, Tanh).
template <class L>
inline constexpr bool fuses_activation = requires { L::fuses_activation; };
template <class L>
inline constexpr bool is_dense = requires { L::kernel_offset; L::bias_offset; } &&
                                 L::input_shape::rank == 1;
template <class S>
inline constexpr bool fusable_activation = requires { S::fused_activation; };
template <class L>
inline constexpr std::size_t workspace_floats_of = [] {
  if constexpr (requires { L::workspace_floats; }) return std::size_t{L::workspace_floats};
  else return std::size_t{0};
}();

template <class L>
inline constexpr std::size_t sample_workspace_floats_of = [] {
  if constexpr (requires { L::sample_workspace_floats; })
    return std::size_t{L::sample_workspace_floats};
  else
    return std::size_t{0};
}();

template <class L>
constexpr std::size_t device_workspace_floats_of(std::size_t batch) noexcept {
  if constexpr (requires { L::device_workspace_floats(batch); })
    return L::device_workspace_floats(batch);
  else
    return 0;
}

// A layer runs on a backend other than the host CPU only if it takes that backend's tag (its
// forward and backward then call kernels for it); otherwise its loops would run over device
// memory. The layer's type appears in the instantiation context of the diagnostic.
template <class Layer, class Backend, class T>
concept runs_on = requires(Layer& l, const T* p, T* y, std::size_t n, mode m, Backend be) {
  l.forward(p, p, y, n, m, be);
  l.backward(p, p, p, p, y, y, n, be);
};

template <class Layer, class Backend, class T>
consteval bool layer_runs_on() {
  static_assert(runs_on<Layer, Backend, T>,
                "Sequential: a layer of this network has no kernels for the cuda backend (its "
                "type is in the lines above: OneHot, CategoryEncoding, Embedding, Masking, LSTM, "
                "GRU, SimpleRNN, Bidirectional, or a layer written for the host only). Fix: encode "
                "categories as features before the model, give a layer of your own forward and "
                "backward overloads that take the backend tag (as nn/dense.hpp does), or train on "
                "the CPU by leaving fc::cuda_t out of the Model's template arguments");
  return true;
}
// A padding mask must end in a layer that skips the padded steps; the layer's position and type
// are in the instantiation context.
template <std::size_t Position, class Layer, bool Masked>
consteval bool mask_fits() {
  static_assert(!Masked || mask_reader<Layer> || mask_keeper<Layer>,
                "Sequential: the padding mask of an Embedding with fc::mask_zero (or of Masking) "
                "reaches a layer that cannot skip padded steps (its type and position are in the "
                "lines above), so it would read the padding as data [I1]. Fix: put LSTM, GRU, "
                "Bidirectional or GlobalAveragePooling1D between the Embedding and this layer "
                "(they skip the padding), or leave fc::mask_zero out");
  return true;
}
template <bool Masked>
consteval bool mask_ends() {
  static_assert(!Masked,
                "Sequential: the padding mask of an Embedding with fc::mask_zero (or of Masking) "
                "reaches the model's output, so the loss would count the padded steps [I1]. Fix: "
                "end the sequence with LSTM or GRU (without return_sequences) or "
                "GlobalAveragePooling1D");
  return true;
}
}  // namespace detail

/// A flat stack of layers; every width is inferred from the layer before at compile time:
/// `Sequential<Input<10>, Dense<128>, ReLU, Dense<1>, Sigmoid>`.
template <class InputSpec, class... Specs>
class Sequential {
  static_assert(detail::sequential_starts_with_input<InputSpec, Specs...>());
  // After that error, a stand-in input keeps the rest of the class (and the Model and fit
  // around it) well-formed: one error, not six.
  using input_t = std::conditional_t<input_spec<InputSpec>, InputSpec, Input<1>>;
  static_assert(sizeof...(Specs) == 0 ||
                detail::model_output_fits<InputSpec, std::tuple_element_t<
                    sizeof...(Specs) == 0 ? 0 : sizeof...(Specs) - 1, std::tuple<Specs..., void>>>());

public:
  /// False when the first entry is not an Input (already a compile error).
  static constexpr bool has_input = input_spec<InputSpec>;
  /// The number of layers after Input.
  static constexpr std::size_t depth = sizeof...(Specs);

  /// Sample shapes: dims[0] is the input, dims[i + 1] the output of layer i.
  static constexpr std::array<Dims, depth + 1> dims = [] {
    std::array<Dims, depth + 1> d{};
    d[0] = input_t::dims;
    std::size_t i = 0;
    ((d[i + 1] = Specs::output_dims(d[i]), ++i), ...);
    return d;
  }();

private:
  template <std::size_t... I>
  static auto bind_all(std::index_sequence<I...>)
      -> std::tuple<typename detail::layer_at<I, Specs, dims[I]>::type...>;

public:
  /// The bound layers, each with its input and output shapes.
  using layers_type = decltype(bind_all(std::make_index_sequence<depth>{}));
  /// Bound layer I.
  template <std::size_t I>
  using layer_t = std::tuple_element_t<I, layers_type>;
  /// Layer I as written (Dense<128>, ReLU, ...).
  template <std::size_t I>
  using spec_t = std::tuple_element_t<I, std::tuple<Specs...>>;
  /// The last layer as written (the output activation, for the loss rules).
  using last_spec = spec_t<depth - 1>;

  /// The sample shape the model takes.
  using input_shape = typename input_t::shape;
  /// The shape of one sample's outputs.
  using output_shape =
      typename fitcheck::detail::shape_of_extents<dims[depth].rank, dims[depth].extent[0],
                                                  dims[depth].extent[1], dims[depth].extent[2],
                                                  dims[depth].extent[3]>::type;
  /// Input values per sample.
  static constexpr std::size_t input_size = dims[0].size();
  /// Output values per sample.
  static constexpr std::size_t output_size = dims[depth].size();

  /// Values per sample after each layer (index 0: the input).
  static constexpr std::array<std::size_t, depth + 1> widths = [] {
    std::array<std::size_t, depth + 1> w{};
    for (std::size_t i = 0; i <= depth; ++i) w[i] = dims[i].size();
    return w;
  }();
  /// The widest layer output, values per sample.
  static constexpr std::size_t max_width = [] {
    std::size_t m = 0;
    for (std::size_t w : widths) m = w > m ? w : m;
    return m;
  }();

  /// Parameters per layer.
  static constexpr std::array<std::size_t, depth> param_counts =
      []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::size_t, depth>{layer_t<I>::param_count...};
      }(std::make_index_sequence<depth>{});
  /// Where each layer's parameters start in the model's parameter buffer.
  static constexpr std::array<std::size_t, depth + 1> param_offsets = [] {
    std::array<std::size_t, depth + 1> o{};
    for (std::size_t i = 0; i < depth; ++i) o[i + 1] = o[i] + param_counts[i];
    return o;
  }();
  /// All parameters.
  static constexpr std::size_t param_count = param_offsets[depth];

  /// The weight penalties of the layers (Regularized, nn/regularizers.hpp), as slices of the
  /// parameter buffer in layer order: what the step engines add to the loss and the gradients.
  static constexpr std::size_t penalty_count = []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + penalty_count_of<layer_t<I>>);
  }(std::make_index_sequence<depth>{});

 private:
  // Layer I's penalties at the model's offsets, appended to out from `at` on.
  template <std::size_t I, std::size_t N>
  static constexpr void append_penalties(std::array<kernels::penalty, N>& out, std::size_t& at) {
    if constexpr (penalty_count_of<layer_t<I>> > 0)
      for (kernels::penalty p : layer_t<I>::penalties) {
        p.offset += param_offsets[I];
        out[at++] = p;
      }
  }
  template <std::size_t... I>
  static constexpr auto gather_penalties(std::index_sequence<I...>) {
    std::array<kernels::penalty, penalty_count> out{};
    std::size_t at = 0;
    (append_penalties<I>(out, at), ...);
    return out;
  }

 public:
  /// The slices.
  static constexpr std::array<kernels::penalty, penalty_count> penalties =
      gather_penalties(std::make_index_sequence<depth>{});
  // In parameter order, none overlapping: what the guards' scan of the rest relies on.
  static_assert([] {
    std::size_t end = 0;
    for (const kernels::penalty& p : penalties) {
      if (p.offset < end) return false;
      end = p.offset + p.count;
    }
    return true;
  }());

  /// Marks a layer input no padding mask reaches.
  static constexpr std::size_t no_mask = static_cast<std::size_t>(-1);
  /// For each layer's input (index depth: the model's output), the layer whose input is its
  /// padding mask (an Embedding with mask_zero, a Masking layer), or no_mask.
  static constexpr std::array<std::size_t, depth + 1> mask_sources =
      []<std::size_t... I>(std::index_sequence<I...>) {
        std::array<std::size_t, depth + 1> m{};
        m[0] = no_mask;
        ((m[I + 1] = mask_maker<layer_t<I>>    ? I
                     : mask_keeper<layer_t<I>> ? m[I]
                                               : no_mask),
         ...);
        return m;
      }(std::make_index_sequence<depth>{});

 private:
  static_assert([]<std::size_t... I>(std::index_sequence<I...>) {
    return (detail::mask_fits<I, layer_t<I>, mask_sources[I] != no_mask>() && ...);
  }(std::make_index_sequence<depth>{}));
  static_assert(detail::mask_ends<mask_sources[depth] != no_mask>());

  // The padding mask of layer I's input, read from the input of the layer that makes it.
  template <std::size_t I, class T>
  static step_mask<T> mask_of(T* const* acts) noexcept {
    if constexpr (mask_sources[I] == no_mask) {
      return {};
    } else {
      constexpr std::size_t source = mask_sources[I], steps = dims[source].extent[0];
      return {acts[source], steps, false, dims[source].size() / steps,
              static_cast<T>(layer_t<source>::mask_value)};
    }
  }

 public:
  /// Values of non-trainable state per layer (Normalization's statistics; 0 for most layers).
  static constexpr std::array<std::size_t, depth> state_counts =
      []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<std::size_t, depth>{state_count_of<layer_t<I>>...};
      }(std::make_index_sequence<depth>{});
  /// All state values, layer after layer.
  static constexpr std::size_t state_count = [] {
    std::size_t n = 0;
    for (std::size_t c : state_counts) n += c;
    return n;
  }();

  /// Layers that draw from a random stream while training (Dropout).
  static constexpr std::size_t random_stream_count =
      []<std::size_t... I>(std::index_sequence<I...>) {
        return (std::size_t{0} + ... + std::size_t{random_layer<layer_t<I>>});
      }(std::make_index_sequence<depth>{});

  /// Floats the layers keep for themselves at any batch size (convolutions' lowering blocks),
  /// for memory planning.
  static constexpr std::size_t workspace_floats = []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::size_t{0} + ... + detail::workspace_floats_of<layer_t<I>>);
  }(std::make_index_sequence<depth>{});

  /// Floats the layers keep per sample of the batch (a recurrent layer's gates and states of
  /// every step), for memory planning.
  static constexpr std::size_t sample_workspace_floats =
      []<std::size_t... I>(std::index_sequence<I...>) {
        return (std::size_t{0} + ... + detail::sample_workspace_floats_of<layer_t<I>>);
      }(std::make_index_sequence<depth>{});

  /// Floats the layers take from a device backend's scratch memory at `batch` (convolutions'
  /// lowering groups, one block each at most), for memory planning.
  static constexpr std::size_t device_workspace_floats(std::size_t batch) noexcept {
    return []<std::size_t... I>(std::size_t b, std::index_sequence<I...>) {
      return (std::size_t{0} + ... + detail::device_workspace_floats_of<layer_t<I>>(b));
    }(batch, std::make_index_sequence<depth>{});
  }

  /// Floats of activations one sample needs across all layers (for memory planning).
  static constexpr std::size_t activation_width = [] {
    std::size_t s = 0;
    for (std::size_t w : widths) s += w;
    return s;
  }();

  /// The layers (e.g. to adapt a Normalization).
  layers_type& layers() noexcept { return layers_; }
  /// The layers.
  const layers_type& layers() const noexcept { return layers_; }

  /// Copies every layer's state, in layer order, into `out` (state_count values).
  void save_state(std::span<double> out) const {
    std::size_t at = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((save_one<I>(out, at)), ...);
    }(std::make_index_sequence<depth>{});
  }
  /// Sets every layer's state from `in` (state_count values, as save_state wrote them). If a
  /// layer refuses its values (data_error), every layer keeps the state it had.
  void load_state(std::span<const double> in) {
    if constexpr (state_count > 0) {
      std::vector<double> before(state_count);
      save_state(before);
      try {
        load_all(in);
      } catch (...) {
        load_all(before);
        throw;
      }
    }
  }

  /// The positions of the layers' random streams, 4 words each in layer order
  /// (random_stream_count of them): what a training backup keeps.
  void save_random_streams(std::span<std::uint64_t> out) const {
    std::size_t at = 0;
    std::apply(
        [&](const auto&... layer) {
          (
              [&](const auto& l) {
                if constexpr (random_layer<std::remove_cvref_t<decltype(l)>>) {
                  const auto words = l.random_stream().state();
                  std::copy(words.begin(), words.end(), out.begin() + std::ptrdiff_t(at));
                  at += words.size();
                }
              }(layer),
              ...);
        },
        layers_);
  }
  /// Continues the layers' random streams from what save_random_streams wrote.
  void load_random_streams(std::span<const std::uint64_t> in) {
    std::size_t at = 0;
    for_each_layer([&]<std::size_t I>(auto& layer) {
      if constexpr (random_layer<layer_t<I>>) {
        std::array<std::uint64_t, 4> words{};
        std::copy_n(in.begin() + std::ptrdiff_t(at), words.size(), words.begin());
        layer.random_stream().set_state(words);
        at += words.size();
      }
    });
  }

  /// Initial parameters: each layer fills its slice from one seeded stream. Layers without
  /// parameters but with an init (Dropout) take their seeds from the same stream.
  void init(std::span<float> params, Rng& rng) {
    for_each_layer([&]<std::size_t I>(auto& layer) {
      if constexpr (layer_t<I>::param_count > 0 || requires { layer.init(params, rng); })
        layer.init(params.subspan(param_offsets[I], param_counts[I]), rng);
    });
  }

  /// Sizes per-layer workspaces for batches of up to `max_batch` samples.
  void reserve(std::size_t max_batch) {
    for_each_layer([&]<std::size_t I>(auto& layer) {
      if constexpr (requires { layer.reserve(max_batch); }) layer.reserve(max_batch);
    });
  }

  /// Forward through layers [0, Count): acts[i] is layer i's input, acts[i + 1] its output.
  /// A Dense followed by ReLU, Sigmoid or Tanh runs as one GEMM with the activation in its
  /// epilogue, straight into the activation's output; the Dense's own output buffer is then
  /// left unwritten (nothing reads it: the activation's backward uses its output). The last
  /// layer is never fused into, so a loss that reads the logits before a final activation
  /// always finds them.
  /// With `be` = fc::cuda every pointer names device memory.
  template <std::size_t Count = depth, class T, class Backend = cpu_t>
  void forward(const T* params, T* const* acts, std::size_t batch, mode m, Backend be = {}) {
    forward_from<0, Count>(params, acts, batch, m, be);
  }

  /// Backward through layers [0, Count), last first. `dy` holds dL/d(output of layer Count-1)
  /// and is overwritten; `scratch` holds as many values. Writes dL/dparams into `grads`. A
  /// Dense whose input is the output of ReLU, Sigmoid or Tanh applies that activation's
  /// derivative in its input-gradient GEMM and the activation's own pass is skipped.
  template <std::size_t Count = depth, class T, class Backend = cpu_t>
  void backward(const T* params, T* const* acts, T* dy, T* scratch, T* grads, std::size_t batch,
                Backend be = {}) {
    backward_to_input<Count>(params, acts, dy, scratch, grads, static_cast<T*>(nullptr), batch, be);
  }

  /// backward, and dL/d(the input) into `dinput` (batch * input_size values, overwritten)
  /// unless it is null: what a network inside a layer (a merge block's branch) hands back.
  template <std::size_t Count = depth, class T, class Backend = cpu_t>
  void backward_to_input(const T* params, T* const* acts, T* dy, T* scratch, T* grads, T* dinput,
                         std::size_t batch, Backend be = {}) {
    T* bufs[2] = {dy, scratch};
    backward_from<Count - 1>(params, acts, bufs, 0, grads, dinput, batch, be);
  }

  /// True when layer I (a Dense) and the activation I + 1 run as one fused forward.
  template <std::size_t I>
  static constexpr bool fused_forward = [] {
    if constexpr (I + 1 >= depth - 1) {
      return false;
    } else {
      return detail::fuses_activation<layer_t<I>> && detail::fusable_activation<spec_t<I + 1>>;
    }
  }();

  /// True when layer I (a Dense) applies the derivative of activation I - 1 in its backward.
  template <std::size_t I>
  static constexpr bool fused_backward = [] {
    if constexpr (I == 0) {
      return false;
    } else {
      return detail::fuses_activation<layer_t<I>> && detail::fusable_activation<spec_t<I - 1>>;
    }
  }();

private:

  // Layer I's own forward (or backward): on the host CPU every layer; on another backend only
  // a layer that takes its tag, the others a compile error naming them.
  template <std::size_t I, class Backend, class T>
  void forward_one(const T* params, const T* x, T* y, std::size_t batch, mode m, Backend be,
                   step_mask<T> mask) {
    if constexpr (std::is_same_v<Backend, cpu_t> && mask_reader<layer_t<I>>) {
      std::get<I>(layers_).forward(params + param_offsets[I], x, y, batch, m, mask);
    } else if constexpr (std::is_same_v<Backend, cpu_t>) {
      std::get<I>(layers_).forward(params + param_offsets[I], x, y, batch, m);
    } else {
      static_assert(detail::layer_runs_on<layer_t<I>, Backend, T>());
      if constexpr (detail::runs_on<layer_t<I>, Backend, T>) {
        kernels::operation_scope<Backend> op(be, {"forward", layer_t<I>::name, I});
        std::get<I>(layers_).forward(params + param_offsets[I], x, y, batch, m, be);
        op.finish();
      }
    }
  }
  template <std::size_t I, class Backend, class T>
  void backward_one(const T* params, const T* x, const T* y, const T* dy, T* dx, T* grads,
                    std::size_t batch, Backend be, step_mask<T> mask) {
    if constexpr (std::is_same_v<Backend, cpu_t> && mask_reader<layer_t<I>>) {
      std::get<I>(layers_).backward(params + param_offsets[I], x, y, dy, dx,
                                    grads + param_offsets[I], batch, mask);
    } else if constexpr (std::is_same_v<Backend, cpu_t>) {
      std::get<I>(layers_).backward(params + param_offsets[I], x, y, dy, dx,
                                    grads + param_offsets[I], batch);
    } else {
      static_assert(detail::layer_runs_on<layer_t<I>, Backend, T>());
      if constexpr (detail::runs_on<layer_t<I>, Backend, T>) {
        kernels::operation_scope<Backend> op(be, {"backward", layer_t<I>::name, I});
        std::get<I>(layers_).backward(params + param_offsets[I], x, y, dy, dx,
                                      grads + param_offsets[I], batch, be);
        op.finish();
      }
    }
  }

  template <std::size_t I, std::size_t Count, class T, class Backend>
  void forward_from(const T* params, T* const* acts, std::size_t batch, mode m, Backend be) {
    if constexpr (I < Count) {
      if constexpr (fused_forward<I> && I + 1 < Count) {
        kernels::operation_scope<Backend> op(be, {"forward", layer_t<I>::name, I});
        std::get<I>(layers_).forward(params + param_offsets[I], acts[I], acts[I + 2], batch, m, be,
                                     spec_t<I + 1>::fused_activation);
        op.finish();
        forward_from<I + 2, Count>(params, acts, batch, m, be);
      } else {
        forward_one<I>(params, acts[I], acts[I + 1], batch, m, be, mask_of<I>(acts));
        forward_from<I + 1, Count>(params, acts, batch, m, be);
      }
    }
  }

  // Layer I's backward reads dL/d(its output) from bufs[cur] and writes dL/d(its input) into
  // the other buffer; the first layer writes none.
  template <std::size_t I, class T, class Backend>
  void backward_from(const T* params, T* const* acts, T* const* bufs, unsigned cur, T* grads,
                     T* dinput, std::size_t batch, Backend be) {
    if constexpr (fused_backward<I>) {
      kernels::operation_scope<Backend> op(be, {"backward", layer_t<I>::name, I});
      std::get<I>(layers_).backward(params + param_offsets[I], acts[I], acts[I + 1], bufs[cur],
                                    I == 1 ? dinput : bufs[cur ^ 1u], grads + param_offsets[I],
                                    batch, be, spec_t<I - 1>::fused_activation);
      op.finish();
      if constexpr (I >= 2)
        backward_from<I - 2>(params, acts, bufs, cur ^ 1u, grads, dinput, batch, be);
    } else {
      backward_one<I>(params, acts[I], acts[I + 1], bufs[cur], I == 0 ? dinput : bufs[cur ^ 1u],
                      grads, batch, be, mask_of<I>(acts));
      if constexpr (I >= 1)
        backward_from<I - 1>(params, acts, bufs, cur ^ 1u, grads, dinput, batch, be);
    }
  }

  template <std::size_t I>
  void save_one(std::span<double> out, std::size_t& at) const {
    if constexpr (state_counts[I] > 0) {
      std::get<I>(layers_).save_state(out.subspan(at, state_counts[I]));
      at += state_counts[I];
    }
  }
  void load_all(std::span<const double> in) {
    std::size_t at = 0;
    for_each_layer([&]<std::size_t I>(auto& layer) {
      if constexpr (state_counts[I] > 0) {
        layer.load_state(in.subspan(at, state_counts[I]));
        at += state_counts[I];
      }
    });
  }

  template <class F>
  void for_each_layer(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (f.template operator()<I>(std::get<I>(layers_)), ...);
    }(std::make_index_sequence<depth>{});
  }

  layers_type layers_{};
};

}  // namespace fitcheck::nn
