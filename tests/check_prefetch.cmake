# Fails unless the probe function of tests/prefetch_probe.cpp holds at least
# MIN_HINTS prefetch instructions. Run with -DPROBE=<probe executable>
# -DOBJDUMP=<objdump> -DMIN_HINTS=<count>.
execute_process(COMMAND "${OBJDUMP}" -d --disassemble=patchrace_prefetch_probe "${PROBE}"
                OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "objdump failed on ${PROBE} (exit ${status})")
endif()
string(REGEX MATCHALL "prefetcht0" hints "${listing}")
list(LENGTH hints count)
if(count LESS MIN_HINTS)
  message(FATAL_ERROR "patchrace_prefetch_probe holds ${count} prefetch instructions, expected at least ${MIN_HINTS}: the compiler dropped the engine's prefetch hints")
endif()
message(STATUS "patchrace_prefetch_probe holds ${count} prefetch instructions")
