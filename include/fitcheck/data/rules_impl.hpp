// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of data/rules.hpp that no user type shapes (config.hpp, FITCHECK_SEPARATE).

#include <fitcheck/data/rules.hpp>

namespace fitcheck::data::rules {

FITCHECK_IMPL void check_batch_size(const Cardinality& source, std::size_t batch_size,
                                    bool drop_remainder) {
  // An empty data set is its own mistake [B6], reported by fit's pre-flight.
  if (!source.is_exact() || source.count == 0 || source.count >= batch_size) return;
  const std::string facts = "batch(" + std::to_string(batch_size) +
                            (drop_remainder ? ", drop_remainder" : "") + ") on a data set of " +
                            to_string(source);
  if (drop_remainder)
    throw data_error(facts + " yields no batch at all, so nothing would train [A9]",
                     "use a batch size of at most " + std::to_string(source.count) +
                         ", or keep the partial batch");
  warn("A10", facts + " yields one partial batch per epoch",
       "use a batch size of at most " + std::to_string(source.count) +
           " if the data set is meant to fill several batches");
}

}  // namespace fitcheck::data::rules
