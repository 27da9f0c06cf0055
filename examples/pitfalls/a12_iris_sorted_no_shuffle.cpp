// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
//
// [A12]: iris.csv as shipped is sorted by label (50 setosa, 50 versicolor, 50 virginica).
// Read with from_csv and batched with no shuffle, every batch holds one class and the model
// chases each class in turn. The pre-flight data scan in fit sees the label runs and warns.
#include <string>

#include "tiny.hpp"

namespace fc = fitcheck;
namespace fd = fitcheck::data;

#ifndef FITCHECK_DATA_DIR
#define FITCHECK_DATA_DIR "data"
#endif

// Iris' four measurements span 0.1 to 7.9 cm: Normalization (adapted below) puts them on one
// scale, so only the order is wrong in the mistake.
using Net = fc::Sequential<fc::Input<4>, fc::Normalization, fc::Dense<16>, fc::ReLU, fc::Dense<3>,
                           fc::Softmax>;
using Model =
    fc::Model<Net, fc::loss::SparseCategoricalCrossentropy, fc::Metrics<fc::metrics::Accuracy>>;

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : FITCHECK_DATA_DIR "/iris.csv";
  auto iris = fd::from_csv<fc::Features<4>, fc::ClassLabel<3>>(path);
  {
    const fc::warning_capture warnings;
    auto sorted = iris | fd::batch<16>();  // no shuffle: the file's order
    Model model(fc::optim::Adam{.learning_rate = 0.01f});
    fc::nn::adapt<0>(model.network_layers(), iris);
    (void)model.fit(sorted, fc::Epochs{1}, fc::Verbose{0});
    for (const auto& w : warnings.warnings()) std::printf("mistake: %s\n", w.message().c_str());
  }

  // The fix: shuffle the whole file (150 rows) before batch, a new order every epoch.
  const fc::warning_capture warnings;
  auto train = iris | fd::shuffle(150, fc::Seed{1}) | fd::batch<16>();
  Model model(fc::optim::Adam{.learning_rate = 0.01f});
  fc::nn::adapt<0>(model.network_layers(), iris);
  const fc::History h = model.fit(train, fc::Epochs{30}, fc::Verbose{0});
  tiny::trained(h);
  std::printf("fix: accuracy %.2f, warnings %zu\n", h["accuracy"].back(),
              warnings.warnings().size());
  return warnings.warnings().empty() ? 0 : 1;
}
