# SPDX-License-Identifier: MIT
# Helpers for fitcheck's compile-time tests.

# The compiler command a compile-time test runs, with <target>'s flags (include directories,
# definitions, options, transitively), its words separated by <sep> ('|' for a command that
# reaches a cmake -P driver as one argument, ';' for add_custom_command's COMMAND_EXPAND_LISTS).
function(fitcheck_compiler_command out target sep)
  set(inc "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(def "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(opt "$<TARGET_PROPERTY:${target},COMPILE_OPTIONS>")
  set(command "${CMAKE_CXX_COMPILER}${sep}-std=gnu++20")
  string(APPEND command "$<$<BOOL:${inc}>:${sep}-I$<JOIN:${inc},${sep}-I>>")
  string(APPEND command "$<$<BOOL:${def}>:${sep}-D$<JOIN:${def},${sep}-D>>")
  string(APPEND command "$<$<BOOL:${opt}>:${sep}$<JOIN:${opt},${sep}>>")
  set(${out} "${command}" PARENT_SCOPE)
endfunction()

# fitcheck_add_compile_fail_pch(): the compile-fail cases parse the same headers a hundred times;
# precompiled headers, built once with exactly their flags, save about 3 s of CPU per compile. The
# diagnostics are the same (only the "In file included from" line names the precompiled header). A
# stale or mismatched .gch is only a warning (-Winvalid-pch): g++ then parses the headers as usual.
# Loading one is most of a case's compile, and the time grows faster than its size (fitcheck.hpp +
# images.hpp: 180 MB, 1.2 s; data/data.hpp: 124 MB, 0.5 s), so there are three, and a case uses
# the smallest that holds every fitcheck header it includes (FITCHECK_COMPILE_FAIL_PCH_<name>: the
# header; FITCHECK_COMPILE_FAIL_PCH_<name>_COVERS: a regex of the includes it holds).
function(fitcheck_add_compile_fail_pch)
  set(dir ${PROJECT_BINARY_DIR}/compile_fail_pch)
  set(content_data "#include <fitcheck/data.hpp>\n#include <fitcheck/data/data.hpp>\n")
  set(covers_data "^fitcheck/(core/[a-z_]+|data/[a-z_]+|data)\\.hpp$")
  set(content_nn "#include <fitcheck/nn.hpp>\n")
  set(covers_nn "^fitcheck/(nn/[a-z_]+|nn)\\.hpp$")
  set(content_all "#include <fitcheck/fitcheck.hpp>\n#include <fitcheck/images.hpp>\n#include <fitcheck/text.hpp>\n")
  set(covers_all "^fitcheck/")
  list(TRANSFORM FITCHECK_HEADERS PREPEND ${PROJECT_SOURCE_DIR}/ OUTPUT_VARIABLE headers)
  set(outputs)
  foreach(name IN ITEMS data nn all)
    set(header ${dir}/fitcheck_${name}.hpp)
    file(CONFIGURE OUTPUT ${header} CONTENT "${content_${name}}")
    add_library(fitcheck_compile_fail_flags_${name} OBJECT EXCLUDE_FROM_ALL ${header})
    set_target_properties(fitcheck_compile_fail_flags_${name} PROPERTIES LINKER_LANGUAGE CXX)
    target_compile_options(fitcheck_compile_fail_flags_${name} PRIVATE -O0)
    target_link_libraries(fitcheck_compile_fail_flags_${name} PRIVATE fitcheck_dev_user)
    fitcheck_compiler_command(command fitcheck_compile_fail_flags_${name} ";")
    add_custom_command(OUTPUT ${header}.gch
                       COMMAND "${command}" -x c++-header ${header} -o ${header}.gch
                       DEPENDS ${headers} COMMAND_EXPAND_LISTS VERBATIM
                       COMMENT "Precompiling fitcheck's headers for the compile-fail tests (${name})")
    list(APPEND outputs ${header}.gch)
    set(FITCHECK_COMPILE_FAIL_PCH_${name} ${header} PARENT_SCOPE)
    set(FITCHECK_COMPILE_FAIL_PCH_${name}_COVERS "${covers_${name}}" PARENT_SCOPE)
  endforeach()
  add_custom_target(fitcheck_compile_fail_pch ALL DEPENDS ${outputs})
endfunction()

# fitcheck_add_compile_fail_test(<file.cpp> [NO_PCH])
#
# <file.cpp> states, on one or more lines `// expected-error: <CMake regex>`, what the compiler
# must say when it rejects the file, and holds the corrected code under
# `#ifdef FITCHECK_EXPECT_PASS` (its twin). The twin must compile, so a file that fails for the
# wrong reason (a typo, a missing include) fails the suite instead of passing as a "compile
# failure"; the file as it stands must be rejected with every expected-error regex matching the
# compiler's output. Both with -fsyntax-only (a rejection, and the twin's acceptance, need no code
# generated; no build of the tree, so the cases run in parallel) and, at -O0, the flags of a
# program a user writes (fitcheck::fitcheck: the kernels dispatched, so no case instantiates
# them). Without NO_PCH the compiles use the precompiled header of fitcheck_add_compile_fail_pch()
# (same flags: the case adds none), and the twin is compiled by fitcheck_add_compile_fail_twins():
# loading the 180 MB header is most of a case's compile, so the twins of one folder share one
# translation unit. With NO_PCH (a case with flags of its own) the ctest case compiles its twin
# first, then the file.
function(fitcheck_add_compile_fail_test file)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_PCH" "" "")
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
  file(STRINGS ${abs} twin REGEX "^#ifdef FITCHECK_EXPECT_PASS")
  if(NOT twin)
    message(FATAL_ERROR "${file}: a compile-fail test needs its corrected version under "
                        "'#ifdef FITCHECK_EXPECT_PASS'")
  endif()

  # Never built: the target holds the flags the ctest case reads (callers add to them).
  add_library(${target} OBJECT EXCLUDE_FROM_ALL ${abs})
  target_compile_options(${target} PRIVATE -O0)
  target_link_libraries(${target} PRIVATE fitcheck_dev_user)

  fitcheck_compiler_command(command ${target} "|")
  string(APPEND command "|-fsyntax-only")
  if(NOT arg_NO_PCH)
    if(NOT FITCHECK_COMPILE_FAIL_PCH_all)
      message(FATAL_ERROR "call fitcheck_add_compile_fail_pch() before the compile-fail tests")
    endif()
    # The smallest precompiled header that holds every fitcheck header the case includes.
    file(STRINGS ${abs} includes REGEX "^#include <fitcheck/")
    list(TRANSFORM includes REPLACE "^#include <([^>]+)>.*" "\\1")
    foreach(pch IN ITEMS data nn all)
      set(covered ON)
      foreach(include IN LISTS includes)
        if(NOT include MATCHES "${FITCHECK_COMPILE_FAIL_PCH_${pch}_COVERS}")
          set(covered OFF)
        endif()
      endforeach()
      if(covered)
        set(chosen ${pch})
        break()
      endif()
    endforeach()
    # The folder's twins, for fitcheck_add_compile_fail_twins() (one unit: the largest header).
    string(REGEX REPLACE "/.*" "" folder ${rel})
    set_property(GLOBAL APPEND PROPERTY FITCHECK_COMPILE_FAIL_TWIN_FOLDERS ${folder})
    set_property(GLOBAL APPEND PROPERTY FITCHECK_COMPILE_FAIL_TWINS_${folder} ${abs})
    set(pch_flags "|-Winvalid-pch|-Wno-error=invalid-pch|-include|")
    set_property(GLOBAL PROPERTY FITCHECK_COMPILE_FAIL_TWIN_COMMAND
                 "${command}${pch_flags}${FITCHECK_COMPILE_FAIL_PCH_all}")
    string(APPEND command "${pch_flags}${FITCHECK_COMPILE_FAIL_PCH_${chosen}}")
    set(twin OFF)
  else()
    set(twin ON)
  endif()
  add_test(NAME compile_fail.${test_name}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${command}" -DSOURCE=${abs} -DTWIN=${twin}
                   -P ${PROJECT_SOURCE_DIR}/tests/cmake/run_compile_fail.cmake)
  set_tests_properties(compile_fail.${test_name} PROPERTIES LABELS compile_fail)
endfunction()

# fitcheck_add_compile_fail_twins(): after the fitcheck_add_compile_fail_test() calls, one ctest
# case per folder of tests/compile_fail/ (compile_fail.twins.<folder>) that compiles the corrected
# twins of its cases together: one generated translation unit, FITCHECK_EXPECT_PASS defined, each
# case inside a namespace of its own (its names cannot meet another case's). The headers the cases
# include are included first, at global scope, so the includes inside the namespaces are empty.
# A twin that does not compile fails that case, and g++ names the case's file.
function(fitcheck_add_compile_fail_twins)
  get_property(folders GLOBAL PROPERTY FITCHECK_COMPILE_FAIL_TWIN_FOLDERS)
  get_property(command GLOBAL PROPERTY FITCHECK_COMPILE_FAIL_TWIN_COMMAND)
  list(REMOVE_DUPLICATES folders)
  foreach(folder IN LISTS folders)
    get_property(files GLOBAL PROPERTY FITCHECK_COMPILE_FAIL_TWINS_${folder})
    fitcheck_namespaced_unity(content fitcheck_twin_ ${files})
    set(tu ${PROJECT_BINARY_DIR}/compile_fail_twins/${folder}.cpp)
    file(CONFIGURE OUTPUT ${tu} CONTENT "${content}" @ONLY)
    add_test(NAME compile_fail.twins.${folder}
             COMMAND ${CMAKE_COMMAND} "-DCOMMAND=${command}|-DFITCHECK_EXPECT_PASS" -DSOURCE=${tu}
                     -DTWINS=ON -P ${PROJECT_SOURCE_DIR}/tests/cmake/run_compile_fail.cmake)
    set_tests_properties(compile_fail.twins.${folder} PROPERTIES LABELS compile_fail)
  endforeach()
endfunction()

# fitcheck_add_header_check(): one translation unit per public header, each including it
# twice, so every header compiles on its own and its include guard works. The ctest case builds
# the target; it is kept out of the normal build so the test does the work and reports it.
function(fitcheck_add_header_check)
  set(portable)
  set(native)
  set(headers ${FITCHECK_HEADERS})
  # The cuda backend's headers need Thrust: tests/gpu checks them in its own build. The body of
  # the kernels library's units, and what its baseline unit compiles once, are compiled by that
  # library (tests/dispatch checks compiled.hpp).
  list(FILTER headers EXCLUDE
       REGEX "kernels/gpu/|train/device_engine|cpu/dispatch_levels|fitcheck/compiled\\.hpp")
  foreach(header IN LISTS headers)
    string(REGEX REPLACE "^include/" "" inc ${header})
    string(MAKE_C_IDENTIFIER ${inc} id)
    set(tu ${PROJECT_BINARY_DIR}/header_check/${id}.cpp)
    file(CONFIGURE OUTPUT ${tu} CONTENT "#include <${inc}>\n#include <${inc}>\n")
    # The vector kernels have AVX-512 branches (#if __AVX512F__): checked for this CPU as well.
    if(inc MATCHES "^fitcheck/kernels/cpu/")
      list(APPEND native ${tu})
    endif()
    list(APPEND portable ${tu})
  endforeach()
  # What a header includes does not depend on the optimiser: -O0. No -march=native either (xsimd's
  # AVX-512 headers cost a third of each compile) but for the vector kernels; warnings as
  # everywhere.
  add_library(fitcheck_header_check OBJECT EXCLUDE_FROM_ALL ${portable})
  target_link_libraries(fitcheck_header_check PRIVATE fitcheck::headers)
  # fitcheck/mpi.hpp includes mpi.h: with MPI's include path (the tests require MPI).
  if(TARGET fitcheck::mpi)
    target_link_libraries(fitcheck_header_check PRIVATE MPI::MPI_CXX)
  endif()
  target_compile_options(fitcheck_header_check PRIVATE -O0 -Wall -Wextra -Wpedantic
                         $<$<BOOL:${FITCHECK_WERROR}>:-Werror>)
  add_library(fitcheck_header_check_native OBJECT EXCLUDE_FROM_ALL ${native})
  target_link_libraries(fitcheck_header_check_native PRIVATE fitcheck_dev_flags)
  target_compile_options(fitcheck_header_check_native PRIVATE -O0)
  # A hundred small translation units: on every core (the lock keeps other builds out).
  cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
  add_test(NAME headers.self_contained
           COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR}
                   --target fitcheck_header_check fitcheck_header_check_native
                   --config $<CONFIG> --parallel ${cores})
  set_tests_properties(headers.self_contained PROPERTIES RESOURCE_LOCK build_tree COST 900)
endfunction()
