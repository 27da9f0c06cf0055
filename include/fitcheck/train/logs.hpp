// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace fitcheck {

/// Named values at the end of an epoch or an evaluation: "loss", "accuracy", "val_loss", ...
class Logs {
public:
  /// Sets `name` to `value`, adding it after the others if new.
  void set(const std::string& name, double value) {
    for (auto& [n, v] : entries_)
      if (n == name) {
        v = value;
        return;
      }
    entries_.emplace_back(name, value);
  }
  /// The value of `name`, if logged.
  [[nodiscard]] std::optional<double> get(const std::string& name) const {
    for (const auto& [n, v] : entries_)
      if (n == name) return v;
    return std::nullopt;
  }
  /// The value of `name`; throws std::out_of_range if it was not logged.
  [[nodiscard]] double at(const std::string& name) const {
    if (auto v = get(name)) return *v;
    throw std::out_of_range("Logs: no value named '" + name + "'");
  }
  /// Every name and value, in the order first set.
  [[nodiscard]] const std::vector<std::pair<std::string, double>>& entries() const noexcept {
    return entries_;
  }

private:
  std::vector<std::pair<std::string, double>> entries_;
};

/// What `fit` returns: every logged value, epoch by epoch (Keras' `history.history`).
class History {
public:
  /// Adds an epoch's logs.
  void append(const Logs& logs) {
    for (const auto& [name, value] : logs.entries()) values_[name].push_back(value);
    ++epochs_;
  }
  /// The series for `name` ("loss", "val_accuracy", ...); throws std::out_of_range if absent.
  [[nodiscard]] const std::vector<double>& operator[](const std::string& name) const {
    return values_.at(name);
  }
  /// Whether `name` was logged.
  [[nodiscard]] bool contains(const std::string& name) const { return values_.contains(name); }
  /// Epochs recorded.
  [[nodiscard]] std::size_t epochs() const noexcept { return epochs_; }
  /// Replaces the whole record: `values` per name over `epochs` epochs (a resumed fit starts
  /// from its backup's history).
  void assign(std::map<std::string, std::vector<double>> values, std::size_t epochs) {
    values_ = std::move(values);
    epochs_ = epochs;
  }
  /// Every name with its values, epoch by epoch.
  [[nodiscard]] const std::map<std::string, std::vector<double>>& all() const noexcept {
    return values_;
  }

private:
  std::map<std::string, std::vector<double>> values_;
  std::size_t epochs_ = 0;
};

}  // namespace fitcheck
