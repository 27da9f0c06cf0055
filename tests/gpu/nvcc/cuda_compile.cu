// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The fitcheck authors
// Compiled by nvcc so the CUDA-only code of the cuda backend, the tiled GEMM kernel, pinned
// transfers both ways, CUB's reductions into device memory and cudaMemGetInfo, cannot rot: every
// kernel is instantiated for float (the cuBLAS path too, which the package turns on by linking
// cuBLAS; the own tiled kernel stays instantiated for the small products), and the fused step of
// the small model below. Then run: on a machine without a usable GPU (CI) the model must refuse
// to start with a resource_error that says why; on one with a GPU it trains.
#include <fitcheck/kernels/kernels.hpp>

static_assert(FITCHECK_USE_CUBLAS == 1,
              "fitcheck::fitcheck built with FITCHECK_ENABLE_CUDA links cuBLAS by default "
              "(FITCHECK_WITH_CUBLAS), and its products larger than own_gemm_max_macs use it");

namespace fc = fitcheck;
namespace fk = fitcheck::kernels;

void instantiate_kernels(float* a, float* b, float* c, int* labels, std::size_t n) {
  const fk::gemm_args g{fk::trans::no, fk::trans::yes, n, n, n};
  fk::gemm(fc::cuda, g, 1.0f, a, n, b, n, 0.0f, c, n);
  fk::gemm(fc::cuda_t{.math = fc::precision::bf16}, g, 1.0f, a, n, b, n, 0.0f, c, n);
  fk::gemm_bias_act(fc::cuda, g, a, n, b, n, b, fk::activation::relu, c, c, n);
  fk::activation_forward(fc::cuda, fk::activation::tanh, a, c, n);
  fk::activation_backward(fc::cuda, fk::activation::sigmoid, a, b, a, c, n);
  fk::bias_add(fc::cuda, c, a, n, n);
  fk::column_sums(fc::cuda, a, c, n, n);
  fk::softmax_rows(fc::cuda, a, c, n, n);
  fk::softmax_backward_rows(fc::cuda, a, b, c, n, n);
  (void)fk::sum(fc::cuda, std::span<const float>(a, n));
  (void)fk::dot(fc::cuda, std::span<const float>(a, n), std::span<const float>(b, n));
  (void)fk::loss(fc::cuda, fk::loss_kind::sparse_categorical_crossentropy, true, a, labels, c, n, n);
  (void)fk::loss(fc::cuda, fk::loss_kind::binary_crossentropy, false, a, b, c, n, n);
  double* scalars = reinterpret_cast<double*>(c);
  fk::loss_total(fc::cuda, fk::loss_kind::sparse_categorical_crossentropy, true, a, labels, c, n,
                 n, scalars);
  fk::sum_of_squares_into(fc::cuda, std::span<const float>(a, n), scalars + 1);
  fk::clip_by_global_norm(fc::cuda, a, n, 1.0f, scalars + 1);
  fk::adam_update(fc::cuda, a, b, c, c, n,
                  fk::adam_coefficients::at(1e-3f, 0.9f, 0.999f, 1e-8f, 1.0f, 1), scalars + 1);
  fk::sgd_update(fc::cuda, a, b, c, n, {0.1f, 0.9f, 0.0f, true, false}, scalars + 1);
  fk::rmsprop_update(fc::cuda, a, b, c, c, c, n, {1e-3f, 0.9f, 0.0f, 1e-8f, 0.0f, true});
  fk::clamp(fc::cuda, a, n, 1.0f);
  const fk::conv_geometry cg{
      .batch = 2, .h = 5, .w = 5, .c = 2, .kh = 3, .kw = 3, .f = 4, .oh = 3, .ow = 3};
  fk::conv2d_forward(fc::cuda, cg, a, b, b, c, fk::activation::relu);
  fk::conv2d_backward_filter(fc::cuda, cg, a, b, c, c);
  fk::conv2d_backward_data(fc::cuda, cg, a, b, c, fk::activation::relu, a);
  fk::pool2d_forward(fc::cuda, fk::pool::max, cg, a, c);
  fk::pool2d_backward(fc::cuda, fk::pool::average, cg, a, b, b, c);
  // The CPU's depthwise kernels in a file nvcc compiles (a CPU model beside a GPU one, as the
  // GPU suite's comparisons have): their host lambdas pass through host-and-device helpers.
  fk::depthwise_forward(fc::cpu, cg, a, b, b, c);
  fk::depthwise_backward_data(fc::cpu, cg, a, b, c);
  fk::depthwise_backward_filter(fc::cpu, cg, a, b, c);
  fk::dropout_forward(fc::cuda, 1, 1, 2, a, c, n);
  fk::dropout_backward(fc::cuda, 1, 1, 2, a, c, n);
  fk::copy_values(fc::cuda, a, c, n);
  const fk::batch_norm_args bn{.rows = n, .channels = 2};
  fk::state_buffer state = fk::allocate_state(fc::cuda, fk::bn_slices * 2);
  fk::batch_norm_forward(fc::cuda, bn, a, b, c, state.data());
  fk::batch_norm_backward(fc::cuda, bn, a, b, b, c, c, state.data());
  fk::scale(fc::cuda, a, n, 0.5);
  (void)fk::gpu::device_free_memory(fc::cuda);
  fk::gpu::upload_ring<float> batches;
  batches.reserve(n);
  (void)batches.upload(a, n);
  (void)batches.upload(a, n / 2, b, n / 2, n / 2);
  batches.release();
  fk::gpu::readback_buffer<double> results;
  results.reserve(2);
  results.fetch(scalars, 2);
  (void)results.wait();
}

// A user's model on the GPU: the one-argument change from the CPU model.
#include <cstdio>
#include <ratio>
#include <vector>

#include <fitcheck/fitcheck.hpp>

using Net = fc::Sequential<fc::Input<10>, fc::Dense<32>, fc::ReLU, fc::Dense<3>, fc::Softmax>;
using GpuModel = fc::Model<Net, fc::loss::SparseCategoricalCrossentropy,
                           fc::Metrics<fc::metrics::Accuracy>, fc::cuda_t>;

// Every layer with GPU kernels (Conv2D and Conv1D, pooling, BatchNormalization, Normalization,
// ZeroPadding2D, UpSampling2D, Conv2DTranspose, Flatten, Reshape, Dropout, Rescaling, the
// operation-type activations, the merge blocks, weight penalties, the noise layers,
// TimeDistributed and RepeatVector) in one convolutional model.
using Cnn = fc::Sequential<fc::Input<10>, fc::Normalization, fc::Rescaling<std::ratio<1, 2>>,
                           fc::GaussianNoise<std::ratio<1, 10>>,
                           fc::Reshape<5, 2>, fc::Conv1D<3, 2>,
                           fc::SpatialDropout1D<std::ratio<1, 4>>,
                           fc::TimeDistributed<fc::Dense<3>>, fc::GELU, fc::SiLU, fc::Mish, fc::Softplus,
                           fc::Softsign, fc::SELU, fc::AlphaDropout<std::ratio<1, 10>>,
                           fc::ReLU6, fc::HardSigmoid, fc::HardSiLU,
                           fc::CELU<>, fc::HardTanh, fc::LogSigmoid, fc::TanhShrink,
                           fc::SoftShrink<>, fc::HardShrink<>, fc::SparsePlus, fc::SquarePlus<>,
                           fc::MaxPooling1D<2>,
                           fc::ZeroPadding1D<1>, fc::Cropping1D<1>,
                           fc::Reshape<2, 1, 3>, fc::ZeroPadding2D<1>, fc::Cropping2D<0, 1>,
                           fc::ZeroPadding2D<0, 1>,
                           fc::DepthwiseConv2D<fc::Window{1, 2}, 1, fc::padding::same, 2>,
                           fc::SeparableConv2D<4, fc::Window{1, 2}, 1, fc::padding::same>,
                           fc::Conv2D<4, 1>, fc::SpatialDropout2D<std::ratio<1, 4>>,
                           fc::BatchNormalization<>, fc::LeakyReLU<>,
                           fc::Residual<fc::Regularized<fc::Conv2D<4, 1>, fc::L2<>>, fc::Tanh>,
                           fc::Concatenate<fc::Identity, fc::Conv2D<2, 1>>,
                           fc::UpSampling2D<fc::Window{2, 1}>,
                           fc::UpSampling2D<2, fc::interpolation::bilinear>,
                           fc::Conv2DTranspose<3, 2, 2, fc::padding::same>, fc::AveragePooling2D<1>,
                           fc::GlobalMaxPooling2D, fc::Dropout<std::ratio<1, 4>>,
                           fc::GaussianDropout<std::ratio<1, 4>>, fc::RepeatVector<2>,
                           fc::Flatten,
                           fc::Regularized<fc::Dense<6>, fc::L1<>, fc::bias_regularizer<fc::L2<>>>,
                           fc::ELU<>, fc::Flatten, fc::Dense<3>, fc::Softmax>;

double train_on_gpu(std::span<const float> x, std::span<const int> y) {
  auto data = fc::data::from_tensor_slices<fc::Features<10>, fc::ClassLabel<3>>(x, y) |
              fc::data::batch<32>();
  GpuModel model(fc::optim::Adam{.learning_rate = 1e-3f});
  // Up to four steps queued before fit reads the first one's loss (docs/gpu.md).
  const auto history = model.fit(data, fc::Epochs{1}, fc::StepsPerExecution{4});
  (void)model.predict(data);
  fc::Model<Cnn, fc::loss::SparseCategoricalCrossentropy, fc::cuda_t> cnn(fc::optim::SGD{});
  (void)cnn.fit(data, fc::Epochs{1}, fc::Verbose{0});
  return model.evaluate(data).at("loss") + history["loss"].back();
}

int main() {
  std::vector<float> x(96 * 10);
  std::vector<int> y(96);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) / 7.0f;
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<int>(i % 3);
  try {
    const double loss = train_on_gpu(x, y);
    std::printf("trained on the GPU: loss %.4f\n", loss);
  } catch (const fc::resource_error& e) {
    std::printf("fitcheck::resource_error: %s\n", e.what());
  }
  return 0;
}
