// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// image_folder: classes from sub-folders, decoding and resizing, label kinds, class_names,
// validation_split, skipped and corrupt files, shuffling by index, and a model trained on it.
// The image trees are written by the test (PNG and JPEG encoders in support/images.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ratio>
#include <set>
#include <string>
#include <vector>

#include <support/errors.hpp>
#include <support/files.hpp>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>

#if defined(FITCHECK_WITH_JPEG) && defined(FITCHECK_WITH_PNG)
#include <support/images.hpp>

namespace data_image_folder_test {

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;
using fitcheck::test::message_of;
using fitcheck::test::temp_dir;

namespace {

void write(const fs::path& path, const std::vector<std::byte>& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A flat RGB image of value v (each channel v, v + 1, v + 2).
std::vector<std::byte> flat_png(std::uint8_t v, std::size_t h = 2, std::size_t w = 2) {
  std::vector<std::uint8_t> px(h * w * 3);
  for (std::size_t i = 0; i < px.size(); ++i) px[i] = static_cast<std::uint8_t>(v + i % 3);
  return fitcheck::test::encode_png(px, h, w, 3);
}

// root/cat: 2 images of 10; root/dog: 2 images of 20 (one JPEG); root/fox: 2 images of 30.
fs::path three_classes(const temp_dir& dir) {
  const fs::path root = fs::path(dir.path) / "train";
  write(root / "cat" / "a.png", flat_png(10));
  write(root / "cat" / "b.PNG", flat_png(10));
  write(root / "dog" / "a.png", flat_png(20));
  std::vector<std::uint8_t> dog(4 * 4 * 3, 20);
  write(root / "dog" / "b.jpg", fitcheck::test::encode_jpeg(dog, 4, 4, 3, 100));
  write(root / "fox" / "a.png", flat_png(30));
  write(root / "fox" / "deeper" / "c.png", flat_png(30));
  return root;
}

template <class P>
std::vector<std::pair<float, int>> firsts(P& p) {
  std::vector<std::pair<float, int>> out;
  for (const auto& e : p) out.emplace_back(e.x[0], static_cast<int>(e.y[0]));
  return out;
}

}  // namespace

static_assert(fd::dataset<fd::ImageFolder<2, 2, 3, fc::ClassLabel<3>>>);
static_assert(fd::detail::random_access_source<fd::ImageFolder<2, 2, 3, fc::ClassLabel<3>>>);

TEST_CASE("image_folder: classes are the sorted sub-folders, images decoded in file order") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string());
  CHECK(src.class_names() == std::vector<std::string>{"cat", "dog", "fox"});
  REQUIRE(src.size() == 6);
  CHECK(src.cardinality() == fc::Cardinality::finite(6));
  const auto seen = firsts(src);
  CHECK(seen[0] == std::pair<float, int>{10.0f, 0});
  CHECK(seen[1] == std::pair<float, int>{10.0f, 0});  // b.PNG: extensions in any case
  CHECK(seen[2] == std::pair<float, int>{20.0f, 1});
  CHECK(seen[3].second == 1);  // the JPEG, 4x4 resized to 2x2
  CHECK(std::abs(seen[3].first - 20.0f) <= 2.0f);
  CHECK(seen[4] == std::pair<float, int>{30.0f, 2});
  CHECK(seen[5] == std::pair<float, int>{30.0f, 2});  // fox/deeper/c.png: sub-folders count
  CHECK(src.file(5).ends_with("fox/deeper/c.png"));
  CHECK(src.longest_label_run() == 2);
  // All three channels, and every pixel.
  for (const auto& e : src)
    if (e.y[0] == 0) {
      CHECK(e.x[1] == 11.0f);
      CHECK(e.x[2] == 12.0f);
      CHECK(e.x[9] == 10.0f);
    }
}

TEST_CASE("image_folder: the label kinds Keras offers: int, categorical, binary") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  auto onehot = fd::image_folder<2, 2, 3, fc::OneHotLabel<3>>(root.string());
  std::vector<std::array<float, 3>> ys;
  for (const auto& e : onehot) ys.push_back(e.y);
  CHECK(ys[0] == std::array<float, 3>{1, 0, 0});
  CHECK(ys[4] == std::array<float, 3>{0, 0, 1});
  auto binary = fd::image_folder<2, 2, 3, fc::BinaryLabel>(
      root.string(), {.class_names = {"fox", "cat"}});
  CHECK(binary.class_names() == std::vector<std::string>{"fox", "cat"});
  const auto seen = firsts(binary);
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] == std::pair<float, int>{30.0f, 0});  // the order of class_names, not sorted
  CHECK(seen[3] == std::pair<float, int>{10.0f, 1});
}

TEST_CASE("image_folder: class folders that differ from the label type are a data_error [G1]") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  const auto msg = message_of<fc::data_error>(
      [&] { (void)fd::image_folder<2, 2, 3, fc::ClassLabel<10>>(root.string()); });
  CHECK(msg.find(root.string() + ": found 3 class folders (cat, dog, fox); the type says "
                                 "ClassLabel<10> [G1]. Fix: declare ClassLabel<3> (or "
                                 "OneHotLabel<3>), or choose the folders with .class_names") == 0);
  const auto bin = message_of<fc::data_error>(
      [&] { (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string()); });
  CHECK(bin.find("the type says BinaryLabel (two classes) [G1]") != std::string::npos);
  const auto unknown = message_of<fc::data_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), {.class_names = {"cat", "cow"}});
  });
  CHECK(unknown.find("class_names names 'cow', which is not a sub-folder (the sub-folders: cat, "
                     "dog, fox)") != std::string::npos);
}

TEST_CASE("image_folder: a folder without class folders or images, or no folder, is a data_error") {
  const temp_dir dir("image_folder_test");
  const fs::path root = fs::path(dir.path) / "flat";
  write(root / "a.png", flat_png(1));
  const auto flat = message_of<fc::data_error>(
      [&] { (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string()); });
  CHECK(flat.find(root.string() + ": has no sub-folders: the classes are inferred from sub-folder "
                                  "names") == 0);
  fs::create_directories(root / "x");
  fs::create_directories(root / "y");
  fs::create_directories(root / ".hidden");  // ignored, as Keras ignores it
  const auto empty = message_of<fc::data_error>(
      [&] { (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string()); });
  CHECK(empty.find(root.string() + ": holds no image files (.jpg, .jpeg, .png, .bmp, .gif) in its 2 class "
                                   "folders (x, y)") == 0);
  const auto none = message_of<fc::data_error>(
      [&] { (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>((root / "nope").string()); });
  CHECK(none.find("nope: no such folder") != std::string::npos);
}

TEST_CASE("image_folder: other files are left out with one warning counting them [G2]") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  write(root / "cat" / "notes.txt", {std::byte{'x'}});
  write(root / "dog" / "readme.txt", {std::byte{'x'}});
  write(root / "dog" / "photo.webp", {std::byte{'R'}});
  fc::warning_capture cap;
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string());
  CHECK(src.size() == 6);
  REQUIRE(cap.count("G2") == 1);
  const auto& w = cap.warnings().front();
  CHECK(w.message().find(root.string() + ": 3 files in the class folders are not read: 2 .txt, "
                                         "1 .webp") != std::string::npos);
  CHECK(w.message().find(".jpg, .jpeg, .png, .bmp and .gif") != std::string::npos);
}

TEST_CASE("image_folder: .bmp files are images, as in Keras' allowed formats") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  // A 2 x 2 24-bit BMP of value 50 (rows of 6 bytes padded to 8).
  std::vector<std::byte> bmp = {std::byte{'B'}, std::byte{'M'}};
  auto put = [&](std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) bmp.push_back(std::byte(v >> (8 * i) & 0xFF));
  };
  put(54 + 16, 4); put(0, 4); put(54, 4);
  put(40, 4); put(2, 4); put(2, 4); put(1, 2); put(24, 2); put(0, 4); put(16, 4);
  put(0, 4); put(0, 4); put(0, 4); put(0, 4);
  for (int row = 0; row < 2; ++row) {
    for (int i = 0; i < 6; ++i) bmp.push_back(std::byte{50});
    put(0, 2);
  }
  write(root / "cat" / "c.bmp", bmp);
  fc::warning_capture cap;
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string());
  CHECK(src.size() == 7);
  CHECK(cap.count("G2") == 0);
  const auto got = firsts(src);
  CHECK(std::count(got.begin(), got.end(), std::pair<float, int>{50.0f, 0}) == 1);
}

#if defined(FITCHECK_WITH_GIF)
TEST_CASE("image_folder: .gif files are images (their first frame), as in Keras' allowed formats") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  // A 2 x 2 GIF of colour 1 = (60, 60, 60): screen, 4-colour table, frame, LZW codes, trailer.
  const std::vector<unsigned> bytes = {
      0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x02, 0x00, 0x02, 0x00, 0xF1, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x3C, 0x3C, 0x3C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
      0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x02, 0x03, 0x4C, 0x98, 0x14, 0x00, 0x3B};
  std::vector<std::byte> gif;
  for (unsigned b : bytes) gif.push_back(static_cast<std::byte>(b));
  write(root / "dog" / "d.GIF", gif);
  fc::warning_capture cap;
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string());
  CHECK(src.size() == 7);
  CHECK(cap.count("G2") == 0);
  const auto got = firsts(src);
  CHECK(std::count(got.begin(), got.end(), std::pair<float, int>{60.0f, 1}) == 1);
}
#endif

TEST_CASE("image_folder: validation_split with one seed splits disjointly, as Keras") {
  const temp_dir dir("image_folder_test");
  const fs::path root = fs::path(dir.path) / "many";
  for (int i = 0; i < 20; ++i) {
    write(root / "a" / ("a" + std::to_string(i) + ".png"), flat_png(std::uint8_t(i)));
    write(root / "b" / ("b" + std::to_string(i) + ".png"), flat_png(std::uint8_t(100 + i)));
  }
  const fd::image_folder_options train_opts{
      .validation_split = 0.25, .subset = fd::subset::training, .seed = fc::Seed{1337}};
  fd::image_folder_options val_opts = train_opts;
  val_opts.subset = fd::subset::validation;
  auto train = fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), train_opts);
  auto val = fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), val_opts);
  CHECK(train.size() == 30);
  CHECK(val.size() == 10);
  std::set<std::string> files;
  for (std::size_t i = 0; i < train.size(); ++i) files.insert(train.file(i));
  for (std::size_t i = 0; i < val.size(); ++i) files.insert(val.file(i));
  CHECK(files.size() == 40);  // disjoint, and together every file
  // The same seed gives the same split; the files are shuffled (classes mixed).
  auto again = fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), val_opts);
  for (std::size_t i = 0; i < val.size(); ++i) CHECK(again.file(i) == val.file(i));
  CHECK(train.longest_label_run() < 20);
  // Labels follow their files through the shuffle.
  for (std::size_t i = 0; i < val.size(); ++i)
    CHECK(val.label(i) == (fs::path(val.file(i)).parent_path().filename() == "a" ? 0u : 1u));

  const auto no_seed = message_of<fc::argument_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(
        root.string(), {.validation_split = 0.2, .subset = fd::subset::training});
  });
  CHECK(no_seed.find("validation_split without a seed") != std::string::npos);
  const auto no_subset = message_of<fc::argument_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(
        root.string(), {.validation_split = 0.2, .seed = fc::Seed{1}});
  });
  CHECK(no_subset.find("Keras' subset='both'") != std::string::npos);
  const auto no_split = message_of<fc::argument_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(),
                                                      {.subset = fd::subset::validation});
  });
  CHECK(no_split.find("a subset without validation_split") != std::string::npos);
  const auto bad = message_of<fc::argument_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(
        root.string(), {.validation_split = 1.5, .subset = fd::subset::training, .seed = fc::Seed{1}});
  });
  CHECK(bad.find("validation_split 1.5 is not in [0, 1)") != std::string::npos);
}

TEST_CASE("image_folder: a corrupt image is a data_error when read, or left out with skip_bad_files [G3]") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  auto png = flat_png(40, 8, 8);
  png.resize(png.size() / 2);
  write(root / "dog" / "cut.png", png);
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string());
  CHECK(src.size() == 7);
  const auto msg = message_of<fc::data_error>([&] { (void)firsts(src); });
  CHECK(msg.find((root / "dog" / "cut.png").string() + ": is a corrupt PNG file (libpng: ") == 0);
  fc::warning_capture cap;
  auto skipping = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string(), {.skip_bad_files = true});
  CHECK(skipping.size() == 6);
  CHECK(firsts(skipping).size() == 6);
  REQUIRE(cap.count("G3") == 1);
  CHECK(cap.warnings().front().message().find(
            ": 1 of 7 images cannot be decoded and are left out (skip_bad_files): " +
            (root / "dog" / "cut.png").string() + ": is a corrupt PNG file") != std::string::npos);
}

TEST_CASE("image_folder: an empty split part, no readable image left, a file cut after the scan") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);  // 6 images
  // 10 % of 6 files is 0 files: the validation part would be empty.
  const auto empty = message_of<fc::data_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(
        root.string(),
        {.validation_split = 0.1, .subset = fd::subset::validation, .seed = fc::Seed{1}});
  });
  CHECK(empty.find(root.string() + ": validation_split 0.1 of 6 files leaves the validation part "
                   "empty") == 0);
  CHECK(empty.find("Fix: use more images or another validation_split") != std::string::npos);
  // Every image corrupt and skipped: nothing left to read.
  const fs::path bad = fs::path(dir.path) / "bad";
  auto cut = flat_png(40, 8, 8);
  cut.resize(cut.size() / 2);
  write(bad / "a" / "x.png", cut);
  write(bad / "b" / "y.png", cut);
  fc::warning_capture cap;
  const auto none = message_of<fc::data_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(bad.string(), {.skip_bad_files = true});
  });
  CHECK(none.find(bad.string() + ": has no readable image left") == 0);
  // A file cut short between the scan and the read: the error names it, nothing crashes.
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string());
  const fs::path victim = root / "cat" / "a.png";
  std::vector<std::byte> bytes(fs::file_size(victim));
  {
    std::ifstream in(victim, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  fs::resize_file(victim, bytes.size() / 2);
  // (Cut before it is opened, it reads whole and decodes as a truncated PNG; a cut during the
  // read itself is the "shrank while it was read" error, a race no test can time.)
  const auto shrank = message_of<fc::data_error>([&] { (void)firsts(src); });
  CHECK(shrank.find(victim.string() + ": is a corrupt PNG file") == 0);
}

TEST_CASE("image_folder: resizing, cropping to the aspect ratio, and channel conversion") {
  const temp_dir dir("image_folder_test");
  const fs::path root = fs::path(dir.path) / "sizes";
  // A 2x4 gray image whose centre 2x2 is 10, 20 / 30, 40 (edges 0).
  write(root / "a" / "wide.png", fitcheck::test::encode_png({0, 10, 20, 0, 0, 30, 40, 0}, 2, 4, 1));
  write(root / "b" / "wide.png", fitcheck::test::encode_png({0, 10, 20, 0, 0, 30, 40, 0}, 2, 4, 1));
  auto squeezed = fd::image_folder<2, 2, 1, fc::BinaryLabel>(root.string());
  auto cropped = fd::image_folder<2, 2, 1, fc::BinaryLabel>(root.string(), {.crop_to_aspect_ratio = true});
  const auto s = *squeezed.begin();
  const auto c = *cropped.begin();
  CHECK(std::vector<float>(s.x.begin(), s.x.end()) == std::vector<float>{5, 10, 15, 20});
  CHECK(std::vector<float>(c.x.begin(), c.x.end()) == std::vector<float>{10, 20, 30, 40});
  // Gray files into an RGB model: the value repeated in each channel.
  auto rgb = fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), {.crop_to_aspect_ratio = true});
  const auto r = *rgb.begin();
  CHECK(r.x[0] == 10.0f);
  CHECK(r.x[1] == 10.0f);
  CHECK(r.x[2] == 10.0f);
  CHECK(r.x[3] == 20.0f);
}

TEST_CASE("image_folder: shuffle keeps file indices, and a model trains on the pipeline") {
  const temp_dir dir("image_folder_test");
  const fs::path root = fs::path(dir.path) / "bright_dark";
  for (int i = 0; i < 16; ++i) {
    write(root / "dark" / (std::to_string(i) + ".png"), flat_png(std::uint8_t(10 + i), 6, 6));
    write(root / "light" / (std::to_string(i) + ".png"), flat_png(std::uint8_t(200 + i), 6, 6));
  }
  auto images = fd::image_folder<4, 4, 3, fc::BinaryLabel>(root.string());
  {
    // Sorted by class: a buffer shorter than a class cannot mix them [A11].
    fc::warning_capture cap;
    (void)(fd::image_folder<4, 4, 3, fc::BinaryLabel>(root.string()) | fd::shuffle(8, fc::Seed{1}));
    CHECK(cap.count("A11") == 1);
  }
  auto train = std::move(images) | fd::shuffle(32, fc::Seed{3}) | fd::batch<8>();
  std::size_t n = 0;
  for (const auto& b : train)
    for (std::size_t i = 0; i < b.size(); ++i, ++n)
      CHECK((b.x_data()[i * 48] < 100.0f) == (b.y_data()[i] == 0));
  CHECK(n == 32);
  using Net = fc::Sequential<fc::Input<4, 4, 3>, fc::Rescaling<std::ratio<1, 255>>, fc::Flatten,
                             fc::Dense<1>, fc::Sigmoid>;
  fc::Model<Net, fc::loss::BinaryCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 0.05f}, fc::Seed{1});
  const auto history = model.fit(train, fc::Epochs{10}, fc::Verbose{0});
  CHECK(history["accuracy"].back() == 1.0);
}

TEST_CASE("image_folder: labels given per file, in the sorted order of the paths (Keras' labels=[...])") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  // cat/a.png cat/b.PNG dog/a.png dog/b.jpg fox/a.png fox/deeper/c.png
  auto given = fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), {.labels = {1, 1, 0, 0, 1, 0}});
  CHECK(given.class_names().empty());
  REQUIRE(given.size() == 6);
  CHECK(given.label(0) == 1);
  CHECK(given.label(5) == 0);
  CHECK(given.file(5).ends_with("fox/deeper/c.png"));
  CHECK(firsts(given)[4] == std::pair<float, int>{30.0f, 1});
  const auto count = message_of<fc::data_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), {.labels = {1, 0}});
  });
  CHECK(count.find(root.string() + ": holds 6 image files, but labels has 2 values") == 0);
  const auto range = message_of<fc::data_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(root.string(), {.labels = {1, 1, 2, 0, 1, 0}});
  });
  CHECK(range.find("dog/a.png: has the label 2 (labels[2]), but the type has 2 classes") !=
        std::string::npos);
  const auto both = message_of<fc::argument_error>([&] {
    (void)fd::image_folder<2, 2, 3, fc::BinaryLabel>(
        root.string(), {.class_names = {"cat", "dog"}, .labels = {1, 1, 0, 0, 1, 0}});
  });
  CHECK(both.find("both labels and class_names") != std::string::npos);
}

TEST_CASE("image_folder: a file that reads shorter than its size is a data_error, not a half image") {
  // A sysfs file states 4096 bytes and holds a few: what a file truncated between the size
  // check and the read looks like to the reader.
  const std::string path = "/sys/devices/system/cpu/online";
  REQUIRE(fs::exists(path));
  std::vector<std::byte> bytes;
  const auto what = message_of<fc::data_error>([&] { fd::detail::read_whole(path, bytes); });
  CHECK(what.find(path + ": the file shrank from 4096 to ") == 0);
  CHECK(what.find(" bytes while it was read. Fix: do not rewrite images while a pipeline reads "
                  "them") != std::string::npos);
}

TEST_CASE("image_folder: follow_links descends into linked folders, as Keras' follow_links") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  const fs::path elsewhere = fs::path(dir.path) / "elsewhere";
  write(elsewhere / "x.png", flat_png(50));
  write(elsewhere / "y.png", flat_png(50));
  fs::create_directory_symlink(elsewhere, root / "cat" / "linked");
  CHECK(fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string()).size() == 6);
  auto followed = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string(), {.follow_links = true});
  CHECK(followed.size() == 8);
  CHECK(followed.label(2) == 0);  // cat/linked/x.png sorts before dog/
  CHECK(followed.file(2).ends_with("cat/linked/x.png"));
}

TEST_CASE("image_folder: workers decode ahead, with the same images in the same order") {
  const temp_dir dir("image_folder_test");
  const fs::path root = fs::path(dir.path) / "workers";
  for (int i = 0; i < 40; ++i) {
    write(root / "a" / (std::to_string(i) + ".png"), flat_png(std::uint8_t(i), 5, 7));
    write(root / "b" / (std::to_string(i) + ".png"), flat_png(std::uint8_t(100 + i), 5, 7));
  }
  auto plain = fd::image_folder<4, 4, 3, fc::BinaryLabel>(root.string());
  auto threaded = fd::image_folder<4, 4, 3, fc::BinaryLabel>(root.string(), {.workers = 2});
  const auto expected = firsts(plain);
  CHECK(firsts(threaded) == expected);  // a sequential pass
  CHECK(firsts(threaded) == expected);  // and again
  // Shuffled: the draws of the same seed, whether decoded ahead or not.
  auto s1 = std::move(plain) | fd::shuffle(80, fc::Seed{5}) | fd::batch<8>();
  auto s2 = std::move(threaded) | fd::shuffle(80, fc::Seed{5}) | fd::batch<8>();
  for (int epoch = 0; epoch < 2; ++epoch) {
    std::vector<float> a, b;
    for (const auto& x : s1) a.insert(a.end(), x.x_data(), x.x_data() + x.size() * 48);
    for (const auto& x : s2) b.insert(b.end(), x.x_data(), x.x_data() + x.size() * 48);
    CHECK(a.size() == 80 * 48);
    CHECK(a == b);
  }
  // A pass cut short leaves decoded images behind; the next passes still read right.
  auto cut = fd::image_folder<4, 4, 3, fc::BinaryLabel>(root.string(), {.workers = 2});
  {
    auto cursor = cut.open();
    auto e = cut.make_element();
    for (int k = 0; k < 3; ++k) REQUIRE(cursor.next(e));
  }
  CHECK(firsts(cut) == expected);
}

TEST_CASE("image_folder: a corrupt image decoded by a worker is the same data_error, in its place") {
  const temp_dir dir("image_folder_test");
  const auto root = three_classes(dir);
  auto png = flat_png(40, 8, 8);
  png.resize(png.size() / 2);
  write(root / "dog" / "cut.png", png);
  auto src = fd::image_folder<2, 2, 3, fc::ClassLabel<3>>(root.string(), {.workers = 2});
  std::size_t before = 0;
  const auto msg = message_of<fc::data_error>([&] {
    for (const auto& e : src) {
      (void)e;
      ++before;
    }
  });
  CHECK(msg.find((root / "dog" / "cut.png").string() + ": is a corrupt PNG file (libpng: ") == 0);
  CHECK(before == 4);  // cat a, cat b, dog a, dog b.jpg, then dog/cut.png
}

}  // namespace data_image_folder_test
#endif
