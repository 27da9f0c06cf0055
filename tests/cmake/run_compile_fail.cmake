# SPDX-License-Identifier: MIT
# ctest driver for the compile-fail cases: runs COMMAND (the compiler, its words separated by '|').
#   -DSOURCE=<case.cpp> -DTWIN=ON: the case's corrected twin (FITCHECK_EXPECT_PASS defined) must
#     compile, then the file as it stands must fail with output matching every
#     `// expected-error: <regex>` line of SOURCE.
#   -DSOURCE=<case.cpp> -DTWIN=OFF: only the second part (compile_fail.twins.* compiles the twin).
#   -DSOURCE=<generated.cpp> -DTWINS=ON: the twins of a folder, which must compile.
string(REPLACE "|" ";" command "${COMMAND}")
if(TWINS)
  execute_process(COMMAND ${command} ${SOURCE} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "a corrected version (FITCHECK_EXPECT_PASS) of a compile-fail case does "
                        "not compile, so its rejection may be for the wrong reason; the file is "
                        "named below:\n${out}")
  endif()
  if(out MATCHES "invalid-pch|not used because")
    message(WARNING "the precompiled header was not used:\n${out}")
  endif()
  return()
endif()
file(STRINGS ${SOURCE} lines REGEX "// expected-error: ")
if(TWIN)
  execute_process(COMMAND ${command} -DFITCHECK_EXPECT_PASS ${SOURCE}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SOURCE}: its corrected version (FITCHECK_EXPECT_PASS) does not "
                        "compile, so the rejection may be for the wrong reason:\n${out}")
  endif()
endif()
execute_process(COMMAND ${command} ${SOURCE} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled, but it must be rejected.")
endif()
# Compilers quote with typographic or plain quotes and wrap long lines; match on one line.
string(REPLACE "\n" " " flat "${out}")
foreach(line IN LISTS lines)
  string(REGEX REPLACE ".*// expected-error: " "" regex "${line}")
  string(STRIP "${regex}" regex)
  if(NOT flat MATCHES "${regex}")
    message(FATAL_ERROR "${SOURCE} was rejected, but not with the expected message.\n"
                        "expected (regex): ${regex}\ncompiler output:\n${out}")
  endif()
  message(STATUS "matched: ${regex}")
endforeach()
# No rejection may trail noise that is not about the mistake (g++'s "inline function ... used but
# never defined" after an error in a program that uses fit, say).
if(flat MATCHES "used but never defined")
  message(FATAL_ERROR "${SOURCE} was rejected, but with a spurious 'used but never defined' "
                      "warning:\n${out}")
endif()
# `// expected-error-count: N`: exactly N errors, so that one mistake reads as one sentence, not
# a cascade.
file(STRINGS ${SOURCE} count_lines REGEX "// expected-error-count: [0-9]+")
if(count_lines)
  string(REGEX REPLACE ".*// expected-error-count: ([0-9]+).*" "\\1" want "${count_lines}")
  string(REGEX MATCHALL ": error: " errors "${out}")
  list(LENGTH errors got)
  if(NOT got EQUAL want)
    message(FATAL_ERROR "${SOURCE} was rejected with ${got} errors, expected ${want}.\n"
                        "compiler output:\n${out}")
  endif()
  message(STATUS "errors: ${got}")
endif()
