#include "trace/asset_paths.hpp"

#include <filesystem>

namespace gomap {

std::string assetDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path p : {exe.parent_path() / "assets", exe.parent_path().parent_path() / "assets"})
      if (fs::exists(p / "scenarios", ec)) return p.string();
  }
#ifdef GOMAPLAB_ASSET_DIR
  return GOMAPLAB_ASSET_DIR;
#else
  return "assets";
#endif
}

std::string defaultScenarioPath() { return assetDir() + "/scenarios/growth.ops"; }

} // namespace gomap
