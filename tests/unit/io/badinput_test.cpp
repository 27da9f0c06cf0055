// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// The bad-input corpus (tests/badinput/): every file there and every call below must raise its
// fitcheck error type with the facts cases.tsv lists (file, line, column, sample, values, fix),
// and every file there must be listed. Adding a case: a file (make_corpus.py) or a call (the
// table below), and a line in cases.tsv; PRINT_BADINPUT=1 prints every message.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include <support/files.hpp>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>
#include <fitcheck/io/file.hpp>
#include <fitcheck/io/image.hpp>
#include <fitcheck/io/weights.hpp>
#include <xtensor/xtensor.hpp>

namespace io_badinput_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fio = fitcheck::io;
namespace fs = std::filesystem;
using fitcheck::test::temp_dir;

namespace {

const fs::path corpus = FITCHECK_BADINPUT_DIR;

using Small = fc::Model<fc::nn::Sequential<fc::nn::Input<2>, fc::nn::Dense<1>, fc::nn::Sigmoid>,
                        fc::loss::BinaryCrossentropy>;
using Normalized =
    fc::Model<fc::nn::Sequential<fc::nn::Input<3>, fc::nn::Normalization, fc::nn::Dense<1>,
                                 fc::nn::Sigmoid>,
              fc::loss::BinaryCrossentropy>;

template <class P>
void one_pass(P& p) {
  auto cursor = p.open();
  auto element = p.make_element();
  while (cursor.next(element)) {
  }
}

template <class F, class L>
void read_csv(const std::string& path, const fd::csv_options& options = {}) {
  auto source = fd::from_csv<F, L>(path, options);
  one_pass(source);
}

template <class F, class L>
void read_npy(const std::string& features, const std::string& labels) {
  auto source = fd::from_npy<F, L>(features, labels);
  one_pass(source);
}

// How a file is read: by its reader name in cases.tsv.
const std::map<std::string, std::function<void(const std::string&)>> readers = {
    {"csv", [](const std::string& p) { read_csv<fc::Features<4>, fc::ClassLabel<3>>(p); }},
    {"csv_binary", [](const std::string& p) { read_csv<fc::Features<2>, fc::BinaryLabel>(p); }},
    {"csv_species",
     [](const std::string& p) {
       read_csv<fc::Features<4>, fc::ClassLabel<3>>(p, {.label = "species"});
     }},
    {"npy_features",
     [](const std::string& p) {
       read_npy<fc::Features<3>, fc::ClassLabel<3>>(p, (corpus / "npy/good_labels.npy").string());
     }},
    {"npy_labels",
     [](const std::string& p) {
       read_npy<fc::Features<3>, fc::ClassLabel<3>>((corpus / "npy/good_features.npy").string(), p);
     }},
    {"idx_images",
     [](const std::string& p) {
       auto s = fd::from_idx<fc::Features<2, 2>, fc::ClassLabel<10>>(
           p, (corpus / "idx/good_labels.idx").string());
       one_pass(s);
     }},
    {"idx_labels",
     [](const std::string& p) {
       auto s = fd::from_idx<fc::Features<2, 2>, fc::ClassLabel<10>>(
           (corpus / "idx/good_images.idx").string(), p);
       one_pass(s);
     }},
    {"image_rgb",
     [](const std::string& p) {
       const auto bytes = fio::read_file(p, "an image");
       fio::image out;
       fio::decode_image(bytes, 3, p, out);
     }},
    {"weights_small",
     [](const std::string& p) {
       Small m;
       fio::load_weights(m, p);
     }},
    {"weights_normalized",
     [](const std::string& p) {
       Normalized m;
       fio::load_weights(m, p);
     }},
};

auto small_train() {
  static const std::vector<float> xs = {0, 0, 0, 1, 1, 0, 1, 1};
  static const std::vector<int> ys = {0, 1, 1, 0};
  return fd::from_tensor_slices<fc::Features<2>, fc::BinaryLabel>(std::span<const float>(xs),
                                                                  std::span<const int>(ys));
}

// Calls that are wrong whatever the data: by name in cases.tsv (the path is a scratch file).
const std::map<std::string, std::function<void(const std::string&)>> calls = {
    {"predict_batch_size_zero",
     [](const std::string&) {
       Small m;
       const xt::xtensor<float, 2> x = {{0.0f, 1.0f}};
       (void)m.predict(x, 0);
     }},
    {"shuffle_zero", [](const std::string&) { auto p = small_train() | fd::shuffle(0); one_pass(p); }},
    {"batch_zero", [](const std::string&) { auto p = small_train() | fd::batch(0); one_pass(p); }},
    {"prefetch_zero",
     [](const std::string&) { auto p = small_train() | fd::batch(2) | fd::prefetch(0); one_pass(p); }},
    {"cache_of_infinite",
     [](const std::string&) { auto p = small_train() | fd::repeat() | fd::cache(); one_pass(p); }},
    {"assert_cardinality_wrong",
     [](const std::string&) { auto p = small_train() | fd::assert_cardinality(5); one_pass(p); }},
    {"csv_chunk_size_zero",
     [](const std::string&) {
       read_csv<fc::Features<4>, fc::ClassLabel<3>>((corpus / "csv/header_only.csv").string(),
                                                    {.chunk_size = 0});
     }},
    {"csv_delimiter_digit",
     [](const std::string&) {
       read_csv<fc::Features<4>, fc::ClassLabel<3>>((corpus / "csv/header_only.csv").string(),
                                                    {.delimiter = '1'});
     }},
    {"csv_label_index_out_of_range",
     [](const std::string&) {
       read_csv<fc::Features<4>, fc::ClassLabel<3>>((corpus / "csv/header_only.csv").string(),
                                                    {.label = 9});
     }},
    {"csv_missing_file",
     [](const std::string& p) { read_csv<fc::Features<4>, fc::ClassLabel<3>>(p + ".absent"); }},
    {"csv_directory",
     [](const std::string&) {
       read_csv<fc::Features<4>, fc::ClassLabel<3>>((corpus / "csv").string());
     }},
    {"csv_fifo",
     [](const std::string& p) {
       REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
       read_csv<fc::Features<4>, fc::ClassLabel<3>>(p);
     }},
    {"npy_missing_file",
     [](const std::string& p) {
       read_npy<fc::Features<3>, fc::ClassLabel<3>>(p + ".absent",
                                                    (corpus / "npy/good_labels.npy").string());
     }},
    {"weights_missing_file",
     [](const std::string& p) {
       Small m;
       fio::load_weights(m, p + ".absent");
     }},
    {"save_weights_unwritable",
     [](const std::string&) {
       Small m;
       fio::save_weights(m, "/proc/fitcheck-no-such-dir/w.fcw");
     }},
    {"save_weights_state_mismatch",
     [](const std::string& p) {
       fio::save_weights(p, std::vector<float>(3), fio::Layout{"S", {3}, {2}});
     }},
    {"load_weights_buffer_mismatch",
     [](const std::string& p) {
       std::vector<float> params(4);
       fio::load_weights(p, params, fio::Layout{"S", {3}});
     }},
    {"set_statistics_count",
     [](const std::string&) {
       Normalized m;
       std::get<0>(m.network_layers().layers()).set_statistics(std::vector<double>{0.0, 1.0},
                                                               std::vector<double>{1.0, 1.0});
     }},
    {"set_statistics_negative_variance",
     [](const std::string&) {
       Normalized m;
       std::get<0>(m.network_layers().layers()).set_statistics(0.0, -1.0);
     }},
    {"adapt_on_nothing",
     [](const std::string&) {
       Small m;
       Normalized n;
       static const std::vector<float> xs = {0, 0, 0};
       static const std::vector<int> ys = {0};
       auto none = fd::from_tensor_slices<fc::Features<3>, fc::BinaryLabel>(
                       std::span<const float>(xs), std::span<const int>(ys)) |
                   fd::take(0);
       fc::nn::adapt<0>(n.network_layers(), none);
     }},
    {"checkpoint_without_filepath",
     [](const std::string&) {
       Small m;
       auto train = small_train() | fd::batch(2);
       fc::callbacks::ModelCheckpoint<"loss"> ckpt{};
       m.fit(train, fc::Epochs{1}, fc::Verbose{0}, ckpt);
     }},
    {"checkpoint_bad_pattern",
     [](const std::string& p) {
       Small m;
       auto train = small_train() | fd::batch(2);
       fc::callbacks::ModelCheckpoint<"loss"> ckpt{.filepath = p + "-{epoch:02q}.fcw"};
       m.fit(train, fc::Epochs{1}, fc::Verbose{0}, ckpt);
     }},
    {"checkpoint_layout_of_other_model",
     [](const std::string& p) {
       Small m;
       Normalized other;
       auto train = small_train() | fd::batch(2);
       fc::callbacks::ModelCheckpoint<"loss"> ckpt{.filepath = p,
                                                   .layout = fio::layout_of(other)};
       m.fit(train, fc::Epochs{1}, fc::Verbose{0}, ckpt);
     }},
    {"csv_logger_unwritable",
     [](const std::string&) {
       Small m;
       auto train = small_train() | fd::batch(2);
       fc::callbacks::CSVLogger log{.filename = "/proc/fitcheck-no-such-dir/log.csv"};
       m.fit(train, fc::Epochs{1}, fc::Verbose{0}, log);
     }},
    {"image_folder_without_class_folders",
     [](const std::string&) {
       (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>((corpus / "images").string());
     }},
    {"image_folder_of_a_file",
     [](const std::string&) {
       (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>((corpus / "cases.tsv").string());
     }},
    {"image_folder_class_count",
     [](const std::string&) {
       // tests/badinput has 5 sub-folders (csv, idx, images, npy, weights).
       (void)fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(corpus.string());
     }},
    {"evaluate_infinite",
     [](const std::string&) {
       Small m;
       auto train = small_train() | fd::repeat() | fd::batch(2);
       (void)m.evaluate(train);
     }},
};

struct expected_case {
  std::size_t line = 0;
  std::string file, reader, error;
  std::vector<std::string> facts;
};

std::vector<expected_case> read_cases() {
  std::ifstream in(corpus / "cases.tsv");
  REQUIRE(in);
  std::vector<expected_case> out;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    INFO("cases.tsv:", n, ": ", line);
    REQUIRE(cols.size() >= 4);  // file, reader, error type, at least one fact
    out.push_back({n, cols[0], cols[1], cols[2], {cols.begin() + 3, cols.end()}});
  }
  return out;
}

std::string type_name(const fc::error& e) {
  if (dynamic_cast<const fc::data_error*>(&e)) return "data_error";
  if (dynamic_cast<const fc::shape_error*>(&e)) return "shape_error";
  if (dynamic_cast<const fc::argument_error*>(&e)) return "argument_error";
  if (dynamic_cast<const fc::resource_error*>(&e)) return "resource_error";
  if (dynamic_cast<const fc::numeric_error*>(&e)) return "numeric_error";
  return "error";
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("bad-input corpus: every file and call raises its error type with the facts listed") {
  const auto cases = read_cases();
  const temp_dir scratch("badinput_test");
  std::set<std::string> listed;
  std::size_t files = 0, call_count = 0;
  for (const auto& c : cases) {
    INFO("cases.tsv:", c.line, ": ", c.file, " (", c.reader, ")");
    const bool is_call = c.reader == "call";
    const std::string path =
        is_call ? scratch.file(c.file) : (corpus / c.file).lexically_normal().string();
    std::function<void(const std::string&)> run;
    if (is_call) {
      REQUIRE(calls.count(c.file) == 1);
      run = calls.at(c.file);
      ++call_count;
    } else {
      REQUIRE(readers.count(c.reader) == 1);
      run = readers.at(c.reader);
      ++files;
    }
    listed.insert(c.file);
    std::vector<std::string> facts = c.facts;
#if !defined(FITCHECK_WITH_ZLIB)
    // Without zlib a gzip'd file is refused before it is inflated, with what to install.
    if (c.file.ends_with(".gz")) facts = {"{path}: is gzip-compressed, and this build of fitcheck has no zlib"};
#endif
#if !defined(FITCHECK_WITH_PNG)
    if (c.file.ends_with(".png") && c.file != "images/text_named.png")
      facts = {"{path}: is a PNG file, and this build of fitcheck has no PNG decoder"};
#endif
#if !defined(FITCHECK_WITH_JPEG)
    if (c.file.ends_with(".jpg")) facts = {"{path}: is a JPEG file, and this build of fitcheck has no JPEG decoder"};
#endif
#if !defined(FITCHECK_WITH_GIF)
    if (c.file.ends_with(".gif")) facts = {"{path}: is a GIF file, and this build of fitcheck has no GIF decoder"};
#endif
    std::string message, type = "no error";
    try {
      run(path);
    } catch (const fc::error& e) {
      message = e.what();
      type = type_name(e);
    } catch (const std::exception& e) {
      message = e.what();
      type = std::string("non-fitcheck ") + typeid(e).name();
    }
    INFO("message: ", message);
    if (std::getenv("PRINT_BADINPUT")) std::printf("%s\t%s\t%s\n", c.file.c_str(), type.c_str(), message.c_str());
    CHECK(type == c.error);
    CHECK(message.find(". Fix: ") != std::string::npos);
    for (std::string fact : facts) {
      replace_all(fact, "{path}", path);
      CHECK_MESSAGE(message.find(fact) != std::string::npos, "missing fact: ", fact);
    }
  }
  CHECK(files + call_count >= 60);
  CHECK(call_count == calls.size());
  // Every file in the corpus is a case (the good partners of the .npy cases excepted).
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (!e.is_regular_file()) continue;
    const auto rel = fs::relative(e.path(), corpus).generic_string();
    if (rel.find('/') == std::string::npos || rel.starts_with("npy/good_") ||
        rel.starts_with("idx/good_"))
      continue;
    INFO("corpus file without a case in cases.tsv: ", rel);
    CHECK(listed.count(rel) == 1);
  }
}

}  // namespace io_badinput_test
