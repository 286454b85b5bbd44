// OpenGL helpers for gomap_ui: the glad loader, shader programs built from the
// sources in shaders/ (embedded at build time by cmake/gui_embed_shaders.cmake).
#pragma once
#include <glad/gl.h>

#include <string>

namespace gomap::ui {

// The text of shaders/NAME, or nullptr (generated file).
const char* embeddedShader(const char* name);
// Loads GL entry points through GLFW (after a context is current).
bool loadGl(std::string& err);
// Compiles and links a program; on failure returns 0 and err holds the log.
GLuint buildProgram(const char* vertexName, const char* fragmentName, std::string& err);

} // namespace gomap::ui
