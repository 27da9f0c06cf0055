// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <algorithm>
#include <cstddef>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/shape.hpp>
#include <fitcheck/data/tensor_slices.hpp>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

// Text to token indices, Keras' TextVectorization with output_mode="int": standardise (lower
// case, ASCII punctuation removed), split on whitespace, look each word up in a vocabulary
// adapted to the training texts (index 0 pads, 1 is every word not in it), and pad or cut to a
// fixed length. The indices feed nn::Embedding.

namespace fitcheck::data {

/// How TextVectorization prepares a text before splitting it (Keras' `standardize`).
enum class standardize : unsigned char {
  lower_and_strip_punctuation,  ///< ASCII letters to lower case, ASCII punctuation removed
  lower,                        ///< ASCII letters to lower case
  none,                         ///< as it is
};

/// TextVectorization's settings; every member has a default.
struct text_vectorization_options {
  /// The largest vocabulary, padding and unknown-word entries included (Keras' max_tokens): the
  /// most frequent words are kept. 0: every word of the adapted texts. Make it the Embedding's
  /// Vocabulary.
  std::size_t max_tokens = 0;
  /// Lower case and punctuation (Keras' default).
  standardize mode = standardize::lower_and_strip_punctuation;
};

/// Keras' `TextVectorization(output_mode="int")`: `adapt(texts)` builds the vocabulary from
/// training texts, `encode` turns a text into token indices. Index 0 is padding, 1 any word not
/// in the vocabulary ("[UNK]"), then the words by falling frequency (ties in byte order, so
/// the same texts give the same vocabulary everywhere). Letters are lowered and punctuation
/// stripped in ASCII only; other UTF-8 bytes are kept as they are.
class TextVectorization {
 public:
  /// The padding index.
  static constexpr std::size_t padding = 0;
  /// The index of every word not in the vocabulary.
  static constexpr std::size_t unknown = 1;

  /// An empty vocabulary (every word is unknown until adapt or set_vocabulary).
  explicit TextVectorization(text_vectorization_options o = {}) : options_(o) {
    if (o.max_tokens == 1 || o.max_tokens == 2)
      throw argument_error("TextVectorization: max_tokens " + std::to_string(o.max_tokens) +
                               " leaves no room for a word: 2 entries are padding and [UNK]",
                           "max_tokens of 3 or more (the Embedding's Vocabulary), or 0 for no "
                           "limit");
    set_vocabulary({"", "[UNK]"});
  }

  /// The words of `text` after standardising, in order (what encode looks up).
  [[nodiscard]] std::vector<std::string> tokens(std::string_view text) const {
    std::vector<std::string> out;
    std::string word;
    for (const char raw : text) {
      char c = raw;
      if (options_.mode != standardize::none && c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
      if (options_.mode == standardize::lower_and_strip_punctuation && is_punctuation(c)) continue;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        if (!word.empty()) out.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) out.push_back(std::move(word));
    return out;
  }

  /// Builds the vocabulary from `texts` (any range of strings or string views), replacing the
  /// one before.
  template <class Texts>
  void adapt(const Texts& texts) {
    std::unordered_map<std::string, std::size_t> counts;
    for (const auto& text : texts)
      for (std::string& w : tokens(std::string_view(text))) ++counts[std::move(w)];
    std::vector<std::pair<std::string, std::size_t>> words(counts.begin(), counts.end());
    std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::string> vocabulary{"", "[UNK]"};
    for (auto& [w, n] : words) {
      if (options_.max_tokens != 0 && vocabulary.size() == options_.max_tokens) break;
      if (w != "[UNK]") vocabulary.push_back(std::move(w));
    }
    set_vocabulary(std::move(vocabulary));
  }

  /// Keras' `get_vocabulary()`: "" (padding), "[UNK]", then the words, index by index.
  [[nodiscard]] const std::vector<std::string>& vocabulary() const noexcept { return words_; }
  /// The entries, padding and [UNK] included: the Embedding's Vocabulary must be at least this.
  [[nodiscard]] std::size_t vocabulary_size() const noexcept { return words_.size(); }

  /// Restores a vocabulary that `vocabulary()` returned (Keras' `set_vocabulary`): it must
  /// start with "" and "[UNK]" and hold each word once; argument_error otherwise.
  void set_vocabulary(std::vector<std::string> words) {
    if (words.size() < 2 || !words[0].empty() || words[1] != "[UNK]")
      throw argument_error(
          "TextVectorization: a vocabulary starts with \"\" (padding) and "
          "\"[UNK]\"",
          "pass a list that vocabulary() returned");
    if (options_.max_tokens != 0 && words.size() > options_.max_tokens)
      throw argument_error("TextVectorization: the vocabulary holds " +
                               std::to_string(words.size()) + " entries, more than max_tokens " +
                               std::to_string(options_.max_tokens),
                           "raise max_tokens, or pass the vocabulary this one was adapted to");
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 2; i < words.size(); ++i)
      if (words[i].empty() || !index.emplace(words[i], i).second)
        throw argument_error(
            "TextVectorization: the vocabulary holds " +
                (words[i].empty() ? std::string("an empty word") : "'" + words[i] + "' twice") +
                " (at index " + std::to_string(i) + ")",
            "pass a list that vocabulary() returned");
    words_ = std::move(words);
    index_ = std::move(index);
  }

  /// The index of `word` (as it is, already standardised): 1 when it is not in the vocabulary.
  [[nodiscard]] std::size_t index_of(std::string_view word) const {
    const auto it = index_.find(std::string(word));
    return it == index_.end() ? unknown : it->second;
  }

  /// `text` as `out.size()` token indices: its first words, then 0 (padding) to the end (Keras'
  /// output_sequence_length: cut and padded at the end).
  void encode(std::string_view text, std::span<float> out) const {
    std::size_t at = 0;
    for (const std::string& w : tokens(text)) {
      if (at == out.size()) break;
      out[at++] = static_cast<float>(index_of(w));
    }
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), float(padding));
  }

 private:
  // Keras' default strip set: string.punctuation.
  static bool is_punctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
  }

  text_vectorization_options options_;
  std::vector<std::string> words_;
  std::unordered_map<std::string, std::size_t> index_;
};

/// A source of texts turned into `Length` token indices each (`Features<Length>`), with their
/// labels: the texts are encoded once, here, and the source is a from_tensor_slices of the
/// indices. `texts` is any range of strings, `labels` any sized range of label_width<L> values
/// per text; labels are checked as from_tensor_slices checks them [C4].
template <std::size_t Length, label_kind L, class Texts, class Labels>
auto from_texts(const TextVectorization& vectorize, const Texts& texts, const Labels& labels) {
  static_assert(Length >= 1,
                "from_texts<Length, ...>: a text needs at least one token. Fix: "
                "Length = the tokens kept per text, e.g. 200");
  auto ids = std::make_shared<std::vector<float>>();
  std::size_t n = 0;
  for (const auto& text : texts) {
    ids->resize((n + 1) * Length);
    vectorize.encode(std::string_view(text), std::span<float>(*ids).subspan(n * Length, Length));
    ++n;
  }
  if (std::size(labels) != n * label_width<L>)
    throw shape_error("from_texts: " + std::to_string(n) + " texts but " +
                          std::to_string(std::size(labels)) + " label values (" +
                          std::to_string(label_width<L>) + " per text)",
                      "pass one label per text, in the texts' order");
  const float* data = ids->data();
  return TensorSlices<Features<Length>, L>(std::move(ids), data,
                                           detail::checked_labels<L>(labels, n), n);
}

}  // namespace fitcheck::data
