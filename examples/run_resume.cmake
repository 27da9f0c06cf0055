# SPDX-License-Identifier: MIT
# The resume example, three times: uninterrupted; killed by SIGKILL at training batch KILL_AT (in
# the middle of an epoch, as a crash); again on the killed run's directory. The third run must
# say it resumed and end with the first run's test loss, digit for digit, the same CSV log and
# the same best checkpoint, byte for byte; and leave no backup behind.
#   cmake -DEXE=... -DCSV=... -DDIR=... -DEPOCHS=12 -DKILL_AT=80 -P run_resume.cmake
file(REMOVE_RECURSE ${DIR})
function(run_example out rc)
  execute_process(COMMAND ${EXE} ${CSV} ${ARGN} OUTPUT_VARIABLE o ERROR_VARIABLE e
                  RESULT_VARIABLE r)
  set(${out} "${o}${e}" PARENT_SCOPE)
  set(${rc} "${r}" PARENT_SCOPE)
endfunction()

run_example(whole rc ${DIR}/whole ${EPOCHS})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the uninterrupted run failed (${rc}):\n${whole}")
endif()
run_example(killed rc ${DIR}/resumed ${EPOCHS} --kill-at-batch ${KILL_AT})
if(rc EQUAL 0 OR NOT EXISTS ${DIR}/resumed/backup/training_state.fcs)
  message(FATAL_ERROR "the run to be killed was not killed with a backup left (${rc}):\n${killed}")
endif()
run_example(resumed rc ${DIR}/resumed ${EPOCHS})
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the resumed run failed (${rc}):\n${resumed}")
endif()

string(REGEX MATCH "test: loss [0-9.e+-]+" whole_loss "${whole}")
string(REGEX MATCH "test: loss [0-9.e+-]+" resumed_loss "${resumed}")
if(NOT resumed MATCHES "Resuming (after|at step [0-9]+ of) epoch [1-9]" OR
   NOT resumed MATCHES "resumed after epoch")
  message(FATAL_ERROR "the third run did not resume:\n${resumed}")
endif()
if(whole_loss STREQUAL "" OR NOT whole_loss STREQUAL resumed_loss)
  message(FATAL_ERROR "resumed: '${resumed_loss}', uninterrupted: '${whole_loss}'\n"
                      "${whole}\n---\n${resumed}")
endif()
foreach(f log.csv best.fcw)
  file(SHA256 ${DIR}/whole/${f} a)
  file(SHA256 ${DIR}/resumed/${f} b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "${f} differs between the uninterrupted and the resumed run")
  endif()
endforeach()
if(EXISTS ${DIR}/resumed/backup)
  message(FATAL_ERROR "the finished run left its backup")
endif()
message(STATUS "killed at batch ${KILL_AT}, resumed: ${resumed_loss}, as the uninterrupted run")
