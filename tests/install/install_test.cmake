# SPDX-License-Identifier: MIT
# Installs fitcheck from FITCHECK_BINARY_DIR into a fresh prefix, then configures, builds and runs
# test_package/ (the Conan test package, which is a plain CMake project) against that prefix only.
set(prefix ${WORK_DIR}/prefix)
set(build ${WORK_DIR}/consumer)
file(REMOVE_RECURSE ${WORK_DIR})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${FITCHECK_BINARY_DIR} --prefix ${prefix})
foreach(f include/fitcheck/fitcheck.hpp include/fitcheck/kernels/cpu/dispatch_levels.hpp
          include/fitcheck/compiled.hpp include/fitcheck/optim/optimizer_impl.hpp
          share/cmake/fitcheck/fitcheckConfig.cmake share/cmake/fitcheck/fitcheckConfigVersion.cmake
          share/cmake/fitcheck/fitcheckTargets.cmake share/cmake/fitcheck/fitcheckKernels.cmake)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "install did not write ${f}")
  endif()
endforeach()

# As a user builds it: Release, no -march, nothing but find_package and target_link_libraries.
# The kernels must run at this machine's best level all the same (runtime dispatch).
run(${CMAKE_COMMAND} -S ${FITCHECK_SOURCE_DIR}/test_package -B ${build} -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON
    -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${build})
if(NOT EXISTS ${build}/libfitcheck_cpu_kernels.a)
  message(FATAL_ERROR "find_package(fitcheck) did not build the kernels library")
endif()
run(${build}/test_package)
message("${out}")
if(NOT out MATCHES "kernels: ${BEST} \\(" OR
   NOT out MATCHES "fitcheck [0-9]+\\.[0-9]+\\.[0-9]+ works")
  message(FATAL_ERROR "test_package ran but did not report success with the ${BEST} kernels")
endif()
# Opted out (FITCHECK_DISPATCH=OFF): no kernels library; the kernels are compiled in the user's
# file for its flags, here x86-64's baseline.
run(${CMAKE_COMMAND} -S ${FITCHECK_SOURCE_DIR}/test_package -B ${build}-headers -G ${GENERATOR}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON
    -DFITCHECK_DISPATCH=OFF)
run(${CMAKE_COMMAND} --build ${build}-headers)
if(EXISTS ${build}-headers/libfitcheck_cpu_kernels.a)
  message(FATAL_ERROR "FITCHECK_DISPATCH=OFF still built the kernels library")
endif()
run(${build}-headers/test_package)
if(NOT out MATCHES "kernels: compiled for sse2")
  message(FATAL_ERROR "test_package without dispatch should run SSE2 kernels:\n${out}")
endif()
# The mpi component: a data-parallel program against the installed package (MPI's singleton: one
# process, no mpiexec).
if(WITH_MPI)
  run(${CMAKE_COMMAND} -S ${FITCHECK_SOURCE_DIR}/tests/install/mpi_consumer -B ${build}-mpi
      -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_PREFIX_PATH=${prefix}
      -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON)
  run(${CMAKE_COMMAND} --build ${build}-mpi)
  run(${build}-mpi/mpi_consumer)
  if(NOT out MATCHES "data-parallel fit in 1 process: 2 epochs")
    message(FATAL_ERROR "the mpi component's consumer did not train:\n${out}")
  endif()
endif()
# The consumer must have found the installed copy, not the source tree.
file(STRINGS ${build}/CMakeCache.txt dir REGEX "^fitcheck_DIR:")
if(NOT dir MATCHES "${prefix}")
  message(FATAL_ERROR "test_package found fitcheck outside the install prefix: ${dir}")
endif()
