# SPDX-License-Identifier: MIT
# A file compiled the way fitcheck::fitcheck compiles it (FITCHECK_DISPATCH) runs its float
# kernels through the dispatch table, so it must not parse xsimd or the CPU GEMM; the same file
# without FITCHECK_DISPATCH must (which also shows that this check sees the headers).
# COMMAND: the compiler and the target's flags, '|'-separated; SOURCE: the file.
string(REPLACE "|" ";" command "${COMMAND}")
foreach(mode dispatching headers)
  set(extra -fsyntax-only -H)
  if(mode STREQUAL "headers")
    list(APPEND extra -UFITCHECK_DISPATCH)
  endif()
  execute_process(COMMAND ${command} ${extra} ${SOURCE} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE} does not compile (${mode}):\n${out}")
  endif()
  if(NOT out MATCHES "fitcheck/fitcheck\\.hpp")
    message(FATAL_ERROR "no include list (-H) in the compiler's output:\n${out}")
  endif()
  string(REGEX MATCHALL "[^\n]*(xsimd/xsimd\\.hpp|kernels/cpu/gemm\\.hpp)" found "${out}")
  if(mode STREQUAL "dispatching" AND found)
    message(FATAL_ERROR "a dispatching file parses the vector kernels' headers:\n${found}")
  endif()
  if(mode STREQUAL "headers" AND NOT found)
    message(FATAL_ERROR "a file without FITCHECK_DISPATCH does not include xsimd and the CPU "
                        "GEMM, so this check cannot see them")
  endif()
endforeach()
message(STATUS "a dispatching file parses neither xsimd nor the CPU GEMM")
