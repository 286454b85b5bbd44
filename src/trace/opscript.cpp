#include "trace/opscript.hpp"

#include <fmt/format.h>

#include <cerrno>
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
  for (std::string_view v : {"make", "nil", "seed", "hashkey", "rngseed", "hashmode", "pin", "put", "del", "get", "hash",
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

  if (verb == "hashkey") {
    if (!want(2, 2, "hashkey K")) return std::nullopt;
    if (made_) return fail(toks[0].column, "expected 'hashkey' before the first 'make' (the runtime sets hashkey at start-up)");
    op.kind = ScriptOp::Kind::HashKey;
    if (!u64(1, op.number, "a 64-bit hash key", UINT64_MAX)) return std::nullopt;
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
  } else if (verb == "make" || verb == "nil") {
    bool isMake = verb == "make";
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
    if (!u64(1, op.number, "a hash0 seed", UINT32_MAX)) return std::nullopt;
  } else if (verb == "pin") {
    if (!want(3, 3, "pin KEY HASH") || !needMap() || !key(1)) return std::nullopt;
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
  } else if (verb == "dump" || verb == "clear" || verb == "iter") {
    if (!want(1, 1, std::string(verb).c_str()) || !needMap()) return std::nullopt;
    op.kind = verb == "dump" ? ScriptOp::Kind::Dump : verb == "clear" ? ScriptOp::Kind::Clear : ScriptOp::Kind::Iter;
  } else {
    return fail(toks[0].column,
                fmt::format("expected an op (make, nil, seed, hashkey, rngseed, hashmode, pin, put, del, get, hash, "
                            "dump, clear, iter), got {:?}",
                            std::string(verb)));
  }
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
  return ops;
}

} // namespace gomap

namespace gomap {

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

OpResult applyOp(OpTarget& t, const ScriptOp& op, AccessResult* access, std::vector<KeyValue>* keys) {
  using K = ScriptOp::Kind;
  OpResult res;
  switch (op.kind) {
  case K::HashKey: t.hashkey = op.number; break;
  case K::RngSeed:
    t.rngSeed = op.number;
    if (t.map) t.map->setRngSeed(op.number);
    break;
  case K::HashMode:
    t.mode = op.mode;
    if (t.map) t.map->setHashMode(op.mode);
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
  }
  return res;
}

} // namespace gomap
