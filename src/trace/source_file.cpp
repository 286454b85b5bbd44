#include "trace/source_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "trace/opscript.hpp"

namespace gomap {

namespace {
bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
} // namespace

SourceKind sourceKindOfPath(std::string_view path) {
  if (endsWith(path, ".race")) return SourceKind::Race;
  if (endsWith(path, ".ops")) return SourceKind::OpScript;
  return SourceKind::Unknown;
}

SourceKind sourceKindOf(std::string_view path, std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  // The first line with a token decides.
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    std::vector<Token> toks;
    std::string why;
    int col = 0;
    if (!lexLine(line, toks, why, col)) break;
    if (toks.empty()) continue;
    if (toks[0].text == "gomaplab-race") return SourceKind::Race;
    if (isOpVerb(toks[0].text)) return SourceKind::OpScript;
    break;
  }
  return sourceKindOfPath(path);
}

std::string wrongCommandMessage(std::string_view path, SourceKind is) {
  if (is == SourceKind::Race)
    return fmt::format("{} is a race scenario, not an op script: run it with 'gomaplab race {}'", path, path);
  return fmt::format("{} is an op script, not a race scenario: run it with 'gomaplab dump {}' or 'gomaplab events {}', "
                     "or open it with 'gomaplab {}'",
                     path, path, path, path);
}

bool readSourceFile(const std::string& path, std::string& text, std::string& why, std::string_view what) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      why = fmt::format("cannot open {}: {}", what, std::strerror(errno));
      return false;
    }
    ss << f.rdbuf();
  }
  text = ss.str();
  return true;
}

} // namespace gomap
