// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [E2]: memory runs out halfway through training (another process grows, a cache()
// fills up). Keras dies with an out-of-memory crash and whatever was not saved is gone.
// fitcheck turns the failed allocation into a resource_error with the facts (where, what the
// run needs, what is free), and what was written before (CSVLogger rows, ModelCheckpoint files,
// each written whole and flushed) is still on disk: training resumes from the last checkpoint.
//
// How the failure is made here, honestly: a real out-of-memory cannot be provoked reliably in
// a test, and the model allocates nothing per step once training runs. So a callback throws
// std::bad_alloc at epoch 3, exactly what a failed `new` anywhere in the loop throws; fit
// handles it the same way whatever threw it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fcb = fitcheck::callbacks;
namespace fs = std::filesystem;

struct OutOfMemoryAt {
  std::size_t epoch;  // 0-based, as TrainingState counts
  void on_train_batch_end(fc::TrainingState& s, double) const {
    if (s.epoch == epoch && s.step == 2) throw std::bad_alloc();
  }
};

int main() {
  const fs::path dir = fs::temp_directory_path() / "fitcheck_e2_example";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string log_file = (dir / "log.csv").string();

  auto train = tiny::source(200) | fd::shuffle(200, fc::Seed{1}) | fd::batch<20>();
  tiny::Model model(fc::optim::Adam{.learning_rate = 0.05f});
  fcb::CSVLogger log{.filename = log_file};
  fcb::ModelCheckpoint<"loss"> checkpoint{.filepath = (dir / "ckpt-{epoch:02d}.fcw").string()};
  try {
    (void)model.fit(train, fc::Epochs{5}, fc::Verbose{0}, log, checkpoint, OutOfMemoryAt{2});
  } catch (const fc::resource_error& e) {
    tiny::caught("resource_error", e);
  }

  // What the two finished epochs wrote is intact: the log's rows, and a checkpoint that loads.
  std::ifstream in(log_file);
  const std::string csv((std::istreambuf_iterator<char>(in)), {});
  std::printf("kept: %s holds %td lines (a header and epochs 1-2)\n", log_file.c_str(),
              std::count(csv.begin(), csv.end(), '\n'));
  std::printf("kept: last checkpoint %s\n", checkpoint.last_saved().c_str());

  // The fix: free the memory (or lower the batch size), then resume from the checkpoint.
  tiny::Model resumed(fc::optim::Adam{.learning_rate = 0.05f});
  fc::io::load_weights(resumed, checkpoint.last_saved());
  tiny::trained(resumed.fit(train, fc::Epochs{3}, fc::Verbose{0}));
  fs::remove_all(dir);
  return 0;
}
