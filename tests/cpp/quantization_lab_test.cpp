// The quantization lab on a seeded table whose analogies are built in:
// the float copy follows the builder, recall and accuracy are measured
// against float32, and a copy of another table is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "explorer/errors.h"
#include "explorer/explorer.h"
#include "explorer/quantization_lab.h"

using namespace explorer;

namespace {

constexpr size_t kDims = 24;

struct Built {
  EmbeddingTable table;
  FloatCopy floats;
};

std::vector<float> normalized(std::vector<float> v) {
  double sum = 0;
  for (float x : v) sum += double(x) * x;
  for (float& x : v) x = float(x / std::sqrt(sum));
  return v;
}

// `rows` seeded random words plus 20 analogy quadruples a_i : b_i :: c_i :
// d_i with d_i along b_i - a_i + c_i; the last row repeats the first word.
Built build(size_t rows, uint32_t seed, std::string* questions) {
  std::mt19937 random(seed);
  std::normal_distribution<float> normal;
  auto randomRow = [&] {
    std::vector<float> v(kDims);
    for (float& x : v) x = normal(random);
    return v;
  };
  Built built;
  TableBuilder builder("lab.npy");
  built.floats.attach(builder);
  builder.setDims(kDims, "header");
  std::vector<float> scaled(kDims);
  auto add = [&](const std::string& word, const std::vector<float>& v, float norm) {
    for (size_t d = 0; d < kDims; ++d) scaled[d] = v[d] * norm;
    builder.addRow(word, scaled.data(), word);
  };
  if (questions) *questions = ": built-in\n";
  for (int i = 0; i < 20; ++i) {
    const std::vector<float> a = normalized(randomRow()), b = normalized(randomRow()), c = normalized(randomRow());
    std::vector<float> d(kDims);
    for (size_t k = 0; k < kDims; ++k) d[k] = b[k] - a[k] + c[k];
    const std::string n = std::to_string(i);
    add("a" + n, a, 2.0f);
    add("b" + n, b, 0.5f);
    add("c" + n, c, 1.0f);
    add("d" + n, normalized(d), 3.0f);
    if (questions) *questions += "a" + n + " b" + n + " c" + n + " d" + n + "\n";
  }
  if (questions) *questions += "a0 b0 c0 unknownword\n";
  while (builder.rows() < rows) add("w" + std::to_string(builder.rows()), randomRow(), 1.0f);
  add("a0", randomRow(), 1.0f);  // a duplicate: dropped, and not in the copy either
  QuantizationReport report;
  built.table = builder.finish("lab", &report);
  return built;
}

}  // namespace

TEST(FloatCopy, HoldsTheUnitRowsTheBuilderKept) {
  Built built = build(300, 1, nullptr);
  ASSERT_EQ(built.floats.rows(), 300u);
  ASSERT_EQ(built.floats.dims(), kDims);
  EXPECT_EQ(built.floats.bytes(), 300u * kDims * 4);
  std::vector<float> unit(kDims);
  for (uint32_t row : {0u, 3u, 150u, 299u}) {
    built.table.unitVector(row, unit.data());
    double dot = 0, norm = 0;
    for (size_t d = 0; d < kDims; ++d) {
      dot += double(unit[d]) * built.floats.row(row)[d];
      norm += double(built.floats.row(row)[d]) * built.floats.row(row)[d];
    }
    EXPECT_NEAR(norm, 1.0, 1e-5);
    EXPECT_GT(dot, 0.999) << "row " << row;
  }
}

TEST(QuantizationLab, MeasuresInt8AndInt4AgainstFloat32) {
  std::string questions;
  Built built = build(2000, 2, &questions);
  Explorer explorer;
  explorer.load(std::move(built.table));
  explorer.setSpace("centered");  // the lab works in the raw space whatever is shown
  const LabReport report = runQuantizationLab(explorer.tableHandle(), built.floats, {questions, 100, 3});
  EXPECT_EQ(report.sample, 100u);
  EXPECT_EQ(report.float32.recallAt10, 1.0);
  EXPECT_GT(report.int8.recallAt10, 0.9);
  EXPECT_LT(report.int4.recallAt10, report.int8.recallAt10);
  EXPECT_GT(report.int4.recallAt10, 0.3);
  EXPECT_EQ(report.analogyQuestions, 20u);
  EXPECT_EQ(report.analogySkipped, 1u);
  EXPECT_EQ(report.float32.analogyCorrect, 20u);
  EXPECT_GE(report.int8.analogyCorrect, 19u);
  EXPECT_DOUBLE_EQ(report.int8.analogyAccuracy, report.int8.analogyCorrect / 20.0);
  EXPECT_EQ(report.float32.bytes, 2000u * kDims * 4);
  EXPECT_EQ(report.int8.bytes, explorer.table().memoryBytes());
  EXPECT_EQ(report.int4.bytes, 2000u * (kDims / 2) + 2000u * 8);
  EXPECT_GT(report.float32.queryMs, 0);
  EXPECT_GT(report.int8.queryMs, 0);
  // Same seed, same sample: the quality figures repeat exactly.
  const LabReport again = runQuantizationLab(explorer.tableHandle(), built.floats, {questions, 100, 3});
  EXPECT_EQ(again.int8.recallAt10, report.int8.recallAt10);
  EXPECT_EQ(again.int4.recallAt10, report.int4.recallAt10);
  // Without questions there are no analogy figures.
  EXPECT_TRUE(std::isnan(runQuantizationLab(explorer.tableHandle(), built.floats, {"", 10, 1}).int8.analogyAccuracy));
}

TEST(QuantizationLab, RefusesACopyOfAnotherTable) {
  Built first = build(300, 4, nullptr);
  Built second = build(300, 5, nullptr);
  Explorer explorer;
  EXPECT_THROW(runQuantizationLab(explorer.tableHandle(), first.floats, {}), Error);  // nothing loaded
  explorer.load(std::move(first.table));
  try {
    runQuantizationLab(explorer.tableHandle(), second.floats, {});
    FAIL() << "a copy of another table was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::BadArgument);
    EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos) << e.what();
  }
  Built smaller = build(250, 4, nullptr);
  try {
    runQuantizationLab(explorer.tableHandle(), smaller.floats, {});
    FAIL() << "a copy of another shape was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("250 x 24"), std::string::npos) << e.what();
  }
  EXPECT_THROW(runQuantizationLab(explorer.tableHandle(), FloatCopy{}, {}), Error);
}

TEST(FloatCopy, RefusesToGrowPastItsLimit) {
  FloatCopy floats(1 << 20);  // 1 MB: 10,922 rows of 24 floats
  TableBuilder builder("big.npy");
  floats.attach(builder);
  builder.setDims(kDims, "header");
  std::vector<float> row(kDims, 0.5f);
  size_t added = 0;
  try {
    for (; added < 20000; ++added) {
      row[added % kDims] += 1.0f;  // distinct words need no distinct rows, but keep them apart anyway
      builder.addRow("w" + std::to_string(added), row.data(), "row " + std::to_string(added));
    }
    FAIL() << "the copy grew past its limit";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::TooLarge);
    EXPECT_NE(std::string(e.what()).find("1 MB"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("keepFloats"), std::string::npos) << e.what();
  }
  EXPECT_EQ(added, (1u << 20) / (kDims * 4));
  EXPECT_EQ(floats.rows(), added);
}

TEST(QuantizationLab, StepsGiveTheSameFiguresAndOutliveTheCopy) {
  std::string questions;
  Built built = build(600, 6, &questions);
  Explorer explorer;
  explorer.load(std::move(built.table));
  const LabReport whole = runQuantizationLab(explorer.tableHandle(), built.floats, {questions, 30, 2});
  auto copy = std::make_unique<FloatCopy>(std::move(built.floats));
  QuantizationLab lab(explorer.tableHandle(), *copy, {questions, 30, 2});
  copy.reset();  // the JS wrapper may drop its copy while a lab runs
  EXPECT_EQ(lab.total(), 30u + 20u);
  size_t steps = 0;
  while (!lab.step(7)) {
    ++steps;
    EXPECT_EQ(lab.done(), 7 * steps);
  }
  EXPECT_EQ(lab.done(), lab.total());
  const LabReport stepped = lab.report();
  EXPECT_EQ(stepped.int8.recallAt10, whole.int8.recallAt10);
  EXPECT_EQ(stepped.int4.recallAt10, whole.int4.recallAt10);
  EXPECT_EQ(stepped.float32.analogyCorrect, whole.float32.analogyCorrect);
  EXPECT_EQ(stepped.int8.analogyCorrect, whole.int8.analogyCorrect);
  EXPECT_EQ(stepped.int4.analogyCorrect, whole.int4.analogyCorrect);
  EXPECT_THROW(lab.step(0), Error);
}
