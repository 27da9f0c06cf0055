# SPDX-License-Identifier: MIT
# Runs the dispatching build at LEVEL and the build compiled for LEVEL on DATA; passes when they
# print the same parameter hashes and loss bits, and the build for LEVEL warned [F4] exactly when
# the machine's best level BEST is higher.
execute_process(COMMAND ${BUILT} ${DATA} RESULT_VARIABLE rc_built OUTPUT_VARIABLE built
                ERROR_VARIABLE built_err)
set(ENV{FITCHECK_CPU} ${LEVEL})
execute_process(COMMAND ${DISPATCHED} ${DATA} RESULT_VARIABLE rc_dispatched
                OUTPUT_VARIABLE dispatched ERROR_VARIABLE dispatched_err)
if(NOT rc_built EQUAL 0 OR NOT rc_dispatched EQUAL 0)
  message(FATAL_ERROR "a run failed:\n${built}${built_err}\n${dispatched}${dispatched_err}")
endif()
if(NOT built MATCHES "^mlp [0-9a-f]+ loss [0-9a-f]+\ncnn [0-9a-f]+ loss [0-9a-f]+\nrnn [0-9a-f]+ loss [0-9a-f]+\n$")
  message(FATAL_ERROR "unexpected output of the ${LEVEL} build:\n${built}")
endif()
if(NOT built STREQUAL dispatched)
  message(FATAL_ERROR "the dispatched ${LEVEL} kernels differ from a build for ${LEVEL}:\n"
                      "built for ${LEVEL}:\n${built}dispatched:\n${dispatched}")
endif()
# A build for less than the CPU has says so once [F4]; the dispatching build never does.
if(NOT LEVEL STREQUAL BEST AND NOT built_err MATCHES "fitcheck warning \\[F4\\]: this build's CPU kernels are compiled for .*, but this CPU has .*link fitcheck::fitcheck in CMake")
  message(FATAL_ERROR "the ${LEVEL} build on a ${BEST} machine did not warn [F4]:\n${built_err}")
endif()
if(LEVEL STREQUAL BEST AND built_err MATCHES "\\[F4\\]")
  message(FATAL_ERROR "the ${LEVEL} build warned [F4] on a ${LEVEL} machine:\n${built_err}")
endif()
if(dispatched_err MATCHES "\\[F4\\]")
  message(FATAL_ERROR "the dispatching build warned [F4]:\n${dispatched_err}")
endif()
message(STATUS "bitwise equal at ${LEVEL}:\n${built}")
