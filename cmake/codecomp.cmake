# Helpers shared by every module's CMakeLists.txt.

# cc_module(NAME SOURCES... [LIBS ...]): a static library cc_<NAME> built from one module
# folder, whose public header(s) sit in that folder.
function(cc_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LIBS" ${ARGN})
  add_library(cc_${name} STATIC ${M_SOURCES})
  target_include_directories(cc_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(cc_${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:${CC_WARNINGS}>)
  if(M_LIBS)
    target_link_libraries(cc_${name} PUBLIC ${M_LIBS})
  endif()
endfunction()

# cc_test(NAME SOURCES... [LIBS ...] [TIMEOUT s] [LABELS ...]): one CTest executable.
# Tests run from the source root so fixtures are found by relative path; CC_SOURCE_DIR and
# CC_BINARY_DIR are also in the environment.
function(cc_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:C>:${CC_WARNINGS}>)
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT} SKIP_RETURN_CODE 77
    ENVIRONMENT "CC_SOURCE_DIR=${PROJECT_SOURCE_DIR};CC_BINARY_DIR=${CMAKE_BINARY_DIR};CC_BIN=${CMAKE_BINARY_DIR}/bin")
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()

# cc_script_test(NAME SCRIPT [TIMEOUT s]): a shell test (tests/<module>/*.sh) run with bash.
function(cc_script_test name script)
  cmake_parse_arguments(T "" "TIMEOUT" "ARGS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_test(NAME ${name} COMMAND bash ${script} ${T_ARGS} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT} SKIP_RETURN_CODE 77
    ENVIRONMENT "CC_SOURCE_DIR=${PROJECT_SOURCE_DIR};CC_BINARY_DIR=${CMAKE_BINARY_DIR};CC_BIN=${CMAKE_BINARY_DIR}/bin")
endfunction()
