# The Dear ImGui front end (issue 3): the gomap_ui library (views, controller,
# GL helpers), a glad OpenGL 3.3 core loader generated at build time, shaders
# embedded at build time, and the GUI frame-time benchmark.
#
# Debian packages: libimgui-dev (1.86, backends inside libimgui.a), libglfw3-dev,
# python3-glad + python3-jinja2, libfmt-dev, libstb-dev.

enable_language(C) # glad's generated loader is C
find_package(PkgConfig REQUIRED)
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui) # Requires: stb (-lstb is mandatory)
pkg_check_modules(GLFW3 REQUIRED IMPORTED_TARGET glfw3)
find_package(Threads REQUIRED)
# FreeType (libfreetype-dev), when present, rasterises the fonts: Noto CJK's
# outlines take stb_truetype a third of a second at start-up, FreeType ~10x less.
pkg_check_modules(FREETYPE QUIET IMPORTED_TARGET freetype2)

# ---- glad: the first python3 that can import glad and jinja2 -----------------
# (a pyenv python3 first on PATH usually cannot; /usr/bin/python3 can).
function(gomaplab_check_glad_python result candidate)
  execute_process(COMMAND ${candidate} -c "import glad, jinja2"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    set(${result} FALSE PARENT_SCOPE)
  endif()
endfunction()
find_program(GLAD_PYTHON NAMES python3 python
             PATHS /usr/bin /usr/local/bin
             VALIDATOR gomaplab_check_glad_python)
if(NOT GLAD_PYTHON)
  message(FATAL_ERROR "No python3 that can 'import glad, jinja2' (apt-get install python3-glad python3-jinja2)")
endif()

set(GLAD_DIR ${CMAKE_BINARY_DIR}/glad)
add_custom_command(
  OUTPUT ${GLAD_DIR}/include/glad/gl.h ${GLAD_DIR}/include/KHR/khrplatform.h ${GLAD_DIR}/src/gl.c
  COMMAND ${GLAD_PYTHON} -m glad --quiet --api gl:core=3.3 --extensions= --reproducible --out-path ${GLAD_DIR} c
  COMMENT "Generating the glad OpenGL 3.3 core loader"
  VERBATIM)
add_library(gomap_glad STATIC ${GLAD_DIR}/src/gl.c)
target_include_directories(gomap_glad SYSTEM PUBLIC ${GLAD_DIR}/include)
set_target_properties(gomap_glad PROPERTIES POSITION_INDEPENDENT_CODE ON)

# ---- shaders: embedded at build time from shaders/ -----------------------------
file(GLOB GOMAPLAB_SHADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/shaders/*.vert ${CMAKE_SOURCE_DIR}/shaders/*.frag)
set(GOMAPLAB_SHADER_CPP ${CMAKE_BINARY_DIR}/generated/ui_shaders.cpp)
add_custom_command(
  OUTPUT ${GOMAPLAB_SHADER_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${GOMAPLAB_SHADER_CPP} "-DSHADERS=${GOMAPLAB_SHADERS}"
          -P ${CMAKE_SOURCE_DIR}/cmake/gui_embed_shaders.cmake
  DEPENDS ${GOMAPLAB_SHADERS} ${CMAKE_SOURCE_DIR}/cmake/gui_embed_shaders.cmake
  COMMENT "Embedding shaders"
  VERBATIM)

# ---- gomap_ui ------------------------------------------------------------------------
file(GLOB GOMAPLAB_UI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/ui/*.cpp)
add_library(gomap_ui STATIC ${GOMAPLAB_UI_SOURCES} ${GOMAPLAB_SHADER_CPP})
target_include_directories(gomap_ui PUBLIC src)
target_compile_definitions(gomap_ui PUBLIC GLFW_INCLUDE_NONE
                           PRIVATE GOMAPLAB_ASSET_DIR="${CMAKE_SOURCE_DIR}/assets")
target_link_libraries(gomap_ui PUBLIC gomap_trace gomap_concurrency gomap_glad PkgConfig::IMGUI PkgConfig::GLFW3 fmt::fmt
                               Threads::Threads ${CMAKE_DL_LIBS})

if(FREETYPE_FOUND)
  target_link_libraries(gomap_ui PUBLIC PkgConfig::FREETYPE)
  target_compile_definitions(gomap_ui PRIVATE GOMAPLAB_FREETYPE)
endif()

# ---- frame-time benchmark (not a unit test: run it by hand under xvfb-run) --------------
add_executable(gomaplab_gui_bench ${CMAKE_SOURCE_DIR}/bench/gui_frames.cpp)
target_link_libraries(gomaplab_gui_bench PRIVATE gomap_ui)
