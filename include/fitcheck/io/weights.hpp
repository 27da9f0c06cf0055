// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/io/atomic_file.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/nn/layer.hpp>

// A model's parameters and layer state on disk (".fcw"), version 2. Every integer is
// little-endian.
//
//   offset          size  field
//   0               8     magic 89 46 43 57 0D 0A 1A 0A ("\x89FCW\r\n\x1a\n", as PNG: the high
//                         byte and the CR LF / ^Z catch text-mode transfers and `type` on Windows)
//   8               4     u32 format version = 2
//   12              4     u32 value type = 1 (IEEE 754 binary32)
//   16              8     u64 fingerprint = FNV-1a 64 of the layout description bytes
//   24              8     u64 N, the parameter count
//   32              4     u32 L, the layer count
//   36              4     u32 D, the description's length in bytes
//   40              8     u64 S, the count of layer-state values
//   48              8 L   u64 parameters of each layer (they sum to N)
//   48+8L           8 L   u64 state values of each layer (they sum to S)
//   48+16L          D     the layout description, UTF-8: "Input(2) -> Dense(1) 3 params -> Sigmoid(1)"
//   48+16L+D        4 N   the parameters, float32, in the model's order
//   48+16L+D+4N     8 S   the layer state (Normalization's means, variances, ...), float64
//   48+16L+D+4N+8S  4     u32 CRC-32 (IEEE 802.3, zlib's crc32) of every byte before it
//
// Version 1 (fitcheck before 2026-12) had no S and no state: a 40-byte header, then the
// parameter counts, description, parameters and CRC. It still loads into a model without layer
// state; a model with state refuses it, because its Normalization would keep the statistics it
// has instead of the ones it was trained with.
//
// The description travels in the file so that loading into another architecture can say what
// the file holds, not only that it differs. Files are written atomically (io/atomic_file.hpp).

namespace fitcheck::io {

/// What a weights file was saved for: one line a person can read, and each layer's parameter
/// and state counts. Two layouts are the same architecture when all three agree.
struct Layout {
  /// The architecture, one layer after another ("Dense(10->128) ReLU ...").
  std::string description;
  /// Parameters per layer.
  std::vector<std::uint64_t> param_counts;
  /// Non-trainable state values per layer (Normalization's statistics); empty means none.
  std::vector<std::uint64_t> state_counts{};

  /// All parameters.
  [[nodiscard]] std::uint64_t parameter_count() const noexcept {
    std::uint64_t n = 0;
    for (auto c : param_counts) n += c;
    return n;
  }
  /// All state values.
  [[nodiscard]] std::uint64_t state_count() const noexcept {
    std::uint64_t n = 0;
    for (auto c : state_counts) n += c;
    return n;
  }
  /// No layout recorded.
  [[nodiscard]] bool empty() const noexcept { return description.empty() && param_counts.empty(); }
  /// The same architecture (a layer without state counts 0, whether or not it is listed).
  friend bool operator==(const Layout& a, const Layout& b) {
    const auto state = [](const Layout& l, std::size_t i) {
      return i < l.state_counts.size() ? l.state_counts[i] : 0;
    };
    if (a.description != b.description || a.param_counts != b.param_counts) return false;
    const std::size_t n = std::max(a.state_counts.size(), b.state_counts.size());
    for (std::size_t i = 0; i < n; ++i)
      if (state(a, i) != state(b, i)) return false;
    return true;
  }
};

/// The format save_weights writes; load_weights also reads version 1 (no layer state).
inline constexpr std::uint32_t weights_format_version = 2;

namespace detail {
inline constexpr std::array<unsigned char, 8> weights_magic = {0x89, 'F',  'C',  'W',
                                                               '\r', '\n', 0x1A, '\n'};
inline constexpr std::uint32_t float32_type = 1;
inline constexpr std::size_t weights_header_size = 48;
inline constexpr std::size_t weights_v1_header_size = 40;

/// The byte table of a reflected CRC-32 with polynomial `Poly` (reversed bit order).
template <std::uint32_t Poly>
inline constexpr std::array<std::uint32_t, 256> crc_table = [] {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? Poly ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}();

/// Running reflected CRC-32 with polynomial `Poly`: start from 0, feed pieces in order.
template <std::uint32_t Poly>
[[nodiscard]] std::uint32_t reflected_crc(std::uint32_t crc,
                                          std::span<const std::byte> bytes) noexcept {
  crc = ~crc;
  for (std::byte b : bytes)
    crc = crc_table<Poly>[(crc ^ static_cast<std::uint32_t>(b)) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

/// CRC-32 (IEEE 802.3, zlib's), of the weights and training-state files;
/// crc32("123456789") == 0xCBF43926.
[[nodiscard]] std::uint32_t crc32(std::uint32_t crc,
                                  std::span<const std::byte> bytes) noexcept;

/// CRC-32C (Castagnoli), of TensorBoard's TFRecords; crc32c("123456789") == 0xE3069283.
[[nodiscard]] std::uint32_t crc32c(std::uint32_t crc,
                                   std::span<const std::byte> bytes) noexcept;

[[nodiscard]] constexpr std::uint64_t fnv1a64(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

template <class U>
void put_le(std::vector<std::byte>& out, U v) {
  for (std::size_t i = 0; i < sizeof(U); ++i)
    out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFFu));
}
template <class U>
[[nodiscard]] U get_le(const std::byte* p) noexcept {
  U v = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i)
    v |= static_cast<U>(std::to_integer<U>(p[i]) << (8 * i));
  return v;
}

std::string describe(const Layout& l);

[[noreturn]] inline void weights_fail(const std::string& path, const std::string& problem,
                                      std::string fix) {
  throw data_error(path + ": " + problem, std::move(fix));
}

/// A weights file checked from magic to checksum; `payload` and `state` point into the
/// caller's bytes.
struct parsed_weights {
  Layout layout;
  std::uint32_t version = 0;
  const std::byte* payload = nullptr;
  const std::byte* state = nullptr;
};

// Whether a file's first bytes (as many as it has, up to the magic's length) are `magic`.
bool starts_with_magic(std::span<const std::byte> head,
                       std::span<const unsigned char> magic) noexcept;

// The magic bytes, checked on a file's first bytes before the rest is read.
void check_weights_magic(const std::string& path, std::span<const std::byte> head);

// The whole file, read only when its first bytes are a weights file's.
std::vector<std::byte> read_weights_file(const std::string& path);

parsed_weights parse_weights(const std::string& path, std::span<const std::byte> f);

// Reads and checks `path` for a network of layout `layout` (its state too unless
// `parameters_only`): any refusal comes before a caller changes anything.
struct weights_for {
  std::vector<std::byte> bytes;
  parsed_weights file;

  weights_for(const std::string& path, const Layout& layout, bool parameters_only = false)
      : bytes(read_weights_file(path)), file(parse_weights(path, bytes)) {
    const bool same_layers = file.layout.description == layout.description &&
                             file.layout.param_counts == layout.param_counts;
    if (same_layers && parameters_only) return;
    if (same_layers && file.version == 1 && layout.state_count() > 0)
      weights_fail(path,
                   "was written in weights format 1, which holds no layer state, and this model "
                   "keeps " +
                       std::to_string(layout.state_count()) +
                       " state values (Normalization statistics): loading it would leave them "
                       "as they are, not as trained",
                   "save the trained model again with this fitcheck; or adapt the "
                   "Normalization layers on the training data, then load the parameters alone "
                   "with io::load_parameters(model, path)");
    if (!same_layers || file.layout != layout)
      weights_fail(path,
                   "saved for " + describe(file.layout) + ", this model is " + describe(layout),
                   "load it into a model of the architecture it was saved for, or use a "
                   "checkpoint saved from this model");
  }
  void copy_parameters(std::span<float> params) const noexcept {
    for (std::size_t i = 0; i < params.size(); ++i)
      params[i] = std::bit_cast<float>(get_le<std::uint32_t>(file.payload + 4 * i));
  }
  void copy_state(std::span<double> state) const noexcept {
    for (std::size_t i = 0; i < state.size() && file.version > 1; ++i)
      state[i] = std::bit_cast<double>(get_le<std::uint64_t>(file.state + 8 * i));
  }
};
}  // namespace detail

/// Writes `params` and `state` (layer state, as the layout counts it) for a network of layout
/// `layout` to `path`, atomically: on any failure the file previously at `path` is intact. I/O
/// failures are `resource_error`s.
void save_weights(const std::string& path, std::span<const float> params,
                  const Layout& layout, std::span<const double> state = {});

/// The layout a weights file was saved for (the whole file is checked first).
[[nodiscard]] Layout weights_layout(const std::string& path);

/// Reads `path` into `params` and `state`, which belong to a network of layout `layout`. A
/// missing, truncated or corrupt file, or one saved for another layout, is a `data_error` naming
/// the file; `params` and `state` are left unchanged then.
void load_weights(const std::string& path, std::span<float> params, const Layout& layout,
                  std::span<double> state = {});

namespace detail {
template <class Net, std::size_t I>
std::string layer_label() {
  std::string name = "Layer";
  if constexpr (requires { Net::template layer_t<I>::name; }) name = Net::template layer_t<I>::name;
  return name;
}
std::string snake_case(std::string_view name);

// Keras' automatic layer names: the type in snake case, numbered from the second layer of a kind
// ("dense", "re_lu", "dense_1"): `names` holds the layers' type names, in order.
void number_names(std::span<std::string> names);

// The names of network Net's layers. The summary and the safetensors export both use them.
template <class Net>
std::array<std::string, Net::depth> layer_names() {
  std::array<std::string, Net::depth> names;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((names[I] = layer_label<Net, I>()), ...);
  }(std::make_index_sequence<Net::depth>{});
  number_names(names);
  return names;
}

// The names of the layers inside composite layer L, per branch (none for the identity), numbered
// over all its branches: inside an Add, the two Conv2D of two branches are conv2d and conv2d_1.
template <nn::composite_layer L>
std::array<std::vector<std::string>, L::branch_count> branch_layer_names() {
  std::vector<std::string> all;
  std::array<std::size_t, L::branch_count + 1> first{};
  [&]<std::size_t... B>(std::index_sequence<B...>) {
    (
        [&] {
          using N = typename L::template branch_network_t<B>;
          if constexpr (!std::is_void_v<N>)
            [&]<std::size_t... I>(std::index_sequence<I...>) {
              (all.push_back(layer_label<N, I>()), ...);
            }(std::make_index_sequence<N::depth>{});
          first[B + 1] = all.size();
        }(),
        ...);
  }(std::make_index_sequence<L::branch_count>{});
  number_names(all);
  std::array<std::vector<std::string>, L::branch_count> out;
  for (std::size_t b = 0; b < L::branch_count; ++b)
    out[b].assign(all.begin() + std::ptrdiff_t(first[b]),
                  all.begin() + std::ptrdiff_t(first[b + 1]));
  return out;
}
inline std::string dims_label(const auto& d) {
  std::string s = "(";
  for (std::size_t i = 0; i < d.rank; ++i) s += (i ? "x" : "") + std::to_string(d.extent[i]);
  return s + ")";
}

// "Dense(4) 12 params -> ReLU(4)": the layers of Net with their output shapes and parameter
// counts; a merge block lists its branches' layers, "Residual[Identity | Dense(4) 20 params]".
template <class Net>
std::string chain_label();
template <class Net, std::size_t I>
std::string layer_description() {
  using L = typename Net::template layer_t<I>;
  std::string s = layer_label<Net, I>();
  if constexpr (nn::composite_layer<L>) {
    [&]<std::size_t... B>(std::index_sequence<B...>) {
      (
          [&] {
            using N = typename L::template branch_network_t<B>;
            s += B == 0 ? "[" : " | ";
            if constexpr (std::is_void_v<N>) s += "Identity";
            else s += chain_label<N>();
          }(),
          ...);
    }(std::make_index_sequence<L::branch_count>{});
    s += "]";
  }
  return s + dims_label(Net::dims[I + 1]) +
         (Net::param_counts[I] > 0 ? " " + std::to_string(Net::param_counts[I]) + " params"
                                   : std::string());
}
template <class Net>
std::string chain_label() {
  std::string s;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((s += (I == 0 ? "" : " -> ") + layer_description<Net, I>()), ...);
  }(std::make_index_sequence<Net::depth>{});
  return s;
}
}  // namespace detail

/// A network type that describes itself: depth, each layer's parameter count and shape.
template <class Net>
concept described_network = requires {
  Net::depth;
  Net::param_counts;
  Net::dims;
};

/// The layout of a network type, e.g. "Input(2) -> Dense(4) 12 params -> ReLU(4) -> Dense(1) 5
/// params -> Sigmoid(1)": layer names, output shapes and parameter counts, so two networks that
/// store the same number of floats differently still differ.
template <described_network Net>
[[nodiscard]] Layout network_layout() {
  Layout l;
  l.description = "Input" + detail::dims_label(Net::dims[0]) + " -> " + detail::chain_label<Net>();
  l.param_counts.assign(Net::param_counts.begin(), Net::param_counts.end());
  if constexpr (requires { Net::state_counts; })
    l.state_counts.assign(Net::state_counts.begin(), Net::state_counts.end());
  return l;
}

/// A model whose network type describes itself and whose parameters are one float buffer
/// (`fitcheck::Model`).
template <class M>
concept model_with_weights = described_network<typename M::network> && requires(M& m, const M& c) {
  { m.parameters() } -> std::convertible_to<std::span<float>>;
  { c.parameters() } -> std::convertible_to<std::span<const float>>;
  c.network_layers().save_state(std::span<double>{});
  m.network_layers().load_state(std::span<const double>{});
};

/// The layout of `model`'s network (what ModelCheckpoint takes as `.layout`).
template <model_with_weights M>
[[nodiscard]] Layout layout_of(const M&) {
  return network_layout<typename M::network>();
}

/// Saves `model`'s parameters and layer state (Normalization's statistics) to `path`
/// (atomically), Keras' `model.save_weights(path)`.
template <model_with_weights M>
void save_weights(const M& model, const std::string& path) {
  std::vector<double> state(M::network::state_count);
  model.network_layers().save_state(state);
  save_weights(path, std::span<const float>(model.parameters()), layout_of(model), state);
}

/// Loads `path` into `model`'s parameters and layer state, Keras' `model.load_weights(path)`.
/// On any error (file, architecture, a state value the layer refuses) the model is unchanged.
template <model_with_weights M>
void load_weights(M& model, const std::string& path) {
  const Layout layout = layout_of(model);
  const detail::weights_for file(path, layout);
  std::vector<double> state(layout.state_count());
  file.copy_state(state);
  try {
    model.network_layers().load_state(state);
  } catch (const data_error& e) {
    detail::weights_fail(path, "holds layer state this model refuses: " + e.problem(), e.fix());
  }
  file.copy_parameters(model.parameters());
}

/// Loads only the parameters in `path` into `model`, keeping its layer state (Normalization's
/// statistics) as it is: for files of weights format 1, which hold no state, into a model whose
/// Normalization was adapted again.
template <model_with_weights M>
void load_parameters(M& model, const std::string& path) {
  const detail::weights_for file(path, layout_of(model), true);
  file.copy_parameters(model.parameters());
}

}  // namespace fitcheck::io

#if !FITCHECK_SEPARATE
#include <fitcheck/io/weights_impl.hpp>
#endif
