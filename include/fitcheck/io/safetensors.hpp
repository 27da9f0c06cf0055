// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fitcheck/core/error.hpp>
#include <fitcheck/io/atomic_file.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/nn/layer.hpp>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// A trained model's weights for other frameworks: the safetensors format (Hugging Face's; read by
// PyTorch, JAX, TensorFlow and NumPy through the `safetensors` package, and by a few lines of any
// language), with Keras' layer and weight names and Keras' shapes:
//
//   u64 N (little-endian), then N bytes of JSON, then the tensors' bytes, back to back:
//   {"__metadata__":{"format":"fitcheck","layout":"Input(4) -> Dense(16) 80 params -> ..."},
//    "dense/kernel":{"dtype":"F32","shape":[4,16],"data_offsets":[0,256]},
//    "dense/bias":{"dtype":"F32","shape":[16],"data_offsets":[256,320]}, ...}
//
// Names are Keras' automatic ones: a layer's type in snake case, numbered from the second of a
// kind ("dense", "dense_1", "conv2d", "batch_normalization"), then the weight ("kernel", "bias",
// "gamma", "beta", "moving_mean", "moving_variance", "mean", "variance"). A layer names and
// shapes its tensors itself (nn/layer.hpp, `tensors`); one that does not (a user's layer) exports
// its values flat as "<name>/parameters" and "<name>/state". Parameters are float32; layer state
// (normalisation statistics, kept in double) is float64, so a loaded model predicts exactly as
// the saved one. The JSON is padded with spaces to a multiple of 8 bytes, as the reference
// writer does, so the tensors start aligned.

namespace fitcheck::io {

namespace detail {

// One tensor of a model: its safetensors name, where its values are, and its shape.
struct named_tensor {
  std::string name;
  bool state = false;      // in the layer state (float64), else in the parameters (float32)
  std::size_t offset = 0;  // in the model's parameters or state
  std::vector<std::size_t> shape;
  [[nodiscard]] std::size_t size() const noexcept {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
  }
};

// Appends the tensors of network Net's layers (named `names`), each named prefix + layer name +
// "/" + its Keras name, with its parameters from `param_base` and its state from `state_base` in
// the model's buffers. A merge block's layers are named inside it: "residual/conv2d/kernel".
template <class Net>
void append_tensors(std::vector<named_tensor>& out, const std::string& prefix,
                    std::span<const std::string> names, std::size_t param_base,
                    std::size_t state_base) {
  std::size_t state_at = state_base;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&] {
          using L = typename Net::template layer_t<I>;
          constexpr std::size_t params = Net::param_counts[I], state = Net::state_counts[I];
          const std::size_t param_at = param_base + Net::param_offsets[I];
          if (params + state > 0) {
            const std::string layer = prefix + names[I];
            if constexpr (nn::composite_layer<L>) {
              const auto inner = branch_layer_names<L>();
              [&]<std::size_t... B>(std::index_sequence<B...>) {
                (
                    [&] {
                      using N = typename L::template branch_network_t<B>;
                      if constexpr (!std::is_void_v<N>)
                        append_tensors<N>(out, layer + "/", inner[B],
                                          param_at + L::branch_param_offsets[B],
                                          state_at + L::branch_state_offsets[B]);
                    }(),
                    ...);
              }(std::make_index_sequence<L::branch_count>{});
            } else if constexpr (nn::named_tensors<L>) {
              for (const nn::tensor_spec& t : L::tensors)
                out.push_back(
                    {layer + "/" + t.name, t.state, (t.state ? state_at : param_at) + t.offset,
                     std::vector<std::size_t>(t.shape.begin(), t.shape.begin() + t.rank)});
            } else {
              if (params > 0) out.push_back({layer + "/parameters", false, param_at, {params}});
              if (state > 0) out.push_back({layer + "/state", true, state_at, {state}});
            }
          }
          state_at += state;
        }(),
        ...);
  }
  (std::make_index_sequence<Net::depth>{});
}

// The tensors of network Net, in layer order, named as Keras names them.
template <class Net>
std::vector<named_tensor> tensors_of() {
  std::vector<named_tensor> out;
  const auto names = layer_names<Net>();
  append_tensors<Net>(out, "", names, 0, 0);
  return out;
}

inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + '"';
}

// The header's JSON, as far as safetensors uses it: one object of tensor entries and the
// "__metadata__" object of strings. Every fault names the byte it is at.
class safetensors_header {
 public:
  struct entry {
    std::string dtype;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0, end = 0;
  };

  safetensors_header(const std::string& path, std::string_view json) : path_(path), s_(json) {
    space();
    object([&](const std::string& key) {
      if (key == "__metadata__") {
        object([&](const std::string& name) { metadata_[name] = string(); });
      } else {
        if (tensors_.contains(key)) fail("the tensor \"" + key + "\" appears twice");
        tensors_.emplace(key, tensor(key));
      }
    });
    space();
    if (at_ != s_.size()) fail("text after the header's object");
  }

  [[nodiscard]] const std::map<std::string, entry>& tensors() const noexcept { return tensors_; }
  [[nodiscard]] const std::map<std::string, std::string>& metadata_values() const noexcept {
    return metadata_;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw data_error(path_ + ": the safetensors header is not valid: " + what + " (at byte " +
                         std::to_string(8 + at_) + ")",
                     "write the file with save_safetensors or a safetensors library");
  }
  [[nodiscard]] char peek() const { return at_ < s_.size() ? s_[at_] : '\0'; }
  void space() {
    while (at_ < s_.size() &&
           (s_[at_] == ' ' || s_[at_] == '\n' || s_[at_] == '\r' || s_[at_] == '\t'))
      ++at_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++at_;
  }
  std::string string() {
    expect('"');
    std::string out;
    for (;;) {
      if (at_ >= s_.size()) fail("a string does not end");
      const char c = s_[at_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("a control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++at_;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned v = 0;
          for (int i = 0; i < 4; ++i, ++at_) {
            const char h = peek();
            v = v * 16 + unsigned(h >= '0' && h <= '9'   ? h - '0'
                                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                         : (fail("a bad \\u escape"), 0));
          }
          // Names are ASCII in practice; other code points keep their UTF-8 form.
          if (v < 0x80) {
            out += char(v);
          } else if (v < 0x800) {
            out += char(0xC0 | (v >> 6));
            out += char(0x80 | (v & 0x3F));
          } else {
            out += char(0xE0 | (v >> 12));
            out += char(0x80 | ((v >> 6) & 0x3F));
            out += char(0x80 | (v & 0x3F));
          }
          break;
        }
        default:
          fail("a bad escape in a string");
      }
    }
  }
  std::uint64_t integer() {
    if (peek() < '0' || peek() > '9') fail("expected a non-negative integer");
    std::uint64_t v = 0;
    while (peek() >= '0' && peek() <= '9') {
      const auto d = std::uint64_t(peek() - '0');
      if (v > (~std::uint64_t{0} - d) / 10) fail("an integer too large");
      v = v * 10 + d;
      ++at_;
    }
    return v;
  }
  std::vector<std::uint64_t> integers() {
    std::vector<std::uint64_t> out;
    expect('[');
    space();
    if (peek() == ']') {
      ++at_;
      return out;
    }
    for (;;) {
      space();
      out.push_back(integer());
      space();
      if (peek() == ']') {
        ++at_;
        return out;
      }
      expect(',');
    }
  }
  // An object: `member(key)` parses each member's value.
  template <class Member>
  void object(Member&& member) {
    expect('{');
    space();
    if (peek() == '}') {
      ++at_;
      return;
    }
    for (;;) {
      space();
      const std::string key = string();
      space();
      expect(':');
      space();
      member(key);
      space();
      if (peek() == '}') {
        ++at_;
        return;
      }
      expect(',');
    }
  }
  entry tensor(const std::string& name) {
    entry e;
    bool dtype = false, shape = false, offsets = false;
    object([&](const std::string& key) {
      if (key == "dtype") {
        e.dtype = string();
        dtype = true;
      } else if (key == "shape") {
        e.shape = integers();
        shape = true;
      } else if (key == "data_offsets") {
        const auto o = integers();
        if (o.size() != 2 || o[1] < o[0])
          fail("the data_offsets of \"" + name + "\" are not [begin, end]");
        e.begin = o[0];
        e.end = o[1];
        offsets = true;
      } else {
        fail("the tensor \"" + name + "\" has an unknown field \"" + key + "\"");
      }
    });
    if (!dtype || !shape || !offsets)
      fail("the tensor \"" + name + "\" lacks its dtype, shape or data_offsets");
    return e;
  }

  std::string path_;
  std::string_view s_;
  std::size_t at_ = 0;
  std::map<std::string, entry> tensors_;
  std::map<std::string, std::string> metadata_;
};

// "[4, 16]" for messages; "[4,16]" in the header, as the reference writer's JSON.
inline std::string shape_text(const auto& shape, const char* separator = ", ") {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    s += (i ? separator : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace detail

/// Writes the model's parameters and layer state to `path` in the safetensors format, with
/// Keras' names and shapes (the header above), atomically. Read it in Python with
/// `safetensors.numpy.load_file(path)` (or `safetensors.torch`); a PyTorch `nn.Linear` takes a
/// Dense kernel transposed (`weight = kernel.T`).
template <model_with_weights M>
void save_safetensors(const M& model, const std::string& path) {
  using Net = typename M::network;
  const auto tensors = detail::tensors_of<Net>();
  std::vector<double> state(Net::state_count);
  model.network_layers().save_state(state);
  const std::span<const float> params = model.parameters();

  std::string json = "{\"__metadata__\":{\"format\":\"fitcheck\",\"layout\":" +
                     detail::json_string(layout_of(model).description) + "}";
  std::uint64_t at = 0;
  for (const auto& t : tensors) {
    const std::uint64_t bytes = t.size() * (t.state ? 8 : 4);
    json += "," + detail::json_string(t.name) + ":{\"dtype\":\"" + (t.state ? "F64" : "F32") +
            "\",\"shape\":" + detail::shape_text(t.shape, ",") + ",\"data_offsets\":[" +
            std::to_string(at) + "," + std::to_string(at + bytes) + "]}";
    at += bytes;
  }
  json += "}";
  json.append((8 - json.size() % 8) % 8, ' ');

  std::vector<std::byte> head;
  detail::put_le<std::uint64_t>(head, json.size());
  for (char c : json) head.push_back(static_cast<std::byte>(c));
  atomic_writer out(path);
  out.write(head);
  std::vector<std::byte> le;
  for (const auto& t : tensors) {
    le.clear();
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t.state)
        detail::put_le<std::uint64_t>(le, std::bit_cast<std::uint64_t>(state[t.offset + i]));
      else
        detail::put_le<std::uint32_t>(le, std::bit_cast<std::uint32_t>(params[t.offset + i]));
    }
    out.write(le);
  }
  out.commit();
}

namespace detail {
// load_safetensors on the file's bytes; `path` names them in messages.
template <model_with_weights M>
void load_safetensors_from(M& model, const std::string& path, std::span<const std::byte> bytes) {
  using Net = typename M::network;
  const auto fail = [&](const std::string& problem, std::string fix) {
    throw data_error(path + ": " + problem, std::move(fix));
  };
  if (bytes.size() < 8)
    fail("is too short for a safetensors file (" + std::to_string(bytes.size()) + " bytes)",
         "give the path of a .safetensors file");
  const auto n = detail::get_le<std::uint64_t>(bytes.data());
  if (n > bytes.size() - 8 || n > (std::uint64_t(100) << 20))
    fail("announces a header of " + std::to_string(n) + " bytes in a file of " +
             std::to_string(bytes.size()),
         "the file is truncated or not a safetensors file");
  const detail::safetensors_header header(
      path, std::string_view(reinterpret_cast<const char*>(bytes.data() + 8), n));
  const std::span<const std::byte> data = bytes.subspan(8 + n);

  const auto wanted = detail::tensors_of<Net>();
  std::vector<float> params(model.parameters().begin(), model.parameters().end());
  std::vector<double> state(Net::state_count);
  model.network_layers().save_state(state);
  const std::string fix =
      "save it from a model of this architecture (" + layout_of(model).description + ")";
  for (const auto& t : wanted) {
    const auto it = header.tensors().find(t.name);
    if (it == header.tensors().end()) fail("has no tensor \"" + t.name + "\"", fix);
    const auto& e = it->second;
    if (!std::equal(e.shape.begin(), e.shape.end(), t.shape.begin(), t.shape.end()))
      fail("holds \"" + t.name + "\" of shape " + detail::shape_text(e.shape) +
               ", this model's is " + detail::shape_text(t.shape),
           fix);
    const std::size_t width = e.dtype == "F32" ? 4 : e.dtype == "F64" ? 8 : 0;
    if (width == 0)
      fail("holds \"" + t.name + "\" as " + e.dtype + ", fitcheck reads F32 and F64",
           "convert the tensor to float32 before saving");
    if (e.end > data.size() || e.end - e.begin != t.size() * width)
      fail("holds \"" + t.name + "\" at bytes " + std::to_string(e.begin) + " to " +
               std::to_string(e.end) + " of a " + std::to_string(data.size()) +
               "-byte buffer, where " + std::to_string(t.size()) + " values of " + e.dtype +
               " need " + std::to_string(t.size() * width),
           "the file is truncated or damaged; save it again");
    for (std::size_t i = 0; i < t.size(); ++i) {
      const std::byte* p = data.data() + e.begin + width * i;
      const double v = width == 4 ? double(std::bit_cast<float>(detail::get_le<std::uint32_t>(p)))
                                  : std::bit_cast<double>(detail::get_le<std::uint64_t>(p));
      if (t.state)
        state[t.offset + i] = v;
      else
        params[t.offset + i] = static_cast<float>(v);
    }
  }
  for (const auto& entry : header.tensors())
    if (std::none_of(wanted.begin(), wanted.end(),
                     [&](const auto& t) { return t.name == entry.first; }))
      fail("holds the tensor \"" + entry.first + "\", which this model has no place for", fix);
  try {
    model.network_layers().load_state(state);
  } catch (const data_error& e) {
    fail("holds layer state this model refuses: " + e.problem(), e.fix());
  }
  std::copy(params.begin(), params.end(), model.parameters().begin());
}
}  // namespace detail

/// Loads a safetensors file into the model: every tensor the model has, by its Keras name, with
/// its exact shape, float32 or float64 (converted); a missing, misshapen or extra tensor is a
/// data_error naming it, and then the model is unchanged.
template <model_with_weights M>
void load_safetensors(M& model, const std::string& path) {
  detail::load_safetensors_from(model, path, read_file(path, "a safetensors file"));
}

}  // namespace fitcheck::io
