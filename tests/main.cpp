// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The one doctest main every test binary links. It fails a run whose --test-case filter selects
// no test case: ctest runs each case by name (doctest_discover_tests), and a name CMake cannot
// pass whole (a ';' splits it into two list items) would otherwise "pass" by running nothing.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

namespace {

unsigned selected = 0;

// Records how many test cases the filters let through; reports nothing.
struct selection : doctest::IReporter {
  explicit selection(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& s) override {
    selected = s.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};
DOCTEST_REGISTER_LISTENER("selection", 1, selection);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int rc = context.run();
  if (context.shouldExit() || rc != 0) return rc;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg.starts_with("--test-case=") || arg.starts_with("-tc=")) && selected == 0) {
      std::fprintf(stderr,
                   "no test case matches %s: a test case name must not hold ';', which CMake "
                   "splits into two test names (doctest_discover_tests)\n",
                   argv[i]);
      return 1;
    }
  }
  return rc;
}
