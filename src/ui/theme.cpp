#include "ui/theme.hpp"

#include <algorithm>

namespace gomap::ui {

namespace {
ThemeKind gTheme = ThemeKind::Dark;
Palette gPalette;

constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b, unsigned a = 255) { return IM_COL32(r, g, b, a); }

void darkPalette(Palette& p) {
  // Cell states: dark slate for emptyRest (nothing here or after), amber for
  // the emptyOne tombstone, blue / violet for evacuated to X / Y, grey for
  // evacuatedEmpty, green for a live key.
  p.cell[0] = rgb(38, 42, 50);
  p.cell[1] = rgb(150, 112, 30);
  p.cell[2] = rgb(52, 101, 200);
  p.cell[3] = rgb(150, 70, 200);
  p.cell[4] = rgb(88, 92, 100);
  p.cell[5] = rgb(46, 150, 70);
  for (ImU32& c : p.cellText) c = rgb(240, 240, 240);
  p.cellText[0] = rgb(130, 136, 146);
  p.cellBorder = rgb(16, 18, 22);
  p.bucketFrame = rgb(120, 126, 138);
  p.bucketLabel = rgb(200, 204, 212);
  p.poolFrame = rgb(200, 160, 60);
  p.poolFree = rgb(60, 64, 72);
  p.poolUsed = rgb(200, 160, 60);
  p.oldVeil = rgb(20, 22, 26, 150);
  p.nevacuate = rgb(255, 80, 80);
  p.highlight = rgb(255, 236, 64);
  p.highlightFill = rgb(255, 236, 64, 60);
  p.moveX = rgb(90, 150, 255, 200);
  p.moveY = rgb(200, 110, 255, 200);
  p.hatch = rgb(0, 0, 0, 50);
  p.markers[0] = rgb(64, 200, 255);
  p.markers[1] = rgb(255, 170, 60);
  p.markers[2] = rgb(80, 230, 120);
  p.markers[3] = rgb(230, 200, 80);
  p.markers[4] = rgb(255, 90, 90);
  p.markers[5] = rgb(255, 40, 200);
  p.bitZero = rgb(50, 54, 62);
  p.bitOne = rgb(110, 116, 128);
  p.bitLow = rgb(52, 101, 200);
  p.bitTop = rgb(46, 150, 70);
  p.bitNewbit = rgb(220, 120, 30);
  p.bitTextOnColour = rgb(250, 250, 250);
  p.codeCurrent = rgb(255, 236, 64, 70);
  p.codeCaller = rgb(120, 160, 255, 45);
  p.error = rgb(255, 100, 100);
  p.ok = rgb(120, 220, 140);
  p.dim = rgb(140, 146, 156);
  p.text = rgb(230, 232, 236);
  p.panelBg = rgb(28, 30, 36);
  p.plotCount = rgb(90, 200, 120);
  p.plotLoad = rgb(255, 200, 70);
  p.plotNoverflow = rgb(230, 140, 60);
  p.plotMemory = rgb(110, 170, 255);
  p.plotThreshold = rgb(255, 90, 90, 200);
  p.plotCursor = rgb(255, 236, 64);
  p.flagOn = rgb(255, 200, 60);
  p.flagOff = rgb(60, 64, 72);
  const ImU32 gs[8] = {rgb(60, 140, 255), rgb(255, 130, 40), rgb(60, 190, 90),  rgb(210, 90, 210),
                       rgb(220, 190, 40), rgb(40, 200, 200), rgb(240, 90, 90), rgb(160, 160, 160)};
  for (int i = 0; i < 8; i++) p.goroutine[i] = gs[i];
  p.borderThickness = 1.0f;
  p.highlightThickness = 3.0f;
  p.moveThickness = 1.0f;
}

void projectorPalette(Palette& p) {
  // Light background, black text, thick black borders and the Okabe-Ito
  // colours (Okabe & Ito, "Color Universal Design"): blue #0072B2 and
  // vermillion #D55E00 for X and Y differ in hue for every common kind of colour
  // blindness and in lightness too; what survives a washed-out projector.
  constexpr ImU32 black = rgb(0, 0, 0), orange = rgb(230, 159, 0), sky = rgb(86, 180, 233),
                  green = rgb(0, 158, 115), yellow = rgb(240, 228, 66), blue = rgb(0, 114, 178),
                  vermillion = rgb(213, 94, 0), purple = rgb(204, 121, 167);
  p.cell[0] = rgb(255, 255, 255);
  p.cell[1] = yellow;
  p.cell[2] = blue;
  p.cell[3] = vermillion;
  p.cell[4] = rgb(175, 175, 175);
  p.cell[5] = green;
  p.cellText[0] = rgb(100, 100, 100);
  p.cellText[1] = black;
  p.cellText[2] = rgb(255, 255, 255);
  p.cellText[3] = black;
  p.cellText[4] = black;
  p.cellText[5] = black;
  p.cellBorder = black;
  p.bucketFrame = black;
  p.bucketLabel = black;
  p.poolFrame = black;
  p.poolFree = rgb(235, 235, 235);
  p.poolUsed = orange;
  p.oldVeil = rgb(255, 255, 255, 120);
  p.nevacuate = purple;
  p.highlight = black;
  p.highlightFill = rgb(240, 228, 66, 60);
  p.moveX = blue;
  p.moveY = vermillion;
  p.hatch = rgb(0, 0, 0, 110);
  p.markers[0] = blue;
  p.markers[1] = orange;
  p.markers[2] = green;
  p.markers[3] = rgb(150, 130, 0);
  p.markers[4] = vermillion;
  p.markers[5] = purple;
  p.bitZero = rgb(235, 235, 235);
  p.bitOne = rgb(150, 150, 150);
  p.bitLow = blue;
  p.bitTop = green;
  p.bitNewbit = orange;
  p.bitTextOnColour = black;
  p.codeCurrent = rgb(240, 228, 66, 170);
  p.codeCaller = rgb(86, 180, 233, 70);
  p.error = rgb(190, 40, 0);
  p.ok = rgb(0, 110, 80);
  p.dim = rgb(80, 80, 80);
  p.text = black;
  p.panelBg = rgb(255, 255, 255);
  p.plotCount = green;
  p.plotLoad = orange;
  p.plotNoverflow = vermillion;
  p.plotMemory = blue;
  p.plotThreshold = purple;
  p.plotCursor = black;
  p.flagOn = orange;
  p.flagOff = rgb(225, 225, 225);
  const ImU32 gs[8] = {sky, orange, green, purple, yellow, blue, vermillion, rgb(150, 150, 150)};
  for (int i = 0; i < 8; i++) p.goroutine[i] = gs[i];
  p.borderThickness = 2.0f;
  p.highlightThickness = 5.0f;
  p.moveThickness = 3.0f;
}
} // namespace

const Palette& palette() { return gPalette; }
ThemeKind currentTheme() { return gTheme; }

void applyTheme(ThemeKind t, float scale) {
  gTheme = t;
  ImGuiStyle style;
  if (t == ThemeKind::Dark) {
    ImGui::StyleColorsDark(&style);
    darkPalette(gPalette);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
    // Child windows draw no background of their own: under a software
    // rasteriser every extra full-panel layer costs milliseconds a frame.
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  } else {
    ImGui::StyleColorsLight(&style);
    projectorPalette(gPalette);
    style.Colors[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
    style.Colors[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    style.Colors[ImGuiCol_Border] = ImVec4(0, 0, 0, 1);
    style.Colors[ImGuiCol_TitleBg] = ImVec4(0.80f, 0.80f, 0.80f, 1);
    style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.65f, 0.75f, 1.0f, 1);
    style.Colors[ImGuiCol_FrameBg] = ImVec4(0.92f, 0.92f, 0.92f, 1);
    style.Colors[ImGuiCol_Button] = ImVec4(0.80f, 0.86f, 1.0f, 1);
    style.WindowBorderSize = 2.0f;
    style.FrameBorderSize = 1.0f;
  }
  // Menus, popups and tooltips are opaque: the panel text under a menu must not
  // show through it (the stock styles leave them at 94% / 98%).
  style.Colors[ImGuiCol_PopupBg].w = 1.0f;
  style.Colors[ImGuiCol_MenuBarBg].w = 1.0f;
  style.WindowRounding = 3.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowPadding = ImVec2(8, 6);
  style.ItemSpacing = ImVec2(7, 5);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
  // Lines grow with the font on a projector: a 1 px line at 175% vanishes.
  if (scale > 1.0f) {
    gPalette.borderThickness *= std::min(scale, 1.5f);
    gPalette.highlightThickness *= scale;
    gPalette.moveThickness *= scale;
  }
}

void cellColourFloats(int cls, bool oldArray, float out[4]) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(gPalette.cell[cls]);
  if (oldArray && cls >= 2 && cls <= 4) {
    // Evacuated old cells: greyed (mixed halfway to the grey of evacuatedEmpty).
    ImVec4 g = ImGui::ColorConvertU32ToFloat4(gPalette.cell[4]);
    c = ImVec4((c.x + 2 * g.x) / 3, (c.y + 2 * g.y) / 3, (c.z + 2 * g.z) / 3, 1);
  }
  out[0] = c.x;
  out[1] = c.y;
  out[2] = c.z;
  out[3] = c.w;
}

} // namespace gomap::ui
