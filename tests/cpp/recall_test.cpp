// The load report's recall probe (a TableBuilder row subscriber) against
// recall@10 computed here: float32 brute force for the reference lists and
// the explorer's own int8 search for the lists under test.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "explorer/explorer.h"
#include "explorer/formats/table_builder.h"
#include "explorer/recall.h"
#include "explorer/sampling.h"
#include "test_tables.h"

namespace explorer {
namespace {

using testing::gaussianValues;
using testing::oracleCosines;

struct Probed {
  EmbeddingTable table;
  RecallResult recall;
  std::vector<float> units;  // the float unit rows, as the builder saw them
};

Probed build(size_t rows, size_t dims, uint64_t seed) {
  const std::vector<float> values = gaussianValues(rows * dims, seed);
  TableBuilder builder("probe.txt");
  RecallProbe probe;
  probe.attach(builder);
  Probed out;
  builder.addRowSubscriber([&](size_t, const float* unit) { out.units.insert(out.units.end(), unit, unit + dims); });
  builder.setDims(dims, "line 1");
  for (size_t r = 0; r < rows; ++r) builder.addRow("w" + std::to_string(r), values.data() + r * dims, "line");
  QuantizationReport report;
  out.table = builder.finish("t", &report);
  out.recall = probe.measure(out.table);
  return out;
}

// recall@10 written out: the probe's queries are sampleRows(min(rows,
// 2000), 100, 1), each excluding itself.
double referenceRecall(const Probed& p, size_t queries) {
  Explorer explorer;
  explorer.load(EmbeddingTable(p.table));
  const size_t rows = p.table.rows(), dims = p.table.dims();
  const std::vector<uint32_t> ids = sampleRows(std::min<size_t>(rows, 2000), 100, 1);
  double sum = 0;
  for (size_t q = 0; q < queries; ++q) {
    std::vector<Scored> truth = oracleCosines(p.units, rows, dims, p.units.data() + ids[q] * dims, {ids[q]});
    truth.resize(10);
    const std::vector<Scored> found = explorer.neighbors(ids[q], 10, {});
    size_t hits = 0;
    for (const Scored& t : truth) {
      hits += std::any_of(found.begin(), found.end(), [&](const Scored& f) { return f.id == t.id; });
    }
    sum += hits / 10.0;
  }
  return sum / double(queries);
}

TEST(RecallProbe, MeasuresWhatABruteForceReferenceMeasures) {
  const Probed large = build(3000, 48, 4);
  EXPECT_EQ(large.recall.queries, 100u);
  EXPECT_NEAR(large.recall.recallAt10, referenceRecall(large, 100), 1e-12);
  // Gaussian rows have nearly equal top cosines, the hardest case for int8;
  // the real GloVe check (>= 0.95) is in tests/js/formats.test.js.
  EXPECT_GT(large.recall.recallAt10, 0.8);
  std::printf("recall@10 of int8 on 3000 x 48 Gaussian rows: %.3f\n", large.recall.recallAt10);

  const Probed small = build(40, 8, 5);
  EXPECT_EQ(small.recall.queries, 40u);
  EXPECT_NEAR(small.recall.recallAt10, referenceRecall(small, 40), 1e-12);
}

TEST(RecallMeter, AveragesOverlapAndSkipsEmptyReferences) {
  RecallMeter meter;
  EXPECT_EQ(meter.mean(), 1.0);  // nothing to miss
  meter.add({{1, 0}, {2, 0}}, {{2, 0}, {3, 0}});
  meter.add({}, {});
  meter.add({{5, 0}}, {{5, 0}});
  EXPECT_EQ(meter.queries(), 2u);
  EXPECT_DOUBLE_EQ(meter.mean(), 0.75);
}

}  // namespace
}  // namespace explorer
