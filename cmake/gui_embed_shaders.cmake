# cmake -DOUT=file.cpp -DSHADERS="a.vert;b.frag" -P gui_embed_shaders.cmake
# Writes the shaders' text into a C++ table gomap::ui::embeddedShader(name).
set(body "")
foreach(f ${SHADERS})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(APPEND body "    {\"${name}\", R\"gomaplab_shader(${text})gomaplab_shader\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from shaders/ by cmake/gui_embed_shaders.cmake. Do not edit.
#include <cstring>
namespace gomap::ui {
struct EmbeddedShader { const char* name; const char* text; };
static const EmbeddedShader kShaders[] = {
${body}    {nullptr, nullptr}};
const char* embeddedShader(const char* name) {
  for (const EmbeddedShader* s = kShaders; s->name; s++)
    if (std::strcmp(s->name, name) == 0) return s->text;
  return nullptr;
}
} // namespace gomap::ui
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)
