#include "engine/keys.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace gomap {

std::string_view keyKindName(KeyKind k) {
  switch (k) {
  case KeyKind::Int64: return "int64";
  case KeyKind::Int32: return "int32";
  case KeyKind::String: return "string";
  case KeyKind::Float64: return "float64";
  }
  return "?";
}

bool parseKeyKind(std::string_view s, KeyKind& out) {
  for (KeyKind k : {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64}) {
    if (s == keyKindName(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

std::string formatFloatKey(double f) {
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  // Shortest representation that round-trips, then Go's 'g' exponent rules:
  // exponent form when exp < -4 || exp >= 6 (shortest formatting uses eprec 6).
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string sci(buf, p); // d.ddddde±XX
  auto epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp = std::stoi(sci.substr(epos + 1));
  bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits.push_back(c);
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
      out += '.'; // not "." + substr: GCC 12's -Wrestrict false positive (PR 105651)
      out.append(digits, 1);
    }
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
    return out;
  }
  if (exp < 0) {
    out += "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<size_t>(exp) + 1) + "." + digits.substr(static_cast<size_t>(exp) + 1);
  }
  return out;
}

std::string keyText(const KeyValue& k) {
  switch (k.kind) {
  case KeyKind::Int64:
  case KeyKind::Int32: return std::to_string(k.i);
  case KeyKind::Float64: return formatFloatKey(k.f);
  case KeyKind::String: {
    std::string out = "\"";
    for (unsigned char c : k.s) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c >= 0x20 && c < 0x7f) {
        out.push_back(static_cast<char>(c));
      } else {
        char b[8];
        std::snprintf(b, sizeof b, "\\x%02x", c);
        out += b;
      }
    }
    return out + "\"";
  }
  }
  return "?";
}

} // namespace gomap
