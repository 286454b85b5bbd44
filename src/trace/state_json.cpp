#include "trace/state_json.hpp"

#include <fmt/format.h>


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

uint64_t stateDigest(const Model& m) { return m.digest(); }

} // namespace gomap
