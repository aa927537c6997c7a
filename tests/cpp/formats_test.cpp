// The streaming readers (text, .vec, word2vec binary, Projector TSV, EMBQ)
// and the TableBuilder: every file here is generated from seeded floats, so
// each load can be checked against EmbeddingTable::quantize of the same
// floats, and fed in chunks split at every byte.
#include <cstdio>
#include <cstring>
#include <functional>

#include "explorer/formats/formats.h"
#include "explorer/formats/table_builder.h"
#include "test_tables.h"

namespace explorer::testing {
namespace {

using formats::Companions;
using formats::Format;

struct FloatTable {
  std::vector<std::string> words;
  std::vector<float> values;
  size_t dims = 0;
  size_t rows() const { return words.size(); }
  const float* row(size_t r) const { return values.data() + r * dims; }
};

FloatTable makeFloats(size_t rows, size_t dims, uint64_t seed) {
  FloatTable t;
  t.dims = dims;
  t.values = gaussianValues(rows * dims, seed);
  t.words = numberedWords(rows);
  if (rows > 2) t.words[2] = "caf\xc3\xa9";  // UTF-8 words survive every format
  return t;
}

// %.9g round-trips a float exactly, so text files carry the same values.
std::string number(float v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", double(v));
  return buffer;
}

std::string toText(const FloatTable& t, bool header, const char* newline = "\n") {
  std::string out;
  if (header) out += std::to_string(t.rows()) + " " + std::to_string(t.dims) + newline;
  for (size_t r = 0; r < t.rows(); ++r) {
    out += t.words[r];
    for (size_t d = 0; d < t.dims; ++d) out += " " + number(t.row(r)[d]);
    out += newline;
  }
  return out;
}

std::string toBinary(const FloatTable& t, bool rowNewlines = true) {
  std::string out = std::to_string(t.rows()) + " " + std::to_string(t.dims) + "\n";
  for (size_t r = 0; r < t.rows(); ++r) {
    out += t.words[r] + " ";
    out.append(reinterpret_cast<const char*>(t.row(r)), t.dims * 4);
    if (rowNewlines) out += "\n";
  }
  return out;
}

std::string toTsv(const FloatTable& t) {
  std::string out;
  for (size_t r = 0; r < t.rows(); ++r) {
    for (size_t d = 0; d < t.dims; ++d) out += (d ? "\t" : "") + number(t.row(r)[d]);
    out += "\n";
  }
  return out;
}

struct Loaded {
  EmbeddingTable table;
  QuantizationReport report;
  RowMetadata metadata;
};

// Parses `bytes` fed in the given chunk sizes (cycled), like the page does.
Loaded load(Format format, const std::string& bytes, const std::vector<size_t>& chunks = {1 << 16},
            const Companions& companions = {}, const std::string& fileName = "in.file") {
  TableBuilder builder(fileName);
  auto parser = formats::makeParser(format, fileName, builder, companions);
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t at = 0;
  for (size_t i = 0; at < bytes.size(); ++i) {
    const size_t n = std::min(chunks[i % chunks.size()], bytes.size() - at);
    parser->feed(data + at, n);
    at += n;
  }
  parser->finish();
  Loaded out;
  out.table = builder.finish("loaded", &out.report, &out.metadata);
  return out;
}

// Same words and codes, norms and scales as quantize() gives the floats.
::testing::AssertionResult sameAsQuantized(const EmbeddingTable& got, const FloatTable& t) {
  const EmbeddingTable want = EmbeddingTable::quantize(t.values.data(), t.rows(), t.dims, t.words, "want");
  if (got.rows() != want.rows() || got.dims() != want.dims()) {
    return ::testing::AssertionFailure() << got.rows() << "x" << got.dims() << " vs " << want.rows() << "x" << want.dims();
  }
  for (size_t r = 0; r < want.rows(); ++r) {
    if (got.vocabulary().word(uint32_t(r)) != want.vocabulary().word(uint32_t(r))) {
      return ::testing::AssertionFailure() << "word " << r << ": " << got.vocabulary().word(uint32_t(r));
    }
    if (std::fabs(got.norm(r) - want.norm(r)) > 1e-5f * want.norm(r) || got.scale(r) != want.scale(r)) {
      return ::testing::AssertionFailure() << "row " << r << " norm/scale differ";
    }
    for (size_t d = 0; d < want.dims(); ++d) {
      if (got.code(r, d) != want.code(r, d)) return ::testing::AssertionFailure() << "code " << r << "," << d;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(Formats, NamesRoundTripAndUnknownNamesListTheChoices) {
  for (Format f : {Format::Text, Format::Word2VecBinary, Format::ProjectorTsv, Format::Npy, Format::Safetensors, Format::Embq}) {
    EXPECT_EQ(formats::parseFormatName(formats::formatName(f)), f);
  }
  EXPECT_TRUE(throwsError([] { formats::parseFormatName("csv"); }, ErrorCode::BadArgument, "word2vec-bin"));
}

TEST(Formats, DetectsByMagicThenExtensionThenContent) {
  auto detect = [](const std::string& name, const std::string& head) {
    return formats::detectFormat(name, reinterpret_cast<const uint8_t*>(head.data()), head.size());
  };
  EXPECT_EQ(detect("x.bin", "\x93NUMPY\x01\x00"), Format::Npy);
  EXPECT_EQ(detect("table", "EMBQ\x01\x00"), Format::Embq);
  EXPECT_EQ(detect("model", std::string("\x05\0\0\0\0\0\0\0{\"a\":1}", 15)), Format::Safetensors);
  EXPECT_EQ(detect("glove.6B.50d.txt", "the 0.1 0.2\n"), Format::Text);
  EXPECT_EQ(detect("wiki.en.vec", "2 3\n"), Format::Text);
  EXPECT_EQ(detect("GoogleNews.bin", "3 2\n"), Format::Word2VecBinary);
  EXPECT_EQ(detect("vectors.tsv", "0.1\t0.2\n"), Format::ProjectorTsv);
  const FloatTable t = makeFloats(3, 4, 1);
  EXPECT_EQ(detect("noname", toBinary(t)), Format::Word2VecBinary);
  EXPECT_EQ(detect("noname", toText(t, true)), Format::Text);
  EXPECT_EQ(detect("noname", toTsv(t)), Format::ProjectorTsv);
  EXPECT_EQ(detect("noname", toText(t, false)), Format::Text);
}

TEST(Formats, EveryTextLikeFormatGivesTheQuantizedTable) {
  const FloatTable t = makeFloats(300, 17, 2);
  EXPECT_TRUE(sameAsQuantized(load(Format::Text, toText(t, false)).table, t));
  EXPECT_TRUE(sameAsQuantized(load(Format::Text, toText(t, true)).table, t));
  EXPECT_TRUE(sameAsQuantized(load(Format::Text, toText(t, true, " \r\n")).table, t));  // CRLF, trailing space
  EXPECT_TRUE(sameAsQuantized(load(Format::Text, "\xEF\xBB\xBF" + toText(t, false), {1}).table, t));  // BOM
  EXPECT_TRUE(sameAsQuantized(load(Format::Word2VecBinary, toBinary(t)).table, t));
  EXPECT_TRUE(sameAsQuantized(load(Format::Word2VecBinary, toBinary(t, false)).table, t));
  Companions labels;
  labels.labels = t.words;
  labels.labelsFile = "metadata.tsv";
  EXPECT_TRUE(sameAsQuantized(load(Format::ProjectorTsv, toTsv(t), {4096}, labels).table, t));
  const Loaded text = load(Format::Text, toText(t, false));
  const std::vector<uint8_t> embq = text.table.serialize();
  const Loaded again = load(Format::Embq, std::string(embq.begin(), embq.end()), {1000});
  // Codes, scales and words come back exactly; norms are recomputed from
  // dequantized floats, so they may move in the last bits.
  ASSERT_EQ(again.table.rows(), text.table.rows());
  for (size_t r = 0; r < again.table.rows(); ++r) {
    ASSERT_EQ(again.table.vocabulary().word(uint32_t(r)), text.table.vocabulary().word(uint32_t(r)));
    ASSERT_EQ(again.table.scale(r), text.table.scale(r));
    ASSERT_NEAR(again.table.norm(r), text.table.norm(r), 1e-6f * text.table.norm(r));
    for (size_t d = 0; d < again.table.dims(); ++d) ASSERT_EQ(again.table.code(r, d), text.table.code(r, d));
  }
}

TEST(Formats, ChunkBoundariesAnywhereGiveTheSameTable) {
  const FloatTable t = makeFloats(5, 3, 3);
  Companions labels;
  labels.labels = t.words;
  const std::vector<std::pair<Format, std::string>> files = {
      {Format::Text, toText(t, true, "\r\n")}, {Format::Word2VecBinary, toBinary(t)}, {Format::ProjectorTsv, toTsv(t)}};
  for (const auto& [format, bytes] : files) {
    SCOPED_TRACE(formats::formatName(format));
    for (size_t split = 1; split < bytes.size(); ++split) {
      const Loaded got = load(format, bytes, {split, bytes.size()}, labels);
      ASSERT_TRUE(sameAsQuantized(got.table, t)) << "split at byte " << split;
    }
    EXPECT_TRUE(sameAsQuantized(load(format, bytes, {1}, labels).table, t)) << "one byte at a time";
  }
  const std::vector<uint8_t> embq = EmbeddingTable::quantize(t.values.data(), 5, 3, t.words, "t").serialize();
  for (size_t split = 1; split < embq.size(); split += 7) {
    EXPECT_TRUE(sameAsQuantized(load(Format::Embq, std::string(embq.begin(), embq.end()), {split, 1}).table, t));
  }
}

TEST(Formats, ReportCountsWordsAndBytes) {
  const FloatTable t = makeFloats(3000, 48, 4);
  const Loaded got = load(Format::Word2VecBinary, toBinary(t), {777});
  EXPECT_EQ(got.report.words, 3000u);
  EXPECT_EQ(got.report.dims, 48u);
  EXPECT_EQ(got.report.bytesBefore, 3000u * 48 * 4);
  EXPECT_EQ(got.report.bytesAfter, got.table.memoryBytes());
}

// A binary file named .txt (issue 7: the error was full of raw bytes).
TEST(Formats, BinaryFilesReadAsTextSayWhatTheyAre) {
  const FloatTable t = makeFloats(20, 8, 6);
  const std::string binary = toBinary(t);
  const size_t firstControl = binary.find_first_of(std::string("\0\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f", 29));
  ASSERT_NE(firstControl, std::string::npos);
  for (const std::vector<size_t>& chunks : {std::vector<size_t>{1 << 16}, std::vector<size_t>{3}}) {
    try {
      load(Format::Text, binary, chunks, {}, "vectors.txt");
      ADD_FAILURE() << "a binary file loaded as text";
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_EQ(error.code(), ErrorCode::BadData);
      char expected[64];
      std::snprintf(expected, sizeof expected, "vectors.txt is not a text file (byte 0x%02x at offset %zu)",
                    unsigned(static_cast<unsigned char>(binary[firstControl])), firstControl);
      EXPECT_NE(message.find(expected), std::string::npos) << message;
    }
  }
  std::string npyLike = "w1 0.5 1.5\nw2 0.25 2.0\n";
  npyLike += std::string("\x93NUMPY\x01\x00", 8);
  EXPECT_TRUE(throwsError([&] { load(Format::Text, npyLike, {1 << 16}, {}, "t.txt"); }, ErrorCode::BadData,
                          "t.txt is not a text file (byte 0x01 at offset 29)"));
  EXPECT_TRUE(throwsError([&] { load(Format::ProjectorTsv, std::string("1\t2\n\0\t4\n", 8)); }, ErrorCode::BadData,
                          "in.file is not a text file (byte 0x00 at offset 4)"));

  // Garbage that is not a control byte is quoted escaped, never raw.
  for (const auto& [format, bytes] : std::vector<std::pair<Format, std::string>>{
           {Format::Text, "w1 0.5 \xff\xfe\x80\n"},
           {Format::ProjectorTsv, "0.5\t\xc3\x28\n"},
           {Format::Word2VecBinary, "\xff\xd8\xff\xe0 JFIF\n"}}) {
    try {
      load(format, bytes);
      ADD_FAILURE() << "garbage loaded";
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_TRUE(isValidUtf8(message)) << message;
      EXPECT_NE(message.find("\\x"), std::string::npos) << message;
    }
  }
}

TEST(Formats, DuplicatesKeepTheFirstAndAreCounted) {
  const std::string text = "a 1 0\nb 0 1\na 5 5\nc 1 1\nb 2 2\n";
  const Loaded got = load(Format::Text, text);
  EXPECT_EQ(got.report.words, 3u);
  EXPECT_EQ(got.report.duplicates, 2u);
  EXPECT_EQ(got.report.firstDuplicate, "a");
  EXPECT_EQ(got.table.code(0, 0), 127);  // the first "a" (1, 0)
  EXPECT_EQ(got.table.code(0, 1), 0);
  EXPECT_EQ(load(Format::Text, "a 1 0\n", {3}).report.duplicates, 0u);
}

TEST(Formats, MetadataTsvLabelsAndColumns) {
  Companions c;
  const std::string meta = "word\tpos\tcount\r\nalpha\tnoun\t3\r\nbeta\tverb\t5\r\n<img src=x onerror=alert(1)>\tnoun\t1\r\n";
  formats::parseMetadata("metadata.tsv", reinterpret_cast<const uint8_t*>(meta.data()), meta.size(), c);
  ASSERT_EQ(c.labels.size(), 3u);
  EXPECT_EQ(c.labels[2], "<img src=x onerror=alert(1)>");
  ASSERT_EQ(c.metadata.columns, (std::vector<std::string>{"pos", "count"}));
  EXPECT_EQ(c.metadata.values[0][1], "verb");
  const Loaded got = load(Format::ProjectorTsv, "1\t0\n0\t1\n1\t1\n", {3}, c);
  EXPECT_EQ(got.table.vocabulary().word(2), "<img src=x onerror=alert(1)>");
  ASSERT_EQ(got.metadata.columns.size(), 2u);
  EXPECT_EQ(got.metadata.values[1], (std::vector<std::string>{"3", "5", "1"}));

  Companions single;
  const std::string one = "x\ny\n";
  formats::parseMetadata("m.tsv", reinterpret_cast<const uint8_t*>(one.data()), one.size(), single);
  EXPECT_EQ(single.labels, (std::vector<std::string>{"x", "y"}));  // one column: no header row
  EXPECT_TRUE(single.metadata.columns.empty());

  // Without metadata the labels are row numbers.
  EXPECT_EQ(load(Format::ProjectorTsv, "1\t0\n0\t1\n").table.vocabulary().word(1), "1");
  EXPECT_TRUE(throwsError([&] { load(Format::ProjectorTsv, "1\t0\n0\t1\n1\t1\n0\t2\n", {5}, c, "vectors.tsv"); },
                          ErrorCode::BadData, "vectors.tsv: line 4: row 4 has no label; metadata.tsv has 3 labels"));
  EXPECT_TRUE(throwsError([&] { load(Format::ProjectorTsv, "1\t0\n0\t1\n", {5}, c, "vectors.tsv"); }, ErrorCode::BadData,
                          "vectors.tsv has 2 rows but metadata.tsv has 3 labels"));
  const std::string ragged = "a\tb\nx\ty\nz\n";
  EXPECT_TRUE(throwsError([&] { Companions r; formats::parseMetadata("m.tsv", reinterpret_cast<const uint8_t*>(ragged.data()), ragged.size(), r); },
                          ErrorCode::BadData, "m.tsv: line 3: expected 2"));
  EXPECT_TRUE(throwsError([&] { Companions r; formats::parseMetadata("m.tsv", nullptr, 0, r); }, ErrorCode::EmptyInput, "m.tsv"));
}

TEST(Formats, BadTextNamesFileLineWordAndProblem) {
  EXPECT_TRUE(throwsError([] { load(Format::Text, "a 1 2 3\nb 1 2 3\nc 1 2\n", {4}, {}, "v.txt"); }, ErrorCode::BadData,
                          "v.txt: line 3: expected 3 values after \"c\", found 2"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "a 1 2\nb 1 nan\n", {3}, {}, "v.txt"); }, ErrorCode::BadData,
                          "v.txt: line 2: \"b\" has NaN in column 2 of 2"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "a 1 2\nb inf 1\n", {3}, {}, "v.txt"); }, ErrorCode::BadData,
                          "line 2: \"b\" has Inf in column 1"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "a 1 2\nb 1 x2\n", {3}, {}, "v.txt"); }, ErrorCode::BadData,
                          "v.txt: line 2: \"x2\" is not a number"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "a 1 2\nb\xff\xfe 1 2\n", {3}, {}, "v.txt"); }, ErrorCode::BadData,
                          "v.txt: line 2: word \"b"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "a 1 2\nb\xc3 1 2\n", {1}, {}, "v.txt"); }, ErrorCode::BadData,
                          "not valid UTF-8"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "", {1}, {}, "v.txt"); }, ErrorCode::EmptyInput, "v.txt: no rows"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "\n\n", {1}, {}, "v.txt"); }, ErrorCode::EmptyInput, "v.txt"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "3 2\na 1 2\nb 1 2\n", {5}, {}, "v.vec"); }, ErrorCode::BadData,
                          "v.vec: line 1 says 3 rows, but the file has 2 (truncated?)"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "2 3\na 1 2\n", {5}, {}, "v.vec"); }, ErrorCode::BadData,
                          "line 2: expected 3 values after \"a\", found 2"));
  // Limits come before any allocation: the header alone decides.
  EXPECT_TRUE(throwsError([] { load(Format::Text, "5000000 300\n", {5}, {}, "big.vec"); }, ErrorCode::TooLarge,
                          "big.vec: line 1 (header)"));
  EXPECT_TRUE(throwsError([] { load(Format::Text, "10 5000\n", {5}, {}, "wide.vec"); }, ErrorCode::TooLarge, "5000 dimensions"));
}

TEST(Formats, BadBinaryNamesTheByteOffset) {
  const FloatTable t = makeFloats(4, 3, 6);
  const std::string bytes = toBinary(t);
  // Cut inside the last row: the offset is where the unfinished row starts
  // (header "4 3\n", then rows of word + ' ' + 12 bytes + '\n').
  const size_t lastRow = 4 + 16 + 16 + 19;
  EXPECT_TRUE(throwsError([&] { load(Format::Word2VecBinary, bytes.substr(0, bytes.size() - 5), {3}, {}, "w.bin"); },
                          ErrorCode::BadData,
                          "w.bin: byte " + std::to_string(lastRow) + ": truncated: the header says 4 rows, the file ends after 3"));
  EXPECT_TRUE(throwsError([] { load(Format::Word2VecBinary, "hello world\n", {3}, {}, "w.bin"); }, ErrorCode::BadData,
                          "w.bin: byte 0: expected a \"count dims\" header"));
  EXPECT_TRUE(throwsError([] { load(Format::Word2VecBinary, "12", {3}, {}, "w.bin"); }, ErrorCode::BadData, "w.bin: byte 0: truncated"));
  EXPECT_TRUE(throwsError([&] { load(Format::Word2VecBinary, bytes + "extra", {3}, {}, "w.bin"); }, ErrorCode::BadData,
                          "data after the 4 rows the header states"));
  std::string nan = toBinary(t);
  const float bad = NAN;
  std::memcpy(&nan[4 + t.words[0].size() + 1 + 4], &bad, 4);
  EXPECT_TRUE(throwsError([&] { load(Format::Word2VecBinary, nan, {3}, {}, "w.bin"); }, ErrorCode::BadData,
                          "w.bin: byte 4: \"w0\" has NaN in column 2 of 3"));
  EXPECT_TRUE(throwsError([] { load(Format::Word2VecBinary, "4000000 4000\n", {3}, {}, "w.bin"); }, ErrorCode::TooLarge, "w.bin"));
}

TEST(Formats, BadEmbqNamesTheFile) {
  const FloatTable t = makeFloats(6, 4, 7);
  std::vector<uint8_t> bytes = EmbeddingTable::quantize(t.values.data(), 6, 4, t.words, "t").serialize();
  const std::string file(bytes.begin(), bytes.end());
  EXPECT_TRUE(throwsError([&] { load(Format::Embq, "EMBX" + file.substr(4), {100}, {}, "t.emb"); }, ErrorCode::BadData,
                          "t.emb: byte 0: not an EMBQ file (wrong magic number)"));
  EXPECT_TRUE(throwsError([&] { load(Format::Embq, file.substr(0, file.size() - 3), {100}, {}, "t.emb"); }, ErrorCode::BadData,
                          "t.emb: data file is truncated"));
  std::string corrupt = file;
  corrupt[70] ^= 1;
  EXPECT_TRUE(throwsError([&] { load(Format::Embq, corrupt, {100}, {}, "t.emb"); }, ErrorCode::BadData, "checksum"));
}

TEST(Formats, FloatRowsAndHalfPrecisionRows) {
  TableBuilder builder("h.npy");
  builder.setDims(3, "header");
  std::vector<std::vector<float>> seen;
  builder.addRowSubscriber([&](size_t row, const float* unit) {
    EXPECT_EQ(row, seen.size());
    seen.emplace_back(unit, unit + 3);
  });
  const uint16_t half[3] = {0x3C00, 0xC000, 0x3800};   // 1, -2, 0.5
  const uint16_t bf16[3] = {0x3F80, 0xC000, 0x3F00};   // 1, -2, 0.5
  const float plain[3] = {1, -2, 0.5f};
  builder.addRowHalf("h", half, false, "row 0");
  builder.addRowHalf("b", bf16, true, "row 1");
  builder.addRow("f", plain, "row 2");
  builder.addRow("h", plain, "row 3");  // duplicate: no float row
  QuantizationReport report;
  const EmbeddingTable table = builder.finish("t", &report);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_NEAR(seen[0][1], -2 / std::sqrt(5.25f), 1e-6);
  for (size_t d = 0; d < 3; ++d) {
    EXPECT_EQ(table.code(0, d), table.code(2, d));
    EXPECT_EQ(table.code(1, d), table.code(2, d));
  }
  const uint16_t halfNan[3] = {0x7E00, 0, 0};
  TableBuilder other("h.npy");
  other.setDims(3, "header");
  EXPECT_TRUE(throwsError([&] { other.addRowHalf("x", halfNan, false, "byte 128"); }, ErrorCode::BadData,
                          "h.npy: byte 128: \"x\" has NaN in column 1 of 3"));
  EXPECT_TRUE(throwsError([&] { other.addRow("", plain, "byte 140"); }, ErrorCode::BadData, "h.npy: byte 140: empty word"));
  EXPECT_TRUE(throwsError([&] { other.setDims(4, "byte 9"); }, ErrorCode::BadData, "4 dimensions, but earlier rows have 3"));
}

// The Explorer-level promise: a failed load leaves the old table answering.
TEST(Formats, FailedLoadLeavesThePreviousTableAnswering) {
  Explorer explorer;
  const FloatTable t = makeFloats(50, 8, 8);
  explorer.load(load(Format::Text, toText(t, false)).table);
  const auto before = explorer.neighbors(0, 5, {});
  EXPECT_THROW(
      {
        Loaded broken = load(Format::Text, "x 1 2\ny 1\n");
        explorer.load(std::move(broken.table));
      },
      Error);
  EXPECT_EQ(explorer.table().rows(), 50u);
  const auto after = explorer.neighbors(0, 5, {});
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].id, before[i].id);
}

}  // namespace
}  // namespace explorer::testing
