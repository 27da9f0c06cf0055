// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// read_text_folder, Keras' text_dataset_from_directory: classes from sub-folders, .txt files in
// sorted order, the seeded split, and the folder's refusals; then TextVectorization, from_texts
// and an Embedding model on the texts read.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/text.hpp>
#include <string>
#include <support/errors.hpp>
#include <support/files.hpp>
#include <vector>

namespace data_text_folder_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;

namespace {
// reviews/neg/{0..n}.txt and reviews/pos/{0..n}.txt.
fs::path reviews(const temp_dir& dir, std::size_t per_class) {
  const fs::path root = dir.path / "reviews";
  fs::create_directories(root / "neg");
  fs::create_directories(root / "pos");
  const std::vector<std::string> filler = {"the", "film", "was", "a", "story", "with", "plot"};
  for (std::size_t i = 0; i < per_class; ++i) {
    std::string neg = "It was dull", pos = "It was great";
    for (std::size_t k = 0; k < 3 + i % 4; ++k) {
      neg += " " + filler[(i + k) % filler.size()];
      pos += " " + filler[(i + 2 * k) % filler.size()];
    }
    dir.write("reviews/neg/" + std::to_string(i) + ".txt", neg + ".\n");
    dir.write("reviews/pos/" + std::to_string(i) + ".txt", pos + "!\n");
  }
  return root;
}
}  // namespace

TEST_CASE("read_text_folder: texts in sorted order with the index of their sub-folder") {
  const temp_dir dir("text_folder_test");
  const fs::path root = reviews(dir, 3);
  const fd::text_folder f = fd::read_text_folder<fc::BinaryLabel>(root.string());
  CHECK(f.class_names == std::vector<std::string>{"neg", "pos"});
  REQUIRE(f.texts.size() == 6);
  CHECK(f.labels == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1});
  CHECK(f.files[0] == (root / "neg" / "0.txt").string());
  CHECK(f.texts[0] == "It was dull the film was.\n");
  CHECK(f.texts[3].starts_with("It was great"));
  // class_names picks and orders the classes.
  const auto swapped =
      fd::read_text_folder<fc::BinaryLabel>(root.string(), {.class_names = {"pos", "neg"}});
  CHECK(swapped.labels == std::vector<std::int32_t>{0, 0, 0, 1, 1, 1});
  CHECK(swapped.texts[0].starts_with("It was great"));
}

TEST_CASE("read_text_folder: one seed splits training and validation apart, as Keras") {
  const temp_dir dir("text_folder_test");
  const fs::path root = reviews(dir, 10);
  const auto train = fd::read_text_folder<fc::BinaryLabel>(
      root.string(),
      {.validation_split = 0.2, .subset = fd::subset::training, .seed = fc::Seed{1337}});
  const auto val = fd::read_text_folder<fc::BinaryLabel>(
      root.string(),
      {.validation_split = 0.2, .subset = fd::subset::validation, .seed = fc::Seed{1337}});
  CHECK(train.files.size() == 16);
  CHECK(val.files.size() == 4);
  std::vector<std::string> all = train.files;
  all.insert(all.end(), val.files.begin(), val.files.end());
  std::sort(all.begin(), all.end());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());  // disjoint
  CHECK(!std::is_sorted(train.files.begin(), train.files.end()));  // shuffled once
  const std::string no_seed = message_of<fc::argument_error>([&] {
    (void)fd::read_text_folder<fc::BinaryLabel>(
        root.string(), {.validation_split = 0.2, .subset = fd::subset::training});
  });
  CHECK(no_seed.find("read_text_folder(" + root.string() + "): validation_split without a seed") ==
        0);
}

TEST_CASE(
    "read_text_folder: a class count other than the label type's [G1], files that are "
    "not .txt [G2], no texts, no folder") {
  const temp_dir dir("text_folder_test");
  const fs::path root = reviews(dir, 2);
  const std::string three = message_of<fc::data_error>(
      [&] { (void)fd::read_text_folder<fc::ClassLabel<3>>(root.string()); });
  CHECK(three.find(root.string() + ": found 2 class folders (neg, pos); the type says "
                                   "ClassLabel<3> [G1]") == 0);
  dir.write("reviews/pos/notes.md", "x");
  fc::warning_capture cap;
  const auto f = fd::read_text_folder<fc::BinaryLabel>(root.string());
  CHECK(f.texts.size() == 4);
  REQUIRE(cap.count("G2") == 1);
  CHECK(cap.warnings().front().message().find("1 file in the class folders is not read: 1 .md") !=
        std::string::npos);
  fs::create_directories(dir.path / "empty" / "a");
  fs::create_directories(dir.path / "empty" / "b");
  CHECK(message_of<fc::data_error>([&] {
          (void)fd::read_text_folder<fc::BinaryLabel>(dir.file("empty"));
        }).find("holds no .txt files in its 2 class folders (a, b)") != std::string::npos);
  CHECK(message_of<fc::data_error>([&] {
          (void)fd::read_text_folder<fc::BinaryLabel>(dir.file("nope"));
        }).find("nope: no such folder") != std::string::npos);
}

TEST_CASE("read_text_folder, TextVectorization, from_texts and Embedding: Keras' text flow") {
  const temp_dir dir("text_folder_test");
  const fs::path root = reviews(dir, 40);
  const auto texts = fd::read_text_folder<fc::BinaryLabel>(root.string());
  fd::TextVectorization vectorize({.max_tokens = 32});
  vectorize.adapt(texts.texts);
  auto train = fd::from_texts<12, fc::BinaryLabel>(vectorize, texts.texts, texts.labels) |
               fd::shuffle(80, fc::Seed{1}) | fd::batch<16>();
  using Net = fc::Sequential<fc::Input<12>, fc::Embedding<32, 8>, fc::GlobalAveragePooling1D,
                             fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.05f});
  const auto h = model.fit(train, 10, fc::Verbose{0});
  CHECK(h["accuracy"].back() == 1.0);
}

}  // namespace data_text_folder_test
