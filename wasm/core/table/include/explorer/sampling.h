// Seeded sampling shared by t-SNE, the evaluation labs, the load report's
// recall probe and the anisotropy figures: the same seed gives the same
// sample on every platform, so figures printed on one machine can be
// reproduced on another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace explorer {

// splitmix64 (Steele, Lea and Flood 2014): tiny state, good enough mixing
// for sampling, and the same sequence in wasm and natively.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

// `count` distinct row ids from [0, rows), drawn with `seed` (all rows,
// shuffled, when count >= rows).
std::vector<uint32_t> sampleRows(size_t rows, size_t count, uint64_t seed);

}  // namespace explorer
