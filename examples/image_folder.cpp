// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// The image-folder program of Keras' tutorials, in fitcheck:
//
//   train = image_dataset_from_directory("train", label_mode="categorical", image_size=(28, 28),
//                                        color_mode="grayscale", validation_split=0.2,
//                                        subset="training", seed=1337, batch_size=32)
//   datagen = ImageDataGenerator(rotation_range=10, width_shift_range=0.1,
//                                height_shift_range=0.1, zoom_range=0.1, horizontal_flip=True)
//   model.fit(train.map(augment).prefetch(2), validation_data=val, epochs=10)
//
// First it writes a folder of PNG files, one sub-folder per class, from Fashion-MNIST's IDX files
// (Debian's dataset-fashion-mnist), `per_class` images of each class at `size` x `size`; then it
// trains a small CNN on that folder, the training images augmented, and prints the validation
// accuracy and the samples per second of training, decoding and augmentation included.
//
//   image_folder [folder=/tmp/fitcheck_fashion_folder] [per_class=500] [epochs=10] [size=28]
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ratio>
#include <string>
#include <vector>

#include <png.h>

#include <fitcheck/fitcheck.hpp>
#include <fitcheck/images.hpp>

namespace fc = fitcheck;
namespace fd = fitcheck::data;
namespace fs = std::filesystem;

namespace {

const std::array<const char*, 10> class_names = {"t-shirt", "trouser", "pullover", "dress",
                                                 "coat",    "sandal",  "shirt",    "sneaker",
                                                 "bag",     "ankle-boot"};

// Writes `per_class` images of each class from the Fashion-MNIST training set into `folder`,
// resized to size x size, as 8-bit grayscale PNG files.
void write_folder(const std::string& idx_dir, const std::string& folder, std::size_t per_class,
                  std::size_t size) {
  auto images = fd::from_idx<fc::Features<28, 28>, fc::ClassLabel<10>>(
      idx_dir + "/train-images-idx3-ubyte.gz", idx_dir + "/train-labels-idx1-ubyte.gz");
  std::array<std::size_t, 10> written{};
  fc::io::image src{28, 28, 1, std::vector<std::uint8_t>(28 * 28)};
  std::vector<float> resized(size * size);
  std::vector<std::uint8_t> pixels(size * size);
  for (const auto& e : images) {
    const auto c = static_cast<std::size_t>(e.y[0]);
    if (written[c] == per_class) continue;
    for (std::size_t k = 0; k < 784; ++k) src.pixels[k] = static_cast<std::uint8_t>(e.x[k]);
    fc::io::resize_bilinear(src, {0, 0, 28, 28}, size, size, resized.data());
    for (std::size_t k = 0; k < pixels.size(); ++k)
      pixels[k] = static_cast<std::uint8_t>(resized[k] + 0.5f);
    const fs::path dir = fs::path(folder) / class_names[c];
    fs::create_directories(dir);
    const std::string path = (dir / (std::to_string(written[c]++) + ".png")).string();
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(size);
    png.height = static_cast<png_uint_32>(size);
    png.format = PNG_FORMAT_GRAY;
    if (!png_image_write_to_file(&png, path.c_str(), 0, pixels.data(), 0, nullptr))
      throw fc::resource_error(path + ": " + png.message, "choose a writable folder");
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string folder = argc > 1 ? argv[1] : "/tmp/fitcheck_fashion_folder";
  const std::size_t per_class = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 500;
  const int epochs = argc > 3 ? std::atoi(argv[3]) : 10;
  const std::size_t size = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 28;
  if (size != 28) {
    std::fprintf(stderr, "this example's model is built for 28 x 28 images\n");
    return 2;
  }
  fs::remove_all(folder);
  write_folder("/usr/share/datasets/fashion-mnist", folder, per_class, size);

  using Class = fc::OneHotLabel<10>;
  const fd::image_folder_options train_options{
      .validation_split = 0.2, .subset = fd::subset::training, .seed = fc::Seed{1337}};
  fd::image_folder_options val_options = train_options;
  val_options.subset = fd::subset::validation;
  auto train_images = fd::image_folder<28, 28, 1, Class>(folder, train_options);
  auto val_images = fd::image_folder<28, 28, 1, Class>(folder, val_options);
  const std::size_t n_train = train_images.size();
  std::printf("image_folder: %zu files belonging to %zu classes: %zu for training, %zu for "
              "validation\n",
              n_train + val_images.size(), train_images.class_names().size(), n_train,
              val_images.size());
  // The post's ImageDataGenerator, milder: Fashion-MNIST items are centred and upright.
  const fd::Augmentation augmentation{.rotation_range = 10, .width_shift_range = 0.1,
                                      .height_shift_range = 0.1, .zoom_range = 0.1,
                                      .horizontal_flip = true};
  auto train = std::move(train_images) | fd::shuffle(n_train, fc::Seed{1}) |
               fd::augment(augmentation, fc::Seed{2}) | fd::batch<32>() | fd::prefetch(2);
  auto val = std::move(val_images) | fd::batch<64>();

  using Net = fc::Sequential<fc::Input<28, 28, 1>, fc::Rescaling<std::ratio<1, 255>>,
                             fc::Conv2D<16, 3>, fc::ReLU, fc::MaxPooling2D<2>, fc::Conv2D<32, 3>,
                             fc::ReLU, fc::MaxPooling2D<2>, fc::Flatten, fc::Dense<64>, fc::ReLU,
                             fc::Dense<10>, fc::Softmax>;
  fc::Model<Net, fc::loss::CategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>> model(
      fc::optim::Adam{.learning_rate = 1e-3f}, fc::Seed{7});
  const auto start = std::chrono::steady_clock::now();
  const auto history = model.fit(train, fc::Epochs{epochs}, fc::Validation{val});
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("training: %d epochs in %.2f s, %.0f images/s (reading, decoding, augmentation and "
              "validation included)\n",
              epochs, took.count(), double(n_train) * epochs / took.count());
  std::printf("validation: accuracy %.2f %%\n", 100.0 * history["val_accuracy"].back());
  return 0;
} catch (const fc::error& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
