#include "ui/gui_runtime.hpp"

#include "ui/gl_util.hpp" // glad before GLFW

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace gomap::ui {

namespace {
std::string gGlfwError;
void glfwError(int code, const char* desc) { gGlfwError = fmt::format("{} (GLFW error 0x{:x})", desc, code); }

// Every key press and autorepeat reaches the workspace as a tap (Workspace::keyTap);
// ImGui's backend, installed after this, chains to it. A held Ctrl shortcut
// (Ctrl+S, Ctrl+Q, ...) acts once: its autorepeats are dropped, while held arrows
// keep stepping.
void onKey(GLFWwindow* w, int key, int /*scancode*/, int action, int mods) {
  if (action == GLFW_RELEASE) return;
  if (action == GLFW_REPEAT && (mods & GLFW_MOD_CONTROL)) return;
  if (auto* ws = static_cast<Workspace*>(glfwGetWindowUserPointer(w))) ws->keyTap(key, (mods & GLFW_MOD_SHIFT) != 0, (mods & GLFW_MOD_CONTROL) != 0);
}
// The window's close button: not yet. The workspace asks "Save changes?" first
// when there is unsaved work, and the runtime closes once it is answered.
void onClose(GLFWwindow* w) {
  if (auto* ws = static_cast<Workspace*>(glfwGetWindowUserPointer(w))) {
    glfwSetWindowShouldClose(w, GLFW_FALSE);
    ws->files.closeRequested = true;
  }
}
// Files dropped on the window open as File > Open would (asking first).
void onDrop(GLFWwindow* w, int count, const char** paths) {
  if (auto* ws = static_cast<Workspace*>(glfwGetWindowUserPointer(w)))
    for (int i = 0; i < count; i++)
      if (paths[i] && *paths[i]) ws->files.dropped.emplace_back(paths[i]);
}
// GLFW stays initialised until the process exits: terminating it closes the
// X connection, and Xvfb resets when its last client leaves, which makes the
// next window (the next test) fail to connect while it does.
bool gGlfwUp = false;
} // namespace

GuiRuntime::~GuiRuntime() {
  if (imgui_) {
    gl_.shutdown();
    if (fbo_) glDeleteFramebuffers(1, &fbo_);
    if (rbo_) glDeleteRenderbuffers(1, &rbo_);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (win_) glfwSetWindowUserPointer(win_, nullptr);
  ws_.reset();
  if (win_) glfwDestroyWindow(win_);
}

bool GuiRuntime::init(const RuntimeOptions& o, std::string& why, bool& noDisplay) {
  using Clock = std::chrono::steady_clock;
  auto mark = Clock::now();
  auto phase = [&](const char* name) {
    auto now = Clock::now();
    startup.emplace_back(name, std::chrono::duration<double, std::milli>(now - mark).count());
    mark = now;
  };
  noDisplay = false;
  prefs_ = o.prefs;
  offscreen_ = o.offscreen;
  w_ = o.width;
  h_ = o.height;
  glfwSetErrorCallback(glfwError);
  gGlfwError.clear();
  if (!gGlfwUp) {
    if (!glfwInit()) {
      why = gGlfwError.empty() ? "glfwInit failed" : gGlfwError;
      noDisplay = true;
      return false;
    }
    gGlfwUp = true;
    std::atexit(glfwTerminate);
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, o.offscreen ? GLFW_FALSE : GLFW_TRUE);
  if (!o.offscreen) {
    // Not larger than the screen (a laptop, a projector at 1280x720).
    if (GLFWmonitor* mon = glfwGetPrimaryMonitor()) {
      if (const GLFWvidmode* vm = glfwGetVideoMode(mon)) {
        if (w_ > vm->width || h_ > vm->height) {
          w_ = std::max(640, static_cast<int>(vm->width * 0.95));
          h_ = std::max(480, static_cast<int>(vm->height * 0.9));
        }
      }
    }
  }
  win_ = glfwCreateWindow(o.offscreen ? 64 : w_, o.offscreen ? 64 : h_, o.title.c_str(), nullptr, nullptr);
  if (!win_) {
    why = gGlfwError.empty() ? "could not create an OpenGL 3.3 window" : gGlfwError;
    noDisplay = true;
    return false;
  }
  phase("glfwInit + window");
  glfwMakeContextCurrent(win_);
  glfwSwapInterval(o.vsync ? 1 : 0);
  if (!loadGl(why)) return false;
  phase("GL context + glad");

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  imgui_ = true;
  ImGuiIO& io = ImGui::GetIO();
  ini_ = o.iniPath;
  io.IniFilename = ini_.empty() ? nullptr : ini_.c_str();
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  glfwSetKeyCallback(win_, onKey);
  glfwSetWindowCloseCallback(win_, onClose);
  glfwSetDropCallback(win_, onDrop);
  ImGui_ImplGlfw_InitForOpenGL(win_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  if (offscreen_) {
    glGenFramebuffers(1, &fbo_);
    glGenRenderbuffers(1, &rbo_);
    glBindRenderbuffer(GL_RENDERBUFFER, rbo_);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w_, h_);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rbo_);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      why = "offscreen framebuffer incomplete";
      return false;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }
  phase("ImGui backends");

  rebuildFonts();
  phase("fonts");
  ws_ = std::make_unique<Workspace>(app_, race, prefs_, fonts_, &gl_);
  glfwSetWindowUserPointer(win_, ws_.get());
  // The UI language from the start, not from the first frame: the status line of
  // the script opened before that frame is written in it.
  setLanguage(ws_->effectiveLanguage());
  return true;
}

void GuiRuntime::rebuildFonts() {
  fonts_ = buildFonts(prefs_.fontScale, prefs_.language == "zh");
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  applyTheme(prefs_.theme, prefs_.fontScale);
}

bool GuiRuntime::shouldClose() const { return ws_ ? ws_->files.quitNow : glfwWindowShouldClose(win_) != 0; }

void GuiRuntime::frame(double dt) {
  using Clock = std::chrono::steady_clock;
  glfwPollEvents();
  const auto t0 = Clock::now();
  // Language, scale or theme changed, or text with glyphs the atlas lacks was
  // loaded or typed last frame (ui/fonts.hpp: needGlyphs).
  if (ws_->fontsDirty || glyphsPending()) {
    ws_->fontsDirty = false;
    rebuildFonts();
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  int fbw = w_, fbh = h_;
  if (offscreen_) {
    io.DisplaySize = ImVec2(static_cast<float>(w_), static_cast<float>(h_));
    io.DisplayFramebufferScale = ImVec2(1, 1);
  } else {
    glfwGetFramebufferSize(win_, &fbw, &fbh);
  }
  if (injectMouse) {
    io.MousePos = *injectMouse;
    io.MouseDown[0] = injectMouseDown;
    io.MouseWheel = injectWheel;
  }
  io.DeltaTime = static_cast<float>(dt > 0 ? dt : 1.0 / 60.0);
  ImGui::NewFrame();
  gl_.beginFrame();
  ws_->draw(static_cast<float>(dt));
  ImGui::Render();
  glBindFramebuffer(GL_FRAMEBUFFER, offscreen_ ? fbo_ : 0);
  glViewport(0, 0, fbw, fbh);
  // The window colour: tiled windows draw no background of their own (workspace.hpp).
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  lastCpuMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (!offscreen_) glfwSwapBuffers(win_);
  if (finishEachFrame || offscreen_) glFinish();
  lastTotalMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::vector<uint8_t> GuiRuntime::readPixels(int& w, int& h) {
  w = w_;
  h = h_;
  if (!offscreen_) glfwGetFramebufferSize(win_, &w, &h);
  std::vector<uint8_t> px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  glBindFramebuffer(GL_FRAMEBUFFER, offscreen_ ? fbo_ : 0);
  if (offscreen_) glReadBuffer(GL_COLOR_ATTACHMENT0);
  else glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glFinish();
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  // GL's rows go bottom-up.
  const std::size_t row = static_cast<std::size_t>(w) * 4;
  std::vector<uint8_t> tmp(row);
  for (int y = 0; y < h / 2; y++) {
    uint8_t* a = &px[static_cast<std::size_t>(y) * row];
    uint8_t* b = &px[static_cast<std::size_t>(h - 1 - y) * row];
    std::memcpy(tmp.data(), a, row);
    std::memcpy(a, b, row);
    std::memcpy(b, tmp.data(), row);
  }
  return px;
}

bool GuiRuntime::writePng(const std::string& path, std::string& err) {
  int w, h;
  auto px = readPixels(w, h);
  for (std::size_t i = 3; i < px.size(); i += 4) px[i] = 255; // opaque
  std::string tmp = path + ".tmp";
  if (!stbi_write_png(tmp.c_str(), w, h, 4, px.data(), w * 4)) {
    err = fmt::format("{}: could not write the PNG", path);
    return false;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    err = fmt::format("{}: {}", path, std::strerror(errno));
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

} // namespace gomap::ui
