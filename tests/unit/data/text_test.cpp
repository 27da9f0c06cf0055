// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// TextVectorization and from_texts: Keras' standardisation and vocabulary order, encoding with
// padding and cutting, vocabularies restored and refused, and texts classified end to end
// through an Embedding.
#include <doctest/doctest.h>

#include <cstddef>
#include <fitcheck/fitcheck.hpp>
#include <fitcheck/text.hpp>
#include <span>
#include <string>
#include <support/errors.hpp>
#include <vector>

namespace data_text_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
using fitcheck::test::message_of;
using words = std::vector<std::string>;

TEST_CASE("TextVectorization: lower case, ASCII punctuation stripped, split on whitespace") {
  const fd::TextVectorization v;
  CHECK(v.tokens("Hello, World!  It's\tfitcheck's 2026 (C++20)...") ==
        words{"hello", "world", "its", "fitchecks", "2026", "c20"});
  const fd::TextVectorization lower({.mode = fd::standardize::lower});
  CHECK(lower.tokens("Hello, World!") == words{"hello,", "world!"});
  const fd::TextVectorization none({.mode = fd::standardize::none});
  CHECK(none.tokens(" Hello,\nWorld! ") == words{"Hello,", "World!"});
  CHECK(v.tokens(" \t\n").empty());
}

TEST_CASE(
    "TextVectorization: the vocabulary is padding, [UNK], then words by falling frequency, "
    "ties in byte order, at most max_tokens entries") {
  const std::vector<std::string> texts = {"the cat sat", "The dog sat.", "the cat ran", "a dog"};
  fd::TextVectorization v;
  v.adapt(texts);
  // the 3, cat 2, dog 2, sat 2, a 1, ran 1
  CHECK(v.vocabulary() == words{"", "[UNK]", "the", "cat", "dog", "sat", "a", "ran"});
  CHECK(v.vocabulary_size() == 8);
  CHECK(v.index_of("dog") == 4);
  CHECK(v.index_of("zebra") == fd::TextVectorization::unknown);
  fd::TextVectorization small({.max_tokens = 5});
  small.adapt(texts);
  CHECK(small.vocabulary() == words{"", "[UNK]", "the", "cat", "dog"});
  CHECK(message_of<fc::argument_error>([] {
          (void)fd::TextVectorization({.max_tokens = 2});
        }).find("max_tokens 2 leaves no room for a word") != std::string::npos);
}

TEST_CASE("TextVectorization: encode looks words up, pads with 0 and cuts at the end") {
  fd::TextVectorization v;
  v.adapt(std::vector<std::string>{"the cat sat", "the dog sat", "the cat"});
  // the 2, cat 3, sat 4, dog 5
  std::vector<float> out(5, -1.0f);
  v.encode("The cat SAT on the mat!", out);
  CHECK(out == std::vector<float>{2, 3, 4, 1, 2});  // "on" is unknown; "mat" is cut
  v.encode("dog", out);
  CHECK(out == std::vector<float>{5, 0, 0, 0, 0});
  v.encode("", out);
  CHECK(out == std::vector<float>(5, 0.0f));
}

TEST_CASE("TextVectorization: a vocabulary round-trips, a malformed one is an argument_error") {
  fd::TextVectorization v;
  v.adapt(std::vector<std::string>{"b a b c"});
  fd::TextVectorization restored;
  restored.set_vocabulary(v.vocabulary());
  std::vector<float> a(4), b(4);
  v.encode("c b a x", a);
  restored.encode("c b a x", b);
  CHECK(a == b);
  CHECK(message_of<fc::argument_error>([&] {
          restored.set_vocabulary({"a", "b"});
        }).find("a vocabulary starts with \"\" (padding) and \"[UNK]\"") != std::string::npos);
  CHECK(message_of<fc::argument_error>([&] {
          restored.set_vocabulary({"", "[UNK]", "a", "b", "a"});
        }).find("holds 'a' twice (at index 4)") != std::string::npos);
  CHECK(message_of<fc::argument_error>([&] {
          restored.set_vocabulary({"", "[UNK]", "a", "", "b"});
        }).find("holds an empty word (at index 3)") != std::string::npos);
  fd::TextVectorization four({.max_tokens = 4});
  CHECK(message_of<fc::argument_error>([&] {
          four.set_vocabulary({"", "[UNK]", "a", "b", "c"});
        }).find("holds 5 entries, more than max_tokens 4") != std::string::npos);
  CHECK(restored.vocabulary() == v.vocabulary());  // a refused vocabulary changed nothing
}

TEST_CASE("from_texts: one row of indices per text, labels checked where they enter") {
  fd::TextVectorization v;
  const std::vector<std::string> texts = {"good film", "bad film", "good good"};
  v.adapt(texts);
  const std::vector<int> labels = {1, 0, 1};
  auto source = fd::from_texts<4, fc::BinaryLabel>(v, texts, labels);
  CHECK(source.cardinality() == fc::Cardinality::finite(3));
  std::vector<float> rows;
  for (const auto& b : source | fd::batch<3>())
    rows.insert(rows.end(), b.x_data(), b.x_data() + b.size() * 4);
  // good 3, film 2, bad 1: good = 2, film = 3, bad = 4
  CHECK(rows == std::vector<float>{2, 3, 0, 0, 4, 3, 0, 0, 2, 2, 0, 0});
  CHECK(message_of<fc::shape_error>([&] {
          (void)fd::from_texts<4, fc::BinaryLabel>(v, texts, std::vector<int>{1, 0});
        }).find("from_texts: 3 texts but 2 label values (1 per text)") == 0);
  CHECK(message_of<fc::data_error>([&] {
          (void)fd::from_texts<4, fc::BinaryLabel>(v, texts, std::vector<int>{1, 0, 2});
        }).find("sample 2: label 2 is not 0 or 1") != std::string::npos);
}

TEST_CASE("texts classified end to end: TextVectorization, Embedding, GlobalAveragePooling1D") {
  // Reviews of 6 to 12 words from a shared pool, with one or two words that carry the opinion.
  const std::vector<std::string> filler = {"the", "film", "was", "a",  "story", "with",   "actors",
                                           "and", "plot", "it",  "of", "music", "scenes", "end"};
  const std::vector<std::string> good = {"great", "wonderful", "loved", "superb", "moving"};
  const std::vector<std::string> bad = {"boring", "awful", "hated", "dull", "weak"};
  fc::Rng rng(5);
  const auto review = [&](bool positive) {
    const std::size_t n = 6 + rng() % 7;
    std::vector<std::string> w;
    for (std::size_t i = 0; i < n; ++i) w.push_back(filler[rng() % filler.size()]);
    const auto& opinion = positive ? good : bad;
    w[rng() % n] = opinion[rng() % opinion.size()];
    if (rng() % 2) w[rng() % n] = opinion[rng() % opinion.size()];
    std::string text;
    for (const auto& s : w) text += (text.empty() ? "" : " ") + s;
    return (rng() % 3 == 0 ? "Honestly, " : "") + text + (positive ? "!" : ".");
  };
  std::vector<std::string> train_texts, test_texts;
  std::vector<int> train_labels, test_labels;
  for (std::size_t i = 0; i < 600; ++i) {
    const bool positive = rng() % 2 == 0;
    (i < 480 ? train_texts : test_texts).push_back(review(positive));
    (i < 480 ? train_labels : test_labels).push_back(positive);
  }
  constexpr std::size_t vocabulary = 64, length = 16;
  fd::TextVectorization vectorize({.max_tokens = vocabulary});
  vectorize.adapt(train_texts);
  REQUIRE(vectorize.vocabulary_size() <= vocabulary);
  auto train = fd::from_texts<length, fc::BinaryLabel>(vectorize, train_texts, train_labels) |
               fd::shuffle(480, fc::Seed{1}) | fd::batch<32>();
  auto test =
      fd::from_texts<length, fc::BinaryLabel>(vectorize, test_texts, test_labels) | fd::batch<64>();
  using Net =
      fc::Sequential<fc::Input<length>, fc::Embedding<vocabulary, 16>, fc::GlobalAveragePooling1D,
                     fc::Dense<16>, fc::ReLU, fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.01f}, fc::Seed{3});
  (void)model.fit(train, 20, fc::Preflight{.level = fc::check::error}, fc::Verbose{0});
  const double accuracy = model.evaluate(test).at("accuracy");
  MESSAGE("held-out accuracy " << accuracy);
  CHECK(accuracy > 0.95);
}

}  // namespace data_text_test
