// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The TensorBoard callback: CRC-32C against its catalogue check value, then event files read
// back record by record (both CRCs checked, the protocol buffer fields decoded here) after a fit
// with validation data: Keras' tags, steps and values; batch-level losses; a resumed run's
// restart mark; an unwritable log_dir. tests/interop/tensorboard_read.py reads the same kind of
// file with Google's protobuf library.
#include <doctest/doctest.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/train/callbacks.hpp>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <support/errors.hpp>
#include <support/files.hpp>
#include <vector>

namespace train_tensorboard_test {

namespace fc = fitcheck;
namespace fcb = fitcheck::callbacks;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;
using fitcheck::test::temp_dir;

static_assert(fc::callback<fcb::TensorBoard>);
static_assert(!fc::detail::needs_validation<fcb::TensorBoard>());

namespace {

// One decoded Event: its step and what it holds.
struct event {
  double wall_time = 0;
  std::uint64_t step = 0;
  std::string file_version;
  std::string tag;  // the summary's one value
  float value = 0;
  bool summary = false;
  std::uint64_t session_status = 0;  // SessionLog.status, 0 if none
};

struct reader {
  std::string_view in;
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      REQUIRE(!in.empty());
      const auto b = static_cast<unsigned char>(in[0]);
      in.remove_prefix(1);
      v |= std::uint64_t(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
  }
  template <class U>
  U fixed() {
    REQUIRE(in.size() >= sizeof(U));
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i)
      v |= U(static_cast<unsigned char>(in[i])) << (8 * i);
    in.remove_prefix(sizeof(U));
    return v;
  }
  std::string_view bytes() {
    const auto n = varint();
    REQUIRE(in.size() >= n);
    const auto v = in.substr(0, n);
    in.remove_prefix(n);
    return v;
  }
};

std::span<const std::byte> bytes_of(std::string_view s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}

event decode(std::string_view data) {
  event e;
  reader r{data};
  while (!r.in.empty()) {
    const auto key = r.varint();
    const auto field = key >> 3, wire = key & 7;
    if (field == 1 && wire == 1) {
      e.wall_time = std::bit_cast<double>(r.fixed<std::uint64_t>());
    } else if (field == 2 && wire == 0) {
      e.step = r.varint();
    } else if (field == 3 && wire == 2) {
      e.file_version = std::string(r.bytes());
    } else if (field == 5 && wire == 2) {
      e.summary = true;
      reader summary{r.bytes()};
      CHECK(summary.varint() == ((1u << 3) | 2));  // one Value
      reader value{summary.bytes()};
      CHECK(summary.in.empty());
      CHECK(value.varint() == ((1u << 3) | 2));
      e.tag = std::string(value.bytes());
      if (!value.in.empty()) {  // absent: 0, as proto3 leaves zeros out
        CHECK(value.varint() == ((2u << 3) | 5));
        e.value = std::bit_cast<float>(value.fixed<std::uint32_t>());
        CHECK(e.value != 0.0f);
      }
      CHECK(value.in.empty());
    } else if (field == 7 && wire == 2) {
      reader session{r.bytes()};
      CHECK(session.varint() == ((1u << 3) | 0));
      e.session_status = session.varint();
    } else {
      FAIL("unexpected field " << field << " wire type " << wire);
    }
  }
  return e;
}

// Every record of the one event file in `dir`, both CRCs checked.
std::vector<event> events_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  REQUIRE(files.size() == 1);
  CHECK(files[0].filename().string().starts_with("events.out.tfevents."));
  CHECK(files[0].filename().string().ends_with(".v2"));
  std::ifstream f(files[0], std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<event> out;
  reader r{all};
  while (!r.in.empty()) {
    const std::string_view length = r.in.substr(0, 8);
    const auto n = r.fixed<std::uint64_t>();
    CHECK(r.fixed<std::uint32_t>() == fcb::detail::masked_crc32c(bytes_of(length)));
    REQUIRE(r.in.size() >= n + 4);
    const std::string_view data = r.in.substr(0, n);
    r.in.remove_prefix(n);
    CHECK(r.fixed<std::uint32_t>() == fcb::detail::masked_crc32c(bytes_of(data)));
    out.push_back(decode(data));
  }
  REQUIRE(!out.empty());
  CHECK(out[0].file_version == "brain.Event:2");
  CHECK(out[0].step == 0);
  CHECK(out[0].wall_time > 1.6e9);  // seconds since 1970, after 2020
  return out;
}

// The values of `tag`, in order, with their steps.
std::vector<std::pair<std::uint64_t, float>> series(const std::vector<event>& events,
                                                    const std::string& tag) {
  std::vector<std::pair<std::uint64_t, float>> out;
  for (const auto& e : events)
    if (e.summary && e.tag == tag) out.emplace_back(e.step, e.value);
  return out;
}

using Net = fc::Sequential<fc::Input<2>, fc::Dense<4>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
const std::vector<float> xs = {0,    0,    0,    1,    1,    0,    1,    1,
                               0.5f, 0.5f, 0.2f, 0.8f, 0.8f, 0.2f, 0.3f, 0.3f};
const std::vector<int> ys = {0, 1, 1, 0, 1, 0, 0, 1};
auto pipeline() {
  return fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(xs),
                                                                  std::span<const int>(ys)) |
         fd::batch<2>();
}
}  // namespace

TEST_CASE("TensorBoard: CRC-32C, the records' check, gives its catalogue check value") {
  // "123456789" is the CRC catalogue's check string; the polynomial differs from the weights
  // files' CRC-32 (0xCBF43926), the table code is theirs.
  CHECK(fitcheck::io::detail::crc32c(0, bytes_of("123456789")) == 0xE3069283u);
  CHECK(fitcheck::io::detail::crc32c(0, bytes_of("")) == 0u);
  CHECK(fitcheck::io::detail::crc32(0, bytes_of("123456789")) == 0xCBF43926u);
  // Running: pieces fed in order give the whole's CRC.
  CHECK(fitcheck::io::detail::crc32c(fitcheck::io::detail::crc32c(0, bytes_of("1234")),
                                     bytes_of("56789")) == 0xE3069283u);
}

TEST_CASE("TensorBoard: Keras' epoch scalars in train/ and validation/, equal to the history") {
  const temp_dir dir("tensorboard_test");
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::SGD{.learning_rate = 0.05f}, fc::Seed{3});
  auto train = pipeline();
  auto held_out = pipeline();
  fcb::TensorBoard board{.log_dir = dir.file("logs")};
  const auto history = model.fit(train, 3, fc::Validation{held_out}, fc::Verbose{0}, board);

  const auto events = events_in(dir.path / "logs" / "train");
  for (const char* name : {"loss", "accuracy"}) {
    const auto s = series(events, std::string("epoch_") + name);
    REQUIRE(s.size() == 3);
    for (std::size_t e = 0; e < 3; ++e) {
      CHECK(s[e].first == e);
      CHECK(s[e].second == float(history[name][e]));
    }
  }
  const auto rate = series(events, "epoch_learning_rate");
  REQUIRE(rate.size() == 3);
  CHECK(rate[2].second == 0.05f);
  CHECK(series(events, "epoch_val_loss").empty());  // in validation/, without the prefix

  const auto val = events_in(dir.path / "logs" / "validation");
  for (const char* name : {"loss", "accuracy"}) {
    const auto s = series(val, std::string("epoch_") + name);
    REQUIRE(s.size() == 3);
    for (std::size_t e = 0; e < 3; ++e)
      CHECK(s[e].second == float(history[std::string("val_") + name][e]));
  }
  CHECK(series(val, "epoch_learning_rate").empty());
}

TEST_CASE("TensorBoard: update_freq N logs the loss of every Nth batch at the run's batch count") {
  const temp_dir dir("tensorboard_test");
  fc::Model<Net, fc::loss::BinaryCrossentropy> model(fc::optim::SGD{.learning_rate = 0.05f});
  auto train = pipeline();  // 4 batches per epoch
  fcb::TensorBoard board{.log_dir = dir.file("logs"), .update_freq = 3};
  (void)model.fit(train, 3, fc::Verbose{0}, board);
  const auto events = events_in(dir.path / "logs" / "train");
  const auto batches = series(events, "batch_loss");
  REQUIRE(batches.size() == 4);  // batches 3, 6, 9, 12 of 12
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(batches[i].first == 3 * (i + 1));
    CHECK(batches[i].second > 0.0f);
  }
  CHECK(series(events, "epoch_loss").size() == 3);
  CHECK(!fs::exists(dir.path / "logs" / "validation"));  // no validation data, no directory
}

TEST_CASE(
    "TensorBoard: a resumed run marks its restart, so TensorBoard drops the orphaned epochs") {
  const temp_dir dir("tensorboard_test");
  fc::optim::Optimizer optimizer{fc::optim::SGD{.learning_rate = 0.1f}};
  fc::TrainingState s;
  s.optimizer = &optimizer;
  s.initial_epoch = 2;  // BackupAndRestore's backup had finished 2 epochs
  fcb::TensorBoard board{.log_dir = dir.file("logs")};
  board.on_train_begin(s);
  s.epoch = 2;
  fc::Logs logs;
  logs.set("loss", 0.5);
  logs.set("val_loss", 0.75);
  board.on_epoch_end(s, logs);
  board.on_train_end(s);
  for (const char* run : {"train", "validation"}) {
    // The file version, SessionLog START, the epoch's loss (and in train/ its learning rate).
    const auto events = events_in(dir.path / "logs" / run);
    REQUIRE(events.size() == (std::string(run) == "train" ? 4 : 3));
    CHECK(events[1].session_status == 1);
    CHECK(events[1].step == 2);
    CHECK(events[2].tag == "epoch_loss");
    CHECK(events[2].step == 2);
    CHECK(events[2].value == (std::string(run) == "train" ? 0.5f : 0.75f));
  }
}

TEST_CASE("TensorBoard: a log_dir that cannot be created is a resource_error naming it") {
  const temp_dir dir("tensorboard_test");
  std::ofstream(dir.file("taken")) << "a file, not a directory";
  fc::TrainingState s;
  fcb::TensorBoard board{.log_dir = dir.file("taken") + "/logs"};
  const std::string message =
      fitcheck::test::message_of<fc::resource_error>([&] { board.on_train_begin(s); });
  CHECK(message.find("taken/logs/train cannot be created") != std::string::npos);
  CHECK(message.find("writable") != std::string::npos);
}

}  // namespace train_tensorboard_test
