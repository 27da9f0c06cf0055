// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <unistd.h>

#include <array>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fitcheck/core/error.hpp>
#include <fitcheck/io/weights.hpp>
#include <fitcheck/train/callback.hpp>
#include <fitcheck/train/logs.hpp>

// TensorBoard's event files, written without TensorFlow: a file is a sequence of TFRecords
// (length, masked CRC-32C of the length, the bytes, masked CRC-32C of the bytes), each holding
// one `Event` protocol buffer (tensorboard/compat/proto/event.proto, summary.proto), encoded here
// by hand: only the fields a scalar needs.

namespace fitcheck::callbacks {

namespace detail {
using bytes = std::vector<std::byte>;

/// The CRC as a record stores it: rotated and offset, so a CRC of data holding CRCs is not
/// trivially zero (TensorFlow's crc32c::Mask).
inline std::uint32_t masked_crc32c(std::span<const std::byte> data) noexcept {
  const std::uint32_t crc = io::detail::crc32c(0, data);
  return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

/// Protocol buffer wire format: what an Event with a scalar needs. As protobuf itself writes
/// proto3, a zero number is left out (the reader's default), so the bytes are the canonical
/// encoding of the message.
struct proto {
  bytes out;
  void varint(std::uint64_t v) {
    for (; v >= 0x80; v >>= 7) out.push_back(static_cast<std::byte>((v & 0x7F) | 0x80));
    out.push_back(static_cast<std::byte>(v));
  }
  void key(unsigned field, unsigned wire) { varint((std::uint64_t{field} << 3) | wire); }
  void fixed64(unsigned field, double v) {
    if (std::bit_cast<std::uint64_t>(v) == 0) return;
    key(field, 1);
    io::detail::put_le(out, std::bit_cast<std::uint64_t>(v));
  }
  void fixed32(unsigned field, float v) {
    if (std::bit_cast<std::uint32_t>(v) == 0) return;
    key(field, 5);
    io::detail::put_le(out, std::bit_cast<std::uint32_t>(v));
  }
  void integer(unsigned field, std::uint64_t v) {
    if (v == 0) return;
    key(field, 0);
    varint(v);
  }
  void message(unsigned field, std::span<const std::byte> v) {
    key(field, 2);
    varint(v.size());
    out.insert(out.end(), v.begin(), v.end());
  }
  void text(unsigned field, std::string_view v) {
    message(field, std::as_bytes(std::span(v.data(), v.size())));
  }
};

/// One Event: wall_time (1), step (2), then `what`: the file version (3) that starts every
/// file, a summary (5) or a session log (7), each a length-delimited field.
inline bytes event(std::uint64_t step, unsigned what, std::span<const std::byte> payload) {
  const auto since_1970 = std::chrono::system_clock::now().time_since_epoch();
  proto e;
  e.fixed64(1, std::chrono::duration<double>(since_1970).count());
  e.integer(2, step);
  e.message(what, payload);
  return std::move(e.out);
}
/// A Summary (value 1) of one Value: tag (1), simple_value (2).
inline bytes scalar_summary(std::string_view tag, double value) {
  proto v;
  v.text(1, tag);
  v.fixed32(2, static_cast<float>(value));
  proto s;
  s.message(1, v.out);
  return std::move(s.out);
}

/// An event file of a run's directory (train/ or validation/), opened on first use.
class event_file {
 public:
  event_file() = default;
  event_file(const event_file&) = delete;
  event_file& operator=(const event_file&) = delete;
  event_file(event_file&& o) noexcept
      : f_(std::exchange(o.f_, nullptr)), path_(std::move(o.path_)) {}
  event_file& operator=(event_file&& o) noexcept {
    if (this != &o) {
      close_quietly();
      f_ = std::exchange(o.f_, nullptr);
      path_ = std::move(o.path_);
    }
    return *this;
  }
  ~event_file() { close_quietly(); }

  [[nodiscard]] bool is_open() const noexcept { return f_ != nullptr; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// Creates `dir` if needed and a new file in it, named as TensorFlow names them
  /// (events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2, so one directory can hold several
  /// runs' files), starting with the file-version event.
  void open(const std::filesystem::path& dir) {
    close_quietly();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
      throw resource_error("TensorBoard: " + dir.string() + " cannot be created: " + ec.message(),
                           "choose a log_dir in a writable place");
    static int files = 0;  // a process writes its files one after another
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0) std::strcpy(host.data(), "localhost");
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    path_ = (dir / ("events.out.tfevents." + std::to_string(seconds) + "." + host.data() + "." +
                    std::to_string(getpid()) + "." + std::to_string(files++) + ".v2"))
                .string();
    errno = 0;
    f_ = std::fopen(path_.c_str(), "wb");
    if (f_ == nullptr) fail("cannot be created");
    constexpr std::string_view version = "brain.Event:2";
    record(event(0, 3, std::as_bytes(std::span(version.data(), version.size()))));
  }
  /// Appends one event (a TFRecord): its length, the length's and the event's masked CRCs.
  void record(std::span<const std::byte> data) {
    bytes framed;
    io::detail::put_le<std::uint64_t>(framed, data.size());
    io::detail::put_le(framed, masked_crc32c(framed));
    framed.insert(framed.end(), data.begin(), data.end());
    io::detail::put_le(framed, masked_crc32c(data));
    errno = 0;
    if (std::fwrite(framed.data(), 1, framed.size(), f_) != framed.size())
      fail("cannot be written (the events before are kept)");
  }
  /// A scalar at `step`.
  void scalar(std::string_view tag, double value, std::uint64_t step) {
    record(event(step, 5, scalar_summary(tag, value)));
  }
  /// SessionLog START (status 1) at `step`: TensorBoard drops this run's events at `step` and
  /// after that an earlier, interrupted run wrote (a run resumed from a backup).
  void restart_at(std::uint64_t step) {
    proto session;
    session.integer(1, 1);
    record(event(step, 7, session.out));
  }
  void flush() {
    errno = 0;
    if (std::fflush(f_) != 0) fail("cannot be written (the events before are kept)");
  }
  void close() {
    if (f_ == nullptr) return;
    errno = 0;
    if (std::fclose(std::exchange(f_, nullptr)) != 0) fail("cannot be closed");
  }

 private:
  void close_quietly() noexcept {
    if (f_ != nullptr) std::fclose(std::exchange(f_, nullptr));
  }
  [[noreturn]] void fail(const std::string& what) const {
    const int err = errno;
    throw resource_error("TensorBoard: " + path_ + " " + what +
                             (err != 0 ? std::string(": ") + std::strerror(err) : std::string()),
                         "check that the log_dir is writable and the disk is not full");
  }

  std::FILE* f_ = nullptr;
  std::string path_;
};

/// What one fit writes: its two files and the batch count.
struct tensorboard_run {
  event_file train, validation;
  std::uint64_t batch = 0;         // batches trained, over every epoch (Keras' global step)
  std::uint64_t restart_step = 0;  // a resumed run's first epoch, 0 for a new run
};
}  // namespace detail

/// Writes the training curves for TensorBoard (Keras' `TensorBoard(log_dir)`): at each epoch's
/// end, `epoch_<name>` scalars at step = the epoch (0-based) for every log (`epoch_loss`,
/// `epoch_accuracy`, ...) and the optimizer's learning rate (`epoch_learning_rate`) in
/// `log_dir/train/`, and the `val_` logs without their prefix in `log_dir/validation/`, as Keras
/// names and places them. With `update_freq` = N > 0, also `batch_loss` every N batches at step
/// = the batch's count over the whole run (Keras' `update_freq=N`, which also logs the batch
/// metrics; fitcheck's batch hook sees the loss only). Each run writes new event files (TFRecord
/// files of `Event` protocol buffers, flushed at every epoch's end, so a crash loses no finished
/// epoch), which `tensorboard --logdir log_dir` reads; no TensorFlow is needed to write them. A
/// run resumed by `BackupAndRestore` continues the epoch steps and, when it logs epochs only,
/// marks the restart, so TensorBoard drops what the interrupted run wrote after its backup. Not
/// offered: weight histograms (`histogram_freq`), images, the graph, embeddings, profiling. With
/// DataParallel, rank 0 writes. I/O failures are `resource_error`s naming the file.
struct TensorBoard {
  /// The directory of the run's `train/` and `validation/` sub-directories (created if missing).
  std::string log_dir = "logs";
  /// 0: epochs only (Keras' "epoch"); N: also the loss every N batches (1: Keras' "batch").
  std::size_t update_freq = 0;
  /// The run's own state: leave it out of the initializer.
  detail::tensorboard_run run_{};

  /// Callback hook: before the first epoch.
  void on_train_begin(TrainingState& s) {
    run_ = {};
    if (s.rank != 0) return;
    run_.batch = s.initial_epoch * s.steps_per_epoch.value_or(0);
    run_.restart_step = s.initial_epoch;
    run_.train.open(std::filesystem::path(log_dir) / "train");
    if (resumed()) run_.train.restart_at(run_.restart_step);
    run_.train.flush();
  }

  /// Callback hook: after every batch.
  void on_train_batch_end(TrainingState& s, double batch_loss) {
    if (s.rank != 0 || update_freq == 0 || !run_.train.is_open()) return;
    if (++run_.batch % update_freq == 0) run_.train.scalar("batch_loss", batch_loss, run_.batch);
  }

  /// Callback hook: after every epoch, with its logs.
  void on_epoch_end(TrainingState& s, Logs& logs) {
    if (s.rank != 0) return;
    // Outside fit (or after on_train_end): a new file, as a new run.
    if (!run_.train.is_open()) run_.train.open(std::filesystem::path(log_dir) / "train");
    for (const auto& [name, value] : logs.entries()) {
      if (name.starts_with("val_")) {
        if (!run_.validation.is_open()) {
          run_.validation.open(std::filesystem::path(log_dir) / "validation");
          if (resumed()) run_.validation.restart_at(run_.restart_step);
        }
        run_.validation.scalar("epoch_" + name.substr(4), value, s.epoch);
      } else if (name != "learning_rate") {
        run_.train.scalar("epoch_" + name, value, s.epoch);
      }
    }
    if (s.optimizer != nullptr)
      run_.train.scalar("epoch_learning_rate", double(s.optimizer->learning_rate()), s.epoch);
    run_.train.flush();
    if (run_.validation.is_open()) run_.validation.flush();
  }

  /// Callback hook: after the last epoch (stopped or not).
  void on_train_end(TrainingState&) {
    run_.train.close();
    run_.validation.close();
  }

 private:
  // Epoch steps only: a restart mark at epoch k would also drop batch steps >= k.
  [[nodiscard]] bool resumed() const noexcept { return run_.restart_step > 0 && update_freq == 0; }
};

}  // namespace fitcheck::callbacks
