// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// save_safetensors / load_safetensors: the exact bytes the format specifies for a small MLP,
// Keras' names and shapes for every layer with weights, a round trip that predicts exactly as
// the saved model, and a refusal that names the tensor for every way a file can differ.
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/safetensors.hpp>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <support/errors.hpp>
#include <support/files.hpp>
#include <vector>

namespace io_safetensors_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fio = fitcheck::io;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;
using fitcheck::test::text_of;

namespace {
void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}
std::uint64_t header_length(const std::string& file) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n * 256 + static_cast<unsigned char>(file[std::size_t(i)]);
  return n;
}

using Mlp = fc::Sequential<fc::Input<2>, fc::Dense<3>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
using MlpModel = fc::Model<Mlp, fc::loss::BinaryCrossentropy>;

// Every layer kind with weights: Normalization (state only), Conv2D, BatchNormalization (both),
// Conv1D without bias, Dense twice.
using Cnn = fc::Sequential<fc::Input<6, 6, 1>, fc::Normalization, fc::Conv2D<4, 3>,
                           fc::BatchNormalization<>, fc::ReLU, fc::Reshape<16, 4>,
                           fc::Conv1D<2, 3, 1, fc::padding::valid, 1, false>, fc::Flatten,
                           fc::Dense<5>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using CnnModel = fc::Model<Cnn, fc::loss::SparseCategoricalCrossentropy>;

std::vector<float> values(std::size_t n, std::uint64_t seed) {
  fc::Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = rng.uniform_float() * 4 - 2;
  return v;
}

// A trained CNN: parameters, moving statistics and adapted statistics all away from their
// initial values.
CnnModel trained_cnn(fc::Seed seed) {
  CnnModel m(fc::optim::Adam{.learning_rate = 1e-2f}, seed);
  static const std::vector<float> x = values(32 * 36, 9);
  static const std::vector<int> y = [] {
    std::vector<int> l(32);
    for (std::size_t i = 0; i < l.size(); ++i) l[i] = int(i % 3);
    return l;
  }();
  auto samples = fd::from_tensor_slices<fc::Features<6, 6, 1>, fc::ClassLabel<3>>(
      std::span<const float>(x), std::span<const int>(y));
  fc::nn::adapt<0>(m.network_layers(), samples);
  auto train = samples | fd::batch<8>();
  m.fit(train, 2, fc::Verbose{0}, fc::Preflight{.level = fc::check::off});
  return m;
}
}  // namespace

TEST_CASE("safetensors: a small MLP's file is the format's bytes, with Keras' names and shapes") {
  const temp_dir dir("safetensors");
  MlpModel model(fc::optim::SGD{}, fc::Seed{3});
  fio::save_safetensors(model, dir.file("m.safetensors"));
  const std::string file = text_of(dir.file("m.safetensors"));
  const std::uint64_t n = header_length(file);
  std::string json = file.substr(8, n);
  CHECK(n % 8 == 0);
  while (!json.empty() && json.back() == ' ') json.pop_back();
  CHECK(json ==
        "{\"__metadata__\":{\"format\":\"fitcheck\",\"layout\":\"" +
            fio::layout_of(model).description +
            "\"},"
            "\"dense/kernel\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            "\"dense/bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[24,36]},"
            "\"dense_1/kernel\":{\"dtype\":\"F32\",\"shape\":[3,1],\"data_offsets\":[36,48]},"
            "\"dense_1/bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[48,52]}}");
  REQUIRE(file.size() == 8 + n + 52);
  // The buffer is the parameters in the model's order, little-endian float32.
  const auto p = model.parameters();
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 3; b >= 0; --b)
      bits = bits * 256 + static_cast<unsigned char>(file[8 + n + 4 * i + std::size_t(b)]);
    CHECK(bits == std::bit_cast<std::uint32_t>(p[i]));
  }
}

TEST_CASE("safetensors: every layer kind round-trips, the loaded model predicts exactly") {
  const temp_dir dir("safetensors");
  CnnModel saved = trained_cnn(fc::Seed{1});
  fio::save_safetensors(saved, dir.file("cnn.safetensors"));
  const std::string file = text_of(dir.file("cnn.safetensors"));
  const std::string json = file.substr(8, header_length(file));
  for (const char* entry :
       {"\"normalization/mean\":{\"dtype\":\"F64\",\"shape\":[1]",
        "\"normalization/adapted\":{\"dtype\":\"F64\",\"shape\":[]",
        "\"conv2d/kernel\":{\"dtype\":\"F32\",\"shape\":[3,3,1,4]",
        "\"conv2d/bias\":{\"dtype\":\"F32\",\"shape\":[4]",
        "\"batch_normalization/gamma\":{\"dtype\":\"F32\",\"shape\":[4]",
        "\"batch_normalization/moving_variance\":{\"dtype\":\"F64\",\"shape\":[4]",
        "\"conv1d/kernel\":{\"dtype\":\"F32\",\"shape\":[3,4,2]",
        "\"dense/kernel\":{\"dtype\":\"F32\",\"shape\":[28,5]",
        "\"dense_1/bias\":{\"dtype\":\"F32\",\"shape\":[3]"})
    CHECK_MESSAGE(json.find(entry) != std::string::npos, entry);
  CHECK(json.find("conv1d/bias") == std::string::npos);  // Conv1D<..., false>: no bias

  CnnModel loaded(fc::optim::Adam{}, fc::Seed{2});
  fio::load_safetensors(loaded, dir.file("cnn.safetensors"));
  CHECK(std::vector<float>(loaded.parameters().begin(), loaded.parameters().end()) ==
        std::vector<float>(saved.parameters().begin(), saved.parameters().end()));
  std::vector<double> a(Cnn::state_count), b(Cnn::state_count);
  saved.network_layers().save_state(a);
  loaded.network_layers().save_state(b);
  CHECK(a == b);
  const std::vector<float> x = values(4 * 36, 4);
  const xt::xtensor<float, 4> input = xt::adapt(x, std::vector<std::size_t>{4, 6, 6, 1});
  CHECK(loaded.predict(input) == saved.predict(input));

  // A variance no data could have (another tool's file): Normalization refuses it, and the model
  // keeps what it had.
  std::string bad = file;
  const std::size_t variance = 8 + header_length(file) + 8;  // mean [0, 8), variance [8, 16)
  const double minus_one = -1.0;
  bad.replace(variance, 8, reinterpret_cast<const char*>(&minus_one), 8);
  write(dir.file("bad.safetensors"), bad);
  const std::string m = message_of<fc::data_error>(
      [&] { fio::load_safetensors(loaded, dir.file("bad.safetensors")); });
  CHECK(m.find("holds layer state this model refuses") != std::string::npos);
  std::vector<double> after(Cnn::state_count);
  loaded.network_layers().save_state(after);
  CHECK(after == b);
}

TEST_CASE("safetensors: a file that does not fit the model is refused, naming the tensor") {
  const temp_dir dir("safetensors");
  const std::string path = dir.file("m.safetensors");
  MlpModel source(fc::optim::SGD{}, fc::Seed{3});
  fio::save_safetensors(source, path);
  const std::string good = text_of(path);
  MlpModel model(fc::optim::SGD{}, fc::Seed{4});
  const std::vector<float> before(model.parameters().begin(), model.parameters().end());
  const auto refused = [&](const std::string& bytes) {
    write(path, bytes);
    return message_of<fc::data_error>([&] { fio::load_safetensors(model, path); });
  };
  const auto edited = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(from.size() == to.size());  // the header keeps its length
    s.replace(at, from.size(), to);
    return s;
  };

  SUBCASE("another architecture") {
    using Wider = fc::Sequential<fc::Input<2>, fc::Dense<4>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
    fc::Model<Wider, fc::loss::BinaryCrossentropy> wider;
    write(path, good);
    const std::string m = message_of<fc::data_error>([&] { fio::load_safetensors(wider, path); });
    CHECK(m.find(path + ": holds \"dense/kernel\" of shape [2, 3], this model's is [2, 4]") !=
          std::string::npos);
  }
  SUBCASE("a missing tensor") {
    CHECK(refused(edited("\"dense_1/bias\"", "\"dense_1/bia_\""))
              .find("has no tensor \"dense_1/bias\"") != std::string::npos);
  }
  SUBCASE("another dtype") {
    CHECK(refused(edited("\"F32\",\"shape\":[1]", "\"F16\",\"shape\":[1]"))
              .find("holds \"dense_1/bias\" as F16, fitcheck reads F32 and F64") !=
          std::string::npos);
  }
  // The good file with `entry` added to its header's object.
  const auto with_entry = [&](const std::string& entry) {
    const std::uint64_t n = header_length(good);
    std::string json = good.substr(8, n);
    while (json.back() == ' ') json.pop_back();
    json.pop_back();  // the closing brace
    json += "," + entry + "}";
    std::string file;
    for (int i = 0; i < 8; ++i) file += char((json.size() >> (8 * i)) & 0xFF);
    return file + json + good.substr(8 + n);
  };
  SUBCASE("an extra tensor") {
    CHECK(refused(with_entry("\"extra\":{\"dtype\":\"F32\",\"shape\":[1],"
                             "\"data_offsets\":[48,52]}"))
              .find("holds the tensor \"extra\", which this model has no place for") !=
          std::string::npos);
  }
  SUBCASE("a tensor named twice") {
    CHECK(refused(with_entry("\"dense/bias\":{\"dtype\":\"F32\",\"shape\":[3],"
                             "\"data_offsets\":[24,36]}"))
              .find("the tensor \"dense/bias\" appears twice") != std::string::npos);
  }
  SUBCASE("a field the format does not have") {
    CHECK(refused(with_entry("\"x\":{\"dtype\":\"F32\",\"strides\":[1]}"))
              .find("the tensor \"x\" has an unknown field \"strides\"") != std::string::npos);
  }
  SUBCASE("a truncated buffer") {
    CHECK(refused(good.substr(0, good.size() - 2))
              .find("holds \"dense_1/bias\" at bytes 48 to 52 of a 50-byte buffer") !=
          std::string::npos);
  }
  SUBCASE("a header that is not JSON") {
    CHECK(refused(edited("\"data_offsets\":[0,24]", "\"data_offsets\":[0;24]"))
              .find("the safetensors header is not valid: expected ','") != std::string::npos);
  }
  SUBCASE("a header longer than the file") {
    std::string s = good;
    s[6] = '\x01';
    CHECK(refused(s).find("announces a header of") != std::string::npos);
  }
  CHECK(std::vector<float>(model.parameters().begin(), model.parameters().end()) == before);
}

}  // namespace io_safetensors_test
