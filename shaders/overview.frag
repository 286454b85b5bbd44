#version 330 core
// One texel per bucket cell: R = the cell's tophash byte, G = the number of
// overflow bmaps chained to the cell's bucket. The palette turns the tophash
// into the cell state (emptyRest, emptyOne, evacuatedX, evacuatedY,
// evacuatedEmpty, live). When zoomed in, cell and bucket borders are drawn and
// buckets with overflow bmaps get a mark along their bottom edge.
uniform usampler2D uCells;
uniform vec4 uPalette[6];
uniform vec4 uBorder;      // cell border colour
uniform vec4 uOverflow;    // overflow mark colour
uniform vec4 uBackground;
uniform float uPxPerTexel; // zoom: screen pixels per texel
uniform int uBuckets;      // buckets in this array
uniform int uBucketsPerRow;
in vec2 vTexel;
out vec4 fragColor;
void main() {
  ivec2 size = textureSize(uCells, 0);
  ivec2 t = ivec2(floor(vTexel));
  if (vTexel.x < 0.0 || vTexel.y < 0.0 || t.x >= size.x || t.y >= size.y) {
    fragColor = uBackground;
    return;
  }
  int bucket = t.y * uBucketsPerRow + t.x / 8;
  if (bucket >= uBuckets) {
    fragColor = uBackground;
    return;
  }
  uvec2 cell = texelFetch(uCells, t, 0).rg;
  int cls = int(min(cell.r, 5u));
  vec4 c = uPalette[cls];
  if (cls == 5) {
    // Live cells: a slight shade from the tophash, so neighbours stand apart.
    c.rgb *= 0.86 + 0.14 * float(cell.r & 7u) / 7.0;
  }
  vec2 f = fract(vTexel) * uPxPerTexel; // pixels from the texel's top-left corner
  if (uPxPerTexel >= 4.0) {
    float cellEdge = (f.x < 1.0 || f.y < 1.0) ? 1.0 : 0.0;
    float bucketEdge = ((t.x % 8 == 0 && f.x < 2.5) || (f.y < 2.0)) ? 1.0 : 0.0;
    if (bucketEdge > 0.0) c = mix(c, uBorder, 0.95);
    else if (cellEdge > 0.0) c = mix(c, uBorder, 0.6);
  }
  if (cell.g > 0u) {
    // Overflow chain: a band along the bottom of the bucket (a quarter of the
    // cell, at least one pixel), or a full tint when zoomed far out.
    float band = max(1.0, 0.25 * uPxPerTexel);
    if (uPxPerTexel < 1.0) c = mix(c, uOverflow, 0.35);
    else if (uPxPerTexel - f.y <= band) c = uOverflow;
  }
  fragColor = c;
}
