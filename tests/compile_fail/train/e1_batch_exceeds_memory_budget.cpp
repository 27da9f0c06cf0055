// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// A batch far too large for the memory budget stated in the code [E1]: batch 10000 of
// a 784-4096-4096-10 MLP with Adam needs about 1.3 GiB; the budget is 1 GiB.
// expected-error: the model needs more memory at this batch size than the budget allows \[E1\]. Fix: a smaller batch
// The need and the budget in bytes, in the line after the sentence; one error, not two.
// expected-error: reduces to [^(]*\(1367162272 <= 1073741824\)
// expected-error-count: 1
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/train/memory.hpp>

namespace fc = fitcheck;
using Net = fc::Sequential<fc::Input<784>, fc::Dense<4096>, fc::ReLU, fc::Dense<4096>, fc::ReLU,
                           fc::Dense<10>>;
using Budget = fc::MemoryBudget<(std::size_t{1} << 30)>;

#ifdef FITCHECK_EXPECT_PASS
static_assert(Budget::check<Net, 256, fc::optimizer_slots::adam>());
#else
static_assert(Budget::check<Net, 10000, fc::optimizer_slots::adam>());
#endif
