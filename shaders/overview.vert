#version 330 core
// The overview quad: four vertices from gl_VertexID (a triangle strip), placed
// at uRect (pixels, ImGui's coordinates) and mapped to texels uTexRect.
uniform mat4 uProj;
uniform vec4 uRect;    // x0, y0, x1, y1 in pixels
uniform vec4 uTexRect; // u0, v0, u1, v1 in texels (cells x buckets-rows)
out vec2 vTexel;
void main() {
  vec2 t = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  vec2 p = mix(uRect.xy, uRect.zw, t);
  vTexel = mix(uTexRect.xy, uTexRect.zw, t);
  gl_Position = uProj * vec4(p, 0.0, 1.0);
}
