// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Images read at 32x32 RGB into a model built for 28x28 grayscale: the image size and channels
// are the source's type, so the mismatch is the same compile error as for table columns.
// expected-error: fit: the data's feature shape differs from the model's Input shape \[C1\]
// expected-error: Shape<32, 32, 3>.*Shape<28, 28, 1>|Shape<28, 28, 1>.*Shape<32, 32, 3>
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Net = fc::Sequential<fc::Input<28, 28, 1>, fc::Flatten, fc::Dense<10>, fc::Softmax>;

std::size_t train(const std::string& folder) {
#ifdef FITCHECK_EXPECT_PASS
  auto images = fd::image_folder<28, 28, 1, fc::ClassLabel<10>>(folder) | fd::batch<32>();
#else
  auto images = fd::image_folder<32, 32, 3, fc::ClassLabel<10>>(folder) | fd::batch<32>();
#endif
  fc::Model<Net, fc::loss::SparseCategoricalCrossentropy> model;
  return model.fit(images, 1, fc::Verbose{0}).epochs();
}
