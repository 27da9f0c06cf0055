// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// The definitions of train/callbacks/monitor.hpp that no user type shapes (config.hpp,
// FITCHECK_SEPARATE).

#include <fitcheck/train/callbacks/monitor.hpp>

namespace fitcheck::callbacks::detail {

FITCHECK_IMPL std::string names_in(const Logs& logs) {
  std::string s;
  for (const auto& [name, value] : logs.entries()) s += (s.empty() ? "" : ", ") + name;
  return s.empty() ? "none" : s;
}

FITCHECK_IMPL double monitored(const Logs& logs, std::string_view monitor, const char* who) {
  const std::string name(monitor);
  if (auto v = logs.get(name)) return *v;
  throw argument_error(
      std::string(who) + ": monitors \"" + name + "\", which is not among this epoch's logs (" +
          names_in(logs) + ")",
      "monitor one of the logged names, e.g. " + std::string(who) + "<\"" +
          (logs.entries().empty() ? std::string("loss") : logs.entries().back().first) + "\">");
}

FITCHECK_IMPL optim::Optimizer& optimizer_of(TrainingState& s, const char* who) {
  if (s.optimizer == nullptr)
    throw argument_error(std::string(who) + ": the training state has no optimizer",
                         "use it through Model::fit, or set TrainingState::optimizer");
  return *s.optimizer;
}

}  // namespace fitcheck::callbacks::detail
