#include "trace/state_json.hpp"

#include <fmt/format.h>

#include <cstring>

namespace gomap {

void appendJsonBytes(std::string& out, std::string_view bytes) {
  out.push_back('"');
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
    }
  }
  out.push_back('"');
}

void appendJsonKey(std::string& out, const KeyValue& k) {
  switch (k.kind) {
  case KeyKind::Int64:
  case KeyKind::Int32: fmt::format_to(std::back_inserter(out), "{}", k.i); break;
  case KeyKind::Float64: appendJsonBytes(out, formatFloatKey(k.f)); break;
  case KeyKind::String: appendJsonBytes(out, k.s); break;
  }
}

std::string hashHex(uint64_t h) { return fmt::format("0x{:016x}", h); }

namespace {
void appendArray(std::string& out, const AnyMap& m, bool old, uint64_t n) {
  std::vector<BmapView> chain;
  out.push_back('[');
  for (uint64_t i = 0; i < n; i++) {
    if (i) out.push_back(',');
    m.chain(old, i, chain);
    out.push_back('[');
    for (std::size_t c = 0; c < chain.size(); c++) {
      const BmapView& b = chain[c];
      if (c) out.push_back(',');
      out += "{\"th\":[";
      for (int s = 0; s < bucketCnt; s++) fmt::format_to(std::back_inserter(out), "{}{}", s ? "," : "", b.tophash[s]);
      out += "],\"k\":[";
      for (int s = 0; s < bucketCnt; s++) {
        if (s) out.push_back(',');
        if (b.tophash[s] >= minTopHash) appendJsonKey(out, b.keys[s]);
        else out += "null";
      }
      out += "],\"v\":[";
      for (int s = 0; s < bucketCnt; s++) {
        if (s) out.push_back(',');
        if (b.tophash[s] >= minTopHash) fmt::format_to(std::back_inserter(out), "{}", b.elems[s]);
        else out += "null";
      }
      out.push_back(']');
      if (b.overflowBucket) fmt::format_to(std::back_inserter(out), ",\"pre\":{}", b.pre);
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back(']');
}
} // namespace

void appendStateFields(std::string& out, const AnyMap& m, bool arrays, bool digest) {
  const Hmap& h = m.header();
  fmt::format_to(std::back_inserter(out),
                 ",\"count\":{},\"flags\":{},\"B\":{},\"noverflow\":{},\"hash0\":{},\"nevacuate\":{},\"old\":{},"
                 "\"nextov\":{}",
                 h.count, h.flags, h.B, h.noverflow, h.hash0, h.nevacuate, m.growing() ? "true" : "false",
                 m.nextOverflowIndex());
  if (digest) fmt::format_to(std::back_inserter(out), ",\"digest\":\"0x{:016x}\"", stateDigest(m));
  if (!arrays) return;
  out += ",\"buckets\":";
  if (h.buckets == nilBucket) out += "null";
  else appendArray(out, m, false, bucketShift(h.B));
  out += ",\"oldbuckets\":";
  if (!m.growing()) out += "null";
  else appendArray(out, m, true, m.noldbuckets());
}

namespace {
struct Fnv {
  uint64_t h = 0xcbf29ce484222325ULL;
  void byte(uint8_t b) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; i++) byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void bytes(std::string_view s) {
    for (unsigned char c : s) byte(c);
  }
};

void digestArray(Fnv& f, const AnyMap& m, bool old, uint64_t n) {
  std::vector<BmapView> chain;
  for (uint64_t i = 0; i < n; i++) {
    m.chain(old, i, chain);
    for (const BmapView& b : chain) {
      for (int s = 0; s < bucketCnt; s++) f.byte(b.tophash[s]);
      for (int s = 0; s < bucketCnt; s++) {
        if (b.tophash[s] < minTopHash) continue;
        const KeyValue& k = b.keys[s];
        switch (k.kind) {
        case KeyKind::Int64: f.u64(static_cast<uint64_t>(k.i)); break;
        case KeyKind::Int32:
          for (int j = 0; j < 4; j++) f.byte(static_cast<uint8_t>(static_cast<uint32_t>(k.i) >> (8 * j)));
          break;
        case KeyKind::Float64: {
          uint64_t bits;
          std::memcpy(&bits, &k.f, 8);
          f.u64(bits);
          break;
        }
        case KeyKind::String:
          f.u64(k.s.size());
          f.bytes(k.s);
          break;
        }
        f.u64(static_cast<uint64_t>(b.elems[s]));
      }
      if (b.overflowBucket) f.u64(static_cast<uint64_t>(b.pre));
    }
    f.byte(0xff);
  }
}
} // namespace

uint64_t stateDigest(const AnyMap& m) {
  Fnv f;
  const Hmap& h = m.header();
  if (h.buckets != nilBucket) {
    f.byte('N');
    digestArray(f, m, false, bucketShift(h.B));
  }
  if (m.growing()) {
    f.byte('O');
    digestArray(f, m, true, m.noldbuckets());
  }
  return f.h;
}

} // namespace gomap
