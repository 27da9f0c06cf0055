# SPDX-License-Identifier: MIT
# A file compiled the way fitcheck::fitcheck compiles it (FITCHECK_DISPATCH) runs its float
# kernels through the dispatch table, so it must not parse xsimd or the CPU GEMM, and it declares
# what the kernels library compiles once, so it must not parse the `_impl.hpp` files; the same file
# without FITCHECK_DISPATCH must parse both (which also shows that this check sees the headers).
# And the library's baseline unit (include/fitcheck/compiled.hpp) must reach every `_impl.hpp`, or
# a program would miss a definition, and no `_impl.hpp` may call a kernel.
# COMMAND: the compiler and the target's flags, '|'-separated; SOURCE: the file; LIBRARY: a file
# that includes <fitcheck/compiled.hpp>; INCLUDE: the include directory.
string(REPLACE "|" ";" command "${COMMAND}")
# In the -H list `out` of a compile in `mode`: no match of `pattern` when dispatching, some without.
function(expect_parsed pattern what)
  string(REGEX MATCHALL "${pattern}" found "${out}")
  if(mode STREQUAL "dispatching" AND found)
    message(FATAL_ERROR "a dispatching file parses ${what}:\n${found}")
  endif()
  if(mode STREQUAL "headers" AND NOT found)
    message(FATAL_ERROR "a file without FITCHECK_DISPATCH does not parse ${what}, so this check "
                        "cannot see them")
  endif()
endfunction()
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
  # What a dispatching file must not parse, and a headers-only one must (or the check is blind).
  expect_parsed("[^\n]*(xsimd/xsimd\\.hpp|kernels/cpu/gemm\\.hpp)" "the vector kernels' headers")
  expect_parsed("[^\n]*fitcheck/[a-z/_]*_impl\\.hpp" "what the kernels library compiles")
endforeach()

execute_process(COMMAND ${command} -fsyntax-only -H -UFITCHECK_DISPATCH
                        -DFITCHECK_KERNEL_LEVEL=baseline -DFITCHECK_DISPATCHER=1 ${LIBRARY}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${LIBRARY} does not compile as the library's baseline unit:\n${out}")
endif()
file(GLOB_RECURSE impls RELATIVE ${INCLUDE} ${INCLUDE}/fitcheck/*_impl.hpp)
if(NOT impls)
  message(FATAL_ERROR "no _impl.hpp under ${INCLUDE}")
endif()
foreach(impl IN LISTS impls)
  # The library's units call their own level's kernels, not the dispatch table: code that calls a
  # kernel compiled there would run the baseline's (Optimizer::step did: 14-17 % slower).
  file(READ ${INCLUDE}/${impl} text)
  if(text MATCHES "kernels::")
    message(FATAL_ERROR "${impl} calls a kernel (kernels::): compiled in the kernels library it "
                        "would not dispatch; keep that code in its header")
  endif()
  string(REPLACE "." "\\." pattern "${impl}")
  if(NOT out MATCHES "${pattern}")
    message(FATAL_ERROR "the kernels library's baseline unit does not compile ${impl}: add its "
                        "header to include/fitcheck/compiled.hpp")
  endif()
endforeach()
list(LENGTH impls count)
message(STATUS "a dispatching file parses neither xsimd, the CPU GEMM nor the ${count} _impl.hpp "
               "files, and the kernels library compiles all of them")
