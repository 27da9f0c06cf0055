# SPDX-License-Identifier: MIT
# Helpers for fitcheck's compile-time tests.

# fitcheck_add_compile_fail_test(<file.cpp>)
#
# <file.cpp> states, on one or more lines `// expected-error: <CMake regex>`, what the compiler
# must say when it rejects the file. Two targets come of it:
#  - <name>_twin: the file compiled with FITCHECK_EXPECT_PASS defined, i.e. the corrected
#    version. It is part of the normal build, so a file that fails for the wrong reason (a typo,
#    a missing include) breaks the build instead of passing as a "compile failure".
#  - <name>: the file as it stands, excluded from the build. Its ctest case builds it and passes
#    only if the build FAILS and every expected-error regex matches the compiler's output.
function(fitcheck_add_compile_fail_test file)
  get_filename_component(abs ${file} ABSOLUTE)
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/tests/compile_fail ${abs})
  string(REGEX REPLACE "\\.cpp$" "" stem ${rel})
  string(REPLACE "/" "." test_name ${stem})
  string(REPLACE "/" "_" target ${stem})
  set(target compile_fail_${target})

  file(STRINGS ${abs} expected REGEX "// expected-error: ")
  if(NOT expected)
    message(FATAL_ERROR "${file}: a compile-fail test needs a '// expected-error: <regex>' line")
  endif()

  # What these test is whether the code compiles and what the compiler says, not the code it
  # makes: both are built without optimisation, which costs a fraction of -O3's code generation.
  add_library(${target}_twin OBJECT ${abs})
  target_compile_definitions(${target}_twin PRIVATE FITCHECK_EXPECT_PASS)
  target_compile_options(${target}_twin PRIVATE -O0)
  target_link_libraries(${target}_twin PRIVATE fitcheck_dev_flags)

  add_library(${target} OBJECT EXCLUDE_FROM_ALL ${abs})
  target_compile_options(${target} PRIVATE -O0)
  target_link_libraries(${target} PRIVATE fitcheck_dev_flags)

  # The ctest case runs the compiler itself with the target's flags and -fsyntax-only: a
  # rejection needs no code generated, and no build of the tree (so the cases run in parallel).
  # The command reaches the driver script as one argument, its words separated by '|'.
  set(inc "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(def "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(opt "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>")
  set(command "${CMAKE_CXX_COMPILER}|-std=gnu++20|-fsyntax-only")
  string(APPEND command "$<$<BOOL:${inc}>:|-I$<JOIN:${inc},|-I>>$<$<BOOL:${def}>:|-D$<JOIN:${def},|-D>>")
  string(APPEND command "$<$<BOOL:${opt}>:|$<JOIN:${opt},|>>|${abs}")
  add_test(NAME compile_fail.${test_name}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${command}" -DSOURCE=${abs}
                   -P ${PROJECT_SOURCE_DIR}/tests/cmake/run_compile_fail.cmake)
  set_tests_properties(compile_fail.${test_name} PROPERTIES LABELS compile_fail)
endfunction()

# fitcheck_add_header_check(): one translation unit per public header, each including it
# twice, so every header compiles on its own and its include guard works. The ctest case builds
# the target; it is kept out of the normal build so the test does the work and reports it.
function(fitcheck_add_header_check)
  set(sources)
  set(headers ${FITCHECK_HEADERS})
  # The cuda backend's headers need Thrust: tests/gpu checks them in its own build.
  list(FILTER headers EXCLUDE REGEX "kernels/gpu/|train/device_engine")
  foreach(header IN LISTS headers)
    string(REGEX REPLACE "^include/" "" inc ${header})
    string(MAKE_C_IDENTIFIER ${inc} id)
    set(tu ${PROJECT_BINARY_DIR}/header_check/${id}.cpp)
    file(CONFIGURE OUTPUT ${tu} CONTENT "#include <${inc}>\n#include <${inc}>\n")
    list(APPEND sources ${tu})
  endforeach()
  add_library(fitcheck_header_check OBJECT EXCLUDE_FROM_ALL ${sources})
  target_link_libraries(fitcheck_header_check PRIVATE fitcheck_dev_flags)
  # A hundred small translation units: on every core (the lock keeps other builds out).
  cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
  add_test(NAME headers.self_contained
           COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target fitcheck_header_check
                   --config $<CONFIG> --parallel ${cores})
  set_tests_properties(headers.self_contained PROPERTIES RESOURCE_LOCK build_tree COST 900)
endfunction()
