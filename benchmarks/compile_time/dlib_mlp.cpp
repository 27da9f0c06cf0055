// SPDX-License-Identifier: MIT
// The peer of seed.cpp in benchmarks/compile_cost: dlib's minimal trainer for the same MLP
// (10 -> 128 ReLU -> 1, binary log loss, Adam, mini-batches of 32), as dlib's dnn examples
// write it.
#include <dlib/dnn.h>

int main() {
  using namespace dlib;
  using net_type = loss_binary_log<fc<1, relu<fc<128, input<matrix<float, 10, 1>>>>>>;
  std::vector<matrix<float, 10, 1>> x(320);
  std::vector<float> y(320);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (long j = 0; j < 10; ++j) x[i](j) = float((i * 7 + std::size_t(j) * 13) % 17) / 17.0f;
    y[i] = x[i](0) > 0.5f ? 1.0f : -1.0f;
  }
  net_type net;
  dnn_trainer<net_type, adam> trainer(net, adam(0, 0.9, 0.999));
  trainer.set_learning_rate(1e-3);
  trainer.set_mini_batch_size(32);
  trainer.set_max_num_epochs(5);
  trainer.train(x, y);
  return 0;
}
