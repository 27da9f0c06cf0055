// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A fit callback given to evaluate (here EarlyStopping, whose hooks are all fit's) would never
// be called: it does not compile, and the sentence lists the hooks evaluate calls.
// expected-error: evaluate: an argument is neither an option nor a callback with a hook evaluate calls
// expected-error: on_test_begin\(TrainingState&\), on_test_batch_begin\(TrainingState&\)
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/train/callbacks.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;

struct Scores {
  double last = 0;
  void on_test_end(fc::TrainingState&, const fc::Logs& logs) { last = logs.at("loss"); }
};

double score(std::span<const float> x, std::span<const int> y) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  Scores scores;
  (void)model.evaluate(data, scores);
  return scores.last;
#else
  fc::callbacks::EarlyStopping<"loss"> early;
  return model.evaluate(data, early).at("loss");
#endif
}
