// Every button of every panel, clicked through ImGui's input (issue 11, Tests).
//
// Debian's ImGui 1.86 has no test engine and no item hook, so this executable is
// linked with `-Wl,--wrap=` for each button-like widget (tests/gui/CMakeLists.txt):
// every call from gomap_ui's views goes through a __wrap_ function below, which
// calls the real widget and records what was drawn (window, label, ImGui ID,
// rectangle, clipped or not, disabled, what the call returned). Nothing here
// names a panel or a button: the test works from what the last frame drew, so
// panels and menus added later are picked up without edits.
//
// For each setup (an op-script session at an event of growth.ops, a race lesson
// in the middle of its recorded timeline, the op-script session with an error on
// screen, a typed command and a panel closed; the Chinese UI and projector mode at
// 175% on 1280x720 for IDs and reach only) the explorer
//   - collects every button-like item of the frame and asserts that no two items
//     of one window share an ID (the "New map" header and button did: the button
//     was dead),
//   - clicks each one for real in a fresh GUI: the injected mouse moves to its
//     centre, a frame, press, a frame, release, a frame, then the mouse goes away,
//   - checks the click arrived (a button returned true, a field became active)
//     and had an effect: the controller's revision, session, cursor, error or
//     status, the preferences, an open popup or window, or the pixels of the
//     frames after it (title bars masked: they only say which window has focus),
//     compared with a fresh GUI in which the click landed on empty menu bar,
//   - fails items cut off where their window shows no scrollbar (nobody can click them),
//   - opens what opens (menus, sub-menus, collapsing headers, combos, new
//     windows) and explores the items inside, up to three clicks deep.
// docs/gui-tests.md has the details.
// A short allow-list below names the items that may legitimately do nothing.
#include <gtest/gtest.h>

#include <imgui.h>
#include <imgui_internal.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "ui/goroutines_view.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/prefs.hpp"
#include "ui/syncmap_state.hpp"

using namespace gomap;
using namespace gomap::ui;

// ---- the recorder ------------------------------------------------------------------------

namespace rec {

enum class Kind : uint8_t {
  Button, SmallButton, ArrowButton, InvisibleButton, Checkbox, CheckboxFlags, Radio, Selectable, MenuItem, BeginMenu,
  Header, TreeNode, Combo, Input, Slider, Drag, TabItem, TabButton, ColorEdit,
};
const char* kindName(Kind k) {
  static const char* n[] = {"Button", "SmallButton", "ArrowButton", "InvisibleButton", "Checkbox", "CheckboxFlags",
                            "RadioButton", "Selectable", "MenuItem", "BeginMenu", "CollapsingHeader", "TreeNode",
                            "Combo", "InputText/InputInt", "Slider", "Drag", "TabItem", "TabItemButton", "ColorEdit"};
  return n[static_cast<int>(k)];
}
// A click on these must make the call return true (the click arrived).
bool pressKind(Kind k) {
  switch (k) {
  case Kind::Button: case Kind::SmallButton: case Kind::ArrowButton: case Kind::InvisibleButton: case Kind::Checkbox:
  case Kind::CheckboxFlags: case Kind::Radio: case Kind::Selectable: case Kind::MenuItem: case Kind::Header:
  case Kind::TreeNode: case Kind::TabButton:
    return true;
  default:
    return false;
  }
}
// Items that open something: what they reveal is explored.
bool expander(Kind k) {
  return k == Kind::BeginMenu || k == Kind::Header || k == Kind::TreeNode || k == Kind::Combo || k == Kind::TabItem;
}
// Items that open a popup window of their own when they are open (their rectangle
// is only known while closed).
bool popupKind(Kind k) { return k == Kind::BeginMenu || k == Kind::Combo; }

struct Item {
  Kind kind{};
  std::string window; // ImGui window name ("Controls###controls", "##Menu_00")
  std::string label;
  ImGuiID id = 0;     // the label's ID in the window's ID stack (what collides)
  ImRect rect;
  bool rectValid = false, visible = false, disabled = false, skipped = false;
  bool ret = false, active = false, activated = false;
  int selected = -1;  // -1: not a choice; 0/1: the choice was off/on when drawn
  ImRect clip;        // where the window (or table cell) draws
  bool scrollbarX = false, scrollbarY = false; // the window shows a scrollbar (a user can scroll it)
  std::string key() const { return window + "\x1f" + std::to_string(id) + "\x1f" + kindName(kind); }
  std::string name() const { return std::string(kindName(kind)) + " \"" + label + "\" in " + window; }
  ImVec2 centre() const { return ImVec2((rect.Min.x + rect.Max.x) * 0.5f, (rect.Min.y + rect.Max.y) * 0.5f); }
};

struct Recorder {
  bool on = true;
  int depth = 0; // wrapped calls from inside a wrapped call (imgui_stdlib -> imgui) are not items of their own
  std::vector<Item> items;
} g;

template <class Call>
bool record(Kind k, const char* label, int selected, Call&& call) {
  ImGuiContext* ctx = GImGui;
  ImGuiWindow* w = ctx ? ctx->CurrentWindow : nullptr;
  if (!g.on || g.depth > 0 || !w || !label) {
    g.depth++;
    const bool r = call();
    g.depth--;
    return r;
  }
  Item it;
  it.kind = k;
  it.window = w->Name;
  it.label = label;
  it.id = w->GetIDNoKeepAlive(label);
  it.skipped = w->SkipItems;
  it.selected = selected;
  const ImGuiItemFlags flagsBefore = ctx->CurrentItemFlags;
  g.depth++;
  const bool r = call();
  g.depth--;
  it.ret = r;
  const ImGuiLastItemData& d = ctx->LastItemData;
  it.rectValid = !it.skipped && (!popupKind(k) || d.ID == it.id);
  if (it.rectValid) {
    it.rect = d.Rect;
    // The clip rectangle, or across a table row: in a table the clip rectangle is the
    // cell's, and a row's Selectable spans all columns; its height leaves out a frozen
    // header row. (The menu bar is outside the window's inner rectangle.)
    const ImVec2 c = it.centre();
    const bool inClip = w->ClipRect.Contains(c);
    const bool inRow = w->InnerClipRect.Contains(c) && c.y >= w->ClipRect.Min.y && c.y <= w->ClipRect.Max.y;
    it.visible = (inClip || inRow) && d.Rect.GetWidth() > 0 && d.Rect.GetHeight() > 0;
    it.clip = w->InnerClipRect;
    // The window's own scrollbars, or its parent's for a child window without any.
    for (ImGuiWindow* s = w; s; s = (s->Flags & ImGuiWindowFlags_ChildWindow) ? s->ParentWindow : nullptr) {
      it.scrollbarX |= s->ScrollbarX;
      it.scrollbarY |= s->ScrollbarY;
    }
    it.disabled = (d.InFlags & ImGuiItemFlags_Disabled) != 0;
    it.active = ctx->ActiveId != 0 && ctx->ActiveId == d.ID;
    it.activated = ImGui::IsItemActivated();
  } else {
    it.disabled = (flagsBefore & ImGuiItemFlags_Disabled) != 0;
  }
  if (k == Kind::TabItem) it.selected = r ? 1 : 0; // the tab shown is the current choice
  g.items.push_back(std::move(it));
  return r;
}

} // namespace rec

// The wrappers: one per widget overload named in tests/gui/CMakeLists.txt (GOMAPLAB_WRAPPED).
#define REAL(sym) __real_##sym
#define WRAP(sym) __wrap_##sym
using rec::Kind;
using rec::record;
typedef int (*TextCb)(ImGuiInputTextCallbackData*);
typedef bool (*ComboGetter)(void*, int, const char**);
extern "C" {
bool REAL(_ZN5ImGui6ButtonEPKcRK6ImVec2)(const char*, const ImVec2&);
bool WRAP(_ZN5ImGui6ButtonEPKcRK6ImVec2)(const char* l, const ImVec2& s) {
  return record(Kind::Button, l, -1, [&] { return REAL(_ZN5ImGui6ButtonEPKcRK6ImVec2)(l, s); });
}
bool REAL(_ZN5ImGui11SmallButtonEPKc)(const char*);
bool WRAP(_ZN5ImGui11SmallButtonEPKc)(const char* l) {
  return record(Kind::SmallButton, l, -1, [&] { return REAL(_ZN5ImGui11SmallButtonEPKc)(l); });
}
bool REAL(_ZN5ImGui15InvisibleButtonEPKcRK6ImVec2i)(const char*, const ImVec2&, int);
bool WRAP(_ZN5ImGui15InvisibleButtonEPKcRK6ImVec2i)(const char* l, const ImVec2& s, int f) {
  return record(Kind::InvisibleButton, l, -1, [&] { return REAL(_ZN5ImGui15InvisibleButtonEPKcRK6ImVec2i)(l, s, f); });
}
bool REAL(_ZN5ImGui11ArrowButtonEPKci)(const char*, int);
bool WRAP(_ZN5ImGui11ArrowButtonEPKci)(const char* l, int d) {
  return record(Kind::ArrowButton, l, -1, [&] { return REAL(_ZN5ImGui11ArrowButtonEPKci)(l, d); });
}
bool REAL(_ZN5ImGui8CheckboxEPKcPb)(const char*, bool*);
bool WRAP(_ZN5ImGui8CheckboxEPKcPb)(const char* l, bool* v) {
  return record(Kind::Checkbox, l, -1, [&] { return REAL(_ZN5ImGui8CheckboxEPKcPb)(l, v); });
}
bool REAL(_ZN5ImGui13CheckboxFlagsEPKcPii)(const char*, int*, int);
bool WRAP(_ZN5ImGui13CheckboxFlagsEPKcPii)(const char* l, int* v, int f) {
  return record(Kind::CheckboxFlags, l, -1, [&] { return REAL(_ZN5ImGui13CheckboxFlagsEPKcPii)(l, v, f); });
}
bool REAL(_ZN5ImGui11RadioButtonEPKcb)(const char*, bool);
bool WRAP(_ZN5ImGui11RadioButtonEPKcb)(const char* l, bool a) {
  return record(Kind::Radio, l, a ? 1 : 0, [&] { return REAL(_ZN5ImGui11RadioButtonEPKcb)(l, a); });
}
bool REAL(_ZN5ImGui11RadioButtonEPKcPii)(const char*, int*, int);
bool WRAP(_ZN5ImGui11RadioButtonEPKcPii)(const char* l, int* v, int b) {
  return record(Kind::Radio, l, *v == b ? 1 : 0, [&] { return REAL(_ZN5ImGui11RadioButtonEPKcPii)(l, v, b); });
}
bool REAL(_ZN5ImGui10SelectableEPKcbiRK6ImVec2)(const char*, bool, int, const ImVec2&);
bool WRAP(_ZN5ImGui10SelectableEPKcbiRK6ImVec2)(const char* l, bool sel, int f, const ImVec2& s) {
  return record(Kind::Selectable, l, sel ? 1 : 0, [&] { return REAL(_ZN5ImGui10SelectableEPKcbiRK6ImVec2)(l, sel, f, s); });
}
bool REAL(_ZN5ImGui10SelectableEPKcPbiRK6ImVec2)(const char*, bool*, int, const ImVec2&);
bool WRAP(_ZN5ImGui10SelectableEPKcPbiRK6ImVec2)(const char* l, bool* sel, int f, const ImVec2& s) {
  return record(Kind::Selectable, l, -1, [&] { return REAL(_ZN5ImGui10SelectableEPKcPbiRK6ImVec2)(l, sel, f, s); });
}
bool REAL(_ZN5ImGui8MenuItemEPKcS1_bb)(const char*, const char*, bool, bool);
bool WRAP(_ZN5ImGui8MenuItemEPKcS1_bb)(const char* l, const char* sc, bool sel, bool en) {
  return record(Kind::MenuItem, l, sel ? 1 : 0, [&] { return REAL(_ZN5ImGui8MenuItemEPKcS1_bb)(l, sc, sel, en); });
}
bool REAL(_ZN5ImGui8MenuItemEPKcS1_Pbb)(const char*, const char*, bool*, bool);
bool WRAP(_ZN5ImGui8MenuItemEPKcS1_Pbb)(const char* l, const char* sc, bool* sel, bool en) {
  return record(Kind::MenuItem, l, -1, [&] { return REAL(_ZN5ImGui8MenuItemEPKcS1_Pbb)(l, sc, sel, en); });
}
bool REAL(_ZN5ImGui9BeginMenuEPKcb)(const char*, bool);
bool WRAP(_ZN5ImGui9BeginMenuEPKcb)(const char* l, bool en) {
  return record(Kind::BeginMenu, l, -1, [&] { return REAL(_ZN5ImGui9BeginMenuEPKcb)(l, en); });
}
bool REAL(_ZN5ImGui16CollapsingHeaderEPKci)(const char*, int);
bool WRAP(_ZN5ImGui16CollapsingHeaderEPKci)(const char* l, int f) {
  return record(Kind::Header, l, -1, [&] { return REAL(_ZN5ImGui16CollapsingHeaderEPKci)(l, f); });
}
bool REAL(_ZN5ImGui16CollapsingHeaderEPKcPbi)(const char*, bool*, int);
bool WRAP(_ZN5ImGui16CollapsingHeaderEPKcPbi)(const char* l, bool* o, int f) {
  return record(Kind::Header, l, -1, [&] { return REAL(_ZN5ImGui16CollapsingHeaderEPKcPbi)(l, o, f); });
}
bool REAL(_ZN5ImGui8TreeNodeEPKc)(const char*);
bool WRAP(_ZN5ImGui8TreeNodeEPKc)(const char* l) {
  return record(Kind::TreeNode, l, -1, [&] { return REAL(_ZN5ImGui8TreeNodeEPKc)(l); });
}
bool REAL(_ZN5ImGui10TreeNodeExEPKci)(const char*, int);
bool WRAP(_ZN5ImGui10TreeNodeExEPKci)(const char* l, int f) {
  return record(Kind::TreeNode, l, -1, [&] { return REAL(_ZN5ImGui10TreeNodeExEPKci)(l, f); });
}
bool REAL(_ZN5ImGui10BeginComboEPKcS1_i)(const char*, const char*, int);
bool WRAP(_ZN5ImGui10BeginComboEPKcS1_i)(const char* l, const char* p, int f) {
  return record(Kind::Combo, l, -1, [&] { return REAL(_ZN5ImGui10BeginComboEPKcS1_i)(l, p, f); });
}
bool REAL(_ZN5ImGui5ComboEPKcPiPKS1_ii)(const char*, int*, const char* const[], int, int);
bool WRAP(_ZN5ImGui5ComboEPKcPiPKS1_ii)(const char* l, int* c, const char* const items[], int n, int h) {
  return record(Kind::Combo, l, -1, [&] { return REAL(_ZN5ImGui5ComboEPKcPiPKS1_ii)(l, c, items, n, h); });
}
bool REAL(_ZN5ImGui5ComboEPKcPiS1_i)(const char*, int*, const char*, int);
bool WRAP(_ZN5ImGui5ComboEPKcPiS1_i)(const char* l, int* c, const char* items, int h) {
  return record(Kind::Combo, l, -1, [&] { return REAL(_ZN5ImGui5ComboEPKcPiS1_i)(l, c, items, h); });
}
bool REAL(_ZN5ImGui5ComboEPKcPiPFbPviPS1_ES3_ii)(const char*, int*, ComboGetter, void*, int, int);
bool WRAP(_ZN5ImGui5ComboEPKcPiPFbPviPS1_ES3_ii)(const char* l, int* c, ComboGetter gt, void* d, int n, int h) {
  return record(Kind::Combo, l, -1, [&] { return REAL(_ZN5ImGui5ComboEPKcPiPFbPviPS1_ES3_ii)(l, c, gt, d, n, h); });
}
bool REAL(_ZN5ImGui9InputTextEPKcPcmiPFiP26ImGuiInputTextCallbackDataEPv)(const char*, char*, size_t, int, TextCb, void*);
bool WRAP(_ZN5ImGui9InputTextEPKcPcmiPFiP26ImGuiInputTextCallbackDataEPv)(const char* l, char* b, size_t n, int f, TextCb cb, void* u) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui9InputTextEPKcPcmiPFiP26ImGuiInputTextCallbackDataEPv)(l, b, n, f, cb, u); });
}
bool REAL(_ZN5ImGui9InputTextEPKcPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiPFiP26ImGuiInputTextCallbackDataEPv)(const char*, std::string*, int, TextCb, void*);
bool WRAP(_ZN5ImGui9InputTextEPKcPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiPFiP26ImGuiInputTextCallbackDataEPv)(const char* l, std::string* s, int f, TextCb cb, void* u) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui9InputTextEPKcPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiPFiP26ImGuiInputTextCallbackDataEPv)(l, s, f, cb, u); });
}
bool REAL(_ZN5ImGui17InputTextWithHintEPKcS1_PcmiPFiP26ImGuiInputTextCallbackDataEPv)(const char*, const char*, char*, size_t, int, TextCb, void*);
bool WRAP(_ZN5ImGui17InputTextWithHintEPKcS1_PcmiPFiP26ImGuiInputTextCallbackDataEPv)(const char* l, const char* hint, char* b, size_t n, int f, TextCb cb, void* u) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui17InputTextWithHintEPKcS1_PcmiPFiP26ImGuiInputTextCallbackDataEPv)(l, hint, b, n, f, cb, u); });
}
bool REAL(_ZN5ImGui17InputTextWithHintEPKcS1_PNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiPFiP26ImGuiInputTextCallbackDataEPv)(const char*, const char*, std::string*, int, TextCb, void*);
bool WRAP(_ZN5ImGui17InputTextWithHintEPKcS1_PNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiPFiP26ImGuiInputTextCallbackDataEPv)(const char* l, const char* hint, std::string* s, int f, TextCb cb, void* u) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui17InputTextWithHintEPKcS1_PNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiPFiP26ImGuiInputTextCallbackDataEPv)(l, hint, s, f, cb, u); });
}
bool REAL(_ZN5ImGui18InputTextMultilineEPKcPcmRK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv)(const char*, char*, size_t, const ImVec2&, int, TextCb, void*);
bool WRAP(_ZN5ImGui18InputTextMultilineEPKcPcmRK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv)(const char* l, char* b, size_t n, const ImVec2& s, int f, TextCb cb, void* u) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui18InputTextMultilineEPKcPcmRK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv)(l, b, n, s, f, cb, u); });
}
bool REAL(_ZN5ImGui18InputTextMultilineEPKcPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv)(const char*, std::string*, const ImVec2&, int, TextCb, void*);
bool WRAP(_ZN5ImGui18InputTextMultilineEPKcPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv)(const char* l, std::string* s, const ImVec2& sz, int f, TextCb cb, void* u) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui18InputTextMultilineEPKcPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEERK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv)(l, s, sz, f, cb, u); });
}
bool REAL(_ZN5ImGui8InputIntEPKcPiiii)(const char*, int*, int, int, int);
bool WRAP(_ZN5ImGui8InputIntEPKcPiiii)(const char* l, int* v, int s, int sf, int f) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui8InputIntEPKcPiiii)(l, v, s, sf, f); });
}
bool REAL(_ZN5ImGui10InputFloatEPKcPfffS1_i)(const char*, float*, float, float, const char*, int);
bool WRAP(_ZN5ImGui10InputFloatEPKcPfffS1_i)(const char* l, float* v, float s, float sf, const char* fmt, int f) {
  return record(Kind::Input, l, -1, [&] { return REAL(_ZN5ImGui10InputFloatEPKcPfffS1_i)(l, v, s, sf, fmt, f); });
}
bool REAL(_ZN5ImGui11SliderFloatEPKcPfffS1_i)(const char*, float*, float, float, const char*, int);
bool WRAP(_ZN5ImGui11SliderFloatEPKcPfffS1_i)(const char* l, float* v, float a, float b, const char* fmt, int f) {
  return record(Kind::Slider, l, -1, [&] { return REAL(_ZN5ImGui11SliderFloatEPKcPfffS1_i)(l, v, a, b, fmt, f); });
}
bool REAL(_ZN5ImGui9SliderIntEPKcPiiiS1_i)(const char*, int*, int, int, const char*, int);
bool WRAP(_ZN5ImGui9SliderIntEPKcPiiiS1_i)(const char* l, int* v, int a, int b, const char* fmt, int f) {
  return record(Kind::Slider, l, -1, [&] { return REAL(_ZN5ImGui9SliderIntEPKcPiiiS1_i)(l, v, a, b, fmt, f); });
}
bool REAL(_ZN5ImGui9DragFloatEPKcPffffS1_i)(const char*, float*, float, float, float, const char*, int);
bool WRAP(_ZN5ImGui9DragFloatEPKcPffffS1_i)(const char* l, float* v, float sp, float a, float b, const char* fmt, int f) {
  return record(Kind::Drag, l, -1, [&] { return REAL(_ZN5ImGui9DragFloatEPKcPffffS1_i)(l, v, sp, a, b, fmt, f); });
}
bool REAL(_ZN5ImGui7DragIntEPKcPifiiS1_i)(const char*, int*, float, int, int, const char*, int);
bool WRAP(_ZN5ImGui7DragIntEPKcPifiiS1_i)(const char* l, int* v, float sp, int a, int b, const char* fmt, int f) {
  return record(Kind::Drag, l, -1, [&] { return REAL(_ZN5ImGui7DragIntEPKcPifiiS1_i)(l, v, sp, a, b, fmt, f); });
}
bool REAL(_ZN5ImGui12BeginTabItemEPKcPbi)(const char*, bool*, int);
bool WRAP(_ZN5ImGui12BeginTabItemEPKcPbi)(const char* l, bool* o, int f) {
  return record(Kind::TabItem, l, -1, [&] { return REAL(_ZN5ImGui12BeginTabItemEPKcPbi)(l, o, f); });
}
bool REAL(_ZN5ImGui13TabItemButtonEPKci)(const char*, int);
bool WRAP(_ZN5ImGui13TabItemButtonEPKci)(const char* l, int f) {
  return record(Kind::TabButton, l, -1, [&] { return REAL(_ZN5ImGui13TabItemButtonEPKci)(l, f); });
}
bool REAL(_ZN5ImGui10ColorEdit3EPKcPfi)(const char*, float*, int);
bool WRAP(_ZN5ImGui10ColorEdit3EPKcPfi)(const char* l, float* c, int f) {
  return record(Kind::ColorEdit, l, -1, [&] { return REAL(_ZN5ImGui10ColorEdit3EPKcPfi)(l, c, f); });
}
bool REAL(_ZN5ImGui10ColorEdit4EPKcPfi)(const char*, float*, int);
bool WRAP(_ZN5ImGui10ColorEdit4EPKcPfi)(const char* l, float* c, int f) {
  return record(Kind::ColorEdit, l, -1, [&] { return REAL(_ZN5ImGui10ColorEdit4EPKcPfi)(l, c, f); });
}
} // extern "C"

// ---- the explorer --------------------------------------------------------------------------

namespace {

const std::string kSrc = GOMAPLAB_SOURCE_DIR;

// Items that may legitimately do nothing when clicked, with why. Matched on the
// label (exactly) and, when given, a window name prefix.
struct Allowed {
  const char* label;
  const char* windowPrefix;
  const char* why;
};
const Allowed kAllowNoEffect[] = {
    // The overview (Buckets > view: overview): a fresh one is fitted to the panel
    // already, and its canvas zooms on the wheel or a double click and pans on a
    // drag; a single click at its centre does nothing.
    {"Fit", "Buckets###", "the overview is fitted already"},
    {"##overviewCanvas", "Buckets###", "the overview canvas acts on wheel, double click and drag, not on a click"},
};
const Allowed* allowedNoEffect(const rec::Item& it) {
  for (const Allowed& a : kAllowNoEffect)
    if (it.label == a.label && (!a.windowPrefix || it.window.rfind(a.windowPrefix, 0) == 0)) return &a;
  return nullptr;
}

// Everything a click could change, besides pixels.
struct State {
  std::map<std::string, std::string> v;
  // Multi-line values (the preferences file) are compared line by line.
  static std::string changed(const std::string& was, const std::string& now) {
    if (now.find('\n') == std::string::npos && was.find('\n') == std::string::npos) return was.substr(0, 60) + " -> " + now.substr(0, 60);
    std::istringstream a(was), b(now);
    std::string la, lb, out;
    while (true) {
      const bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
      if (!ga && !gb) break;
      if (la != lb || ga != gb) out += (out.empty() ? "" : ", ") + (ga ? la : "") + " -> " + (gb ? lb : "");
      la.clear();
      lb.clear();
    }
    return out;
  }
  std::string diff(const State& o) const {
    std::string out;
    for (auto& [k, x] : v) {
      auto it = o.v.find(k);
      const std::string y = it == o.v.end() ? "(none)" : it->second;
      if (x != y) out += (out.empty() ? "" : "; ") + k + ": " + changed(y, x);
    }
    for (auto& [k, y] : o.v)
      if (!v.count(k)) out += (out.empty() ? "" : "; ") + k + ": " + y.substr(0, 60) + " -> (none)";
    return out;
  }
};

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class Gui {
public:
  explicit Gui(const std::string& lang, const std::string& tmp, int w = 1600, int h = 900, float fontScale = 1.0f,
               ThemeKind theme = ThemeKind::Dark)
      : tmp_(tmp) {
    RuntimeOptions o;
    o.width = w;
    o.height = h;
    o.prefs.fontScale = fontScale;
    o.prefs.theme = theme;
    o.offscreen = true;
    o.vsync = false;
    o.prefs.language = lang;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (ok) rt.workspace().forceLayout = true;
    away();
  }
  void away() {
    rt.injectMouse = ImVec2(-500, -500);
    rt.injectMouseDown = false;
  }
  // One frame, its items recorded.
  void frame() {
    rec::g.items.clear();
    rt.frame(0);
    items = rec::g.items;
    checkCollisions();
  }
  void frames(int n) {
    for (int i = 0; i < n; i++) frame();
  }
  // Press and release at p, a frame each; what the item at p returned is in the
  // recorded items of these frames (clickFrames).
  void clickAt(ImVec2 p) {
    clickFrames.clear();
    rt.injectMouse = p;
    rt.injectMouseDown = false;
    frame();
    clickFrames.push_back(items);
    rt.injectMouseDown = true;
    frame();
    clickFrames.push_back(items);
    rt.injectMouseDown = false;
    frame();
    clickFrames.push_back(items);
  }
  const rec::Item* find(const std::string& key) const {
    for (const rec::Item& it : items)
      if (it.key() == key) return &it;
    return nullptr;
  }
  // Scrolls the item's window so that the item is inside it (a long panel, a
  // clipped list). Returns the item as drawn after that, or null.
  const rec::Item* reveal(const std::string& key) {
    for (int attempt = 0; attempt < 3; attempt++) {
      const rec::Item* it = find(key);
      if (!it) return nullptr;
      if (it->visible || !it->rectValid) return it;
      ImGuiWindow* w = ImGui::FindWindowByName(it->window.c_str());
      if (!w) return it;
      const float dy = it->centre().y - (w->InnerClipRect.Min.y + w->InnerClipRect.Max.y) * 0.5f;
      ImGui::SetScrollY(w, std::max(0.0f, w->Scroll.y + dy));
      frames(2);
    }
    return find(key);
  }
  State state() {
    State s;
    AppState& a = rt.app();
    auto& v = s.v;
    v["app.session"] = std::to_string(a.sessionId());
    v["app.revision"] = std::to_string(a.revision());
    v["app.position"] = std::to_string(a.position());
    v["app.events"] = std::to_string(a.eventCount());
    v["app.error"] = a.error();
    v["app.status"] = a.status();
    v["app.playing"] = std::to_string(a.playing());
    v["app.speed"] = std::to_string(a.speed());
    v["app.script"] = a.scriptName() + " " + a.scriptPath();
    v["app.job"] = std::to_string(a.job().active());
    RaceController& r = rt.race;
    v["race.loaded"] = std::to_string(r.loaded());
    v["race.active"] = std::to_string(r.active);
    if (r.loaded()) {
      v["race.position"] = std::to_string(r.session().position());
      v["race.timeline"] = std::to_string(r.session().timeline().size());
      v["race.trace"] = std::to_string(r.session().trace().size());
    }
    v["race.error"] = r.error();
    v["race.status"] = r.status();
    v["race.playing"] = std::to_string(r.playing());
    v["race.savedTo"] = r.savedTo();
    Workspace& ws = rt.workspace();
    v["ws.panels"] = std::to_string(ws.panels);
    v["ws.quit"] = std::to_string(ws.quitRequested);
    v["rt.shouldClose"] = std::to_string(rt.shouldClose());
    v["ws.raceMode"] = std::to_string(ws.raceMode());
    const std::string pf = tmp_ + "/prefs-probe.ini";
    savePrefs(rt.prefs(), pf);
    v["prefs"] = slurp(pf);
    ImGuiContext& c = *GImGui;
    std::string popups;
    for (const ImGuiPopupData& p : c.OpenPopupStack) popups += std::to_string(p.PopupId) + " ";
    v["imgui.popups"] = popups;
    v["imgui.activeId"] = std::to_string(c.ActiveId);
    std::set<std::string> wins; // by name: the focused window moves to the end of c.Windows
    for (ImGuiWindow* w : c.Windows)
      if (w->Active && !(w->Flags & ImGuiWindowFlags_ChildWindow) && std::strncmp(w->Name, "##Tooltip", 9) != 0)
        wins.insert(w->Name);
    for (const std::string& w : wins) v["imgui.windows"] += w + "|";
    return s;
  }
  // The frame's pixels with the title bars blanked (they only show focus).
  std::vector<uint8_t> pixels() {
    int w = 0, h = 0;
    std::vector<uint8_t> px = rt.readPixels(w, h);
    w_ = w;
    h_ = h;
    for (ImGuiWindow* win : GImGui->Windows) {
      if (!win->Active || (win->Flags & (ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_ChildWindow))) continue;
      const ImRect r = win->TitleBarRect();
      for (int y = std::max(0, static_cast<int>(r.Min.y)); y < std::min(h, static_cast<int>(r.Max.y) + 1); y++)
        for (int x = std::max(0, static_cast<int>(r.Min.x)); x < std::min(w, static_cast<int>(r.Max.x) + 1); x++)
          std::memset(&px[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4], 0, 4);
    }
    return px;
  }
  int width() const { return w_; }
  // The empty right end of the main menu bar: a click there does nothing but
  // close open menus and take the focus.
  ImVec2 nullSpot() {
    ImGuiWindow* mb = ImGui::FindWindowByName("##MainMenuBar");
    if (!mb) return ImVec2(-500, -500);
    return ImVec2(mb->Pos.x + mb->Size.x - 6, mb->Pos.y + mb->Size.y * 0.5f);
  }
  void checkCollisions() {
    std::map<std::pair<std::string, ImGuiID>, const rec::Item*> seen;
    for (const rec::Item& it : items) {
      auto [pos, fresh] = seen.emplace(std::make_pair(it.window, it.id), &it);
      if (!fresh) {
        const std::string a = pos->second->label, b = it.label;
        collisions.insert(std::string(kindName(pos->second->kind)) + " \"" + a + "\" and " + kindName(it.kind) + " \"" + b +
                          "\" share an ID in window " + it.window);
      }
    }
  }

  GuiRuntime rt;
  bool ok = false;
  std::string why;
  std::vector<rec::Item> items;
  std::vector<std::vector<rec::Item>> clickFrames;
  std::set<std::string> collisions;

private:
  std::string tmp_;
  int w_ = 0, h_ = 0;
};

struct Step {
  std::string key, name;
};
using Path = std::vector<Step>;

std::string pathName(const Path& p) {
  std::string s;
  for (const Step& st : p) s += (s.empty() ? "" : " > ") + st.name;
  return s;
}

struct Outcome {
  std::string item;       // path
  bool arrived = false, effect = false;
  std::string what;       // the effect
};

class Explorer {
public:
  Explorer(std::string lang, std::function<bool(Gui&)> setup, std::string tmp, bool clickAll)
      : lang_(std::move(lang)), setup_(std::move(setup)), tmp_(std::move(tmp)), clickAll_(clickAll) {}

  bool ok = true;
  std::string why;
  std::vector<Outcome> outcomes;
  std::vector<std::string> failures;   // not arrived / no effect / could not replay
  std::vector<std::string> notes;      // allowed no-ops, disabled, hidden
  std::set<std::string> collisions;
  std::set<std::string> clickedKeys;   // items clicked with an effect (window, id, kind)
  std::set<std::string> disabledKeys;  // items seen disabled
  std::map<std::string, std::string> names;
  int trials = 0;
  struct Size {
    int w = 1600, h = 900;
    float fontScale = 1.0f;
    ThemeKind theme = ThemeKind::Dark;
  } size;
  std::set<std::string> skipKeys;      // already covered by an earlier setup
  std::map<std::string, std::string> noEffect; // items that did nothing here (fine if they act in another setup)
  std::vector<std::string> unreachable;        // drawn where nobody can click them
  bool expandersOnly = false;          // only open menus, headers and combos (collecting IDs)
  std::function<void()> beforeEach;    // before each fresh GUI (the scratch files start over)

  void run(int maxDepth) {
    auto g = fresh(Path{});
    if (!g) return;
    std::vector<rec::Item> root = g->items;
    g.reset();
    explore(Path{}, root, {}, maxDepth);
  }

private:
  // A fresh GUI in the setup's state, with the path's clicks replayed.
  std::unique_ptr<Gui> fresh(const Path& path) {
    if (beforeEach) beforeEach();
    auto g = std::make_unique<Gui>(lang_, tmp_, size.w, size.h, size.fontScale, size.theme);
    if (!g->ok) {
      ok = false;
      why = g->why;
      return nullptr;
    }
    if (!setup_(*g)) {
      ok = false;
      why = "setup failed";
      return nullptr;
    }
    g->frames(3);
    for (const Step& s : path) {
      const rec::Item* it = g->reveal(s.key);
      if (!it || !it->visible) {
        failures.push_back("cannot replay " + pathName(path) + ": " + s.name + (it ? " is not visible" : " is not drawn"));
        absorb(*g);
        return nullptr;
      }
      g->clickAt(it->centre());
      g->away();
      g->frames(2);
    }
    return g;
  }
  void absorb(Gui& g) { collisions.insert(g.collisions.begin(), g.collisions.end()); }

  struct Capture {
    State s;
    std::vector<uint8_t> px;
    int w = 0;
    std::vector<rec::Item> items;
  };
  Capture capture(Gui& g) {
    g.away();
    g.frames(4);
    Capture c;
    c.s = g.state();
    c.px = g.pixels();
    c.w = g.width();
    c.items = g.items;
    return c;
  }
  Capture& baseline(const Path& path) {
    std::string k = pathName(path);
    auto it = baselines_.find(k);
    if (it != baselines_.end()) return it->second;
    auto g = fresh(path);
    Capture c;
    if (g) {
      g->clickAt(g->nullSpot());
      c = capture(*g);
      absorb(*g);
    }
    return baselines_[k] = std::move(c);
  }

  static std::string pixelDiff(const Capture& a, const Capture& b) {
    if (a.px.size() != b.px.size() || a.px.empty()) return "";
    std::size_t n = 0;
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
    for (std::size_t i = 0; i < a.px.size(); i += 4) {
      int d = 0;
      for (int c = 0; c < 3; c++) d = std::max(d, std::abs(int(a.px[i + c]) - int(b.px[i + c])));
      if (d > 8) {
        n++;
        const int p = static_cast<int>(i / 4);
        x0 = std::min(x0, p % a.w), x1 = std::max(x1, p % a.w);
        y0 = std::min(y0, p / a.w), y1 = std::max(y1, p / a.w);
      }
    }
    if (n < 4) return "";
    return std::to_string(n) + " pixels changed in (" + std::to_string(x0) + "," + std::to_string(y0) + ")-(" +
           std::to_string(x1) + "," + std::to_string(y1) + ")";
  }

  void explore(const Path& prefix, const std::vector<rec::Item>& items, const std::set<std::string>& known, int depth) {
    // Candidates: the items the prefix's last click revealed (all at the root).
    std::vector<rec::Item> cands;
    std::set<std::string> seenHere;
    for (const rec::Item& it : items) {
      if (known.count(it.key()) || !seenHere.insert(it.key()).second) continue;
      if (it.skipped) continue; // a collapsed or hidden window: nothing drawn
      names[it.key()] = it.name();
      cands.push_back(it);
    }
    // Rows of a list (the event log: one Selectable per event, same x and width in
    // one window) are sampled: the first, one in the middle and the last on screen
    // (a list clipper also submits rows just outside the window).
    {
      std::map<std::string, std::vector<std::size_t>> rows;
      for (std::size_t i = 0; i < cands.size(); i++) {
        const rec::Item& it = cands[i];
        if (it.kind != Kind::Selectable || !it.rectValid) continue;
        rows[it.window + "\x1f" + std::to_string(static_cast<int>(it.rect.Min.x)) + "\x1f" +
             std::to_string(static_cast<int>(it.rect.GetWidth()))].push_back(i);
      }
      std::set<std::size_t> drop;
      for (auto& [k, all] : rows) {
        if (all.size() <= 3) continue;
        std::vector<std::size_t> idx;
        for (std::size_t i : all)
          if (cands[i].visible) idx.push_back(i);
          else drop.insert(i);
        for (std::size_t j = 1; j + 1 < idx.size(); j++)
          if (j != idx.size() / 2) drop.insert(idx[j]);
        notes.push_back(std::to_string(all.size()) + " rows of a list, " + std::to_string(std::min<std::size_t>(3, idx.size())) +
                        " clicked: " + cands[all[0]].name());
      }
      std::vector<rec::Item> kept;
      for (std::size_t i = 0; i < cands.size(); i++)
        if (!drop.count(i)) kept.push_back(cands[i]);
      cands.swap(kept);
    }
    std::set<std::string> knownHere = known;
    for (const rec::Item& it : items) knownHere.insert(it.key());
    for (const rec::Item& it : cands) {
      const std::string full = pathName(prefix) + (prefix.empty() ? "" : " > ") + it.name();
      // Cut off where its window cannot scroll: nobody can click it (a large font in a
      // narrow panel). Checked for every item, clicked or not.
      if (it.rectValid && !it.visible && !it.skipped) {
        const ImVec2 c = it.centre();
        const bool side = c.x < it.clip.Min.x || c.x > it.clip.Max.x, below = c.y < it.clip.Min.y || c.y > it.clip.Max.y;
        // Shift+wheel would scroll sideways without a scrollbar, but nobody knows that.
        if ((side && !it.scrollbarX) || (below && !it.scrollbarY)) {
          unreachable.push_back(full + ": cut off at the " + (side ? "side" : "bottom") + " of " + it.window +
                                ", which cannot scroll there");
          continue;
        }
      }
      if (it.disabled) {
        disabledKeys.insert(it.key());
        notes.push_back("disabled here: " + full);
        continue;
      }
      if (!it.rectValid) {
        notes.push_back("no rectangle (an open popup's owner): " + full);
        continue;
      }
      // Expanders are opened again in a later setup: what they hold may act there.
      if (done_.count(it.key()) || (!clickAll_ && skipKeys.count(it.key()) && !rec::expander(it.kind))) continue;
      if (expandersOnly && !rec::expander(it.kind)) continue;
      done_.insert(it.key());
      trials++;
      if (std::getenv("GOMAPLAB_BUTTONS_VERBOSE")) std::fprintf(stderr, "click: %s\n", full.c_str());
      Capture& base = baseline(prefix);
      auto g = fresh(prefix);
      if (!g) continue;
      const rec::Item* now = g->reveal(it.key());
      if (!now || !now->visible) {
        ImGuiWindow* w = now ? ImGui::FindWindowByName(now->window.c_str()) : nullptr;
        if (!now) failures.push_back(full + ": not drawn in a fresh GUI");
        else if (w && w->ScrollMax.y > 0 && now->centre().x >= w->InnerClipRect.Min.x && now->centre().x <= w->InnerClipRect.Max.x)
          // A list's clipper submits a row or two beyond the visible area, and the
          // event log scrolls itself back to the cursor (Follow cursor).
          notes.push_back("outside its scrolling window, which scrolls back by itself: " + full);
        else
          failures.push_back(full + ": clipped and out of reach (its window cannot scroll to it)");
        absorb(*g);
        continue;
      }
      const rec::Item target = *now;
      std::set<std::string> winsBefore; // the windows open before the click
      for (const rec::Item& x : g->items) winsBefore.insert(x.window);
      g->clickAt(target.centre());
      // The click arrived: the item returned true or became active in one of the click's frames.
      bool arrived = false;
      for (const auto& fr : g->clickFrames)
        for (const rec::Item& x : fr)
          if (x.key() == it.key() && (x.ret || (!rec::pressKind(x.kind) && (x.activated || x.active)))) arrived = true;
      Capture after = capture(*g);
      absorb(*g);
      g.reset(); // one GUI at a time (one ImGui context, one GLFW backend)
      Outcome o;
      o.item = full;
      o.arrived = arrived;
      std::string d = after.s.diff(base.s);
      std::string p = pixelDiff(after, base);
      o.effect = !d.empty() || !p.empty();
      o.what = d.empty() ? p : (p.empty() ? d : d + "; " + p);
      outcomes.push_back(o);
      const bool alreadyChosen = it.selected == 1; // choosing what is chosen
      if (!arrived && (rec::pressKind(it.kind) || !o.effect)) {
        failures.push_back(full + ": the click did not arrive (the widget never returned true" +
                           std::string(o.effect ? "; something else reacted: " + o.what : "") + ")");
      } else if (!o.effect) {
        if (const Allowed* a = allowedNoEffect(it)) notes.push_back("no effect, allowed (" + std::string(a->why) + "): " + full);
        else if (alreadyChosen) notes.push_back("no effect, allowed (it is the current choice): " + full);
        else noEffect[it.key()] = full + ": clicked, no observable effect";
      } else {
        clickedKeys.insert(it.key());
      }
      // What the click revealed: menus, headers, combos, new windows.
      if (depth > 0) {
        std::vector<rec::Item> revealed;
        bool newWindow = false;
        for (const rec::Item& x : after.items)
          if (!knownHere.count(x.key()) && !winsBefore.count(x.window)) newWindow = true;
        if (rec::expander(it.kind) || newWindow) {
          for (const rec::Item& x : after.items)
            if (!knownHere.count(x.key()) && (rec::expander(it.kind) || !winsBefore.count(x.window))) revealed.push_back(x);
        } else if (it.kind == Kind::Checkbox || it.kind == Kind::Radio) {
          // A switch that shows more controls (the Lesson panel's predict mode); not the
          // rows of a list it filters (the event log's categories).
          for (const rec::Item& x : after.items)
            if (!knownHere.count(x.key()) && x.window == it.window && x.kind != Kind::Selectable) revealed.push_back(x);
        }
        if (!revealed.empty()) {
          Path next = prefix;
          next.push_back(Step{it.key(), it.name()});
          explore(next, revealed, knownHere, depth - 1);
        }
      }
    }
  }

  std::string lang_;
  std::function<bool(Gui&)> setup_;
  std::string tmp_;
  bool clickAll_;
  std::map<std::string, Capture> baselines_;
  std::set<std::string> done_;
};

// A scratch directory for everything a click may write (Save, Save session,
// preferences, autosaves): the bundled files are copied there first.
struct Scratch {
  std::string dir;
  std::string oldCwd;
  Scratch() {
    dir = (std::filesystem::temp_directory_path() / ("gomaplab-buttons-" + std::to_string(::getpid()))).string();
    reset();
    ::setenv("HOME", dir.c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (dir + "/config").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (dir + "/state").c_str(), 1);
    ::setenv("XDG_DATA_HOME", (dir + "/data").c_str(), 1);
    char buf[4096];
    if (::getcwd(buf, sizeof buf)) oldCwd = buf;
    if (::chdir(dir.c_str()) != 0) ADD_FAILURE() << "chdir " << dir;
  }
  // Every fresh GUI starts from the same files: no preferences, recent files or
  // autosave left by the click before, the scenario copies as bundled.
  void reset() const {
    std::error_code ec;
    for (const char* d : {"/config", "/state", "/data"}) {
      std::filesystem::remove_all(dir + d, ec);
      std::filesystem::create_directories(dir + d);
    }
    std::filesystem::copy_file(kSrc + "/assets/scenarios/growth.ops", dir + "/growth.ops",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(kSrc + "/assets/lessons/5-memory-level-corruption.race", dir + "/lesson5.race",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(kSrc + "/assets/lessons/c02-growwork-two-buckets.ops", dir + "/c02.ops",
                               std::filesystem::copy_options::overwrite_existing);
  }
  ~Scratch() {
    if (!oldCwd.empty() && ::chdir(oldCwd.c_str()) != 0) ADD_FAILURE() << "chdir back";
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

bool scriptSetup(Gui& g, const std::string& dir) {
  AppState& a = g.rt.app();
  if (!a.openScript(dir + "/growth.ops")) return false;
  a.seek(static_cast<int64_t>(a.eventCount() / 3)); // mid-way (not the scrubber's centre)
  return true;
}
bool raceSetup(Gui& g, const std::string& dir) {
  if (!scriptSetup(g, dir)) return false; // File > Show script has a session to show
  RaceController& r = g.rt.race;
  if (!r.open(dir + "/lesson5.race")) return false;
  r.toEnd();
  r.seekStep(r.session().timeline().size() / 3); // a recorded future: step forward acts
  return true;
}

void report(const Explorer& e, const char* setup) {
  std::printf("[%s] %d items clicked, %zu with an effect\n", setup, e.trials, e.clickedKeys.size());
  for (const Outcome& o : e.outcomes)
    std::printf("  %s %s%s%s\n", o.effect ? "ok  " : "NONE", o.item.c_str(), o.effect ? "  => " : "", o.what.substr(0, 160).c_str());
  for (const std::string& n : e.notes) std::printf("  note: %s\n", n.c_str());
}

} // namespace

// ---- the tests ----------------------------------------------------------------------------------

// Every button-like item of every panel and menu, in the op-script session and in
// a race, with an error on screen, clicked once; no two items of a window share an ID.
TEST(Buttons, EveryButtonOfEveryPanelActsAndNoTwoShareAnId) {
  Scratch scratch;
  {
    Gui probe("en", scratch.dir);
    if (!probe.ok) GTEST_SKIP() << "no display/GL: " << probe.why;
  }
  const std::string dir = scratch.dir;
  std::set<std::string> collisions, clicked, disabled;
  std::map<std::string, std::string> names, noEffect;
  std::vector<std::string> failures;
  struct Setup {
    const char* name;
    std::function<bool(Gui&)> fn;
    bool clickAll;
  };
  const Setup setups[] = {
      {"op script (growth.ops at event n/3)", [&](Gui& g) { return scriptSetup(g, dir); }, true},
      {"race (lesson 5 at step n/3 of its recorded timeline)", [&](Gui& g) { return raceSetup(g, dir); }, true},
      // An op-script lesson: its Lesson panel (narration, predict mode).
      {"op-script lesson (c02-growwork-two-buckets.ops at event n/3)", [&](Gui& g) {
         AppState& a = g.rt.app();
         if (!a.openScript(dir + "/c02.ops")) return false;
         a.seek(static_cast<int64_t>(a.eventCount() / 3));
         return true;
       }, false},
      // A sync.Map op script (issue 12): its code, event log and timeline panels beside the sync.Map panel.
      {"sync.Map op script (lesson m01 at its first gc)", [&](Gui& g) {
         AppState& a = g.rt.app();
         if (!a.openScript(kSrc + "/assets/lessons/m01-delete-frees-the-value.ops") || !a.syncMode()) return false;
         a.syncController().seek(25);
         return true;
       }, false},
      // What the first two leave idle: an error on screen (its Dismiss buttons), a
      // command typed (Run), a panel closed (View > Reset layout brings it back).
      {"op script with an error, a typed command and the hash panel closed", [&](Gui& g) {
         if (!scriptSetup(g, dir)) return false;
         g.rt.app().setError("test: an error message");
         std::snprintf(g.rt.workspace().controls.command, sizeof g.rt.workspace().controls.command, "put 1000 1");
         g.rt.workspace().panels &= ~PanelHash;
         return true;
       }, false},
  };
  for (const Setup& s : setups) {
    Explorer e("en", s.fn, dir, s.clickAll);
    e.beforeEach = [&] { scratch.reset(); };
    e.skipKeys = clicked;
    e.run(3);
    ASSERT_TRUE(e.ok) << s.name << ": " << e.why;
    report(e, s.name);
    EXPECT_GT(e.trials, 0) << s.name;
    for (const std::string& f : e.failures) failures.push_back(std::string("[") + s.name + "] " + f);
    for (const std::string& f : e.unreachable) failures.push_back(std::string("[") + s.name + "] " + f);
    collisions.insert(e.collisions.begin(), e.collisions.end());
    clicked.insert(e.clickedKeys.begin(), e.clickedKeys.end());
    disabled.insert(e.disabledKeys.begin(), e.disabledKeys.end());
    names.insert(e.names.begin(), e.names.end());
    noEffect.insert(e.noEffect.begin(), e.noEffect.end());
  }
  // An item that did nothing in one setup must act in another.
  for (auto& [k, why] : noEffect)
    if (!clicked.count(k)) failures.push_back(why);
  for (const std::string& c : collisions) ADD_FAILURE() << "ID collision: " << c;
  for (const std::string& f : failures) ADD_FAILURE() << f;
  // An item disabled in every setup was never clicked: say so (it shows it is not
  // available, so it is not a dead button; a setup that enables it would test it).
  for (const std::string& k : disabled)
    if (!clicked.count(k)) std::printf("note: disabled in every setup, never clicked: %s\n", names[k].c_str());
}

// The Chinese UI has its own labels: two different English labels may share one
// translation. Open every menu, header and combo there and look for shared IDs.
TEST(Buttons, NoSharedIdsInTheChineseUi) {
  Scratch scratch;
  {
    Gui probe("zh", scratch.dir);
    if (!probe.ok) GTEST_SKIP() << "no display/GL: " << probe.why;
    if (!probe.rt.fonts().cjk) GTEST_SKIP() << "no CJK font: " << probe.rt.fonts().note;
  }
  const std::string dir = scratch.dir;
  std::set<std::string> collisions;
  for (auto fn : {std::function<bool(Gui&)>([&](Gui& g) { return scriptSetup(g, dir); }),
                  std::function<bool(Gui&)>([&](Gui& g) { return raceSetup(g, dir); })}) {
    Explorer e("zh", fn, dir, true);
    e.beforeEach = [&] { scratch.reset(); };
    e.expandersOnly = true;
    e.run(3);
    ASSERT_TRUE(e.ok) << e.why;
    collisions.insert(e.collisions.begin(), e.collisions.end());
  }
  for (const std::string& c : collisions) ADD_FAILURE() << "ID collision (zh): " << c;
}

// Projector mode as the issue asks for it: 175% on 1280x720, every item where a
// click can reach it (inside its panel, or in a panel that scrolls to it).
// On main 3a449e6 ten items were cut off (Clear, Iterate, Run, value, all X/Y moves,
// overview, zoom, follow, the goroutine filter, Bulk insert); the projector layout of
// issue 11 fixed them. Named DISABLED_ so that gui.buttons does not run it a second
// time: CTest's gui.buttons_projector runs it (--gtest_also_run_disabled_tests).
TEST(Buttons, DISABLED_EveryItemReachableAt175PercentOn1280x720) {
  Scratch scratch;
  {
    Gui probe("en", scratch.dir);
    if (!probe.ok) GTEST_SKIP() << "no display/GL: " << probe.why;
  }
  const std::string dir = scratch.dir;
  std::vector<std::string> bad;
  for (auto fn : {std::function<bool(Gui&)>([&](Gui& g) { return scriptSetup(g, dir); }),
                  std::function<bool(Gui&)>([&](Gui& g) { return raceSetup(g, dir); })}) {
    Explorer e("en", fn, dir, true);
    e.beforeEach = [&] { scratch.reset(); };
    e.size = {1280, 720, 1.75f, ThemeKind::Projector};
    e.expandersOnly = true;
    e.run(3);
    ASSERT_TRUE(e.ok) << e.why;
    bad.insert(bad.end(), e.unreachable.begin(), e.unreachable.end());
    for (const std::string& c : e.collisions) bad.push_back("ID collision: " + c);
  }
  std::sort(bad.begin(), bad.end());
  bad.erase(std::unique(bad.begin(), bad.end()), bad.end());
  for (const std::string& b : bad) ADD_FAILURE() << b;
}

// A presenter's clicker: 20 Right taps delivered through GLFW's key callback (the
// one the runtime installed, which chains ImGui's backend and the workspace's tap
// queue), press and release each, all before one frame: the cursor moves by 20.
TEST(Buttons, TwentyFastKeyTapsInOneFrameAllArrive) {
  Scratch scratch;
  Gui g("en", scratch.dir);
  if (!g.ok) GTEST_SKIP() << "no display/GL: " << g.why;
  ASSERT_TRUE(scriptSetup(g, scratch.dir));
  g.frames(2);
  const int64_t p0 = g.rt.app().position();
  GLFWkeyfun cb = glfwSetKeyCallback(g.rt.window(), nullptr);
  glfwSetKeyCallback(g.rt.window(), cb);
  ASSERT_NE(cb, nullptr) << "the runtime installs a key callback";
  const int sc = glfwGetKeyScancode(GLFW_KEY_RIGHT);
  for (int i = 0; i < 20; i++) {
    cb(g.rt.window(), GLFW_KEY_RIGHT, sc, GLFW_PRESS, 0);
    cb(g.rt.window(), GLFW_KEY_RIGHT, sc, GLFW_RELEASE, 0);
  }
  g.frame();
  EXPECT_EQ(g.rt.app().position(), p0 + 20);
  // The same through ImGui's own input (a key held across a frame is one step).
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[GLFW_KEY_LEFT] = true;
  g.frame();
  io.KeysDown[GLFW_KEY_LEFT] = false;
  g.frame();
  EXPECT_EQ(g.rt.app().position(), p0 + 19);
  // Shift travels with each tap: Shift+Right then Right, in one frame.
  for (int i = 0; i < 3; i++) {
    cb(g.rt.window(), GLFW_KEY_LEFT_SHIFT, glfwGetKeyScancode(GLFW_KEY_LEFT_SHIFT), GLFW_PRESS, GLFW_MOD_SHIFT);
    cb(g.rt.window(), GLFW_KEY_RIGHT, sc, GLFW_PRESS, GLFW_MOD_SHIFT);
    cb(g.rt.window(), GLFW_KEY_RIGHT, sc, GLFW_RELEASE, GLFW_MOD_SHIFT);
    cb(g.rt.window(), GLFW_KEY_LEFT_SHIFT, glfwGetKeyScancode(GLFW_KEY_LEFT_SHIFT), GLFW_RELEASE, 0);
  }
  // The expected cursor, from a controller stepped over three times from the same event.
  AppState want;
  ASSERT_TRUE(want.openScript(scratch.dir + "/growth.ops"));
  want.seek(p0 + 19);
  for (int i = 0; i < 3; i++) want.stepOver();
  ASSERT_NE(want.position(), p0 + 22) << "step over moves further than three steps here";
  g.frame();
  EXPECT_EQ(g.rt.app().position(), want.position());
}
