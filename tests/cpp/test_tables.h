// Shared helpers for the core tests: seeded random tables, a float32
// brute-force cosine oracle and a checker for typed errors.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "explorer/errors.h"
#include "explorer/explorer.h"
#include "explorer/kernels.h"
#include "explorer/sampling.h"
#include "explorer/search.h"
#include "explorer/table.h"

namespace explorer::testing {

// Seeded random numbers on top of the core's SplitMix64, so every platform
// (g++ and emscripten) sees the same tables.
class TestRandom {
 public:
  explicit TestRandom(uint64_t seed) : generator_(seed) {}
  // Uniform in [0, 1).
  double uniform() { return double(generator_.next() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) { return lo + int64_t(generator_.below(uint64_t(hi - lo + 1))); }
  // Standard normal (Box-Muller).
  double gaussian() {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  uint64_t below(uint64_t n) { return generator_.below(n); }

 private:
  SplitMix64 generator_;
};

inline std::vector<std::string> numberedWords(size_t count) {
  std::vector<std::string> words;
  words.reserve(count);
  for (size_t i = 0; i < count; ++i) words.push_back("w" + std::to_string(i));
  return words;
}

inline std::vector<float> gaussianValues(size_t count, uint64_t seed) {
  TestRandom random(seed);
  std::vector<float> values(count);
  for (float& v : values) v = float(random.gaussian());
  return values;
}

// rows x dims standard-normal rows, words "w0", "w1", ...
inline EmbeddingTable randomTable(size_t rows, size_t dims, uint64_t seed, const std::string& name = "random") {
  const std::vector<float> values = gaussianValues(rows * dims, seed);
  return EmbeddingTable::quantize(values.data(), rows, dims, numberedWords(rows), name);
}

// Dequantized unit vectors of every row, row-major, as the oracle sees them.
inline std::vector<float> unitVectors(const EmbeddingTable& table) {
  std::vector<float> units(table.rows() * table.dims());
  for (size_t r = 0; r < table.rows(); ++r) table.unitVector(r, units.data() + r * table.dims());
  return units;
}

// Dequantized raw vectors (norm * unit) of every row, row-major.
inline std::vector<float> rawVectors(const EmbeddingTable& table) {
  std::vector<float> vectors(table.rows() * table.dims());
  for (size_t r = 0; r < table.rows(); ++r) table.vector(r, vectors.data() + r * table.dims());
  return vectors;
}

inline float dotFloat(const float* a, const float* b, size_t n) {
  float sum = 0;
  for (size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

inline bool betterScored(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.id < b.id);
}

// Float32 brute force: cos(u_r, t) = u_r . t / |t| for every row not in
// `exclude`, best first (ties to the smaller id, like TopK).
inline std::vector<Scored> oracleCosines(const std::vector<float>& units, size_t rows, size_t dims, const float* t,
                                         const std::vector<uint32_t>& exclude = {}) {
  const float tNorm = std::sqrt(dotFloat(t, t, dims));
  std::vector<Scored> all;
  all.reserve(rows);
  for (uint32_t r = 0; r < rows; ++r) {
    if (std::find(exclude.begin(), exclude.end(), r) != exclude.end()) continue;
    all.push_back({r, dotFloat(units.data() + size_t(r) * dims, t, dims) / tNorm});
  }
  std::sort(all.begin(), all.end(), betterScored);
  return all;
}

// The largest error the int16 quantization of a query can add to a cosine
// against a unit row: each code is off by at most half a step, a step is
// max|v| / limit <= |v| / limit, and |u|_1 <= sqrt(dims) for a unit u, so
// |error| <= 0.5 * sqrt(dims) / limit. 1e-5 more covers float rounding of
// the scoring and of the oracle's own dot products (dims <= 300 here).
inline float queryCosineErrorBound(size_t dims) {
  const int32_t limit = kernels::queryCodeLimit((dims + 1) / 2);
  return float(0.5 * std::sqrt(double(dims)) / limit + 1e-5);
}

// Passes when `action` throws explorer::Error with `code` and a what()
// that contains `fragment`.
template <typename Action>
::testing::AssertionResult throwsError(Action&& action, ErrorCode code, const std::string& fragment) {
  try {
    action();
  } catch (const Error& error) {
    if (error.code() != code) {
      return ::testing::AssertionFailure() << "threw " << errorCodeName(error.code()) << " (\"" << error.what()
                                           << "\"), expected " << errorCodeName(code);
    }
    if (std::string(error.what()).find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure() << "message \"" << error.what() << "\" does not mention \"" << fragment
                                           << "\"";
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& other) {
    return ::testing::AssertionFailure() << "threw a non-explorer exception: " << other.what();
  }
  return ::testing::AssertionFailure() << "did not throw; expected " << errorCodeName(code);
}

}  // namespace explorer::testing
