# SPDX-License-Identifier: MIT
# fitcheck_namespaced_unity(<out-var> <prefix> <file>...): the text of one translation unit that
# compiles several source files together (the compile-fail twins of an area, the pitfall
# programs): every #include line of the files first, at global scope, then each file inside a
# namespace of its own, <prefix><file name>, so that its names (its main() too) cannot meet
# another file's and the includes inside the namespaces are already done. A file may therefore
# not define macros or specialise templates. Not installed: fitcheck's own tests and examples.
function(fitcheck_namespaced_unity out prefix)
  set(includes)
  set(body)
  foreach(file IN LISTS ARGN)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(STRINGS ${file} lines REGEX "^#include ")
    list(APPEND includes ${lines})
    get_filename_component(name ${file} NAME_WE)
    string(MAKE_C_IDENTIFIER "${prefix}${name}" namespace)
    string(APPEND body "namespace ${namespace} {\n#include \"${file}\"\n}  // namespace ${namespace}\n")
  endforeach()
  list(REMOVE_DUPLICATES includes)
  list(JOIN includes "\n" includes)
  set(${out} "${includes}\n${body}" PARENT_SCOPE)
endfunction()
