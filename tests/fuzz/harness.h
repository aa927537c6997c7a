// One fuzz harness for every format parser, shared by the libFuzzer
// targets (tests/fuzz/fuzz_*.cpp, clang) and by the regression test that
// replays tests/fuzz/regressions and the seed corpus under g++
// (tests/cpp/fuzz_regressions_test.cpp), so a crash found by the fuzzer is
// re-checked in CI without clang.
//
// Input layout, so that one byte string drives the whole load:
//   byte 0   chunking: 0 feeds the file in one piece; otherwise a generator
//            seeded by this byte cuts it into pieces of 1..N bytes (N grows
//            with the byte), with empty feeds mixed in when bit 7 is set.
//   byte 1   npy/safetensors: how many vocabulary labels to synthesize
//            (the companion file); vocabulary: which companion parser
//            (0 vocab.txt, 1 tokenizer.json, 2 metadata.tsv).
//   byte 2   safetensors: which listed tensor to pick (0 = let the parser
//            choose the only 2-D one).
//   rest     the file. TSV: vectors.tsv, then a NUL and metadata.tsv when
//            a NUL is present.
// Rejected input (explorer::Error) is fine; anything else that goes wrong,
// including a loaded table that breaks an invariant, aborts.
#pragma once

#include <cstddef>
#include <cstdint>

namespace explorer::fuzz {

enum class Target { Text, Word2VecBinary, Tsv, Npy, Safetensors, Embq, Vocabulary };

// Bytes before the file for `target` (see above).
size_t controlBytes(Target target);
// Runs one input. Returns true when the input loaded, false when the
// parser rejected it with explorer::Error.
bool runOne(Target target, const uint8_t* data, size_t size);

}  // namespace explorer::fuzz
