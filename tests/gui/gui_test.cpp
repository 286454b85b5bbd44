// GUI tests. The controller tests need no display; the rendering tests open an
// offscreen GL context (run the binary under xvfb-run, as CTest does) and check
// pixels at positions the views report for cells, highlights and marks.
#include <gtest/gtest.h>

#include <GLFW/glfw3.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "engine/runtime_consts.hpp"
#include "trace/event_json.hpp"
#include "ui/app_state.hpp"
#include "ui/call_stack.hpp"
#include "ui/go_source.hpp"
#include "ui/gui_runtime.hpp"
#include "ui/prefs.hpp"
#include "ui/pseudo_code.hpp"
#include "ui/strings.hpp"
#include "ui/swiss_state.hpp"
#include "ui/event_text.hpp"
#include "concurrency/cow_map.hpp"

using namespace gomap;
using namespace gomap::ui;

namespace {
const std::string kScenarios = std::string(GOMAPLAB_SOURCE_DIR) + "/assets/scenarios/";

AppState loaded(const std::string& name) {
  AppState a;
  EXPECT_TRUE(a.openScript(kScenarios + name)) << a.error();
  return a;
}

int64_t lastEvent(const AppState& a) { return static_cast<int64_t>(a.eventCount()) - 1; }

int64_t findEvent(const AppState& a, EventKind k, int64_t from = 0) {
  for (int64_t i = from; i < static_cast<int64_t>(a.eventCount()); i++)
    if (a.session().event(static_cast<uint64_t>(i)).kind == k) return i;
  return -1;
}

struct Rgb {
  int r, g, b;
};
Rgb rgbOf(ImU32 c) { return {static_cast<int>(c & 0xff), static_cast<int>((c >> 8) & 0xff), static_cast<int>((c >> 16) & 0xff)}; }
Rgb blend(ImU32 over, Rgb under) {
  const float a = static_cast<float>((over >> 24) & 0xff) / 255.0f;
  Rgb o = rgbOf(over);
  auto mix = [a](int x, int y) { return static_cast<int>(std::lround(static_cast<float>(x) * a + static_cast<float>(y) * (1 - a))); };
  return {mix(o.r, under.r), mix(o.g, under.g), mix(o.b, under.b)};
}
bool near(Rgb a, Rgb b, int tol = 6) {
  return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}
std::string str(Rgb c) { return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")"; }

// An offscreen GUI, 1600x900, tiled layout, no files written.
class Gui {
public:
  Gui(const std::string& lang = "en") {
    RuntimeOptions o;
    o.offscreen = true;
    o.vsync = false;
    o.prefs.language = lang;
    std::string why;
    bool noDisplay = false;
    ok = rt.init(o, why, noDisplay);
    if (!ok) err = why;
    if (ok) rt.workspace().forceLayout = true;
  }
  void frames(int n = 2) {
    for (int i = 0; i < n; i++) rt.frame(0);
    pixels = rt.readPixels(w, h);
  }
  Rgb at(float x, float y) const {
    int xi = static_cast<int>(x), yi = static_cast<int>(y);
    const uint8_t* p = &pixels[(static_cast<std::size_t>(yi) * static_cast<std::size_t>(w) + static_cast<std::size_t>(xi)) * 4];
    return {p[0], p[1], p[2]};
  }
  // The most frequent colour in a small box (cells carry text and hatching).
  Rgb mode(float x0, float y0, float x1, float y1) const {
    std::map<std::tuple<int, int, int>, int> n;
    for (int y = static_cast<int>(y0); y < static_cast<int>(y1); y++)
      for (int x = static_cast<int>(x0); x < static_cast<int>(x1); x++) {
        Rgb c = at(static_cast<float>(x), static_cast<float>(y));
        n[{c.r, c.g, c.b}]++;
      }
    auto best = std::max_element(n.begin(), n.end(), [](auto& a, auto& b) { return a.second < b.second; });
    return {std::get<0>(best->first), std::get<1>(best->first), std::get<2>(best->first)};
  }
  // A cell's fill: the lower right part of the cell, away from its text.
  Rgb cellFill(const Loc& l) {
    auto r = rt.workspace().buckets.cellRect(l);
    EXPECT_TRUE(r.has_value()) << "cell not drawn: bucket " << l.bucket << " slot " << int(l.slot);
    if (!r) return {-1, -1, -1};
    const float w = r->max.x - r->min.x, h = r->max.y - r->min.y;
    return mode(r->min.x + w * 0.55f, r->min.y + h * 0.72f, r->max.x - 3, r->max.y - 3);
  }
  AppState& app() { return rt.app(); }
  GuiRuntime rt;
  bool ok = false;
  std::string err;
  std::vector<uint8_t> pixels;
  int w = 0, h = 0;
};

#define NEED_GUI(g)                                                                                                    \
  if (!(g).ok) GTEST_SKIP() << "no display/GL: " << (g).err

} // namespace

// ---- the controller, no display ---------------------------------------------------

TEST(AppState, LoadsAScenarioAndStepsThroughIt) {
  AppState a = loaded("growth.ops");
  ASSERT_TRUE(a.hasSession());
  const int64_t n = static_cast<int64_t>(a.eventCount());
  ASSERT_GT(n, 100);
  a.toEnd();
  EXPECT_EQ(a.position(), n - 1);
  EXPECT_EQ(a.map().header().count, 26); // 28 puts (0..27), 2 deletes
  a.toStart();
  EXPECT_EQ(a.position(), -1);
  a.stepInto();
  EXPECT_EQ(a.position(), 0);
  a.stepOver(); // to the end of the first map op
  EXPECT_EQ(a.position(), a.lastEventOfOp(a.session().opOfEvent(0)));
}

TEST(AppState, StepBackIsExact) {
  AppState a = loaded("incremental_growth.ops");
  const int64_t n = static_cast<int64_t>(a.eventCount());
  std::vector<uint64_t> digest(static_cast<std::size_t>(n));
  std::vector<int64_t> count(static_cast<std::size_t>(n));
  a.toStart();
  for (int64_t i = 0; i < n; i++) {
    a.stepInto();
    ASSERT_EQ(a.position(), i);
    digest[static_cast<std::size_t>(i)] = a.map().digest();
    count[static_cast<std::size_t>(i)] = a.map().header().count;
  }
  for (int64_t i = n - 1; i >= 0; i--) {
    ASSERT_EQ(a.position(), i);
    ASSERT_EQ(a.map().digest(), digest[static_cast<std::size_t>(i)]) << "event " << i;
    ASSERT_EQ(a.map().header().count, count[static_cast<std::size_t>(i)]);
    a.stepBack();
  }
  EXPECT_EQ(a.position(), -1);
  // Random seeks land on the same states.
  uint64_t x = 7;
  for (int j = 0; j < 200; j++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    int64_t i = static_cast<int64_t>((x >> 33) % static_cast<uint64_t>(n));
    a.seek(i);
    ASSERT_EQ(a.map().digest(), digest[static_cast<std::size_t>(i)]) << "seek " << i;
  }
}

TEST(AppState, InsertDeleteLookupAppendOpsAndWatchThem) {
  AppState a = loaded("growth.ops");
  a.toEnd();
  const int64_t before = a.map().header().count;
  const std::size_t ops = a.session().opCount();
  ASSERT_TRUE(a.insert("1000", "")) << a.error();
  EXPECT_EQ(a.session().opCount(), ops + 1);
  // The cursor waits at the new op's first event...
  EXPECT_EQ(a.position(), static_cast<int64_t>(a.session().firstEventOfOp(ops)));
  EXPECT_EQ(a.map().header().count, before);
  a.stepOver(); // ...and one step over runs it.
  EXPECT_EQ(a.map().header().count, before + 1);
  ASSERT_TRUE(a.lookup("1000"));
  a.toEnd();
  const Event& last = a.session().event(static_cast<uint64_t>(lastEvent(a)));
  EXPECT_EQ(last.kind, EventKind::OpEnd);
  ASSERT_TRUE(a.remove("1000"));
  a.toEnd();
  EXPECT_EQ(a.map().header().count, before);
  ASSERT_TRUE(a.insertRange("2000..2009"));
  a.toEnd();
  EXPECT_EQ(a.map().header().count, before + 10);
  // The script text replays to the same map.
  AppState b;
  ASSERT_TRUE(b.loadScriptText(a.scriptText(), "saved")) << b.error();
  b.toEnd();
  EXPECT_EQ(b.map().digest(), a.map().digest());
}

TEST(AppState, BadInputKeepsTheSession) {
  AppState a = loaded("growth.ops");
  a.seek(100);
  const std::size_t ops = a.session().opCount();
  const uint64_t id = a.sessionId();
  EXPECT_FALSE(a.insert("abc", ""));
  EXPECT_NE(a.error().find("expected an int64 key"), std::string::npos) << a.error();
  EXPECT_FALSE(a.insert("5", "x"));
  EXPECT_NE(a.error().find("value"), std::string::npos);
  EXPECT_FALSE(a.runLine("put 1"));
  EXPECT_NE(a.error().find("command \"put 1\": column"), std::string::npos) << a.error(); // the typed text, not input:LINE:COL
  EXPECT_FALSE(a.runLine("make string 0"));
  EXPECT_FALSE(a.insertRange("9..1"));
  EXPECT_FALSE(a.insertRange("a..b"));
  EXPECT_FALSE(a.insertColliding(999, 3, false)); // no such bucket
  EXPECT_FALSE(a.openScript("/nonexistent/x.ops"));
  EXPECT_NE(a.error().find("cannot open"), std::string::npos);
  EXPECT_FALSE(a.loadScriptText("make int64 0\nput 1 1\nput 2 zz\n", "typed.ops"));
  EXPECT_EQ(a.error(), "typed.ops:3:7: expected an int64 value, got \"zz\"");
  EXPECT_FALSE(a.saveScript("/nonexistent-dir/x.ops"));
  // Nothing changed.
  EXPECT_EQ(a.session().opCount(), ops);
  EXPECT_EQ(a.sessionId(), id);
  EXPECT_EQ(a.position(), 100);
  // A put after the bad "make string" still parses as an int64 key.
  ASSERT_TRUE(a.runLine("put 77 1")) << a.error();
  EXPECT_EQ(a.session().op(ops).key, KeyValue::ofInt(KeyKind::Int64, 77));
}

TEST(AppState, InsertUntilGrowStopsAtTheGrowingInsert) {
  AppState a = loaded("growth.ops");
  a.toEnd();
  ASSERT_TRUE(a.insertUntilGrow());
  a.finishJobs();
  auto op = a.currentOp();
  ASSERT_TRUE(op.has_value());
  EXPECT_EQ(*op + 1, a.session().opCount()); // the last op...
  bool grew = false;
  for (int64_t i = static_cast<int64_t>(a.session().firstEventOfOp(*op)); i <= lastEvent(a); i++)
    grew |= a.session().event(static_cast<uint64_t>(i)).kind == EventKind::GrowthStarted;
  EXPECT_TRUE(grew); // ...is the one that starts the grow
  EXPECT_EQ(a.position(), static_cast<int64_t>(a.session().firstEventOfOp(*op)));
}

TEST(AppState, CollidingKeysLandInTheAskedBucket) {
  for (bool same : {false, true}) {
    AppState a = loaded("growth.ops");
    a.toEnd();
    const uint8_t B = a.map().header().B;
    const std::size_t first = a.session().opCount();
    ASSERT_TRUE(a.insertColliding(2, 5, same)) << a.error();
    int puts = 0;
    for (std::size_t k = first; k < a.session().opCount(); k++) {
      if (a.session().op(k).code != OpCode::Put || a.lastEventOfOp(k) < static_cast<int64_t>(a.session().firstEventOfOp(k))) continue;
      puts++;
      for (int64_t i = static_cast<int64_t>(a.session().firstEventOfOp(k)); i <= a.lastEventOfOp(k); i++) {
        const Event& e = a.session().event(static_cast<uint64_t>(i));
        if (e.kind == EventKind::HashComputed) {
          EXPECT_EQ(payloadOf<EventKind::HashComputed>(e).hash & bucketMask(B), 2u) << "same=" << same;
          break;
        }
      }
    }
    EXPECT_EQ(puts, 5);
  }
}

TEST(AppState, BulkInsertBuildsABigMapInSlices) {
  AppState a;
  NewMapParams p;
  p.hint = int64_t{13} << 11; // B = 12
  ASSERT_TRUE(a.newMap(p));
  a.toEnd(); // a new session starts before its first event
  EXPECT_EQ(a.map().header().B, 12);
  ASSERT_TRUE(a.startBulk(3000, true));
  a.tick(0.0, 0.001); // one short slice
  EXPECT_TRUE(a.job().active());
  a.finishJobs();
  EXPECT_FALSE(a.job().active());
  EXPECT_EQ(a.position(), lastEvent(a));
  EXPECT_GT(a.map().header().count, 2900); // random keys may repeat
}

TEST(AppState, PlaybackAdvancesBySpeedAndStopsAtTheEnd) {
  AppState a = loaded("growth.ops");
  a.toStart();
  a.speed() = 100;
  a.play();
  a.tick(0.1);
  EXPECT_EQ(a.position(), 9); // 10 events: -1 -> 9
  a.speed() = 1e9;
  a.tick(1.0);
  EXPECT_EQ(a.position(), lastEvent(a));
  EXPECT_FALSE(a.playing());
}

TEST(CallStack, StepOutLeavesTheCurrentFunction) {
  AppState a = loaded("incremental_growth.ops");
  const Session& s = a.session();
  int checked = 0;
  for (int64_t i = 0; i < static_cast<int64_t>(s.eventCount()); i++) {
    if (s.event(static_cast<uint64_t>(i)).kind != EventKind::CellEvacuated) continue;
    a.seek(i);
    const CallStack st = a.callStack();
    ASSERT_EQ(st.top(), "evacuate");
    ASSERT_GE(st.depth(), 3u); // mapassign|mapdelete > growWork > evacuate
    EXPECT_TRUE(st.frames[0] == "mapassign" || st.frames[0] == "mapdelete");
    EXPECT_EQ(st.frames[1], "growWork");
    a.stepOut();
    const int64_t j = a.position();
    ASSERT_GT(j, i);
    const Event& e = s.event(static_cast<uint64_t>(j));
    const std::string_view fn = siteInfo(e.site).function;
    // Out of this evacuate: back in a caller, or at the next evacuate's entry.
    EXPECT_TRUE(fn != "evacuate" || e.site == Site::EvacuateBegin) << describeEvent(e);
    for (int64_t k = i + 1; k < j; k++) {
      const std::string_view f = siteInfo(s.event(static_cast<uint64_t>(k)).site).function;
      EXPECT_TRUE(f == "evacuate" || f == "advanceEvacuationMark" || f == "newoverflow" || f == "incrnoverflow")
          << "skipped over " << f << " at " << k;
    }
    checked++;
  }
  EXPECT_GT(checked, 20);
  // From the op's own function, step out finishes the op.
  a.seek(0);
  a.stepOut();
  EXPECT_EQ(a.position(), a.lastEventOfOp(0));
}

TEST(DerivedSeries, MatchesTheEngineAtEveryEvent) {
  for (const char* f : {"incremental_growth.ops", "samesize_growth.ops", "collisions.ops", "growth.ops"}) {
    AppState a = loaded(f);
    DerivedSeries& d = a.derived();
    for (int64_t i = 0; i < static_cast<int64_t>(a.eventCount()); i++) {
      a.seek(i);
      const Hmap& h = a.map().header();
      auto mem = a.map().memory();
      ASSERT_EQ(DerivedSeries::valueAt(d.count, i), h.count) << f << " event " << i;
      ASSERT_EQ(DerivedSeries::valueAt(d.B, i), h.B) << f << " event " << i;
      ASSERT_EQ(DerivedSeries::valueAt(d.noverflow, i), h.noverflow) << f << " event " << i;
      ASSERT_EQ(static_cast<uint64_t>(DerivedSeries::valueAt(d.memory, i)), mem.arrayBytes + mem.heapOverflowBytes)
          << f << " event " << i;
    }
  }
}

TEST(PseudoCode, EverySiteHasALineInItsFunction) {
  for (std::size_t s = 1; s < static_cast<std::size_t>(Site::kCount); s++) {
    const Site site = static_cast<Site>(s);
    const SiteInfo& si = siteInfo(site);
    Event e = Event::raw(site, Fields{});
    EXPECT_GE(pseudoLineOf(si.function, e), 0) << si.function << " line " << si.line << " (" << si.what << ")";
  }
}

TEST(GoSource, RealMapGoAtTheSitesLines) {
  const GoSource& g = goSource();
  if (!g.loaded) GTEST_SKIP() << g.why;
  ASSERT_GT(g.lines.size(), 1300u);
  EXPECT_NE(g.lines[static_cast<std::size_t>(siteInfo(Site::AssignHash).line - 1)].find("t.hasher(key"), std::string::npos);
  EXPECT_NE(g.lines[static_cast<std::size_t>(siteInfo(Site::HashGrowBegin).line - 1)].find("func hashGrow"), std::string::npos);
}

TEST(Prefs, RoundTripAndBadValues) {
  auto dir = std::filesystem::temp_directory_path() / ("gomaplab-prefs-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Prefs p;
  p.language = "zh";
  p.theme = ThemeKind::Projector;
  p.fontScale = 1.5f;
  p.realSource = true;
  p.lastScript = "/tmp/x.ops";
  ASSERT_TRUE(savePrefs(p, (dir / "prefs.ini").string()));
  Prefs q = loadPrefs((dir / "prefs.ini").string());
  EXPECT_EQ(q.language, "zh");
  EXPECT_EQ(q.theme, ThemeKind::Projector);
  EXPECT_FLOAT_EQ(q.fontScale, 1.5f);
  EXPECT_TRUE(q.realSource);
  EXPECT_EQ(q.lastScript, "/tmp/x.ops");
  std::ofstream(dir / "bad.ini") << "fontScale=banana\nlanguage=klingon\nspeed=1e999\n";
  Prefs r = loadPrefs((dir / "bad.ini").string());
  EXPECT_EQ(r.language, "en");
  EXPECT_FLOAT_EQ(r.fontScale, 1.0f);
  std::filesystem::remove_all(dir);
}

TEST(Strings, BothLanguagesCoverEveryId) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(S::kCount); i++) {
    EXPECT_GT(std::strlen(trIn(static_cast<S>(i), Lang::En)), 0u) << i;
    EXPECT_GT(std::strlen(trIn(static_cast<S>(i), Lang::Zh)), 0u) << i;
  }
  EXPECT_STREQ(trIn(S::WinBuckets, Lang::Zh), "桶");
}

// Every runtime site's description (the classic, Swiss and copy-on-write maps'
// `what`, English in the engine's tables) has one row in
// ui/strings_site_notes.inc, and every row is some site's: a Chinese sentence,
// or nullptr for code, which reads the same in both languages. A row marked as
// code has no English words outside Go's own messages.
TEST(Strings, EverySiteNoteHasARow) {
  std::set<std::string_view> texts;
  for (std::size_t s = 0; s < static_cast<std::size_t>(Site::kCount); s++) texts.insert(siteInfo(static_cast<Site>(s)).what);
  for (std::size_t s = 0; s < static_cast<std::size_t>(swiss::SwissSite::kCount); s++)
    for (KeyKind k : {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64})
      texts.insert(swiss::swissSiteInfo(static_cast<swiss::SwissSite>(s), k).what);
  namespace cow = race::cow;
  for (std::size_t s = 0; s < static_cast<std::size_t>(cow::Site::kCount); s++)
    for (cow::Variant v : {cow::Variant::PtrCas, cow::Variant::ValueStore, cow::Variant::ValueCas, cow::Variant::PtrStore,
                           cow::Variant::InPlace})
      for (bool store : {false, true}) texts.insert(cow::siteInfo(static_cast<cow::Site>(s), v, store).what);
  std::map<std::string_view, const char*> rows;
  for (const SiteNoteRow& r : siteNoteRows()) EXPECT_TRUE(rows.emplace(r.en, r.zh).second) << "a second row for: " << r.en;
  for (std::string_view t : texts) EXPECT_TRUE(rows.count(t)) << "no row in ui/strings_site_notes.inc for: " << t;
  // "(after hashing)", ": the first empty slot"; not "deleteSmall: if typ.Key.Equal(...)"
  const std::regex words(R"([:(] ?(?!(if|for|return|range|go) )[a-z]+ [a-z]+)");
  for (const auto& [en, zh] : rows) {
    EXPECT_TRUE(texts.count(en)) << "a row no site says: " << en;
    EXPECT_EQ(siteNoteIn(en, Lang::En), en);
    if (!zh) {
      const bool goMessage = en.starts_with("fatal: ") || en.starts_with("panic: ") || en.starts_with("throw: ");
      EXPECT_TRUE(goMessage || !std::regex_search(std::string(en), words)) << "English words in a row marked as code: " << en;
      EXPECT_EQ(siteNoteIn(en, Lang::Zh), en);
      continue;
    }
    EXPECT_EQ(siteNoteIn(en, Lang::Zh), zh);
    EXPECT_NE(std::string_view(zh), en);
    EXPECT_TRUE(std::string_view(zh).find_first_of("\xE4\xE5\xE6\xE7\xE8\xE9") != std::string_view::npos)
        << "no Chinese in the row of: " << en; // lead bytes of U+4E00..U+9FFF
  }
  // The views' helpers read the same rows.
  setLanguage(Lang::Zh);
  EXPECT_EQ(swissSiteWhat(swiss::SwissSite::AssignWritingSet, KeyKind::Int64), "m.writing ^= 1（在计算哈希之后）");
  EXPECT_EQ(siteWhat(Site::EvacuateDone), "旧桶迁移完成");
  setLanguage(Lang::En);
  EXPECT_EQ(swissSiteWhat(swiss::SwissSite::AssignWritingSet, KeyKind::Int64), "m.writing ^= 1 (after hashing)");
}

// ---- rendering (offscreen GL) -------------------------------------------------------------

TEST(Render, CellColoursFollowTheirStates) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "deletes.ops"));
  const Palette& pal = palette();
  // After "del 5" (slot 3 and 5 are emptyOne, the rest live).
  int64_t del5 = -1;
  for (int64_t i = 0, dels = 0; i < static_cast<int64_t>(g.app().eventCount()); i++)
    if (g.app().session().event(static_cast<uint64_t>(i)).kind == EventKind::OpEnd &&
        g.app().session().op(g.app().session().opOfEvent(static_cast<uint64_t>(i))).code == OpCode::Del && ++dels == 2) {
      del5 = i;
      break;
    }
  ASSERT_GE(del5, 0);
  g.app().seek(del5);
  g.frames();
  for (int s = 0; s < 8; s++) {
    const uint8_t th = g.app().map().headTophash(false, 0, s);
    Rgb want = rgbOf(pal.cell[cellClass(th)]);
    Rgb got = g.cellFill(Loc{false, 0, 0, static_cast<uint8_t>(s)});
    EXPECT_TRUE(near(got, want)) << "slot " << s << " tophash " << int(th) << " got " << str(got) << " want " << str(want);
  }
  EXPECT_EQ(g.app().map().headTophash(false, 0, 3), emptyOne);
  // At the end: slots 4..7 emptyRest, slot 3 reused by key 11.
  g.app().toEnd();
  g.frames();
  for (int s = 4; s < 8; s++)
    EXPECT_TRUE(near(g.cellFill(Loc{false, 0, 0, static_cast<uint8_t>(s)}), rgbOf(pal.cell[0]))) << "slot " << s;
  EXPECT_TRUE(near(g.cellFill(Loc{false, 0, 0, 3}), rgbOf(pal.cell[5])));
}

TEST(Render, TheCurrentEventsCellIsHighlighted) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  const Palette& pal = palette();
  int checked = 0;
  for (int64_t i = 0; i < 160 && checked < 40; i++) {
    g.app().seek(i);
    g.frames(1);
    const Event& e = g.app().session().event(static_cast<uint64_t>(i));
    EventMark mk[3];
    const int n = eventMarks(e, mk);
    const auto& drawn = g.rt.workspace().buckets.lastMarks();
    ASSERT_EQ(static_cast<int>(drawn.size()), n);
    if (n == 0 || mk[0].kind != EventMark::Cell) continue;
    // The drawn mark is the event's own cell...
    EXPECT_EQ(drawn[0].loc.bucket, e.loc().bucket);
    EXPECT_EQ(drawn[0].loc.slot, e.loc().slot);
    EXPECT_EQ(drawn[0].loc.old, e.loc().old);
    // ...and the outline is on screen around that cell.
    auto r = g.rt.workspace().buckets.cellRect(mk[0].loc);
    ASSERT_TRUE(r.has_value()) << describeEvent(e);
    Rgb edge = g.at(r->min.x - 2, r->center().y);
    EXPECT_TRUE(near(edge, rgbOf(pal.highlight), 10)) << "event " << i << " " << describeEvent(e) << " got " << str(edge);
    checked++;
  }
  EXPECT_GT(checked, 20);
}

TEST(Render, GrowthShowsOldAndNewArraysGreyedOldBucketsAndNevacuate) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "incremental_growth.ops"));
  const Palette& pal = palette();
  // The end of the first op after the one that starts the grow: some old
  // buckets evacuated, the grow still running.
  const int64_t start = findEvent(g.app(), EventKind::GrowthStarted);
  ASSERT_GE(start, 0);
  const std::size_t op = g.app().session().opOfEvent(static_cast<uint64_t>(start));
  g.app().seek(g.app().lastEventOfOp(op + 1));
  g.frames();
  const AnyMap& m = g.app().map();
  ASSERT_TRUE(m.growing());
  const uint64_t nev = m.header().nevacuate;
  ASSERT_GT(nev, 0u);
  ASSERT_LT(nev, m.noldbuckets());
  // An evacuated old bucket: X/Y cells under the grey veil.
  for (int s = 0; s < 8; s++) {
    const uint8_t th = m.headTophash(true, 0, s);
    ASSERT_GE(th, evacuatedX);
    ASSERT_LE(th, evacuatedEmpty);
    Rgb want = blend(pal.oldVeil, rgbOf(pal.cell[cellClass(th)]));
    Rgb got = g.cellFill(Loc{true, 0, 0, static_cast<uint8_t>(s)});
    EXPECT_TRUE(near(got, want)) << "old slot " << s << " got " << str(got) << " want " << str(want);
  }
  // The old bucket at nevacuate is not evacuated yet: it keeps its live colours.
  ASSERT_GE(m.headTophash(true, nev, 0), minTopHash);
  EXPECT_TRUE(near(g.cellFill(Loc{true, static_cast<uint32_t>(nev), 0, 0}), rgbOf(pal.cell[5])));
  // A doubling grow: old bucket 0 between its destinations, new 0 (X) on its left and new 0+noldbuckets (Y) on its right.
  auto o = g.rt.workspace().buckets.cellRect(Loc{true, 0, 0, 0});
  auto n = g.rt.workspace().buckets.cellRect(Loc{false, 0, 0, 0});
  auto ny = g.rt.workspace().buckets.cellRect(Loc{false, static_cast<uint32_t>(m.noldbuckets()), 0, 0});
  ASSERT_TRUE(o && n && ny);
  EXPECT_LT(n->max.x, o->min.x);
  EXPECT_GT(ny->min.x, o->max.x);
  // The nevacuate mark: a red line above old bucket nevacuate.
  auto mark = g.rt.workspace().buckets.nevacuateMark();
  ASSERT_TRUE(mark.has_value());
  auto nb = g.rt.workspace().buckets.cellRect(Loc{true, static_cast<uint32_t>(nev), 0, 0});
  ASSERT_TRUE(nb.has_value());
  EXPECT_LT(mark->first.y, nb->min.y);
  EXPECT_TRUE(near(g.at(mark->second.x - 14, mark->first.y), rgbOf(pal.nevacuate), 10)) << str(g.at(mark->second.x - 14, mark->first.y));
}

TEST(Render, OverviewTexelsMatchTheMapAndFollowSeeks) {
  Gui g;
  NEED_GUI(g);
  NewMapParams p;
  p.hint = int64_t{13} << 10; // B = 11
  ASSERT_TRUE(g.app().newMap(p));
  ASSERT_TRUE(g.app().startBulk(4000, true));
  g.app().finishJobs();
  g.frames();
  BucketsView& bv = g.rt.workspace().buckets;
  ASSERT_TRUE(bv.overviewShown());
  std::string why;
  EXPECT_TRUE(bv.overview().verify(g.app().map(), why)) << why;
  // Zoom so that cells are 6 px wide and check pixels against the palette.
  bv.overview().setView(64, 4, 6.0f); // the first rows of buckets, 6 px per cell
  bv.overview().follow = false;
  g.frames();
  const Palette& pal = palette();
  int live = 0, empty = 0;
  for (uint64_t b = 0; b < 64 && (live < 5 || empty < 5); b++) {
    for (int s = 0; s < 8; s++) {
      auto r = bv.overview().cellRect(false, b, s);
      if (!r || r->x < 0 || r->y < 0 || r->z >= g.w || r->w >= g.h) continue;
      const uint8_t th = g.app().map().headTophash(false, b, s);
      Rgb got = g.at((r->x + r->z) * 0.5f, (r->y + r->w) * 0.5f);
      if (th >= minTopHash) {
        ImVec4 c = ImGui::ColorConvertU32ToFloat4(pal.cell[5]);
        const float k = 0.86f + 0.14f * static_cast<float>(th & 7) / 7.0f;
        Rgb want{static_cast<int>(c.x * k * 255 + 0.5f), static_cast<int>(c.y * k * 255 + 0.5f), static_cast<int>(c.z * k * 255 + 0.5f)};
        EXPECT_TRUE(near(got, want, 3)) << "bucket " << b << " slot " << s << " got " << str(got) << " want " << str(want);
        live++;
      } else if (th == emptyRest && g.app().map().chainLength(false, b) == 1) {
        EXPECT_TRUE(near(got, rgbOf(pal.cell[0]), 3)) << "bucket " << b << " slot " << s << " got " << str(got);
        empty++;
      }
    }
  }
  EXPECT_GE(live, 5);
  EXPECT_GE(empty, 5);
  // Incremental updates: random seeks, stepping and stepping back, then compare
  // the texture with a full read.
  uint64_t x = 11;
  const uint64_t rebuilds = bv.overview().fullRebuilds();
  for (int j = 0; j < 30; j++) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    g.app().seek(static_cast<int64_t>((x >> 33) % g.app().eventCount()));
    g.frames(1);
    ASSERT_TRUE(bv.overview().verify(g.app().map(), why)) << "after seek " << g.app().position() << ": " << why;
    for (int k = 0; k < 20; k++) g.app().stepInto();
    g.frames(1);
    ASSERT_TRUE(bv.overview().verify(g.app().map(), why)) << why;
    for (int k = 0; k < 7; k++) g.app().stepBack();
    g.frames(1);
    ASSERT_TRUE(bv.overview().verify(g.app().map(), why)) << why;
  }
  EXPECT_GT(bv.overview().bucketRefreshes(), 0u);
  EXPECT_LT(bv.overview().fullRebuilds() - rebuilds, 40u); // most moves were incremental
}

TEST(Render, KeyboardDrivesTheCursor) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().seek(50);
  g.frames(1);
  ImGuiIO& io = ImGui::GetIO();
  auto press = [&](int key, bool shift = false) {
    io.KeysDown[key] = true;
    io.KeyShift = shift;
    g.rt.frame(0);
    io.KeysDown[key] = false;
    io.KeyShift = false;
    g.rt.frame(0);
  };
  press(GLFW_KEY_RIGHT);
  EXPECT_EQ(g.app().position(), 51);
  press(GLFW_KEY_LEFT);
  press(GLFW_KEY_LEFT);
  EXPECT_EQ(g.app().position(), 49);
  press(GLFW_KEY_RIGHT, true);
  EXPECT_EQ(g.app().position(), g.app().lastEventOfOp(g.app().session().opOfEvent(49)));
  press(GLFW_KEY_HOME);
  EXPECT_EQ(g.app().position(), -1);
  press(GLFW_KEY_END);
  EXPECT_EQ(g.app().position(), lastEvent(g.app()));
  press(GLFW_KEY_SPACE);
  EXPECT_TRUE(g.app().playing());
  press(GLFW_KEY_SPACE);
  EXPECT_FALSE(g.app().playing());
}

TEST(Render, ClickingTheEventLogAndTheTimelineSeeks) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
  g.app().seek(300);
  g.frames(2);
  // The timeline: press at the x of event 100.
  TimelineView& tl = g.rt.workspace().timeline;
  const float x = tl.xOfEvent(100), y = tl.barY();
  g.rt.injectMouse = ImVec2(x, y);
  g.rt.injectMouseDown = false;
  g.rt.frame(0);
  g.rt.injectMouseDown = true;
  g.rt.frame(0);
  g.rt.injectMouseDown = false;
  g.rt.frame(0);
  g.rt.injectMouse.reset();
  EXPECT_NEAR(static_cast<double>(g.app().position()), 100.0, 2.0);
}

TEST(Render, ChineseUiAndFontFallback) {
  {
    Gui g("zh");
    NEED_GUI(g);
    ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
    g.frames(2);
    if (std::filesystem::exists("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")) {
      EXPECT_TRUE(g.rt.fonts().cjk);
      EXPECT_EQ(g.rt.workspace().effectiveLanguage(), Lang::Zh);
      EXPECT_STREQ(tr(S::WinBuckets), "桶");
    }
  }
  ::setenv("GOMAPLAB_CJK_FONT", "/nonexistent/font.ttc", 1);
  {
    Gui g("zh");
    NEED_GUI(g);
    ASSERT_TRUE(g.app().openScript(kScenarios + "growth.ops"));
    g.frames(2);
    EXPECT_FALSE(g.rt.fonts().cjk);
    EXPECT_NE(g.rt.fonts().note.find("not found"), std::string::npos);
    EXPECT_EQ(g.rt.workspace().effectiveLanguage(), Lang::En);
  }
  ::unsetenv("GOMAPLAB_CJK_FONT");
}

TEST(Render, ProjectorThemeAndLargeFonts) {
  Gui g;
  NEED_GUI(g);
  ASSERT_TRUE(g.app().openScript(kScenarios + "deletes.ops"));
  g.rt.prefs().theme = ThemeKind::Projector;
  g.rt.prefs().fontScale = 1.5f;
  g.rt.workspace().fontsDirty = true;
  g.frames(3);
  EXPECT_EQ(currentTheme(), ThemeKind::Projector);
  EXPECT_NEAR(ImGui::GetFontSize(), 24.0f, 0.5f);
  const Palette& pal = palette();
  g.app().toEnd();
  g.frames(2);
  EXPECT_TRUE(near(g.cellFill(Loc{false, 0, 0, 0}), rgbOf(pal.cell[5])));
  EXPECT_TRUE(near(g.cellFill(Loc{false, 0, 0, 7}), rgbOf(pal.cell[0])));
}

TEST(Render, EveryKeyKindDrawsAndSteps) {
  Gui g;
  NEED_GUI(g);
  const KeyKind kinds[] = {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64};
  const char* keys[][3] = {{"1", "-7", "9223372036854775807"},
                           {"1", "-7", "2147483647"},
                           {"hello world", "\"quoted\\tkey\"", "日本"},
                           {"1.5", "NaN", "-0"}};
  for (int k = 0; k < 4; k++) {
    NewMapParams p;
    p.kind = kinds[k];
    ASSERT_TRUE(g.app().newMap(p)) << g.app().error();
    for (const char* key : keys[k]) ASSERT_TRUE(g.app().insert(key, "")) << key << ": " << g.app().error();
    ASSERT_TRUE(g.app().insertRange("10..40")) << g.app().error(); // grows past B=0
    ASSERT_TRUE(g.app().lookup(keys[k][0]));
    ASSERT_TRUE(g.app().iterate());
    ASSERT_TRUE(g.app().remove(keys[k][1]));
    ASSERT_TRUE(g.app().clear());
    // Walk every event backwards and forwards with a frame at some of them.
    const int64_t n = static_cast<int64_t>(g.app().eventCount());
    for (int64_t i = n - 1; i >= 0; i -= 7) {
      g.app().seek(i);
      g.rt.frame(0);
      ASSERT_EQ(g.app().position(), i);
    }
    g.app().toEnd();
    g.frames(1);
    EXPECT_EQ(g.app().map().header().count, 0);
    EXPECT_TRUE(g.app().error().empty()) << g.app().error();
  }
  // Wrong-kind keys are refused with a message.
  NewMapParams p;
  p.kind = KeyKind::Int32;
  ASSERT_TRUE(g.app().newMap(p));
  EXPECT_FALSE(g.app().insert("3000000000", ""));
  EXPECT_NE(g.app().error().find("int32"), std::string::npos) << g.app().error();
}
