// Replays every fuzz input kept in the repository through the same harness
// the libFuzzer targets use, compiled with g++ (and under ASan/UBSan in
// the native-asan build), so CI re-checks them without clang:
//   tests/fuzz/regressions/<target>/  inputs that once crashed a parser
//   tests/fuzz/corpus/<target>/       the seed corpus: valid fixtures must
//                                     load, malformed ones must be refused
// A broken invariant aborts the test binary with the reason on stderr.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "../fuzz/harness.h"

namespace {

namespace fs = std::filesystem;
using explorer::fuzz::Target;

struct NamedTarget {
  const char* dir;
  Target target;
};
const NamedTarget kTargets[] = {
    {"fuzz_text", Target::Text},       {"fuzz_word2vec_bin", Target::Word2VecBinary},
    {"fuzz_tsv", Target::Tsv},         {"fuzz_npy", Target::Npy},
    {"fuzz_safetensors", Target::Safetensors}, {"fuzz_embq", Target::Embq},
    {"fuzz_vocabulary", Target::Vocabulary},
};

// Seed-corpus files (see tests/fixtures/formats/make-fixtures.mjs) that
// hold a malformed fixture; every other seed is a valid file.
const std::set<std::string> kMalformedSeeds = {
    "bad-count.txt", "nan.txt", "non-utf8.txt", "bad-header.vec", "truncated.bin", "3d.npy", "truncated.npy",
    "not-2d.safetensors", "inconsistent.safetensors", "bad-crc.emb"};

std::vector<uint8_t> readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> filesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

const fs::path kFuzzDir = fs::path(EXPLORER_SOURCE_DIR) / "tests" / "fuzz";

TEST(FuzzRegressions, EveryKeptCrashInputNowRunsCleanly) {
  size_t replayed = 0;
  for (const NamedTarget& t : kTargets) {
    for (const fs::path& file : filesIn(kFuzzDir / "regressions" / t.dir)) {
      SCOPED_TRACE(file.string());
      const std::vector<uint8_t> bytes = readFile(file);
      explorer::fuzz::runOne(t.target, bytes.data(), bytes.size());  // aborts on a bug
      ++replayed;
    }
  }
  std::printf("replayed %zu regression inputs\n", replayed);
}

TEST(FuzzRegressions, SeedCorpusLoadsValidFilesAndRefusesMalformedOnes) {
  size_t seeds = 0;
  for (const NamedTarget& t : kTargets) {
    for (const fs::path& file : filesIn(kFuzzDir / "corpus" / t.dir)) {
      SCOPED_TRACE(file.string());
      const std::vector<uint8_t> bytes = readFile(file);
      const std::string name = file.filename().string();
      const std::string fixture = name.substr(0, name.rfind(".chunked") == std::string::npos ? name.size() : name.rfind(".chunked"));
      EXPECT_EQ(explorer::fuzz::runOne(t.target, bytes.data(), bytes.size()), !kMalformedSeeds.count(fixture));
      ++seeds;
    }
  }
  EXPECT_GE(seeds, 20u) << "seed corpus missing: run node tests/fixtures/formats/make-fixtures.mjs";
}

}  // namespace
