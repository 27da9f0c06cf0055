# SPDX-License-Identifier: MIT
# Configures, builds and runs a project that adds fitcheck with add_subdirectory: the alias
# target works, dispatches the kernels to this machine's best level (BEST), and fitcheck's own
# tests, examples and benchmarks stay off.
set(build ${WORK_DIR}/build)
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/subproject -B ${build}
                        -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DFITCHECK_SOURCE_DIR=${FITCHECK_SOURCE_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${build} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "build failed:\n${out}")
endif()
execute_process(COMMAND ${build}/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "kernels: ${BEST}\nsubproject ok")
  message(FATAL_ERROR "consumer failed (${rc}):\n${out}")
endif()
