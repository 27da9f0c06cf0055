// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// Checking what a failure says: the exception's exact type and the facts in its message.

#include <exception>
#include <string>
#include <typeinfo>

#include <doctest/doctest.h>

namespace fitcheck::test {

/// The message of the exception `fn` throws, which must be exactly an `E` (a failed check names
/// the type thrown otherwise; a failed test when nothing is thrown).
template <class E, class Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    CHECK_MESSAGE(typeid(e) == typeid(E), "threw " << typeid(e).name() << ": " << e.what());
    return e.what();
  }
  FAIL("nothing was thrown");
  return {};
}

/// Whether `text` contains `part`.
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace fitcheck::test
