# SPDX-License-Identifier: MIT
# Compiles one libFuzzer target with clang++ and runs it for SECONDS on a fresh copy of its seed
# corpus. Fails on a compile error, a crash, a sanitizer report or a leak.
#   -DCLANGXX=<clang++> -DSOURCE=<x_fuzz.cpp> -DCORPUS=<seed dir> -DWORK_DIR=<fresh dir>
#   -DINCLUDES=<dir|dir|...> -DSECONDS=<n> [-DEXTRA=<flag|flag|...> (defines, libraries)]
foreach(var IN ITEMS CLANGXX SOURCE CORPUS WORK_DIR INCLUDES SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/corpus)
file(GLOB seeds ${CORPUS}/*)
file(COPY ${seeds} DESTINATION ${WORK_DIR}/corpus)

# The first directory is fitcheck's own (-I: its warnings are errors); the dependencies' are
# system directories. clang searches /usr/include itself, and naming it breaks libstdc++'s
# #include_next.
string(REPLACE "|" ";" includes "${INCLUDES}")
list(POP_FRONT includes own)
set(flags -I${own})
foreach(dir IN LISTS includes)
  if(NOT dir STREQUAL "/usr/include")
    list(APPEND flags -isystem ${dir})
  endif()
endforeach()

string(REPLACE "|" ";" extra "${EXTRA}")

get_filename_component(name ${SOURCE} NAME_WE)
set(exe ${WORK_DIR}/${name})
execute_process(
  COMMAND ${CLANGXX} -std=c++20 -g -O1 -Wall -Wextra -Werror
          -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
          ${flags} ${SOURCE} ${extra} -o ${exe}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling ${name} with ${CLANGXX} failed (${rc}):\n${out}")
endif()

execute_process(
  COMMAND ${exe} -max_total_time=${SECONDS} -max_len=4096 -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix=${WORK_DIR}/ ${WORK_DIR}/corpus
  WORKING_DIRECTORY ${WORK_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(LENGTH "${out}" length)
if(length GREATER 6000)
  math(EXPR from "${length} - 6000")
  string(SUBSTRING "${out}" ${from} -1 out)
endif()
if(NOT rc EQUAL 0)
  file(GLOB crashes ${WORK_DIR}/crash-* ${WORK_DIR}/leak-* ${WORK_DIR}/timeout-* ${WORK_DIR}/oom-*)
  message(FATAL_ERROR "${name} found a failure (exit ${rc}); reproducer(s): ${crashes}\n"
                      "Reproduce: ${exe} <file>\n${out}")
endif()
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${out}")
string(REGEX MATCH "stat::new_units_added: *[0-9]+" units "${out}")
message(STATUS "${name}: no failure in ${SECONDS} s (${runs}, ${units})")
