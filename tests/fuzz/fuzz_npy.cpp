// libFuzzer entry point; the harness (harness.h) describes the input layout.
#include "harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  explorer::fuzz::runOne(explorer::fuzz::Target::Npy, data, size);
  return 0;
}
