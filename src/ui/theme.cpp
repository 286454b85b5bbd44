#include "ui/theme.hpp"

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
  p.borderThickness = 1.0f;
  p.highlightThickness = 3.0f;
}

void projectorPalette(Palette& p) {
  // Light background, black text, saturated fills and thick black borders:
  // what survives a washed-out classroom projector.
  p.cell[0] = rgb(255, 255, 255);
  p.cell[1] = rgb(255, 210, 0);
  p.cell[2] = rgb(0, 90, 255);
  p.cell[3] = rgb(200, 0, 200);
  p.cell[4] = rgb(150, 150, 150);
  p.cell[5] = rgb(0, 170, 0);
  p.cellText[0] = rgb(110, 110, 110);
  p.cellText[1] = rgb(0, 0, 0);
  p.cellText[2] = rgb(255, 255, 255);
  p.cellText[3] = rgb(255, 255, 255);
  p.cellText[4] = rgb(0, 0, 0);
  p.cellText[5] = rgb(255, 255, 255);
  p.cellBorder = rgb(0, 0, 0);
  p.bucketFrame = rgb(0, 0, 0);
  p.bucketLabel = rgb(0, 0, 0);
  p.poolFrame = rgb(200, 100, 0);
  p.poolFree = rgb(220, 220, 220);
  p.poolUsed = rgb(230, 120, 0);
  p.oldVeil = rgb(120, 120, 120, 150);
  p.nevacuate = rgb(230, 0, 0);
  p.highlight = rgb(255, 0, 0);
  p.highlightFill = rgb(255, 0, 0, 50);
  p.moveX = rgb(0, 70, 230, 230);
  p.moveY = rgb(190, 0, 190, 230);
  p.markers[0] = rgb(0, 120, 255);
  p.markers[1] = rgb(230, 110, 0);
  p.markers[2] = rgb(0, 160, 0);
  p.markers[3] = rgb(170, 130, 0);
  p.markers[4] = rgb(230, 0, 0);
  p.markers[5] = rgb(200, 0, 160);
  p.bitZero = rgb(235, 235, 235);
  p.bitOne = rgb(160, 160, 160);
  p.bitLow = rgb(0, 90, 255);
  p.bitTop = rgb(0, 150, 0);
  p.bitNewbit = rgb(230, 110, 0);
  p.bitTextOnColour = rgb(255, 255, 255);
  p.codeCurrent = rgb(255, 220, 0, 140);
  p.codeCaller = rgb(0, 90, 255, 50);
  p.error = rgb(200, 0, 0);
  p.ok = rgb(0, 130, 0);
  p.dim = rgb(90, 90, 90);
  p.text = rgb(0, 0, 0);
  p.panelBg = rgb(255, 255, 255);
  p.plotCount = rgb(0, 150, 0);
  p.plotLoad = rgb(200, 130, 0);
  p.plotNoverflow = rgb(220, 90, 0);
  p.plotMemory = rgb(0, 80, 230);
  p.plotThreshold = rgb(230, 0, 0);
  p.plotCursor = rgb(255, 0, 0);
  p.flagOn = rgb(230, 120, 0);
  p.flagOff = rgb(225, 225, 225);
  p.borderThickness = 2.0f;
  p.highlightThickness = 4.0f;
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
  style.WindowRounding = 3.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowPadding = ImVec2(8, 6);
  style.ItemSpacing = ImVec2(7, 5);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
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
