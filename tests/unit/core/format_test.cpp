// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#include <doctest/doctest.h>

#include <string>

#include <fitcheck/core/format.hpp>

namespace core_format_test {

namespace fc = fitcheck;

TEST_CASE("quote_text: printable text and valid UTF-8 as they are, every other byte as \\xNN") {
  CHECK(fc::quote_text("species") == "'species'");
  CHECK(fc::quote_text("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8c\xb1") == "'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8c\xb1'");
  CHECK(fc::quote_text("a\tb\x7f") == "'a\\x09b\\x7f'");
  // Latin-1 bytes, a lone continuation byte, a truncated sequence, an overlong form, a surrogate.
  CHECK(fc::quote_text("caf\xe9") == "'caf\\xe9'");
  CHECK(fc::quote_text("\x80x") == "'\\x80x'");
  CHECK(fc::quote_text("\xe2\x82") == "'\\xe2\\x82'");
  CHECK(fc::quote_text("\xc0\xaf") == "'\\xc0\\xaf'");
  CHECK(fc::quote_text("\xed\xa0\x80") == "'\\xed\\xa0\\x80'");
  CHECK(fc::quote_text(std::string("a\0b", 3)) == "'a\\x00b'");
}

TEST_CASE("quote_text: at most max bytes, never half a character, '...' when cut") {
  CHECK(fc::quote_text("abcdef", 3) == "'abc...'");
  CHECK(fc::quote_text("abc", 3) == "'abc'");
  CHECK(fc::quote_text("ab\xc3\xa9", 3) == "'ab\xc3\xa9'");
}

}  // namespace core_format_test
