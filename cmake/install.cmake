# install.cmake - what `cmake --install` puts under the prefix: the programs (bin/codecomp,
# bin/codecompd), the CUDA backend module where it was built (lib/codecomp-cuda.so, where
# engine/backend_load.c looks: <program>/../lib), the systemd user unit with this prefix's
# paths (lib/systemd/user/codecompd.service) and the documentation (share/doc/codecomp).
include(GNUInstallDirs)
foreach(prog codecomp codecompd)
  if(TARGET ${prog})
    install(TARGETS ${prog} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
if(TARGET codecomp_cuda)
  # Always lib/, not a multiarch libdir: the loader looks next to bin/. Copied as built (its
  # run path to the CUDA libraries kept; CMake cannot rewrite the one nvcc's link leaves).
  install(PROGRAMS $<TARGET_FILE:codecomp_cuda> DESTINATION lib)
endif()
if(EXISTS ${PROJECT_SOURCE_DIR}/contrib/codecompd.service)
  # Written at install time, so that `cmake --install --prefix P` puts P's paths in it.
  install(CODE "
    file(READ \"${PROJECT_SOURCE_DIR}/contrib/codecompd.service\" cc_unit)
    string(REPLACE \"/usr/local/bin/\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/\"
      cc_unit \"\${cc_unit}\")
    string(REPLACE \"/usr/local/share/doc/codecomp/\" \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DOCDIR}/\"
      cc_unit \"\${cc_unit}\")
    set(cc_dst \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/user/codecompd.service\")
    message(STATUS \"Installing: \${cc_dst}\")
    file(WRITE \"\${cc_dst}\" \"\${cc_unit}\")
  ")
endif()
file(GLOB cc_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${cc_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})
