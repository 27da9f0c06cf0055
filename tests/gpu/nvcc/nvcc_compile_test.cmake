# SPDX-License-Identifier: MIT
# Configures and builds tests/gpu/nvcc: fitcheck added with FITCHECK_ENABLE_CUDA=ON, one .cu file
# compiled by nvcc into an object library (no link, no run: no GPU needed).
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
message(STATUS "nvcc compiled the cuda backend")
