// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

#include <cstddef>
#include <cstdint>
#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/warnings.hpp>
#include <fitcheck/data/class_folder.hpp>
#include <fitcheck/io/file.hpp>
#include <optional>
#include <string>
#include <vector>

// Keras' text_dataset_from_directory: a folder with one sub-folder of .txt files per class
// (train/pos/*.txt, train/neg/*.txt, as the IMDB reviews ship), read into memory with the class
// of each text; TextVectorization adapts to the texts and from_texts makes the source.

namespace fitcheck::data {

/// How `read_text_folder` reads a folder; every member has a default: write only what differs,
/// `{.validation_split = 0.2, .subset = fd::subset::training, .seed = fc::Seed{1337}}`.
struct text_folder_options {
  /// The classes in label order: names of sub-folders (all of them, or some). Default: every
  /// sub-folder not starting with '.', sorted, as Keras infers them.
  std::vector<std::string> class_names{};
  /// The fraction of the files held out for validation (0: none); needs `subset` and `seed`.
  double validation_split = 0.0;
  /// With validation_split: the training part or the validation part.
  data::subset subset = data::subset::all;
  /// Shuffles the file list once, before any split (the same seed splits the same way in the
  /// training and the validation part, disjointly). Without it the texts keep their sorted
  /// order, class after class: shuffle the source made from them.
  std::optional<Seed> seed{};
  /// Descend into symbolic links to folders.
  bool follow_links = false;
};

/// The texts of a folder, each with its class.
struct text_folder {
  /// The text of each file, as its bytes (UTF-8, as Keras reads them).
  std::vector<std::string> texts;
  /// The class index of each text, for from_texts.
  std::vector<std::int32_t> labels;
  /// The class names, in label order (label i is class_names[i]).
  std::vector<std::string> class_names;
  /// The path of each text.
  std::vector<std::string> files;
};

namespace detail {
inline bool text_extension(const std::string& ext) { return ext == ".txt"; }
inline constexpr folder_kind text_kind{"read_text_folder", "text file", "texts",
                                       "train/pos/*.txt, train/neg/*.txt", text_extension};
}  // namespace detail

/// Reads every .txt file in the class sub-folders of `dir` (Keras'
/// `text_dataset_from_directory`), for labels of kind L (`BinaryLabel` for two folders,
/// `ClassLabel<K>` for K). A class count other than L's is a data_error [G1]; other files in the
/// class folders are left out with one warning counting them [G2]. The texts are held in
/// memory.
template <label_kind L>
[[nodiscard]] text_folder read_text_folder(const std::string& dir,
                                           const text_folder_options& o = {}) {
  static_assert(L::category == label_category::binary || L::category == label_category::class_index,
                "read_text_folder: a text's label is the index of its sub-folder. Fix: declare "
                "BinaryLabel (two folders) or ClassLabel<K> (Keras' label_mode 'binary' or "
                "'int'), with SparseCategoricalCrossentropy for K classes");
  detail::check_split_options(detail::text_kind, dir, o.validation_split, o.subset, o.seed);
  detail::folder_listing listing =
      detail::list_class_folder(dir, o.class_names, {}, o.follow_links, detail::text_kind);
  detail::check_class_count<L>(dir, listing.classes);
  detail::warn_other_files(dir, listing,
                           "move them out of the class folders, or name texts *.txt (fitcheck "
                           "reads .txt files, as Keras)");
  if (listing.files.empty())
    detail::folder_fail(dir,
                        "holds no .txt files in its " + std::to_string(listing.classes.size()) +
                            " class folders (" + detail::name_list(listing.classes) + ")",
                        "put the texts in the class folders, one .txt file each");
  if (o.seed) detail::shuffle_listing(listing.files, listing.labels, o.seed->value);
  if (o.validation_split > 0)
    detail::split_listing(detail::text_kind, dir, listing.files, listing.labels, o.validation_split,
                          o.subset);
  text_folder out;
  out.class_names = std::move(listing.classes);
  out.texts.reserve(listing.files.size());
  for (const std::string& f : listing.files) {
    const std::vector<std::byte> bytes = io::read_file(f, "a text file");
    out.texts.emplace_back(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  out.labels.assign(listing.labels.begin(), listing.labels.end());
  out.files = std::move(listing.files);
  return out;
}

}  // namespace fitcheck::data
