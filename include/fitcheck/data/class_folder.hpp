// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
#pragma once

// What the folder sources share (image_folder, read_text_folder; Keras'
// image_dataset_from_directory and text_dataset_from_directory): a folder of one sub-folder per
// class, its files listed in sorted order with the class of their sub-folder, optionally
// shuffled once with a seed and split into a training and a validation part.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fitcheck/core/arguments.hpp>
#include <fitcheck/core/error.hpp>
#include <fitcheck/core/format.hpp>
#include <fitcheck/core/labels.hpp>
#include <fitcheck/core/random.hpp>
#include <fitcheck/core/warnings.hpp>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace fitcheck::data {

/// Which part of a folder that `validation_split` divides a source reads (Keras' `subset`).
enum class subset : std::uint8_t {
  all,         ///< every file (no validation_split)
  training,    ///< the first 1 - validation_split of the shuffled files
  validation,  ///< the last validation_split of them
};

namespace detail {

[[noreturn]] inline void folder_fail(const std::string& dir, const std::string& problem,
                                     std::string fix) {
  throw data_error(dir + ": " + problem, std::move(fix));
}

inline std::string lowercase(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// "a, b, c" with at most `most` names, then "...".
inline std::string name_list(const std::vector<std::string>& names, std::size_t most = 10) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > most) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

/// What a folder source reads, for its listing and its messages.
struct folder_kind {
  const char* source;   ///< "image_folder"
  const char* file;     ///< "image file"
  const char* things;   ///< "images"
  const char* example;  ///< "train/cat/*.jpg, train/dog/*.jpg"
  bool (*accepts)(const std::string& lowercase_extension);
};

/// The file list of a folder: its classes, and each file with its class, sorted.
struct folder_listing {
  std::vector<std::string> classes;
  std::vector<std::string> files;
  std::vector<std::uint32_t> labels;
  std::map<std::string, std::size_t> other;  // other files, by extension
};

/// The files of `kind` below `dir` (at any depth), sorted; other files counted in `out`.
inline std::vector<std::string> listed_files(const std::filesystem::path& dir, bool follow_links,
                                             const folder_kind& kind, folder_listing& out) {
  namespace fs = std::filesystem;
  const auto options =
      follow_links ? fs::directory_options::follow_directory_symlink : fs::directory_options::none;
  std::vector<std::string> files;
  try {
    for (const auto& e : fs::recursive_directory_iterator(dir, options)) {
      if (!e.is_regular_file()) continue;
      const std::string ext = lowercase(e.path().extension().string());
      if (kind.accepts(ext)) {
        files.push_back(e.path().string());
      } else {
        ++out.other[ext.empty() ? "(no extension)" : ext];
      }
    }
  } catch (const fs::filesystem_error& e) {
    folder_fail(dir.string(), std::string("cannot be listed: ") + e.code().message(),
                "make the folder and its sub-folders readable");
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Lists `dir`: the classes (`class_names`, else every sub-folder not starting with '.', sorted,
/// as Keras infers them) and their files; or, with `labels` given, every file below `dir` with
/// its given label.
inline folder_listing list_class_folder(const std::string& dir,
                                        const std::vector<std::string>& class_names,
                                        const std::vector<std::uint32_t>& labels, bool follow_links,
                                        const folder_kind& kind) {
  namespace fs = std::filesystem;
  folder_listing out;
  std::error_code ec;
  const fs::file_status st = fs::status(dir, ec);
  if (!fs::exists(st))
    folder_fail(dir, "no such folder",
                "check the path (a relative path is relative to the working directory)");
  if (!fs::is_directory(st))
    folder_fail(
        dir, "is not a folder",
        std::string("pass the folder that holds one sub-folder of ") + kind.things + " per class");
  if (!labels.empty()) {
    if (!class_names.empty())
      throw argument_error(std::string(kind.source) + "(" + dir + "): both labels and class_names",
                           "give labels (one per file) or class_names (one per sub-folder), "
                           "not both");
    out.files = listed_files(dir, follow_links, kind, out);
    if (out.files.size() != labels.size())
      folder_fail(
          dir,
          "holds " + std::to_string(out.files.size()) + " " + kind.file + "s, but labels has " +
              std::to_string(labels.size()) + " values",
          std::string("give one label per ") + kind.file + ", in the sorted order of their paths");
    out.labels = labels;
    return out;
  }
  std::vector<std::string> found;
  try {
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (!name.starts_with('.') && e.is_directory()) found.push_back(name);
    }
  } catch (const fs::filesystem_error& e) {
    folder_fail(dir, std::string("cannot be listed: ") + e.code().message(),
                "make the folder readable");
  }
  std::sort(found.begin(), found.end());
  if (found.empty())
    folder_fail(dir, "has no sub-folders: the classes are inferred from sub-folder names",
                std::string("put each class's ") + kind.things +
                    " in a sub-folder named after it (" + kind.example + ")");
  if (class_names.empty()) {
    out.classes = found;
  } else {
    for (const auto& c : class_names)
      if (!std::binary_search(found.begin(), found.end(), c))
        folder_fail(dir,
                    "class_names names '" + c +
                        "', which is not a sub-folder (the sub-folders: " + name_list(found) + ")",
                    "pass names of sub-folders, in the label order you want");
    out.classes = class_names;
  }
  for (std::uint32_t label = 0; label < out.classes.size(); ++label) {
    std::vector<std::string> files =
        listed_files(fs::path(dir) / out.classes[label], follow_links, kind, out);
    for (auto& f : files) {
      out.files.push_back(std::move(f));
      out.labels.push_back(label);
    }
  }
  return out;
}

/// Keras' rules for validation_split, subset and seed.
inline void check_split_options(const folder_kind& kind, const std::string& dir,
                                double validation_split, subset part,
                                const std::optional<Seed>& seed) {
  const double v = validation_split;
  const std::string who = std::string(kind.source) + "(" + dir + "): ";
  if (!(v >= 0.0 && v < 1.0))
    throw argument_error(who + "validation_split " + format_number(v) + " is not in [0, 1)",
                         "pass the fraction to hold out, e.g. 0.2");
  if (v > 0 && part == subset::all)
    throw argument_error(who + "validation_split " + format_number(v) + " without a subset",
                         "make two sources with the same seed: .subset = subset::training "
                         "and .subset = subset::validation (Keras' subset='both')");
  if (v == 0 && part != subset::all)
    throw argument_error(who + "a subset without validation_split",
                         "pass .validation_split = 0.2 (the fraction held out) with the subset");
  if (v > 0 && !seed)
    throw argument_error(who +
                             "validation_split without a seed, so the "
                             "training and validation sources could split differently and "
                             "share files",
                         "pass the same .seed = fc::Seed{1337} to both sources");
}

/// Shuffles the files (with their labels) once, as the seed says.
inline void shuffle_listing(std::vector<std::string>& files, std::vector<std::uint32_t>& labels,
                            std::uint64_t seed) {
  Rng rng(seed);
  for (std::size_t i = files.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng.below(i));
    std::swap(files[i - 1], files[j]);
    std::swap(labels[i - 1], labels[j]);
  }
}

/// Keras: the validation part is the last floor(split x N) files, the training part the rest.
inline void split_listing(const folder_kind& kind, const std::string& dir,
                          std::vector<std::string>& files, std::vector<std::uint32_t>& labels,
                          double validation_split, subset part) {
  const auto n = files.size();
  const auto held = static_cast<std::size_t>(validation_split * static_cast<double>(n));
  const std::size_t first = part == subset::training ? 0 : n - held;
  const std::size_t count = part == subset::training ? n - held : held;
  if (count == 0)
    folder_fail(dir,
                "validation_split " + format_number(validation_split) + " of " + std::to_string(n) +
                    " files leaves the " + (part == subset::training ? "training" : "validation") +
                    " part empty",
                std::string("use more ") + kind.things + " or another validation_split");
  files.assign(files.begin() + static_cast<std::ptrdiff_t>(first),
               files.begin() + static_cast<std::ptrdiff_t>(first + count));
  labels.assign(labels.begin() + static_cast<std::ptrdiff_t>(first),
                labels.begin() + static_cast<std::ptrdiff_t>(first + count));
}

/// [G2]: one warning counting the files in the class folders that are not read, by extension.
inline void warn_other_files(const std::string& dir, const folder_listing& l,
                             const std::string& fix) {
  if (l.other.empty()) return;
  std::string what;
  std::size_t others = 0;
  for (const auto& [ext, n] : l.other) {
    what += (what.empty() ? "" : ", ") + std::to_string(n) + " " + ext;
    others += n;
  }
  warn("G2",
       dir + ": " + std::to_string(others) + " file" + (others == 1 ? "" : "s") +
           " in the class folders " + (others == 1 ? "is" : "are") + " not read: " + what,
       fix);
}

/// [G1]: the class folders found against the label type's class count.
template <label_kind L>
void check_class_count(const std::string& dir, const std::vector<std::string>& classes) {
  if (classes.size() == L::classes) return;
  std::string kind;
  if constexpr (L::category == label_category::binary)
    kind = "BinaryLabel (two classes)";
  else if constexpr (L::category == label_category::one_hot)
    kind = "OneHotLabel<" + std::to_string(L::classes) + ">";
  else
    kind = "ClassLabel<" + std::to_string(L::classes) + ">";
  const std::string k = std::to_string(classes.size());
  folder_fail(dir,
              "found " + k + " class folder" + (classes.size() == 1 ? "" : "s") + " (" +
                  name_list(classes) + "); the type says " + kind + " [G1]",
              "declare ClassLabel<" + k + "> (or OneHotLabel<" + k +
                  ">), or choose the folders with .class_names");
}

}  // namespace detail
}  // namespace fitcheck::data
