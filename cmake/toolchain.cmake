# Compiler settings shared by every target: ccache when present, warnings, and the
# atelier_target() helper that applies them.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(atelier_warnings INTERFACE)
target_compile_options(atelier_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${ATELIER_WERROR}>:-Werror>)

# atelier_test(<name> SOURCES ... LIBS ...): a GoogleTest binary whose tests are registered
# one by one with CTest.
function(atelier_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} atelier_warnings GTest::gtest GTest::gmock
                                        GTest::gtest_main)
  gtest_discover_tests(${name} NO_PRETTY_VALUES DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
endfunction()
