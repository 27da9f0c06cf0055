# SPDX-License-Identifier: MIT
# Configures, builds and runs tests/gpu/nvcc: fitcheck added with FITCHECK_ENABLE_CUDA=ON, one .cu
# file compiled by nvcc. Run where no GPU is usable (CI), the model must refuse to train with a
# resource_error naming what is missing; where one is, it trains.
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${build} -G ${GENERATOR}
                        -DCMAKE_CUDA_COMPILER=${NVCC} -DCMAKE_CUDA_HOST_COMPILER=${CXX}
                        -DCMAKE_CXX_COMPILER=${CXX} -DFITCHECK_SOURCE_DIR=${FITCHECK_SOURCE_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nvcc build failed:\n${out}")
endif()
execute_process(COMMAND ${build}/cuda_backend_compiles RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES
   "^(trained on the GPU: loss [0-9.]+|fitcheck::resource_error: cuda backend: (this machine has no NVIDIA driver|the NVIDIA driver supports CUDA [0-9.]+, older than|no usable CUDA device|the GPU could not be initialised)[^\n]*\\. Fix: [^\n]*fc::cuda_t out of the Model)")
  message(FATAL_ERROR "the nvcc-built program (exit ${rc}) neither trained nor said why it could not:\n${out}")
endif()
message(STATUS "nvcc compiled the cuda backend; its run said: ${out}")
