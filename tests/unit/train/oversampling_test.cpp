// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// tf.data's oversampling recipe through fit, on the breast cancer data (212 malignant, 357
// benign): each class its own pipeline, repeated, drawn 1 : 1 by sample_from_datasets, with
// StepsPerEpoch. The batches fit trains on are balanced, the model learns, and the data scan and
// the ordering rules take the joined pipeline as any other; DataParallel's shard check (H1) looks
// into every pipeline it joins.
#include <doctest/doctest.h>

#include <cstddef>
#include <string>

#include <support/errors.hpp>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/readers.hpp>

namespace train_oversampling_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace nn = fitcheck::nn;

namespace {
using Label = fc::BinaryLabel;
auto cancer() {
  return fd::from_csv<fc::Features<30>, Label>(FITCHECK_DATA_DIR "/breast_cancer.csv");
}
template <int Class>
auto of_class() {
  return cancer() | fd::filter([](const auto& e) { return e.y[0] == Class; });
}
}  // namespace

TEST_CASE("oversampling: sample_from_datasets balances the classes fit trains on") {
  auto balanced = fd::sample_from_datasets({0.5, 0.5}, fc::Seed{7},
                                           of_class<1>() | fd::shuffle(400) | fd::repeat(),
                                           of_class<0>() | fd::shuffle(400) | fd::repeat()) |
                  fd::batch<32>();
  static_assert(decltype(balanced)::static_cardinality.is_infinite());

  // What the batches hold: 50 batches of 32, about half of each class (the data itself is 37 %
  // class 0). Binomial(1600, 1/2): standard deviation 20.
  std::size_t zeros = 0, total = 0;
  {
    auto it = balanced.begin();
    for (int b = 0; b < 50; ++b, ++it)
      for (std::size_t i = 0; i < (*it).size(); ++i) {
        zeros += (*it).y_data()[i] == 0;
        ++total;
      }
  }
  CHECK(total == 1600);
  CHECK(zeros > 700);
  CHECK(zeros < 900);

  using Net = fc::Sequential<fc::Input<30>, nn::Normalization, fc::Dense<16>, fc::ReLU,
                             fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 1e-2f}, fc::Seed{3});
  auto whole = cancer();
  nn::adapt<0>(model.network_layers(), whole);
  const auto history = model.fit(balanced, fc::Epochs{4}, fc::StepsPerEpoch{20}, fc::Verbose{0});
  CHECK(history.epochs() == 4);
  CHECK(history["loss"].back() < history["loss"].front());
  auto all = cancer() | fd::batch<64>();
  CHECK(model.evaluate(all).at("accuracy") > 0.9);
}

TEST_CASE("oversampling: H1 checks the shard of every pipeline sample_from_datasets joins") {
  // Rank 1 of 2: each class pipeline must read shard(2, 1); one reading shard(2, 0) would give
  // two processes the same samples.
  const auto pipeline = [](std::size_t second_index) {
    return fd::sample_from_datasets({0.5, 0.5}, of_class<1>() | fd::shard(2, 1) | fd::repeat(),
                                    of_class<0>() | fd::shard(2, second_index) | fd::repeat()) |
           fd::batch<32>();
  };
  CHECK_NOTHROW(fc::detail::check_shard(pipeline(1), "training", 1, 2));
  const std::string m = fc::test::message_of<fc::argument_error>(
      [&] { fc::detail::check_shard(pipeline(0), "training", 1, 2); });
  CHECK(m.find("the training pipeline of rank 1 of 2 reads shard(2, 0), not its own shard(2, 1)") !=
        std::string::npos);
  // concatenate's parts too.
  auto joined = fd::concatenate(of_class<1>() | fd::shard(2, 1), of_class<0>() | fd::shard(3, 1));
  CHECK_THROWS_AS(fc::detail::check_shard(joined, "validation", 1, 2), fc::argument_error);
}

}  // namespace train_oversampling_test
