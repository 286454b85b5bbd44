#include "ui/gl_util.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>

namespace gomap::ui {

bool loadGl(std::string& err) {
  int v = gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress));
  if (!v) {
    err = "could not load the OpenGL functions (glad)";
    return false;
  }
  if (GLAD_VERSION_MAJOR(v) < 3 || (GLAD_VERSION_MAJOR(v) == 3 && GLAD_VERSION_MINOR(v) < 3)) {
    err = fmt::format("OpenGL 3.3 needed, got {}.{}", GLAD_VERSION_MAJOR(v), GLAD_VERSION_MINOR(v));
    return false;
  }
  return true;
}

namespace {
GLuint compile(GLenum type, const char* name, std::string& err) {
  const char* src = embeddedShader(name);
  if (!src) {
    err = fmt::format("shader {} is not embedded", name);
    return 0;
  }
  GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    err = fmt::format("{}: {}", name, log);
    glDeleteShader(s);
    return 0;
  }
  return s;
}
} // namespace

GLuint buildProgram(const char* vertexName, const char* fragmentName, std::string& err) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertexName, err);
  if (!vs) return 0;
  GLuint fs = compile(GL_FRAGMENT_SHADER, fragmentName, err);
  if (!fs) {
    glDeleteShader(vs);
    return 0;
  }
  GLuint p = glCreateProgram();
  glAttachShader(p, vs);
  glAttachShader(p, fs);
  glLinkProgram(p);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048];
    glGetProgramInfoLog(p, sizeof log, nullptr, log);
    err = fmt::format("link {}+{}: {}", vertexName, fragmentName, log);
    glDeleteProgram(p);
    return 0;
  }
  return p;
}

} // namespace gomap::ui
