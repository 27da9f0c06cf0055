// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Training labels as class indices, validation labels one-hot: the loss would read the
// validation labels wrongly and report a meaningless val_loss. It does not compile, and the
// sentence says it is the validation data.
// expected-error: fit: the validation data's label kind differs from the training data's
// expected-error: Fix: declare the same label kind for both pipelines
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Model = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<3>, fc::nn::Softmax>,
                        fc::loss::SparseCategoricalCrossentropy>;

std::size_t train(std::span<const float> x, std::span<const int> y, std::span<const float> y_onehot) {
  auto data = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<3>>(x, y) | fd::batch<4>();
  Model model;
#ifdef FITCHECK_EXPECT_PASS
  (void)y_onehot;
  auto val = fd::from_tensor_slices<fc::Features<2>, fc::ClassLabel<3>>(x, y) | fd::batch<4>();
#else
  auto val = fd::from_tensor_slices<fc::Features<2>, fc::OneHotLabel<3>>(x, y_onehot) | fd::batch<4>();
#endif
  return model.fit(data, 3, fc::Verbose{0}, fc::Validation{val}).epochs();
}
