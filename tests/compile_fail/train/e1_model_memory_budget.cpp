// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A batch far too large for the MemoryBudget the Model states [E1]: fit on batch<10000>
// of a 784-4096-4096-10 MLP needs about 1.3 GiB with Adam (more with the most optimizer state,
// which the compile-time check counts); the model's budget is 1 GiB. The fix is a batch that
// fits (batch<256>), the corrected twin.
// expected-error: the model needs more memory at this batch size than the budget allows \[E1\]. Fix: a smaller batch
// The need and the budget in bytes, in the line after the sentence; one error, not two.
// expected-error: reduces to [^(]*\(1607653976 <= 1073741824\)
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;

using Net = fc::Sequential<fc::Input<784>, fc::Dense<4096>, fc::ReLU, fc::Dense<4096>, fc::ReLU,
                           fc::Dense<10>, fc::Softmax>;
using Model = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy,
                        fc::MemoryBudget<(std::size_t{1} << 30)>>;

#ifdef FITCHECK_EXPECT_PASS
constexpr std::size_t batch_size = 256;
#else
constexpr std::size_t batch_size = 10000;
#endif

void train(const xt::xtensor<float, 2>& x, const xt::xtensor<int, 1>& y) {
  auto data = fd::from_tensor_slices<fc::Features<784>, fc::ClassLabel<10>>(x, y) |
              fd::shuffle(10000, fc::Seed{1}) | fd::batch<batch_size>() | fd::prefetch(2);
  Model model(fc::optim::Adam{});
  (void)model.fit(data, fc::Epochs{1});
}
