// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of io/weights.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/io/weights.hpp>

namespace fitcheck::io::detail {

FITCHECK_IMPL std::uint32_t crc32(std::uint32_t crc, std::span<const std::byte> bytes) noexcept {
  return reflected_crc<0xEDB88320u>(crc, bytes);
}

FITCHECK_IMPL std::uint32_t crc32c(std::uint32_t crc, std::span<const std::byte> bytes) noexcept {
  return reflected_crc<0x82F63B78u>(crc, bytes);
}

FITCHECK_IMPL std::string describe(const Layout& l) {
  const auto s = l.state_count();
  return l.description + " (" + std::to_string(l.parameter_count()) + " parameters" +
         (s > 0 ? ", " + std::to_string(s) + " state values" : std::string()) + ")";
}

FITCHECK_IMPL bool starts_with_magic(std::span<const std::byte> head,
                                     std::span<const unsigned char> magic) noexcept {
  const std::size_t seen = std::min(head.size(), magic.size());
  return std::equal(
      head.begin(), head.begin() + static_cast<std::ptrdiff_t>(seen), magic.begin(),
      [](std::byte a, unsigned char b) { return std::to_integer<unsigned char>(a) == b; });
}

FITCHECK_IMPL void check_weights_magic(const std::string& path, std::span<const std::byte> head) {
  if (!starts_with_magic(head, weights_magic))
    weights_fail(path, "is not a fitcheck weights file (wrong magic bytes)",
                 "give the path of a file written by fitcheck's save_weights or ModelCheckpoint");
}

FITCHECK_IMPL std::vector<std::byte> read_weights_file(const std::string& path) {
  return read_file(
      path, "a file written by save_weights", weights_magic.size(),
      [&](std::span<const std::byte> head, std::size_t) { check_weights_magic(path, head); });
}

FITCHECK_IMPL parsed_weights parse_weights(const std::string& path, std::span<const std::byte> f) {
  check_weights_magic(path, f);
  if (f.size() < weights_v1_header_size)
    weights_fail(path,
                 "is truncated: " + std::to_string(f.size()) + " bytes, shorter than the " +
                     std::to_string(weights_v1_header_size) + "-byte header",
                 "the write was cut off; use an earlier checkpoint or save again");
  const std::byte* p = f.data();
  const auto version = get_le<std::uint32_t>(p + 8);
  if (version != 1 && version != weights_format_version)
    weights_fail(path,
                 "has format version " + std::to_string(version) +
                     ", this fitcheck reads versions 1 to " +
                     std::to_string(weights_format_version),
                 "load it with the fitcheck version that wrote it, or save it again");
  const std::size_t header = version == 1 ? weights_v1_header_size : weights_header_size;
  if (f.size() < header)
    weights_fail(path,
                 "is truncated: " + std::to_string(f.size()) + " bytes, shorter than the " +
                     std::to_string(header) + "-byte header",
                 "the write was cut off; use an earlier checkpoint or save again");
  const auto type = get_le<std::uint32_t>(p + 12);
  if (type != float32_type)
    weights_fail(path,
                 "holds values of type code " + std::to_string(type) + ", expected 1 (float32)",
                 "the header is corrupt; use an earlier checkpoint");
  const auto fingerprint = get_le<std::uint64_t>(p + 16);
  const auto n = get_le<std::uint64_t>(p + 24);
  const auto layers = get_le<std::uint32_t>(p + 32);
  const auto desc_len = get_le<std::uint32_t>(p + 36);
  const std::uint64_t states = version == 1 ? 0 : get_le<std::uint64_t>(p + 40);

  // Sizes in u64 with overflow checks: a corrupt header must not make us read out of bounds.
  const std::uint64_t max = std::uint64_t(1) << 60;
  if (n > max / 4 || states > max / 8)
    weights_fail(path,
                 "announces " + std::to_string(n) + " parameters and " + std::to_string(states) +
                     " state values, an impossible count",
                 "the header is corrupt; use an earlier checkpoint");
  const std::uint64_t per_layer = version == 1 ? 8 : 16;
  const std::uint64_t expected =
      header + per_layer * layers + desc_len + 4ull * n + 8ull * states + 4ull;
  if (f.size() < expected)
    weights_fail(path,
                 "is truncated: " + std::to_string(f.size()) + " bytes, but its header announces " +
                     std::to_string(expected) + " (" + std::to_string(n) + " parameters)",
                 "the write was cut off; use an earlier checkpoint or save again");
  if (f.size() > expected)
    weights_fail(path,
                 "is corrupt: " + std::to_string(f.size() - expected) +
                     " bytes more than its header announces (" + std::to_string(expected) + ")",
                 "use an earlier checkpoint or save again");
  const std::size_t body = static_cast<std::size_t>(expected) - 4;
  const auto stored_crc = get_le<std::uint32_t>(p + body);
  const auto actual_crc = crc32(0, f.first(body));
  if (stored_crc != actual_crc) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "stored CRC-32 %08x, computed %08x", stored_crc, actual_crc);
    weights_fail(path, std::string("is corrupt: checksum mismatch (") + buf + ")",
                 "the file was damaged after it was written; use an earlier checkpoint or save "
                 "again");
  }
  parsed_weights out;
  out.version = version;
  out.layout.param_counts.resize(layers);
  out.layout.state_counts.assign(layers, 0);
  const std::byte* counts = p + header;
  for (std::uint32_t i = 0; i < layers; ++i) {
    out.layout.param_counts[i] = get_le<std::uint64_t>(counts + 8 * i);
    if (version > 1)
      out.layout.state_counts[i] = get_le<std::uint64_t>(counts + 8ull * (layers + i));
  }
  const std::byte* desc = counts + per_layer * layers;
  out.layout.description.assign(reinterpret_cast<const char*>(desc), desc_len);
  // The checksum passed, so these disagree only if the writer was wrong: still say so.
  if (fnv1a64(out.layout.description) != fingerprint || out.layout.parameter_count() != n ||
      out.layout.state_count() != states)
    weights_fail(path, "is inconsistent: its layout does not match its fingerprint or counts",
                 "save the weights again");
  out.payload = desc + desc_len;
  out.state = out.payload + 4 * n;
  return out;
}

FITCHECK_IMPL std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool upper = c >= 'A' && c <= 'Z';
    // "BatchNormalization" -> "batch_normalization", "Conv2D" -> "conv2d": a capital starts a
    // word unless it follows a digit or another capital.
    if (upper && i > 0 && !(name[i - 1] >= '0' && name[i - 1] <= '9') &&
        !(name[i - 1] >= 'A' && name[i - 1] <= 'Z'))
      out += '_';
    out += upper ? char(c - 'A' + 'a') : c;
  }
  return out;
}

FITCHECK_IMPL void number_names(std::span<std::string> names) {
  std::vector<std::pair<std::string, std::size_t>> seen;
  for (std::string& name : names) {
    name = snake_case(name);
    auto it =
        std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == name; });
    if (it == seen.end()) {
      seen.emplace_back(name, 1);
    } else {
      name += "_" + std::to_string(it->second++);
    }
  }
}

}  // namespace fitcheck::io::detail

namespace fitcheck::io {

FITCHECK_IMPL void save_weights(const std::string& path, std::span<const float> params,
                                const Layout& layout, std::span<const double> state) {
  if (layout.parameter_count() != params.size() || layout.state_count() != state.size())
    throw argument_error("save_weights: the layout '" + layout.description + "' counts " +
                             std::to_string(layout.parameter_count()) + " parameters and " +
                             std::to_string(layout.state_count()) + " state values, but " +
                             std::to_string(params.size()) + " and " +
                             std::to_string(state.size()) + " were given",
                         "pass the layout of the network these values belong to");
  const std::size_t layers = layout.param_counts.size();
  std::vector<std::byte> head;
  head.reserve(detail::weights_header_size + 16 * layers + layout.description.size());
  for (unsigned char c : detail::weights_magic) head.push_back(static_cast<std::byte>(c));
  detail::put_le<std::uint32_t>(head, weights_format_version);
  detail::put_le<std::uint32_t>(head, detail::float32_type);
  detail::put_le<std::uint64_t>(head, detail::fnv1a64(layout.description));
  detail::put_le<std::uint64_t>(head, params.size());
  detail::put_le<std::uint32_t>(head, static_cast<std::uint32_t>(layers));
  detail::put_le<std::uint32_t>(head, static_cast<std::uint32_t>(layout.description.size()));
  detail::put_le<std::uint64_t>(head, state.size());
  for (auto c : layout.param_counts) detail::put_le<std::uint64_t>(head, c);
  for (std::size_t i = 0; i < layers; ++i)
    detail::put_le<std::uint64_t>(head,
                                  i < layout.state_counts.size() ? layout.state_counts[i] : 0);
  for (char c : layout.description) head.push_back(static_cast<std::byte>(c));

  atomic_writer out(path);
  out.write(head);
  std::uint32_t crc = detail::crc32(0, head);
  if constexpr (std::endian::native == std::endian::little) {
    // The payload goes straight from the model's buffer: no copy of a large model.
    for (auto bytes : {std::as_bytes(params), std::as_bytes(state)}) {
      crc = detail::crc32(crc, bytes);
      out.write(bytes);
    }
  } else {
    std::vector<std::byte> le;
    le.reserve(params.size() * 4 + state.size() * 8);
    for (float v : params) detail::put_le<std::uint32_t>(le, std::bit_cast<std::uint32_t>(v));
    for (double v : state) detail::put_le<std::uint64_t>(le, std::bit_cast<std::uint64_t>(v));
    crc = detail::crc32(crc, le);
    out.write(le);
  }
  std::vector<std::byte> tail;
  detail::put_le<std::uint32_t>(tail, crc);
  out.write(tail);
  out.commit();
}

FITCHECK_IMPL Layout weights_layout(const std::string& path) {
  const auto bytes = detail::read_weights_file(path);
  return detail::parse_weights(path, bytes).layout;
}

FITCHECK_IMPL void load_weights(const std::string& path, std::span<float> params,
                                const Layout& layout, std::span<double> state) {
  if (layout.parameter_count() != params.size() || layout.state_count() != state.size())
    throw argument_error("load_weights: the layout '" + layout.description + "' counts " +
                             std::to_string(layout.parameter_count()) + " parameters and " +
                             std::to_string(layout.state_count()) +
                             " state values, but the buffers hold " +
                             std::to_string(params.size()) + " and " + std::to_string(state.size()),
                         "pass the layout of the network these values belong to");
  const detail::weights_for file(path, layout);
  file.copy_parameters(params);
  file.copy_state(state);
}

}  // namespace fitcheck::io
