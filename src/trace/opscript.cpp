#include "trace/opscript.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace gomap {

std::string SourceError::format() const {
  if (line == 0) return fmt::format("{}: {}", file, message);
  if (column > 0) return fmt::format("{}:{}:{}: {}", file, line, column, message);
  return fmt::format("{}:{}: {}", file, line, message);
}

bool lexLine(std::string_view line, std::vector<Token>& out, std::string& why, int& column, bool stopAtHash) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (blank(c)) {
      i++;
      continue;
    }
    if (c == '#' && stopAtHash) break;
    std::size_t start = i;
    while (i < line.size() && !blank(line[i]) && !(stopAtHash && line[i] == '#')) {
      if (line[i] == '"' || line[i] == '`') {
        std::size_t open = i;
        char q = line[i++];
        while (i < line.size() && line[i] != q) {
          if (q == '"' && line[i] == '\\' && i + 1 < line.size()) i++;
          i++;
        }
        if (i >= line.size()) {
          why = fmt::format("expected a closing {} for the string that starts here", q);
          column = static_cast<int>(open) + 1;
          return false;
        }
      }
      i++;
    }
    out.push_back({line.substr(start, i - start), static_cast<int>(start) + 1});
  }
  return true;
}

std::string joinTokens(const std::vector<Token>& toks) {
  std::string s;
  for (std::size_t i = 0; i < toks.size(); i++) {
    if (i) s.push_back(' ');
    s.append(toks[i].text);
  }
  return s;
}

bool isOpVerb(std::string_view w) {
  for (std::string_view v : {"make", "nil", "seed", "hashkey", "version", "rngseed", "hashmode", "pin", "put", "del", "get", "hash",
                             "dump", "clear", "iter"})
    if (w == v) return true;
  return false;
}

namespace {

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string& s, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    s.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (r >> 6)));
    s.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (r >> 12)));
    s.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (r >> 18)));
    s.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

} // namespace

bool goUnquote(std::string_view lit, std::string& out, std::string& why) {
  out.clear();
  if (lit.size() < 2 || lit.front() != lit.back() || (lit.front() != '"' && lit.front() != '`')) {
    why = "expected a quoted string";
    return false;
  }
  std::string_view body = lit.substr(1, lit.size() - 2);
  if (lit.front() == '`') {
    out.assign(body);
    return true;
  }
  for (std::size_t i = 0; i < body.size(); i++) {
    char c = body[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= body.size()) {
      why = "string ends in a lone backslash";
      return false;
    }
    char e = body[i];
    switch (e) {
    case 'a': out.push_back('\a'); break;
    case 'b': out.push_back('\b'); break;
    case 'f': out.push_back('\f'); break;
    case 'n': out.push_back('\n'); break;
    case 'r': out.push_back('\r'); break;
    case 't': out.push_back('\t'); break;
    case 'v': out.push_back('\v'); break;
    case '\\': out.push_back('\\'); break;
    case '"': out.push_back('"'); break;
    case '\'': why = "\\' is not valid in a double-quoted string"; return false;
    case 'x': {
      if (i + 2 >= body.size() || hexval(body[i + 1]) < 0 || hexval(body[i + 2]) < 0) {
        why = "\\x must be followed by two hex digits";
        return false;
      }
      out.push_back(static_cast<char>(hexval(body[i + 1]) * 16 + hexval(body[i + 2])));
      i += 2;
      break;
    }
    case 'u':
    case 'U': {
      int n = e == 'u' ? 4 : 8;
      if (i + n >= body.size()) {
        why = fmt::format("\\{} must be followed by {} hex digits", e, n);
        return false;
      }
      uint32_t r = 0;
      for (int k = 1; k <= n; k++) {
        int h = hexval(body[i + k]);
        if (h < 0) {
          why = fmt::format("\\{} must be followed by {} hex digits", e, n);
          return false;
        }
        r = r * 16 + static_cast<uint32_t>(h);
      }
      if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
        why = "escape is not a valid Unicode code point";
        return false;
      }
      appendUtf8(out, r);
      i += n;
      break;
    }
    default:
      if (e >= '0' && e <= '7') {
        if (i + 2 >= body.size() || body[i + 1] < '0' || body[i + 1] > '7' || body[i + 2] < '0' || body[i + 2] > '7') {
          why = "octal escape must have three digits";
          return false;
        }
        int v = (e - '0') * 64 + (body[i + 1] - '0') * 8 + (body[i + 2] - '0');
        if (v > 255) {
          why = "octal escape value > 255";
          return false;
        }
        out.push_back(static_cast<char>(v));
        i += 2;
        break;
      }
      why = fmt::format("unknown escape sequence \\{}", e);
      return false;
    }
  }
  return true;
}

bool parseInt64Token(std::string_view tok, int64_t& out) {
  if (!tok.empty() && tok[0] == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), out, 10);
  return ec == std::errc() && p == tok.data() + tok.size();
}

bool parseUint64Token(std::string_view tok, uint64_t& out) {
  int base = 10;
  if (tok.size() > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
    tok.remove_prefix(2);
    base = 16;
  }
  if (tok.empty()) return false;
  auto [p, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), out, base);
  return ec == std::errc() && p == tok.data() + tok.size();
}

bool parseKeyToken(std::string_view tok, KeyKind kind, KeyValue& out, std::string& why) {
  out = KeyValue{};
  out.kind = kind;
  switch (kind) {
  case KeyKind::Int64:
    if (!parseInt64Token(tok, out.i)) {
      why = fmt::format("expected an int64 key (decimal, -9223372036854775808..9223372036854775807), got {:?}",
                        std::string(tok));
      return false;
    }
    return true;
  case KeyKind::Int32:
    if (!parseInt64Token(tok, out.i) || out.i < INT32_MIN || out.i > INT32_MAX) {
      why = fmt::format("expected an int32 key (decimal, -2147483648..2147483647), got {:?}", std::string(tok));
      return false;
    }
    return true;
  case KeyKind::Float64: {
    std::string t(tok);
    if (t == "NaN" || t == "nan") {
      out.f = std::nan("");
      return true;
    }
    if (t == "+Inf" || t == "Inf" || t == "inf" || t == "+inf") {
      out.f = HUGE_VAL;
      return true;
    }
    if (t == "-Inf" || t == "-inf") {
      out.f = -HUGE_VAL;
      return true;
    }
    bool ok = !t.empty();
    for (char c : t)
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'))
        ok = false;
    if (ok) {
      errno = 0;
      char* end = nullptr;
      out.f = std::strtod(t.c_str(), &end);
      ok = end == t.c_str() + t.size() && !(errno == ERANGE && std::isinf(out.f));
    }
    if (!ok) {
      why = fmt::format("expected a float64 key (a decimal number, NaN, -0, +Inf or -Inf), got {:?}", t);
      return false;
    }
    return true;
  }
  case KeyKind::String:
    if (!tok.empty() && (tok[0] == '"' || tok[0] == '`')) {
      std::string w;
      if (!goUnquote(tok, out.s, w)) {
        why = "bad string key " + std::string(tok) + ": " + w;
        return false;
      }
      return true;
    }
    out.s.assign(tok);
    return true;
  }
  return false;
}

std::optional<ScriptOp> ScriptParser::parseLine(std::string_view line, int lineNo, std::optional<ScriptError>& err) {
  err.reset();
  if (lessonLine(line, lineNo, err)) return std::nullopt;
  std::vector<Token> toks;
  std::string why;
  int col = 0;
  if (!lexLine(line, toks, why, col)) {
    err = ScriptError{file_, lineNo, col, std::move(why)};
    return std::nullopt;
  }
  if (toks.empty()) return std::nullopt;
  return parseTokens(toks, lineNo, err);
}

std::optional<ScriptOp> ScriptParser::parseTokens(const std::vector<Token>& toks, int lineNo,
                                                  std::optional<ScriptError>& err) {
  err.reset();
  auto fail = [&](int c, std::string msg) -> std::optional<ScriptOp> {
    err = ScriptError{file_, lineNo, c, std::move(msg)};
    return std::nullopt;
  };
  ScriptOp op;
  op.line = lineNo;
  op.text = joinTokens(toks);
  std::string_view verb = toks[0].text;
  auto want = [&](std::size_t lo, std::size_t hi, const char* usage) -> bool {
    if (toks.size() < lo || toks.size() > hi) {
      // The column of the first extra argument, or just after the last one.
      int c = toks.size() > hi ? toks[hi].column : toks.back().endColumn();
      err = ScriptError{file_, lineNo, c,
                        fmt::format("expected '{}', got {} argument{}", usage, toks.size() - 1,
                                    toks.size() == 2 ? "" : "s")};
      return false;
    }
    return true;
  };
  auto needMap = [&]() -> bool {
    if (!made_) {
      err = ScriptError{file_, lineNo, toks[0].column,
                        fmt::format("expected 'make KIND HINT' (or 'nil KIND') before '{}'", std::string(verb))};
      return false;
    }
    return true;
  };
  auto key = [&](std::size_t i) -> bool {
    std::string w;
    if (!parseKeyToken(toks[i].text, kind_, op.key, w)) {
      err = ScriptError{file_, lineNo, toks[i].column, w};
      return false;
    }
    return true;
  };
  auto u64 = [&](std::size_t i, uint64_t& out, const char* what, uint64_t max) -> bool {
    if (!parseUint64Token(toks[i].text, out) || out > max) {
      err = ScriptError{file_, lineNo, toks[i].column,
                        fmt::format("expected {} (decimal or 0x hex, at most {}), got {:?}", what, max,
                                    std::string(toks[i].text))};
      return false;
    }
    return true;
  };

  // sync.Map (make syncmap ...): its own verbs; the classic and Swiss verbs are refused on it, and its verbs on them.
  static constexpr std::string_view kSyncVerbs[] = {"store", "load", "loadorstore", "loadanddelete", "delete", "range", "gc"};
  const bool syncVerb = std::find(std::begin(kSyncVerbs), std::end(kSyncVerbs), verb) != std::end(kSyncVerbs);
  const bool makeSync = verb == "make" && toks.size() >= 2 && toks[1].text == "syncmap";
  if (makeSync || syncVerb || (syncmap_ && verb != "dump" && verb != "rngseed")) {
    if (makeSync) {
      if (!want(3, 3, "make syncmap string|int64")) return std::nullopt;
      if (swissSetupLine_ != 0)
        return fail(toks[0].column, fmt::format("expected 'make swiss KIND HINT [SEED]': line {} set up a Swiss map",
                                                swissSetupLine_));
      if (made_ && !syncmap_)
        return fail(toks[0].column, fmt::format("expected an op of the {} map this script made, got 'make syncmap' "
                                                "(one script, one structure)",
                                                swiss_ ? "Swiss" : "classic"));
      if (toks[2].text == "string") op.mapKind = KeyKind::String;
      else if (toks[2].text == "int64") op.mapKind = KeyKind::Int64;
      else
        return fail(toks[2].column,
                    fmt::format("expected a key kind of sync.Map (string or int64), got {:?}", std::string(toks[2].text)));
      op.kind = ScriptOp::Kind::Make;
      op.syncmap = true;
      made_ = true;
      syncmap_ = true;
      kind_ = op.mapKind;
    } else if (!syncmap_) {
      if (!made_) return fail(toks[0].column, fmt::format("expected 'make syncmap string|int64' before '{}'", std::string(verb)));
      return fail(toks[0].column, fmt::format("expected an op of the {} map this script made: '{}' is a sync.Map op",
                                              swiss_ ? "Swiss" : "classic", std::string(verb)));
    } else if (!syncVerb) {
      return fail(toks[0].column, fmt::format("expected an op of sync.Map (make syncmap, store, load, loadorstore, "
                                              "loadanddelete, delete, range, gc, dump), got {:?}",
                                              std::string(verb)));
    } else if (verb == "store" || verb == "loadorstore") {
      if (!want(3, 3, fmt::format("{} KEY VALUE", verb).c_str()) || !key(1)) return std::nullopt;
      op.kind = verb == "store" ? ScriptOp::Kind::Store : ScriptOp::Kind::LoadOrStore;
      if (!parseInt64Token(toks[2].text, op.value))
        return fail(toks[2].column, fmt::format("expected an int64 value, got {:?}", std::string(toks[2].text)));
    } else if (verb == "load" || verb == "loadanddelete" || verb == "delete") {
      if (!want(2, 2, fmt::format("{} KEY", verb).c_str()) || !key(1)) return std::nullopt;
      op.kind = verb == "load" ? ScriptOp::Kind::Load
                : verb == "delete" ? ScriptOp::Kind::Delete
                                   : ScriptOp::Kind::LoadAndDelete;
    } else if (verb == "range") {
      if (!want(1, 2, "range [N]")) return std::nullopt;
      op.kind = ScriptOp::Kind::Range;
      if (toks.size() == 2 && (!parseInt64Token(toks[1].text, op.limit) || op.limit < 1))
        return fail(toks[1].column, fmt::format("expected a count >= 1 after range (visit at most N keys), got {:?}",
                                                std::string(toks[1].text)));
    } else { // gc
      if (!want(1, 1, "gc")) return std::nullopt;
      op.kind = ScriptOp::Kind::Gc;
    }
  } else if (verb == "hashkey") {
    if (toks.size() != 5 && !want(2, 2, "hashkey K (classic map) or hashkey K0 K1 K2 K3 (Swiss map)")) return std::nullopt;
    if (made_) return fail(toks[0].column, "expected 'hashkey' before the first 'make' (the runtime sets hashkey at start-up)");
    op.kind = ScriptOp::Kind::HashKey;
    if (toks.size() == 5) {
      op.hashkeyWords = 4;
      for (int i = 0; i < 4; i++)
        if (!u64(static_cast<std::size_t>(i + 1), op.hashkeys[i], "a hashkey word", UINT64_MAX)) return std::nullopt;
      swissSetupLine_ = lineNo;
    } else {
      if (!u64(1, op.number, "a 64-bit hash key", UINT64_MAX)) return std::nullopt;
      op.hashkeys[0] = op.number;
    }
  } else if (verb == "version") {
    if (!want(2, 2, "version go1.26|go1.27")) return std::nullopt;
    if (made_) return fail(toks[0].column, "expected 'version' before the first 'make'");
    op.kind = ScriptOp::Kind::Version;
    if (toks[1].text == "go1.26") op.version = swiss::Version::Go126;
    else if (toks[1].text == "go1.27") op.version = swiss::Version::Go127;
    else return fail(toks[1].column, fmt::format("expected go1.26 or go1.27, got {:?}", std::string(toks[1].text)));
    swissSetupLine_ = lineNo;
  } else if (verb == "rngseed") {
    if (!want(2, 2, "rngseed N")) return std::nullopt;
    op.kind = ScriptOp::Kind::RngSeed;
    if (!u64(1, op.number, "a 64-bit seed", UINT64_MAX)) return std::nullopt;
  } else if (verb == "hashmode") {
    if (!want(2, 2, "hashmode go|identity")) return std::nullopt;
    op.kind = ScriptOp::Kind::HashMode;
    if (toks[1].text == "go") op.mode = HashMode::Go;
    else if (toks[1].text == "identity") op.mode = HashMode::Identity;
    else return fail(toks[1].column, fmt::format("expected 'go' or 'identity', got {:?}", std::string(toks[1].text)));
  } else if (verb == "nil" && toks.size() >= 2 && toks[1].text == "swiss") {
    if (!want(3, 3, "nil swiss KIND")) return std::nullopt;
    if (made_ && !swiss_)
      return fail(toks[0].column, "expected 'nil KIND': this script made a classic map (one script, one structure)");
    op.kind = ScriptOp::Kind::Nil;
    op.swiss = true;
    if (!parseKeyKind(toks[2].text, op.mapKind))
      return fail(toks[2].column, fmt::format("expected a key kind (int64, int32, string or float64), got {:?}",
                                              std::string(toks[2].text)));
    made_ = true;
    swiss_ = true;
    kind_ = op.mapKind;
  } else if (verb == "make" && toks.size() >= 2 && toks[1].text == "swiss") {
    if (!want(4, 5, "make swiss KIND HINT [SEED]")) return std::nullopt;
    if (made_ && !swiss_)
      return fail(toks[0].column, "expected 'make KIND HINT': this script made a classic map (one script, one structure)");
    op.kind = ScriptOp::Kind::Make;
    op.swiss = true;
    if (!parseKeyKind(toks[2].text, op.mapKind))
      return fail(toks[2].column, fmt::format("expected a key kind (int64, int32, string or float64), got {:?}",
                                              std::string(toks[2].text)));
    if (!parseInt64Token(toks[3].text, op.hint))
      return fail(toks[3].column, fmt::format("expected a size hint (an int64), got {:?}", std::string(toks[3].text)));
    if (toks.size() == 5 && !u64(4, op.number, "a 64-bit seed", UINT64_MAX)) return std::nullopt;
    const uint64_t groupBytes =
        swiss::makeGroupBytes(op.hint, op.mapKind == KeyKind::String ? swiss::kGroupSize<StringKey> : swiss::kGroupSize<Int64Key>);
    if (groupBytes > swiss::kMaxScriptGroupBytes)
      return fail(toks[3].column, fmt::format("expected a hint whose groups take at most 1 GiB: hint {} would allocate "
                                              "{} bytes of groups",
                                              op.hint, groupBytes));
    made_ = true;
    swiss_ = true;
    kind_ = op.mapKind;
  } else if (verb == "make" || verb == "nil") {
    bool isMake = verb == "make";
    if (swissSetupLine_ != 0)
      return fail(toks[0].column, fmt::format("expected 'make swiss KIND HINT [SEED]': line {} set up a Swiss map "
                                              "(version, or hashkey with four words)",
                                              swissSetupLine_));
    if (made_ && swiss_)
      return fail(toks[0].column, "expected 'make swiss KIND HINT [SEED]': this script made a Swiss map (one script, one structure)");
    if (isMake && toks.size() > 1 && (toks[1].text == "sharded" || toks[1].text == "cow"))
      return fail(toks[1].column,
                  fmt::format("expected a classic, Swiss or sync.Map make here: a {} map lives in races (its op script "
                              "runs with 'gomaplab dump FILE'; in the GUI, write a .race scenario)",
                              toks[1].text == "cow" ? "copy-on-write" : "sharded"));
    if (isMake ? !want(3, 4, "make KIND HINT [HASH0]") : !want(2, 2, "nil KIND")) return std::nullopt;
    op.kind = isMake ? ScriptOp::Kind::Make : ScriptOp::Kind::Nil;
    if (!parseKeyKind(toks[1].text, op.mapKind))
      return fail(toks[1].column, fmt::format("expected a key kind (int64, int32, string or float64), got {:?}",
                                              std::string(toks[1].text)));
    if (isMake) {
      if (!parseInt64Token(toks[2].text, op.hint))
        return fail(toks[2].column, fmt::format("expected a size hint (an int64), got {:?}", std::string(toks[2].text)));
      if (toks.size() == 4 && !u64(3, op.number, "a hash0 seed", UINT32_MAX)) return std::nullopt;
    }
    made_ = true;
    kind_ = op.mapKind;
  } else if (verb == "seed") {
    if (!want(2, 2, "seed HASH0") || !needMap()) return std::nullopt;
    op.kind = ScriptOp::Kind::Seed;
    if (swiss_ ? !u64(1, op.number, "a 64-bit seed", UINT64_MAX) : !u64(1, op.number, "a hash0 seed", UINT32_MAX))
      return std::nullopt;
  } else if (verb == "pin") {
    if (!want(3, 3, "pin KEY HASH") || !needMap()) return std::nullopt;
    if (swiss_) return fail(toks[0].column, "expected an op of the Swiss map: 'pin' works on the classic map only");
    if (!key(1)) return std::nullopt;
    op.kind = ScriptOp::Kind::Pin;
    if (op.key.kind == KeyKind::Float64 && op.key.f != op.key.f)
      return fail(toks[1].column, "expected a key that equals itself: NaN cannot be pinned");
    if (!u64(2, op.number, "a 64-bit hash", UINT64_MAX)) return std::nullopt;
  } else if (verb == "put") {
    if (!want(3, 3, "put KEY VAL") || !needMap() || !key(1)) return std::nullopt;
    op.kind = ScriptOp::Kind::Put;
    if (!parseInt64Token(toks[2].text, op.value))
      return fail(toks[2].column, fmt::format("expected an int64 value, got {:?}", std::string(toks[2].text)));
  } else if (verb == "del" || verb == "get" || verb == "hash") {
    if (!want(2, 2, fmt::format("{} KEY", verb).c_str()) || !needMap() || !key(1)) return std::nullopt;
    op.kind = verb == "del" ? ScriptOp::Kind::Del : verb == "get" ? ScriptOp::Kind::Get : ScriptOp::Kind::Hash;
  } else if (verb == "iter" && std::any_of(toks.begin(), toks.end(), [](const Token& t) { return t.text == "do"; })) {
    // iter [E D] do OP [; OP]...: a range loop with a body (docs/formats.md).
    if (!needMap()) return std::nullopt;
    if (!swiss_)
      return fail(toks[0].column, "expected 'iter' without a body: 'iter ... do' (a loop body) runs on the Swiss map "
                                  "only (make swiss KIND HINT)");
    std::size_t d = 1;
    while (toks[d].text != "do") d++;
    if (d != 1 && d != 3)
      return fail(toks[d].column, "expected 'iter do OP' or 'iter ENTRYOFFSET DIROFFSET do OP' (the offsets are two numbers)");
    op.kind = ScriptOp::Kind::Iter;
    op.iterDo = true;
    if (d == 3) {
      std::pair<uint64_t, uint64_t> off;
      if (!u64(1, off.first, "an entry offset", UINT64_MAX) || !u64(2, off.second, "a directory offset", UINT64_MAX))
        return std::nullopt;
      op.iterOffsets = off;
    }
    // The body's tokens, each ';' outside quotes a token of its own ("1;" and "clear;seed" split).
    std::vector<Token> body;
    for (std::size_t i = d + 1; i < toks.size(); i++) {
      const Token& t = toks[i];
      std::size_t from = 0;
      char quote = 0;
      for (std::size_t c = 0; c < t.text.size(); c++) {
        const char ch = t.text[c];
        if (quote) {
          if (ch == '\\' && quote == '"') c++;
          else if (ch == quote) quote = 0;
        } else if (ch == '"' || ch == '`') {
          quote = ch;
        } else if (ch == ';') {
          if (c > from) body.push_back({t.text.substr(from, c - from), t.column + static_cast<int>(from)});
          body.push_back({t.text.substr(c, 1), t.column + static_cast<int>(c)});
          from = c + 1;
        }
      }
      if (from < t.text.size()) body.push_back({t.text.substr(from), t.column + static_cast<int>(from)});
    }
    constexpr const char* kBodyOps = "a body op (put KEY VAL, del KEY, get KEY, clear, seed S)";
    std::size_t i = 0;
    for (;;) {
      std::size_t j = i;
      while (j < body.size() && body[j].text != ";") j++;
      if (j == i) {
        int c = j < body.size() ? body[j].column : (i > 0 ? body[i - 1].endColumn() : toks[d].endColumn());
        return fail(c, fmt::format("expected {} {}", kBodyOps, i == 0 ? "after 'do'" : "after ';'"));
      }
      std::vector<Token> g(body.begin() + static_cast<std::ptrdiff_t>(i), body.begin() + static_cast<std::ptrdiff_t>(j));
      IterBodyOp b;
      b.text = joinTokens(g);
      std::string_view v = g[0].text;
      auto bwant = [&](std::size_t n, const char* usage) -> bool {
        if (g.size() == n) return true;
        int c = g.size() > n ? g[n].column : g.back().endColumn();
        err = ScriptError{file_, lineNo, c, fmt::format("expected '{}' in the loop body, got {} argument{}", usage,
                                                        g.size() - 1, g.size() == 2 ? "" : "s")};
        return false;
      };
      // A key: a literal, k (the key just yielded) or, on integer keys, k+N / k-N.
      auto bkey = [&](const Token& t) -> bool {
        std::string_view x = t.text;
        const bool integer = kind_ == KeyKind::Int64 || kind_ == KeyKind::Int32;
        if (x == "k") {
          b.current = true;
          return true;
        }
        if (x.size() > 2 && x[0] == 'k' && (x[1] == '+' || x[1] == '-') && kind_ != KeyKind::String) {
          int64_t n = 0;
          std::string_view num = x.substr(2);
          if (!integer) {
            err = ScriptError{file_, lineNo, t.column,
                              fmt::format("expected a float64 key or k: k+N and k-N work on integer keys only, got {:?}",
                                          std::string(x))};
            return false;
          }
          if (num[0] == '+' || num[0] == '-' || !parseInt64Token(num, n) || n < 0) {
            err = ScriptError{file_, lineNo, t.column + 2,
                              fmt::format("expected k+N or k-N with N a decimal number, got {:?}", std::string(x))};
            return false;
          }
          b.current = true;
          b.delta = x[1] == '+' ? n : static_cast<int64_t>(uint64_t{0} - static_cast<uint64_t>(n));
          return true;
        }
        std::string w;
        if (!parseKeyToken(x, kind_, b.key, w)) {
          err = ScriptError{file_, lineNo, t.column, w + " (or k, the key just yielded)"};
          return false;
        }
        return true;
      };
      if (v == "put") {
        if (!bwant(3, "put KEY VAL") || !bkey(g[1])) return std::nullopt;
        b.kind = IterBodyOp::Kind::Put;
        if (!parseInt64Token(g[2].text, b.value))
          return fail(g[2].column, fmt::format("expected an int64 value, got {:?}", std::string(g[2].text)));
      } else if (v == "del" || v == "get") {
        if (!bwant(2, v == "del" ? "del KEY" : "get KEY") || !bkey(g[1])) return std::nullopt;
        b.kind = v == "del" ? IterBodyOp::Kind::Del : IterBodyOp::Kind::Get;
      } else if (v == "clear") {
        if (!bwant(1, "clear")) return std::nullopt;
        b.kind = IterBodyOp::Kind::Clear;
      } else if (v == "seed") {
        if (!bwant(2, "seed S")) return std::nullopt;
        b.kind = IterBodyOp::Kind::Seed;
        if (!parseUint64Token(g[1].text, b.number))
          return fail(g[1].column, fmt::format("expected a 64-bit seed (decimal or 0x hex), got {:?}", std::string(g[1].text)));
      } else {
        return fail(g[0].column, fmt::format("expected {}, got {:?}", kBodyOps, std::string(v)));
      }
      op.iterBody.push_back(std::move(b));
      if (j >= body.size()) break;
      i = j + 1;
    }
  } else if (verb == "iter" && swiss_ && toks.size() != 1) {
    if (!want(3, 3, "iter or iter ENTRYOFFSET DIROFFSET")) return std::nullopt;
    op.kind = ScriptOp::Kind::Iter;
    std::pair<uint64_t, uint64_t> off;
    if (!u64(1, off.first, "an entry offset", UINT64_MAX) || !u64(2, off.second, "a directory offset", UINT64_MAX))
      return std::nullopt;
    op.iterOffsets = off;
  } else if (verb == "dump" || verb == "clear" || verb == "iter") {
    if (!want(1, 1, std::string(verb).c_str()) || !needMap()) return std::nullopt;
    op.kind = verb == "dump" ? ScriptOp::Kind::Dump : verb == "clear" ? ScriptOp::Kind::Clear : ScriptOp::Kind::Iter;
  } else {
    return fail(toks[0].column,
                fmt::format("expected an op (make, nil, seed, hashkey, rngseed, hashmode, pin, put, del, get, hash, "
                            "dump, clear, iter, version, or a lesson line: title, narration, expect), got {:?}",
                            std::string(verb)));
  }
  opsParsed_++;
  narrationLine_ = 0;
  return op;
}

std::vector<ScriptOp> ScriptParser::parseAll(std::string_view text, std::optional<ScriptError>& err) {
  std::vector<ScriptOp> ops;
  int lineNo = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    lineNo++;
    auto op = parseLine(line, lineNo, err);
    if (err) return ops;
    if (op) ops.push_back(std::move(*op));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  err = finish();
  return ops;
}

} // namespace gomap

namespace gomap {

KeyValue IterBodyOp::keyFor(const KeyValue& k) const {
  if (!current) return key;
  KeyValue out = k;
  const uint64_t sum = static_cast<uint64_t>(k.i) + static_cast<uint64_t>(delta); // Go's wrapping arithmetic
  if (k.kind == KeyKind::Int64) out.i = static_cast<int64_t>(sum);
  else if (k.kind == KeyKind::Int32) out.i = static_cast<int32_t>(static_cast<uint32_t>(sum));
  return out;
}

std::optional<OpRequest> requestOf(ScriptOp::Kind kind, const KeyValue& key, int64_t arg) {
  using K = ScriptOp::Kind;
  switch (kind) {
  case K::Make: return OpRequest{OpCode::Make, {}, arg};
  case K::Put: return OpRequest{OpCode::Put, key, arg};
  case K::Del: return OpRequest{OpCode::Del, key, 0};
  case K::Get: return OpRequest{OpCode::Get, key, 0};
  case K::Clear: return OpRequest{OpCode::Clear, {}, 0};
  case K::Iter: return OpRequest{OpCode::Iter, {}, 0};
  default: return std::nullopt;
  }
}

std::optional<OpRequest> requestOf(const ScriptOp& op) {
  return requestOf(op.kind, op.key, op.kind == ScriptOp::Kind::Make ? op.hint : op.value);
}

namespace {
// make swiss KIND HINT [SEED] (or nil swiss KIND): NewMap, then the seed overwritten (the oracle
// writes Map.seed the same way).
OpResult applySwissMake(OpTarget& t, const ScriptOp& op) {
  // The generator carries over from a previous map, as one process's does.
  uint64_t state = t.rngSeed ? *t.rngSeed : t.swissMap ? t.swissMap->rngState() : t.initialRng;
  t.rngSeed.reset();
  t.map.reset();
  t.swissMap = swiss::AnySwiss::create(op.mapKind, t.strings);
  t.swissMap->setRngState(state);
  t.swissMap->setVersion(t.version);
  t.swissMap->setHashKeys(t.swissHashKeys);
  t.swissMap->setHashMode(t.mode);
  if (t.swissEvents) t.swissMap->setEventSink(t.swissEvents);
  if (op.kind == ScriptOp::Kind::Nil) { // var m map[K]V: no header at all
    t.swissMap->makeNil();
    return {};
  }
  OpResult res = t.swissMap->apply(swiss::SwissRequest{swiss::SwissOpCode::Make, {}, op.hint, {}});
  if (res.outcome == Outcome::Ok) t.swissMap->setSeed(op.number);
  return res;
}
OpResult applySwissOp(OpTarget& t, const ScriptOp& op, AccessResult* access, std::vector<KeyValue>* keys) {
  using K = ScriptOp::Kind;
  using C = swiss::SwissOpCode;
  swiss::AnySwiss& m = *t.swissMap;
  switch (op.kind) {
  case K::Seed: m.setSeed(op.number); return {};
  case K::Put: return m.apply({C::Put, op.key, op.value, {}});
  case K::Del: return m.apply({C::Del, op.key, 0, {}});
  case K::Get: {
    bool found = false;
    int64_t v = 0;
    OpResult r = m.apply({C::Get, op.key, 0, {}}, &found, &v);
    if (access) *access = AccessResult{found, v};
    return r;
  }
  case K::Clear: return m.apply({C::Clear, {}, 0, {}});
  case K::Iter: {
    if (op.iterDo) {
      OpResult r = runSwissLoop(m, op.iterOffsets, op.iterBody, t.swissIter, &t.swissGets, &t.swissStarted);
      if (keys) *keys = t.swissIter.keys;
      return r;
    }
    OpResult r = m.apply({C::Iter, {}, 0, op.iterOffsets}, nullptr, nullptr, &t.swissIter);
    if (keys) *keys = t.swissIter.keys;
    return r;
  }
  default: return {}; // hash, dump: nothing runs
  }
}
} // namespace

SwissLoopRun::SwissLoopRun(swiss::AnySwiss& m, std::optional<std::pair<uint64_t, uint64_t>> offsets,
                           std::vector<IterBodyOp> body)
    : m_(m), body_(std::move(body)) {
  // A snapshot's shared tables would be copied by the body's first write
  // while the iterator still reads the old copy: make the memory one first.
  m_.unshare();
  iter_ = m_.start(swiss::SwissRequest{swiss::SwissOpCode::Iter, {}, 0, offsets});
}

SwissLoopRun::~SwissLoopRun() {
  op_.reset(); // a body op parked inside the loop goes first
  iter_.reset();
}

void SwissLoopRun::finishBodyOp() {
  const IterBodyOp& b = body_[next_];
  const OpResult r = op_->result();
  if (b.kind == IterBodyOp::Kind::Get && r.outcome == Outcome::Ok)
    gets.push_back(op_->found ? std::optional<int64_t>(op_->value) : std::nullopt);
  op_.reset();
  next_++;
  if (r.outcome != Outcome::Ok) {
    result_ = r;
    done_ = true;
  }
}

bool SwissLoopRun::step() {
  if (done_) return false;
  const uint64_t user = m_.pauseMask();
  const uint64_t yieldBit = uint64_t{1} << static_cast<unsigned>(swiss::SwissKind::IterYielded);
  bool paused = false;
  while (!done_ && !paused) {
    if (op_) { // a body op in progress
      m_.setPauseMask(user);
      if (op_->step()) paused = true;
      else finishBodyOp();
      continue;
    }
    if (inBody_) { // the body's next op, after the key iter.keys.back()
      if (next_ >= body_.size()) {
        inBody_ = false;
        continue;
      }
      const IterBodyOp& b = body_[next_];
      if (b.kind == IterBodyOp::Kind::Seed) {
        m_.setSeed(b.number);
        next_++;
        continue;
      }
      swiss::SwissRequest r;
      r.code = b.kind == IterBodyOp::Kind::Put   ? swiss::SwissOpCode::Put
               : b.kind == IterBodyOp::Kind::Del ? swiss::SwissOpCode::Del
               : b.kind == IterBodyOp::Kind::Get ? swiss::SwissOpCode::Get
                                                 : swiss::SwissOpCode::Clear;
      if (b.hasKey()) r.key = b.keyFor(iter_->iter.keys.back());
      r.value = b.value;
      started.push_back(next_);
      m_.setPauseMask(user);
      op_ = m_.start(r);
      continue;
    }
    // The iteration, to its next pause: a yielded key (always), or an event the driver asked for.
    m_.setPauseMask(user | yieldBit);
    if (!iter_->step()) {
      result_ = iter_->result();
      done_ = true;
      break;
    }
    if (iter_->iter.keys.size() > yielded_) { // paused at the key just yielded: the body runs next
      yielded_++;
      inBody_ = true;
      next_ = 0;
      if (user & yieldBit) paused = true;
    } else {
      paused = true;
    }
  }
  m_.setPauseMask(user);
  if (done_) iter = std::move(iter_->iter);
  return !done_;
}

OpResult runSwissLoop(swiss::AnySwiss& m, std::optional<std::pair<uint64_t, uint64_t>> offsets,
                      const std::vector<IterBodyOp>& body, swiss::IterResult& iter,
                      std::vector<std::optional<int64_t>>* gets, std::vector<std::size_t>* started) {
  SwissLoopRun run(m, offsets, body);
  while (run.step()) {
  }
  iter = std::move(run.iter);
  if (gets) *gets = std::move(run.gets);
  if (started) *started = std::move(run.started);
  return run.result();
}

OpResult applySyncOp(OpTarget& t, const ScriptOp& op) {
  using K = ScriptOp::Kind;
  using C = syncmap::SyncOpCode;
  t.syncOut = syncmap::SyncResult{};
  if (op.kind == K::Make) {
    // The generator (Go's map order) carries over from a previous map, as one process's does.
    const uint64_t state = t.rngSeed ? *t.rngSeed : t.syncMap ? t.syncMap->rngState() : t.initialRng;
    t.rngSeed.reset();
    t.map.reset();
    t.swissMap.reset();
    t.syncMap = std::make_unique<syncmap::SyncMap>(op.mapKind, state);
    if (t.syncEvents) t.syncMap->setEventSink(t.syncEvents);
    return {};
  }
  syncmap::SyncMap& m = *t.syncMap;
  switch (op.kind) {
  case K::Store: return m.apply({C::Store, op.key, op.value, 0}, t.syncOut);
  case K::Load: return m.apply({C::Load, op.key, 0, 0}, t.syncOut);
  case K::LoadOrStore: return m.apply({C::LoadOrStore, op.key, op.value, 0}, t.syncOut);
  case K::LoadAndDelete: return m.apply({C::LoadAndDelete, op.key, 0, 0}, t.syncOut);
  case K::Delete: return m.apply({C::Delete, op.key, 0, 0}, t.syncOut);
  case K::Range: return m.apply({C::Range, {}, 0, op.limit}, t.syncOut);
  case K::RngSeed: m.clearOpCounts(), m.setRngState(op.number); return {};
  case K::Gc: m.gc(); return {}; // runtime.GC(): frees what read and dirty do not reach (the state printed is unchanged)
  default: m.clearOpCounts(); return {}; // dump
  }
}

OpResult applyOp(OpTarget& t, const ScriptOp& op, AccessResult* access, std::vector<KeyValue>* keys) {
  using K = ScriptOp::Kind;
  OpResult res;
  if ((op.kind == K::Make && op.syncmap) || t.syncMap) return applySyncOp(t, op);
  if ((op.kind == K::Make || op.kind == K::Nil) && op.swiss) return applySwissMake(t, op);
  if (t.swissMap && op.kind != K::RngSeed && op.kind != K::HashMode) return applySwissOp(t, op, access, keys);
  switch (op.kind) {
  case K::HashKey:
    if (op.hashkeyWords == 4) std::copy(std::begin(op.hashkeys), std::end(op.hashkeys), std::begin(t.swissHashKeys));
    else t.hashkey = op.number;
    break;
  case K::Version: t.version = op.version; break;
  case K::RngSeed:
    t.rngSeed = op.number;
    if (t.map) t.map->setRngSeed(op.number);
    if (t.swissMap) t.swissMap->setRngState(op.number);
    break;
  case K::HashMode:
    t.mode = op.mode;
    if (t.map) t.map->setHashMode(op.mode);
    if (t.swissMap) t.swissMap->setHashMode(op.mode);
    break;
  case K::Make:
  case K::Nil: {
    uint64_t state = t.rngSeed ? *t.rngSeed : t.map ? t.map->rngState() : t.initialRng;
    t.rngSeed.reset();
    t.map = AnyMap::create(op.mapKind, state, t.strings);
    t.map->setHashKey(t.hashkey);
    t.map->setHashMode(t.mode);
    if (t.events) t.map->setEventBuffer(t.events);
    if (op.kind == K::Make) {
      res = t.map->apply(*requestOf(op));
      if (res.outcome == Outcome::Ok) t.map->setHash0(static_cast<uint32_t>(op.number));
    }
    break;
  }
  case K::Seed: t.map->setHash0(static_cast<uint32_t>(op.number)); break;
  case K::Pin: t.map->pinHash(op.key, op.number); break;
  case K::Hash:
  case K::Dump: break;
  case K::Put:
  case K::Del:
  case K::Get:
  case K::Clear:
  case K::Iter: res = t.map->apply(*requestOf(op), access, keys); break;
  case K::Store: // sync.Map's ops (the parser lets them through only after make syncmap)
  case K::Load:
  case K::LoadOrStore:
  case K::LoadAndDelete:
  case K::Delete:
  case K::Range:
  case K::Gc: break;
  }
  return res;
}

} // namespace gomap

// ---- free-text directives and lesson lines ------------------------------------------
namespace gomap {

namespace {
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
std::string_view trimRight(std::string_view s) {
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}
} // namespace

bool parseTextDirective(std::string_view line, int lineNo, const std::string& file, TextDirective& out,
                        std::optional<SourceError>& err) {
  err.reset();
  std::size_t a = 0;
  while (a < line.size() && isBlank(line[a])) a++;
  std::size_t b = a;
  while (b < line.size() && !isBlank(line[b])) b++;
  std::string_view d = line.substr(a, b - a);
  if (d != "title" && d != "narration") return false;
  out = TextDirective{};
  out.title = d == "title";
  out.column = static_cast<int>(a) + 1;
  std::size_t c = b;
  while (c < line.size() && isBlank(line[c])) c++;
  std::size_t e = c;
  while (e < line.size() && !isBlank(line[e])) e++;
  std::string_view lang = line.substr(c, e - c);
  std::size_t t = e;
  while (t < line.size() && isBlank(line[t])) t++;
  std::string_view text = trimRight(line.substr(std::min(t, line.size())));
  if ((lang != "en" && lang != "zh") || text.empty()) {
    // The column of the language word, or just after the directive when it is missing.
    int col = c < line.size() ? static_cast<int>(c) + 1 : out.column + static_cast<int>(d.size()) + 1;
    err = SourceError{file, lineNo, col, fmt::format("expected '{} en|zh TEXT'", d)};
    return true;
  }
  out.lang = lang == "zh" ? 1 : 0;
  out.text = text;
  return true;
}

bool isLessonLine(std::string_view line) {
  std::size_t a = 0;
  while (a < line.size() && isBlank(line[a])) a++;
  std::size_t b = a;
  while (b < line.size() && !isBlank(line[b]) && line[b] != '#') b++;
  const std::string_view w = line.substr(a, b - a);
  return w == "title" || w == "narration" || w == "expect";
}

bool Lesson::any() const {
  if (!title[0].empty() || !title[1].empty()) return true;
  for (const LessonNotes& n : ops)
    if (!n.empty()) return true;
  return false;
}

std::size_t Lesson::expectCount() const {
  std::size_t n = 0;
  for (const LessonNotes& o : ops) n += o.expects.size();
  return n;
}

LessonNotes& ScriptParser::notesFor(std::size_t op) {
  if (lesson_.ops.size() <= op) lesson_.ops.resize(op + 1);
  return lesson_.ops[op];
}

std::optional<ScriptError> ScriptParser::finish() const {
  if (narrationLine_ > 0)
    return ScriptError{file_, narrationLine_, 1,
                       "expected an op after this narration (a narration belongs to the op that follows it)"};
  return std::nullopt;
}

namespace {

enum class ArgKind : uint8_t { None, Cell, Bucket, Field, SwTable, SwSlot, SmKindOpt, SmKey };
enum class ValKind : uint8_t {
  Number, Signed, NumberOrNone, NumberOrNil, Bool, Key, Text, KeyList, NumberList, BmapList,
  Ctrl,     // a Swiss control byte: empty, deleted or the H2 number (0-127)
  GrowList, // what grew: grow, split, convert (none for nothing)
  SignedOrNone, // sync.Map's value: an int64, or none when the op returned none
  PState,   // sync.Map's entry state of a key: value, nil, expunged or absent
};
struct Subject {
  std::string_view name;
  ExpectWhat what;
  ArgKind arg;
  ValKind val;
};
constexpr Subject kSubjects[] = {
    {"B", ExpectWhat::B, ArgKind::None, ValKind::Number},
    {"count", ExpectWhat::Count, ArgKind::None, ValKind::Number},
    {"noverflow", ExpectWhat::Noverflow, ArgKind::None, ValKind::Number},
    {"nevacuate", ExpectWhat::Nevacuate, ArgKind::None, ValKind::Number},
    {"flags", ExpectWhat::Flags, ArgKind::None, ValKind::Number},
    {"hash0", ExpectWhat::Hash0, ArgKind::None, ValKind::Number},
    {"growing", ExpectWhat::Growing, ArgKind::None, ValKind::Bool},
    {"oldB", ExpectWhat::OldB, ArgKind::None, ValKind::NumberOrNone},
    {"sameSizeGrow", ExpectWhat::SameSizeGrow, ArgKind::None, ValKind::Bool},
    {"nil", ExpectWhat::Nil, ArgKind::None, ValKind::Bool},
    {"buckets", ExpectWhat::Buckets, ArgKind::None, ValKind::NumberOrNil},
    {"extra.overflow", ExpectWhat::ExtraOverflow, ArgKind::None, ValKind::NumberOrNil},
    {"extra.oldoverflow", ExpectWhat::ExtraOldOverflow, ArgKind::None, ValKind::NumberOrNil},
    {"live", ExpectWhat::Live, ArgKind::None, ValKind::Number},
    {"chain", ExpectWhat::Chain, ArgKind::Bucket, ValKind::Number},
    {"evacuated", ExpectWhat::Evacuated, ArgKind::Bucket, ValKind::Bool},
    {"tophash", ExpectWhat::Tophash, ArgKind::Cell, ValKind::Number},
    {"key", ExpectWhat::Key, ArgKind::Cell, ValKind::Key},
    {"elem", ExpectWhat::Elem, ArgKind::Cell, ValKind::Signed},
    {"size", ExpectWhat::Size, ArgKind::Field, ValKind::Number},
    {"offset", ExpectWhat::Offset, ArgKind::Field, ValKind::Number}, // with a field; alone: the iteration's
    {"found", ExpectWhat::Found, ArgKind::None, ValKind::Bool},
    {"value", ExpectWhat::Value, ArgKind::None, ValKind::Signed},
    {"panic", ExpectWhat::Panic, ArgKind::None, ValKind::Text},
    {"fatal", ExpectWhat::Fatal, ArgKind::None, ValKind::Text},
    {"keys", ExpectWhat::Keys, ArgKind::None, ValKind::KeyList},
    {"startBucket", ExpectWhat::StartBucket, ArgKind::None, ValKind::NumberOrNone},
    {"grew", ExpectWhat::Grew, ArgKind::None, ValKind::Bool},
    {"evacuations", ExpectWhat::Evacuations, ArgKind::None, ValKind::NumberList},
    {"scanned", ExpectWhat::Scanned, ArgKind::None, ValKind::BmapList},
    {"cells", ExpectWhat::Cells, ArgKind::None, ValKind::Number},
    {"flagsDuring", ExpectWhat::FlagsDuring, ArgKind::None, ValKind::NumberList},
};
constexpr std::string_view kFields[] = {"count", "flags", "B", "noverflow", "hash0"};
// The Swiss map's subjects (after `make swiss`): found, value, panic, fatal and
// keys mean what they mean for the classic map.
constexpr Subject kSwissSubjects[] = {
    {"used", ExpectWhat::Used, ArgKind::None, ValKind::Number},
    {"seed", ExpectWhat::Seed, ArgKind::None, ValKind::Number},
    {"dirLen", ExpectWhat::DirLen, ArgKind::None, ValKind::Number},
    {"globalDepth", ExpectWhat::GlobalDepth, ArgKind::None, ValKind::Number},
    {"writing", ExpectWhat::Writing, ArgKind::None, ValKind::Number},
    {"tombstonePossible", ExpectWhat::TombstonePossible, ArgKind::None, ValKind::Bool},
    {"clearSeq", ExpectWhat::ClearSeq, ArgKind::None, ValKind::Number},
    {"small", ExpectWhat::Small, ArgKind::None, ValKind::Bool},
    {"tables", ExpectWhat::Tables, ArgKind::None, ValKind::Number},
    {"table", ExpectWhat::Table, ArgKind::SwTable, ValKind::Number},
    {"ctrl", ExpectWhat::Ctrl, ArgKind::SwSlot, ValKind::Ctrl},
    {"key", ExpectWhat::SwKey, ArgKind::SwSlot, ValKind::Key},
    {"elem", ExpectWhat::SwElem, ArgKind::SwSlot, ValKind::Signed},
    {"found", ExpectWhat::Found, ArgKind::None, ValKind::Bool},
    {"value", ExpectWhat::Value, ArgKind::None, ValKind::Signed},
    {"keys", ExpectWhat::Keys, ArgKind::None, ValKind::KeyList},
    {"panic", ExpectWhat::Panic, ArgKind::None, ValKind::Text},
    {"fatal", ExpectWhat::Fatal, ArgKind::None, ValKind::Text},
    {"probes", ExpectWhat::Probes, ArgKind::None, ValKind::Number},
    {"compared", ExpectWhat::Compared, ArgKind::None, ValKind::Number},
    {"grew", ExpectWhat::SwGrew, ArgKind::None, ValKind::GrowList},
    {"pruned", ExpectWhat::Pruned, ArgKind::None, ValKind::Number},
    {"splits", ExpectWhat::Splits, ArgKind::None, ValKind::Number},
    {"dirDoubled", ExpectWhat::DirDoubled, ArgKind::None, ValKind::Bool},
    {"offsets", ExpectWhat::Offsets, ArgKind::None, ValKind::NumberList},
};
// sync.Map's subjects (after `make syncmap`).
constexpr Subject kSyncSubjects[] = {
    {"allocs", ExpectWhat::SmAllocs, ArgKind::SmKindOpt, ValKind::Number},
    {"frees", ExpectWhat::SmFrees, ArgKind::SmKindOpt, ValKind::Number},
    {"heap", ExpectWhat::SmHeap, ArgKind::SmKindOpt, ValKind::Number},
    {"read", ExpectWhat::SmRead, ArgKind::None, ValKind::NumberOrNil},
    {"amended", ExpectWhat::SmAmended, ArgKind::None, ValKind::Bool},
    {"misses", ExpectWhat::SmMisses, ArgKind::None, ValKind::Number},
    {"read.m", ExpectWhat::SmReadM, ArgKind::SmKey, ValKind::PState},
    {"dirty", ExpectWhat::SmDirty, ArgKind::SmKey, ValKind::PState},
    {"found", ExpectWhat::Found, ArgKind::None, ValKind::Bool},
    {"value", ExpectWhat::Value, ArgKind::None, ValKind::SignedOrNone},
};
constexpr std::string_view kHeapKindNames[] = {"readonly", "entry", "cell", "box"};

constexpr std::string_view kTableFields[] = {"capacity", "used", "growthLeft", "localDepth", "index", "tombstones"};

std::string subjectNames(const Subject* b, const Subject* e) {
  std::string names;
  for (const Subject* s = b; s != e; ++s) names += fmt::format("{}{}", names.empty() ? "" : ", ", s->name);
  return names;
}

// T of `table T FIELD` / `ctrl T G S`: a table position or `small`.
bool parseSwissTableToken(std::string_view t, int& out) {
  if (t == "small") {
    out = ExpectLine::kSmallTable;
    return true;
  }
  uint64_t n = 0;
  if (!parseUint64Token(t, n) || n > 1u << 20) return false;
  out = static_cast<int>(n);
  return true;
}

// "3.5", "3.1.5" (bucket, overflow bmap, slot) or "3.1" for a bmap; "old:" in front for oldbuckets.
bool parseLocToken(std::string_view t, bool bmap, Loc& out) {
  out = Loc{};
  if (t.substr(0, 4) == "old:") {
    out.old = true;
    t.remove_prefix(4);
  }
  uint64_t parts[3];
  int n = 0;
  while (true) {
    std::size_t dot = t.find('.');
    std::string_view p = t.substr(0, dot);
    if (n == 3 || p.empty()) return false;
    auto [q, ec] = std::from_chars(p.data(), p.data() + p.size(), parts[n]);
    if (ec != std::errc() || q != p.data() + p.size()) return false;
    n++;
    if (dot == std::string_view::npos) break;
    t.remove_prefix(dot + 1);
  }
  if (bmap) {
    if (n != 2 || parts[0] > UINT32_MAX || parts[1] > kMaxChain) return false;
    out.bucket = static_cast<uint32_t>(parts[0]);
    out.chain = static_cast<uint16_t>(parts[1]);
    return true;
  }
  if (n < 2 || parts[0] > UINT32_MAX || parts[n - 1] >= bucketCnt || (n == 3 && parts[1] > kMaxChain)) return false;
  out.bucket = static_cast<uint32_t>(parts[0]);
  out.chain = n == 3 ? static_cast<uint16_t>(parts[1]) : 0;
  out.slot = static_cast<uint8_t>(parts[n - 1]);
  return true;
}

std::string locText(const Loc& l, bool bmap) {
  std::string s = l.old ? "old:" : "";
  if (bmap) return s + fmt::format("{}.{}", l.bucket, l.chain);
  if (l.chain) return s + fmt::format("{}.{}.{}", l.bucket, l.chain, l.slot);
  return s + fmt::format("{}.{}", l.bucket, l.slot);
}

} // namespace

bool ScriptParser::lessonLine(std::string_view line, int lineNo, std::optional<ScriptError>& err) {
  TextDirective td;
  if (parseTextDirective(line, lineNo, file_, td, err)) {
    if (err) return true;
    if (td.title) {
      std::string& dst = lesson_.title[td.lang];
      if (!dst.empty()) {
        err = ScriptError{file_, lineNo, td.column, fmt::format("expected one 'title {}' line", td.lang ? "zh" : "en")};
        return true;
      }
      dst.assign(td.text);
      return true;
    }
    std::string& dst = notesFor(opsParsed_).narration[td.lang];
    if (!dst.empty()) dst.push_back('\n');
    dst.append(td.text);
    if (narrationLine_ == 0) narrationLine_ = lineNo;
    return true;
  }
  // expect WHAT [ARG] ==|!= VALUE...
  std::size_t a = 0;
  while (a < line.size() && isBlank(line[a])) a++;
  if (line.substr(a, 6) != "expect" || (a + 6 < line.size() && !isBlank(line[a + 6]) && line[a + 6] != '#'))
    return false;
  std::vector<Token> toks;
  std::string why;
  int col = 0;
  auto fail = [&](int c, std::string msg) {
    err = ScriptError{file_, lineNo, c, std::move(msg)};
    return true;
  };
  if (!lexLine(line, toks, why, col)) return fail(col, why);
  ExpectLine e;
  e.line = lineNo;
  e.column = toks[0].column;
  e.text = joinTokens(toks);
  if (opsParsed_ == 0) return fail(toks[0].column, "expected an op before 'expect' (an expect line checks the op above it)");
  if (toks.size() < 2) return fail(toks[0].endColumn(), "expected 'expect WHAT == VALUE' (e.g. 'expect B == 2')");
  // The subjects of the script's structure: the Swiss map's after `make swiss`
  // (or a `version` / four-word `hashkey` line that sets one up), else the classic map's.
  const bool swissScript = swiss_ || (!made_ && swissSetupLine_ != 0);
  const Subject* subj = nullptr;
  const Subject* other = nullptr;
  if (syncmap_) {
    for (const Subject& s : kSyncSubjects)
      if (toks[1].text == s.name) subj = &s;
    if (!subj)
      return fail(toks[1].column, fmt::format("expected what to check on a sync.Map ({}), got {:?}",
                                              subjectNames(std::begin(kSyncSubjects), std::end(kSyncSubjects)),
                                              std::string(toks[1].text)));
  }
  for (const Subject& s : kSubjects)
    if (!syncmap_ && toks[1].text == s.name) (swissScript ? other : subj) = &s;
  for (const Subject& s : kSwissSubjects)
    if (!syncmap_ && toks[1].text == s.name) (swissScript ? subj : other) = &s;
  if (!subj) {
    const std::string names = swissScript ? subjectNames(std::begin(kSwissSubjects), std::end(kSwissSubjects))
                                          : subjectNames(std::begin(kSubjects), std::end(kSubjects));
    if (other)
      return fail(toks[1].column,
                  fmt::format("expected what to check on {} ({}), got {:?}, which is a subject of the {} map",
                              swissScript ? "a Swiss map" : "the classic map", names, std::string(toks[1].text),
                              swissScript ? "classic" : "Swiss (make swiss ...)"));
    return fail(toks[1].column, fmt::format("expected what to check ({}), got {:?}", names, std::string(toks[1].text)));
  }
  e.what = subj->what;
  std::size_t i = 2;
  ArgKind arg = subj->arg;
  if (e.what == ExpectWhat::Offset && toks.size() > 2 && (toks[2].text == "==" || toks[2].text == "!=")) {
    e.what = ExpectWhat::IterOffset; // `expect offset == N`: the iteration's random offset
    arg = ArgKind::None;
  }
  ValKind val = e.what == ExpectWhat::IterOffset ? ValKind::NumberOrNone : subj->val;
  if (arg == ArgKind::SmKindOpt) { // `allocs == N` or `allocs KIND == N`
    if (toks.size() > i && toks[i].text != "==" && toks[i].text != "!=") {
      const Token& t = toks[i++];
      if (std::find(std::begin(kHeapKindNames), std::end(kHeapKindNames), t.text) == std::end(kHeapKindNames))
        return fail(t.column, fmt::format("expected a kind of heap object (readonly, entry, cell, box) or '==', got {:?}",
                                          std::string(t.text)));
      e.field = std::string(t.text);
    }
  } else if (arg == ArgKind::SmKey) {
    if (toks.size() <= i || toks[i].text == "==" || toks[i].text == "!=")
      return fail(toks.size() <= i ? toks.back().endColumn() : toks[i].column,
                  fmt::format("expected a key after '{}'", subj->name));
    const Token& t = toks[i++];
    std::string w;
    if (!parseKeyToken(t.text, kind_, e.key, w)) return fail(t.column, w);
  } else if (arg != ArgKind::None) {
    if (toks.size() <= i) return fail(toks.back().endColumn(), fmt::format("expected what '{}' is of after it", subj->name));
    const Token& t = toks[i++];
    if (arg == ArgKind::SwTable || arg == ArgKind::SwSlot) {
      const char* usage = arg == ArgKind::SwTable ? "table T FIELD" : "T G S";
      if (!parseSwissTableToken(t.text, e.table))
        return fail(t.column, fmt::format("expected a table: its position in the JSON 'tables' (0, 1, ...) or "
                                          "small ({}), got {:?}",
                                          usage, std::string(t.text)));
      if (arg == ArgKind::SwTable) {
        if (e.table == ExpectLine::kSmallTable)
          return fail(t.column, "expected a table position (0, 1, ...): the small map's group is not a table");
        if (toks.size() <= i)
          return fail(toks.back().endColumn(), "expected a table field (capacity, used, growthLeft, localDepth, "
                                               "index, tombstones) after the table");
        const Token& f = toks[i++];
        bool ok = false;
        for (std::string_view n : kTableFields) ok = ok || f.text == n;
        if (!ok)
          return fail(f.column, fmt::format("expected a table field (capacity, used, growthLeft, localDepth, index, "
                                            "tombstones), got {:?}",
                                            std::string(f.text)));
        e.field = std::string(f.text);
      } else {
        auto isCmp = [&](std::size_t k) { return toks[k].text == "==" || toks[k].text == "!="; };
        if (toks.size() <= i + 1 || isCmp(i) || isCmp(i + 1))
          return fail(toks.size() <= i + 1 ? toks.back().endColumn() : isCmp(i) ? toks[i].column : toks[i + 1].column,
                      fmt::format("expected '{} T G S': a group and a slot after the table",
                                                           subj->name));
        uint64_t g = 0, sl = 0;
        const Token& gt = toks[i++];
        if (!parseUint64Token(gt.text, g) || g > UINT32_MAX)
          return fail(gt.column, fmt::format("expected a group number, got {:?}", std::string(gt.text)));
        if (e.table == ExpectLine::kSmallTable && g != 0)
          return fail(gt.column, fmt::format("expected group 0: a small map has one group, got {:?}",
                                             std::string(gt.text)));
        const Token& st = toks[i++];
        if (!parseUint64Token(st.text, sl) || sl > 7)
          return fail(st.column, fmt::format("expected a slot (0-7), got {:?}", std::string(st.text)));
        e.group = g;
        e.slot = static_cast<uint8_t>(sl);
      }
    } else if (arg == ArgKind::Field) {
      bool ok = false;
      for (std::string_view f : kFields) ok = ok || t.text == f;
      if (!ok)
        return fail(t.column, fmt::format("expected an hmap field (count, flags, B, noverflow, hash0), got {:?}",
                                          std::string(t.text)));
      e.field = std::string(t.text);
    } else if (arg == ArgKind::Bucket) {
      std::string_view b = t.text;
      if (b.substr(0, 4) == "old:") {
        e.cell.old = true;
        b.remove_prefix(4);
      }
      uint64_t n = 0;
      if (!parseUint64Token(b, n) || n > UINT32_MAX)
        return fail(t.column, fmt::format("expected a bucket number (old:N for oldbuckets), got {:?}", std::string(t.text)));
      e.cell.bucket = static_cast<uint32_t>(n);
      if (e.what == ExpectWhat::Evacuated) e.cell.old = true; // always about an old bucket
    } else if (!parseLocToken(t.text, false, e.cell)) {
      return fail(t.column, fmt::format("expected a cell: BUCKET.SLOT or BUCKET.OVERFLOW.SLOT (slot 0-7; old: in front "
                                        "for oldbuckets), got {:?}",
                                        std::string(t.text)));
    }
  }
  if (toks.size() <= i || (toks[i].text != "==" && toks[i].text != "!="))
    return fail(toks.size() > i ? toks[i].column : toks.back().endColumn(), "expected '==' or '!='");
  e.negate = toks[i].text == "!=";
  i++;
  if (toks.size() <= i) return fail(toks.back().endColumn(), "expected a value after the comparison");
  e.valueColumn = toks[i].column;
  const bool list = val == ValKind::KeyList || val == ValKind::NumberList || val == ValKind::BmapList ||
                    val == ValKind::GrowList;
  if (!list && toks.size() > i + 1)
    return fail(toks[i + 1].column, swissScript ? "expected one value (lists are for keys, grew, offsets)"
                                                : "expected one value (lists are for keys, evacuations, scanned, flagsDuring)");
  if (list && toks[i].text == "none") {
    if (toks.size() > i + 1) return fail(toks[i + 1].column, "expected nothing after 'none' (the empty list)");
    e.want = "none";
  }
  for (const bool none = !e.want.empty(); !none && i < toks.size(); i++) {
    const Token& t = toks[i];
    std::string one;
    switch (val) {
    case ValKind::Number:
    case ValKind::NumberList:
    case ValKind::NumberOrNone:
    case ValKind::NumberOrNil: {
      if ((val == ValKind::NumberOrNone && t.text == "none") || (val == ValKind::NumberOrNil && t.text == "nil")) {
        one = std::string(t.text);
        break;
      }
      uint64_t n = 0;
      if (!parseUint64Token(t.text, n))
        return fail(t.column, fmt::format("expected a number (decimal or 0x hex){}, got {:?}",
                                          val == ValKind::NumberOrNone ? " or none"
                                          : val == ValKind::NumberOrNil ? " or nil"
                                                                         : "",
                                          std::string(t.text)));
      one = fmt::format("{}", n);
      break;
    }
    case ValKind::SignedOrNone:
    case ValKind::Signed: {
      if (val == ValKind::SignedOrNone && t.text == "none") {
        one = "none";
        break;
      }
      int64_t n = 0;
      if (!parseInt64Token(t.text, n))
        return fail(t.column, fmt::format("expected an int64, got {:?}", std::string(t.text)));
      one = fmt::format("{}", n);
      break;
    }
    case ValKind::Bool:
      if (t.text != "true" && t.text != "false")
        return fail(t.column, fmt::format("expected true or false, got {:?}", std::string(t.text)));
      one = std::string(t.text);
      break;
    case ValKind::Key:
    case ValKind::KeyList: {
      if (!made_) return fail(t.column, "expected 'make KIND HINT' before an expect on keys");
      KeyValue k;
      std::string w;
      if (!parseKeyToken(t.text, kind_, k, w)) return fail(t.column, w);
      one = keyText(k);
      break;
    }
    case ValKind::Text:
      if (t.text == "none") {
        one = "none";
      } else {
        std::string w;
        if (!goUnquote(t.text, one, w))
          return fail(t.column, fmt::format("expected a quoted message (\"...\") or none, got {:?}", std::string(t.text)));
        one = fmt::format("{:?}", one);
      }
      break;
    case ValKind::Ctrl: {
      uint64_t n = 0;
      if (t.text == "empty" || t.text == "deleted") one = std::string(t.text);
      else if (parseUint64Token(t.text, n) && (n < 0x80 || n == swiss::ctrlEmpty || n == swiss::ctrlDeleted))
        one = n == swiss::ctrlEmpty ? "empty" : n == swiss::ctrlDeleted ? "deleted" : fmt::format("{}", n);
      else
        return fail(t.column, fmt::format("expected a control byte: empty, deleted or an H2 (0-127), got {:?}",
                                          std::string(t.text)));
      break;
    }
    case ValKind::PState:
      if (t.text != "value" && t.text != "nil" && t.text != "expunged" && t.text != "absent")
        return fail(t.column, fmt::format("expected value, nil, expunged or absent, got {:?}", std::string(t.text)));
      one = std::string(t.text);
      break;
    case ValKind::GrowList:
      if (t.text != "grow" && t.text != "split" && t.text != "convert")
        return fail(t.column, fmt::format("expected grow, split, convert or none, got {:?}", std::string(t.text)));
      one = std::string(t.text);
      break;
    case ValKind::BmapList: {
      Loc l;
      if (!parseLocToken(t.text, true, l))
        return fail(t.column, fmt::format("expected a bmap: BUCKET.OVERFLOW (0 for the bucket itself; old: in front for "
                                          "oldbuckets), got {:?}",
                                          std::string(t.text)));
      one = locText(l, true);
      break;
    }
    }
    if (!e.want.empty()) e.want.push_back(' ');
    e.want += one;
  }
  notesFor(opsParsed_ - 1).expects.push_back(std::move(e));
  return true;
}

namespace {

std::string swissCtrlText(uint8_t c) {
  if (c == swiss::ctrlEmpty) return "empty";
  if (c == swiss::ctrlDeleted) return "deleted";
  return fmt::format("{}", c);
}

// The Swiss subjects (ExpectWhat::Used and after); nullopt for the shared ones.
std::optional<std::string> swissActualOf(const ExpectLine& e, const swiss::AnySwiss* m, const OpDid& did) {
  using W = ExpectWhat;
  using swiss::SwissKind;
  switch (e.what) {
  case W::Probes:
  case W::Compared: {
    const SwissKind k = e.what == W::Probes ? SwissKind::GroupProbed : SwissKind::KeyCompared;
    std::size_t n = 0;
    for (const swiss::SwissEvent& ev : did.swissEvents) n += ev.kind == k;
    return fmt::format("{}", n);
  }
  case W::SwGrew: {
    std::string s;
    for (const swiss::SwissEvent& ev : did.swissEvents) {
      const char* w = nullptr;
      if (ev.kind == SwissKind::ConvertStarted) w = "convert";
      // rehash's own record (the caller's site records the same rehash once more).
      else if (ev.kind == SwissKind::RehashStarted && ev.site == swiss::SwissSite::RehashBegin)
        w = swiss::swissPayloadOf<SwissKind::RehashStarted>(ev).split ? "split" : "grow";
      if (w) s += fmt::format("{}{}", s.empty() ? "" : " ", w);
    }
    return s.empty() ? "none" : s;
  }
  case W::Pruned: {
    uint64_t n = 0;
    for (const swiss::SwissEvent& ev : did.swissEvents)
      if (ev.kind == SwissKind::PruneGroup) n += swiss::swissPayloadOf<SwissKind::PruneGroup>(ev).freed;
    return fmt::format("{}", n);
  }
  case W::Splits: {
    std::size_t n = 0;
    for (const swiss::SwissEvent& ev : did.swissEvents)
      n += ev.kind == SwissKind::RehashStarted && ev.site == swiss::SwissSite::RehashBegin &&
           swiss::swissPayloadOf<SwissKind::RehashStarted>(ev).split;
    return fmt::format("{}", n);
  }
  case W::DirDoubled:
    for (const swiss::SwissEvent& ev : did.swissEvents)
      if (ev.kind == SwissKind::DirDoubled) return "true";
    return "false";
  case W::Offsets:
    for (const swiss::SwissEvent& ev : did.swissEvents)
      if (ev.kind == SwissKind::IterStarted) {
        auto p = swiss::swissPayloadOf<SwissKind::IterStarted>(ev);
        return fmt::format("{} {}", p.entryOffset, p.dirOffset);
      }
    return "none";
  case W::Used: case W::Seed: case W::DirLen: case W::GlobalDepth: case W::Writing: case W::TombstonePossible:
  case W::ClearSeq: case W::Small: case W::Tables: case W::Table: case W::Ctrl: case W::SwKey: case W::SwElem:
    break;
  default: return std::nullopt;
  }
  if (!m) return "no Swiss map";
  const swiss::Header& h = m->header();
  switch (e.what) {
  case W::Used: return fmt::format("{}", h.used);
  case W::Seed: return fmt::format("{}", h.seed);
  case W::DirLen: return fmt::format("{}", h.dirLen);
  case W::GlobalDepth: return fmt::format("{}", h.globalDepth);
  case W::Writing: return fmt::format("{}", h.writing);
  case W::TombstonePossible: return h.tombstonePossible ? "true" : "false";
  case W::ClearSeq: return fmt::format("{}", h.clearSeq);
  case W::Small: return h.dirLen == 0 ? "true" : "false"; // no directory: at most one group
  default: break;
  }
  const std::vector<swiss::TableInfo> tables = m->tables();
  if (e.what == W::Tables) return fmt::format("{}", tables.size());
  swiss::GroupView g;
  if (e.table == ExpectLine::kSmallTable) {
    if (!m->hasSmallGroup()) return h.dirLen ? "no small group (the map has tables)" : "no small group (no key yet)";
    m->smallGroup(g);
  } else {
    if (static_cast<std::size_t>(e.table) >= tables.size())
      return fmt::format("no table {} (the map has {})", e.table, tables.size());
    const swiss::TableInfo& t = tables[static_cast<std::size_t>(e.table)];
    if (e.what == W::Table) {
      if (e.field == "capacity") return fmt::format("{}", t.capacity);
      if (e.field == "used") return fmt::format("{}", t.used);
      if (e.field == "growthLeft") return fmt::format("{}", t.growthLeft);
      if (e.field == "localDepth") return fmt::format("{}", t.localDepth);
      if (e.field == "index") return fmt::format("{}", t.index);
      return fmt::format("{}", t.tombstones());
    }
    if (e.group >= t.groups) return fmt::format("no group {} (table {} has {})", e.group, e.table, t.groups);
    m->group(static_cast<std::size_t>(e.table), e.group, g);
  }
  switch (e.what) {
  case W::Ctrl: return swissCtrlText(g.ctrlByte(e.slot));
  case W::SwKey: return keyText(g.keys[e.slot]);
  case W::SwElem: return fmt::format("{}", g.elems[e.slot]);
  default: break;
  }
  return "?";
}

// sync.Map's subjects (after `make syncmap`): the map after the op, and what the op returned.
std::string syncActualOf(const ExpectLine& e, const syncmap::SyncMap& m, const OpDid& did) {
  using W = ExpectWhat;
  using syncmap::HeapKind;
  auto count = [&](const syncmap::HeapCounts& c) {
    for (int k = 0; k < syncmap::kHeapKinds; k++)
      if (e.field == syncmap::heapKindName(static_cast<HeapKind>(k))) return fmt::format("{}", c.n[k]);
    return fmt::format("{}", c.total());
  };
  auto entryIn = [&](const syncmap::KeyMap* km) -> std::string {
    if (!km) return "absent";
    auto it = km->find(e.key);
    return it == km->end() ? "absent" : std::string(syncmap::pStateName(it->second->p));
  };
  switch (e.what) {
  case W::SmAllocs: return count(m.opAllocs());
  case W::SmFrees: return count(m.opFrees());
  case W::SmHeap: return count(m.live());
  case W::SmRead: return m.read() ? fmt::format("{}", m.read()->id) : "nil";
  case W::SmAmended: return m.read() && m.read()->amended ? "true" : "false";
  case W::SmMisses: return fmt::format("{}", m.misses());
  case W::SmReadM: return entryIn(m.read() ? m.read()->m.get() : nullptr);
  case W::SmDirty: return entryIn(m.dirty());
  case W::Found: return did.syncOut.ok ? "true" : "false";
  case W::Value: return did.syncOut.hasValue ? fmt::format("{}", did.syncOut.value) : "none";
  default: return "not a sync.Map subject";
  }
}

} // namespace

std::string actualOf(const ExpectLine& e, const AnyMap* map, const OpDid& did) {
  return actualOf(e, map, nullptr, did);
}

std::string actualOf(const ExpectLine& e, const AnyMap* map, const swiss::AnySwiss* swissMap, const OpDid& did) {
  using W = ExpectWhat;
  if (did.syncMap) return syncActualOf(e, *did.syncMap, did);
  if (auto s = swissActualOf(e, swissMap, did)) return *s;
  auto list = [](const std::vector<std::string>& v) {
    if (v.empty()) return std::string("none");
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
    return s;
  };
  switch (e.what) {
  case W::Found: return did.access.found ? "true" : "false";
  case W::Value: return fmt::format("{}", did.access.value);
  case W::Panic:
  case W::Fatal: {
    const Outcome o = e.what == W::Panic ? Outcome::Panic : Outcome::Fatal;
    if (did.result.outcome != o) return "none";
    return fmt::format("{:?}", std::string(messageText(did.result.message)));
  }
  case W::Keys: {
    std::vector<std::string> v;
    for (const KeyValue& k : did.keys) v.push_back(keyText(k));
    return list(v);
  }
  case W::StartBucket:
  case W::IterOffset:
    for (const Event& ev : did.events)
      if (ev.kind == EventKind::IterStarted) {
        auto p = payloadOf<EventKind::IterStarted>(ev);
        return fmt::format("{}", e.what == W::StartBucket ? p.startBucket : p.offset);
      }
    return "none";
  case W::Grew:
    for (const Event& ev : did.events)
      if (ev.kind == EventKind::GrowthStarted) return "true";
    return "false";
  case W::Evacuations: {
    std::vector<std::string> v;
    for (const Event& ev : did.events)
      if (ev.kind == EventKind::EvacuateBegin) {
        auto p = payloadOf<EventKind::EvacuateBegin>(ev);
        if (!p.already) v.push_back(fmt::format("{}", p.oldbucket));
      }
    return list(v);
  }
  case W::Scanned:
  case W::Cells: {
    std::vector<std::string> v;
    std::size_t n = 0;
    for (const Event& ev : did.events)
      if (ev.kind == EventKind::TophashCompared) {
        n++;
        std::string t = locText(payloadOf<EventKind::TophashCompared>(ev).cell, true);
        if (std::find(v.begin(), v.end(), t) == v.end()) v.push_back(std::move(t));
      }
    return e.what == W::Cells ? fmt::format("{}", n) : list(v);
  }
  case W::FlagsDuring: {
    // The values h.flags takes during the op, each change once: the flag steps'
    // stores, and advanceEvacuationMark's h.flags &^= sameSizeGrow (L1286),
    // which the engine records as part of the grow's end (GrowthFinished).
    std::vector<std::string> v;
    std::optional<uint8_t> last;
    auto note = [&](uint8_t to) {
      if (last && *last == to) return;
      last = to;
      v.push_back(fmt::format("{}", to));
    };
    for (const Event& ev : did.events) {
      if (ev.kind == EventKind::FlagsChanged) {
        auto p = payloadOf<EventKind::FlagsChanged>(ev);
        if (!last) last = p.from;
        note(p.to);
      } else if (ev.kind == EventKind::GrowthFinished && last) {
        note(static_cast<uint8_t>(*last & ~sameSizeGrow));
      }
    }
    return list(v);
  }
  case W::Size:
  case W::Offset: {
    // The engine's hmap header is laid out as map.go's (L117-124) on a 64-bit target.
    const bool sz = e.what == W::Size;
    if (e.field == "count") return fmt::format("{}", sz ? sizeof(Hmap::count) : offsetof(Hmap, count));
    if (e.field == "flags") return fmt::format("{}", sz ? sizeof(Hmap::flags) : offsetof(Hmap, flags));
    if (e.field == "B") return fmt::format("{}", sz ? sizeof(Hmap::B) : offsetof(Hmap, B));
    if (e.field == "noverflow") return fmt::format("{}", sz ? sizeof(Hmap::noverflow) : offsetof(Hmap, noverflow));
    return fmt::format("{}", sz ? sizeof(Hmap::hash0) : offsetof(Hmap, hash0));
  }
  default: break;
  }
  if (!map) return "no map";
  const Hmap& h = map->header();
  switch (e.what) {
  case W::B: return fmt::format("{}", h.B);
  case W::Count: return fmt::format("{}", h.count);
  case W::Noverflow: return fmt::format("{}", h.noverflow);
  case W::Nevacuate: return fmt::format("{}", h.nevacuate);
  case W::Flags: return fmt::format("{}", h.flags);
  case W::Hash0: return fmt::format("{}", h.hash0);
  case W::Growing: return map->growing() ? "true" : "false";
  case W::OldB: return map->growing() ? fmt::format("{}", std::countr_zero(map->noldbuckets())) : "none";
  case W::SameSizeGrow: return (h.flags & sameSizeGrow) ? "true" : "false";
  case W::Nil: return map->isNil() ? "true" : "false";
  case W::Buckets: return h.buckets == nilBucket ? "nil" : fmt::format("{}", bucketShift(h.B));
  case W::ExtraOverflow: return h.hasOverflow ? fmt::format("{}", h.overflowLen) : "nil";
  case W::ExtraOldOverflow: return h.hasOldOverflow ? fmt::format("{}", h.oldOverflowLen) : "nil";
  default: break;
  }
  // Questions about bucket memory.
  auto arrayLen = [&](bool old) -> uint64_t {
    if (old) return map->growing() ? map->noldbuckets() : 0;
    return h.buckets == nilBucket ? 0 : bucketShift(h.B);
  };
  if (e.what == W::Live) {
    uint64_t n = 0;
    std::vector<BmapView> chain;
    for (bool old : {false, true})
      for (uint64_t b = 0; b < arrayLen(old); b++) {
        map->chain(old, b, chain);
        for (const BmapView& v : chain)
          for (int s = 0; s < bucketCnt; s++) n += v.tophash[s] >= minTopHash;
      }
    return fmt::format("{}", n);
  }
  const uint64_t n = arrayLen(e.cell.old);
  if (e.cell.bucket >= n)
    return n == 0 ? fmt::format("no {}", e.cell.old ? "oldbuckets" : "buckets")
                  : fmt::format("no bucket {} ({} has {})", e.cell.bucket, e.cell.old ? "oldbuckets" : "buckets", n);
  std::vector<BmapView> chain;
  map->chain(e.cell.old, e.cell.bucket, chain);
  if (e.what == W::Chain) return fmt::format("{}", chain.size());
  if (e.what == W::Evacuated) return chain.empty() ? "false" : (evacuated(chain[0].tophash[0]) ? "true" : "false");
  if (e.cell.chain >= chain.size()) return fmt::format("no overflow bmap {} (the chain has {})", e.cell.chain, chain.size());
  const BmapView& v = chain[e.cell.chain];
  switch (e.what) {
  case W::Tophash: return fmt::format("{}", v.tophash[e.cell.slot]);
  case W::Key: return keyText(v.keys[e.cell.slot]);
  case W::Elem: return fmt::format("{}", v.elems[e.cell.slot]);
  default: break;
  }
  return "?";
}

bool expectHolds(const ExpectLine& e, const AnyMap* map, const OpDid& did, std::string& got) {
  return expectHolds(e, map, nullptr, did, got);
}

bool expectHolds(const ExpectLine& e, const AnyMap* map, const swiss::AnySwiss* swissMap, const OpDid& did,
                 std::string& got) {
  got = actualOf(e, map, swissMap, did);
  return (got == e.want) != e.negate;
}

} // namespace gomap
