// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <fitcheck/core/format.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/train/memory.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// Keras' model.summary(): the layers with their names, output shapes and parameter counts, then
// the totals. Everything in the table is a compile-time fact of the network type; Model::summary
// adds what the model holds (optimizer, loss, metrics, backend) and, for a batch size, the memory
// plan fit checks [E1].

namespace fitcheck {

namespace detail {

// Keras' shape notation: the batch is None, "(None, 28, 28, 1)".
inline std::string batch_shape(const auto& d) {
  std::string s = "(None";
  for (std::size_t i = 0; i < d.rank; ++i) s += ", " + std::to_string(d.extent[i]);
  return s + ")";
}

// The totals' lines: "Total params: 1,537 (6 KiB)". Parameters are float, layer state double.
inline std::string count_line(const char* what, std::size_t count, std::size_t bytes) {
  return std::string(what) + ": " + format_count(count) + " (" + format_bytes(bytes) + ")\n";
}

}  // namespace detail

/// The summary of network type `Net` as Keras' `model.summary()` prints it: a row per layer
/// (Keras' automatic name and the type, the output shape with the batch as None, the parameter
/// count: trainable and non-trainable), then the total, trainable and non-trainable counts with
/// the memory they take. `extra` lines follow the totals.
template <io::described_network Net>
[[nodiscard]] std::string network_summary(const std::vector<std::string>& extra = {}) {
  struct row {
    std::string layer, shape, params;
  };
  const auto names = io::detail::layer_names<Net>();
  std::vector<row> rows{{"Layer (type)", "Output Shape", "Param #"}};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (rows.push_back({names[I] + " (" + io::detail::layer_label<Net, I>() + ")",
                     detail::batch_shape(Net::dims[I + 1]),
                     format_count(Net::param_counts[I] + Net::state_counts[I])}),
     ...);
  }
  (std::make_index_sequence<Net::depth>{});

  std::size_t w0 = 0, w1 = 0, w2 = 0;
  for (const row& r : rows) {
    w0 = std::max(w0, r.layer.size());
    w1 = std::max(w1, r.shape.size());
    w2 = std::max(w2, r.params.size());
  }
  const std::size_t width = 1 + w0 + 3 + w1 + 3 + w2 + 1;
  const auto line = [&](const row& r) {
    return " " + r.layer + std::string(w0 - r.layer.size() + 3, ' ') + r.shape +
           std::string(w1 - r.shape.size() + 3 + w2 - r.params.size(), ' ') + r.params + "\n";
  };

  std::string out = "Model: Sequential, input " + detail::batch_shape(Net::dims[0]) + "\n";
  out += std::string(width, '_') + "\n" + line(rows[0]) + std::string(width, '=') + "\n";
  for (std::size_t i = 1; i < rows.size(); ++i) out += line(rows[i]);
  out += std::string(width, '=') + "\n";
  const std::size_t trainable = Net::param_count, state = Net::state_count;
  out += detail::count_line("Total params", trainable + state,
                            trainable * sizeof(float) + state * sizeof(double));
  out += detail::count_line("Trainable params", trainable, trainable * sizeof(float));
  out += detail::count_line("Non-trainable params", state, state * sizeof(double));
  for (const std::string& e : extra) out += e + "\n";
  return out;
}

}  // namespace fitcheck
