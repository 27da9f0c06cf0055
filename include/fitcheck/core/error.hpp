// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <fitcheck/config.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace fitcheck {

/// Base of every exception fitcheck throws. The message always reads "<problem>. Fix: <fix>",
/// and both halves stay available so tools and tests need not parse the text.
class error : public std::runtime_error {
public:
  /// What is wrong (with the facts: file, line, sample, layer) and what to do; what() reads
  /// "<problem>. Fix: <fix>".
  error(std::string problem, std::string fix);
  /// Out of line (error_impl.hpp): the key function, so that a program has one copy of the
  /// vtable, in the kernels library where it links one (config.hpp).
  ~error() override;

  /// What went wrong, with the facts (file, line, sample, shape, value).
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }
  /// What to write or do instead.
  [[nodiscard]] const std::string& fix() const noexcept { return fix_; }

private:
  std::string problem_;
  std::string fix_;
};

/// The data itself is wrong: a malformed file, a NaN, a label out of range, a source that
/// ran out early.
class data_error : public error {
public:
  /// A message "<problem>. Fix: <fix>".
  using error::error;
  /// Out of line, with the vtable (error_impl.hpp).
  ~data_error() override;
};

/// Shapes do not fit together: data width against the model input, a tensor against a
/// declared static shape.
class shape_error : public error {
public:
  /// A message "<problem>. Fix: <fix>".
  using error::error;
  /// Out of line, with the vtable (error_impl.hpp).
  ~shape_error() override;
};

/// Training went numerically wrong: a non-finite loss or gradient.
class numeric_error : public error {
public:
  /// A message "<problem>. Fix: <fix>".
  using error::error;
  /// Out of line, with the vtable (error_impl.hpp).
  ~numeric_error() override;
};

/// Not enough memory (host or device) for what was asked.
class resource_error : public error {
public:
  /// A message "<problem>. Fix: <fix>".
  using error::error;
  /// Out of line, with the vtable (error_impl.hpp).
  ~resource_error() override;
};

/// An argument value no call could honour: a batch size of zero, a shard index past the
/// shard count, a negative epoch count. Raised where the value enters, so a constant
/// expression holding such a value does not compile.
class argument_error : public error {
public:
  /// A message "<problem>. Fix: <fix>".
  using error::error;
  /// Out of line, with the vtable (error_impl.hpp).
  ~argument_error() override;
};

}  // namespace fitcheck

#if !FITCHECK_SEPARATE
#include <fitcheck/core/error_impl.hpp>
#endif
