// Fuzzes the op-script parser and runner: any bytes must give either lines of
// JSON or a FILE:LINE error, never a crash, a hang or a broken map. Each op is
// followed by the invariant checker.
#include <cstddef>

#include "fuzz_util.hpp"
#include <cstdint>
#include <string>
#include <string_view>

#include "trace/opscript.hpp"
#include "trace/script_runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gomap::ScriptParser parser("fuzz.ops");
  gomap::RunnerOptions opts;
  opts.checkInvariants = true;
  opts.summary = true;
  std::size_t bytes = 0;
  gomap::ScriptRunner runner(opts, [&](std::string_view line) { bytes += line.size(); });
  std::optional<gomap::ScriptError> err;
  int lineNo = 0;
  int64_t index = 0;
  std::size_t pos = 0;
  using K = gomap::ScriptOp::Kind;
  bool alive = true;
  while (alive && pos <= text.size() && index < 4000) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    auto op = parser.parseLine(line, ++lineNo, err);
    if (err) {
      fuzz_assert(err->format().rfind("fuzz.ops:", 0) == 0); // errors always name the file
      break;
    }
    if (!op) continue;
    // Keep allocations bounded: the simulator itself refuses B > 24, but a
    // fuzzer should not spend its time allocating gigabytes.
    if (op->kind == K::Make && (op->hint > 100000 || op->hint < -100000)) op->hint %= 100000;
    // Re-keying a map that holds keys (seed, pin, hashmode) strands them, in
    // the real runtime as here (the oracle writes hash0 through unsafe); the
    // invariant checker rightly reports it, so the fuzzer only re-keys empty maps.
    if ((op->kind == K::Seed || op->kind == K::Pin || op->kind == K::HashMode) && runner.map() &&
        runner.map()->header().count > 0)
      continue;
    if (!runner.execute(*op, ++index, false)) {
      fuzz_assert(runner.violations().empty()); // the engine broke a runtime invariant
      alive = false;                                      // a fatal error ends the program, as in Go
    }
  }
  return 0;
}
