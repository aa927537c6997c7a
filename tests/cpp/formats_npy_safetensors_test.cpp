// .npy and safetensors readers and their vocabulary companions, on files
// generated here: every dtype and header version, chunk splits at every
// byte, and each bad input the issue lists.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "explorer/errors.h"
#include "explorer/formats/formats.h"

using namespace explorer;
using namespace explorer::formats;

namespace {

using Bytes = std::vector<uint8_t>;

void append(Bytes& out, const std::string& text) { out.insert(out.end(), text.begin(), text.end()); }

template <typename T>
void appendValues(Bytes& out, const std::vector<T>& values) {
  const size_t at = out.size();
  out.resize(at + values.size() * sizeof(T));
  std::memcpy(out.data() + at, values.data(), values.size() * sizeof(T));
}

// float16 bits of a float that float16 represents exactly (normal or 0).
uint16_t toHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  const uint16_t sign = uint16_t((bits >> 16) & 0x8000);
  if ((bits & 0x7FFFFFFF) == 0) return sign;
  const int exponent = int((bits >> 23) & 0xFF) - 127 + 15;
  return uint16_t(sign | (exponent << 10) | ((bits >> 13) & 0x3FF));
}

uint16_t toBfloat16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  return uint16_t(bits >> 16);
}

template <typename Convert>
std::vector<uint16_t> halves(const std::vector<float>& values, Convert convert) {
  std::vector<uint16_t> out;
  for (float v : values) out.push_back(convert(v));
  return out;
}

// A .npy file as numpy writes it: the dict padded with spaces and a
// newline so that the data starts on a 64-byte boundary.
Bytes npy(const std::string& dict, const Bytes& data, int version = 1) {
  const size_t lengthBytes = version == 1 ? 2 : 4;
  std::string header = dict;
  while ((10 + (lengthBytes - 2) + header.size() + 1) % 64) header += ' ';
  header += '\n';
  Bytes out;
  append(out, std::string("\x93NUMPY", 6));
  out.push_back(uint8_t(version));
  out.push_back(0);
  for (size_t i = 0; i < lengthBytes; ++i) out.push_back(uint8_t(header.size() >> (8 * i)));
  append(out, header);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string npyDict(const std::string& descr, const std::string& shape, const std::string& fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

Bytes safetensors(const std::string& header, const Bytes& data) {
  Bytes out;
  for (int i = 0; i < 8; ++i) out.push_back(uint8_t(uint64_t(header.size()) >> (8 * i)));
  append(out, header);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// Rows in which each row's direction is distinct, with values float16
// and bfloat16 hold exactly (multiples of 1/8 below 8).
const std::vector<float> kValues = {1.0f, 0.5f, -0.25f,  // ##ing
                                    -2.0f, 0.125f, 3.0f,  // Ġthe
                                    0.0f, 1.5f, -1.0f,   // king
                                    4.0f, -0.75f, 0.25f};  // 日本
const std::vector<std::string> kTokens = {"##ing", "\xC4\xA0the", "king", "\xE6\x97\xA5\xE6\x9C\xAC"};

Companions withLabels(std::vector<std::string> labels, std::string tensor = {}) {
  Companions companions;
  companions.labels = std::move(labels);
  companions.labelsFile = "vocab.txt";
  companions.tensorName = std::move(tensor);
  return companions;
}

struct Loaded {
  EmbeddingTable table;
  QuantizationReport report;
};

// Feeds `file` in chunks of `chunk` bytes (0: whole) or split once at `split`.
Loaded load(Format format, const std::string& name, const Bytes& file, const Companions& companions, size_t chunk = 0,
            size_t split = 0) {
  TableBuilder builder(name);
  auto parser = makeParser(format, name, builder, companions);
  if (split) {
    parser->feed(file.data(), split);
    parser->feed(file.data() + split, file.size() - split);
  } else {
    const size_t step = chunk ? chunk : std::max<size_t>(file.size(), 1);
    for (size_t at = 0; at < file.size(); at += step) parser->feed(file.data() + at, std::min(step, file.size() - at));
  }
  parser->finish();
  Loaded loaded;
  loaded.table = builder.finish("test", &loaded.report);
  return loaded;
}

// Rows come back as the unit vectors of kValues, within int8 precision.
void expectRows(const EmbeddingTable& table) {
  ASSERT_EQ(table.rows(), 4u);
  ASSERT_EQ(table.dims(), 3u);
  for (uint32_t r = 0; r < 4; ++r) {
    EXPECT_EQ(table.vocabulary().word(r), kTokens[r]);
    const float* x = &kValues[r * 3];
    const float norm = std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
    EXPECT_NEAR(table.norm(r), norm, 1e-5f * norm);
    float unit[3];
    table.unitVector(r, unit);
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(unit[d], x[d] / norm, 0.01f) << "row " << r << " dim " << d;
  }
}

// Runs `body`, expecting explorer::Error with `code` whose message
// contains every one of `parts`.
template <typename Body>
void expectError(Body&& body, ErrorCode code, std::initializer_list<std::string> parts) {
  try {
    body();
    FAIL() << "no error; expected one mentioning " << *parts.begin();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

Bytes floatBytes(const std::vector<float>& values) {
  Bytes out;
  appendValues(out, values);
  return out;
}

}  // namespace

// ---- .npy -------------------------------------------------------------

TEST(Npy, ReadsFloat32AndFloat16InEveryHeaderVersion) {
  for (int version : {1, 2, 3}) {
    SCOPED_TRACE("version " + std::to_string(version));
    expectRows(load(Format::Npy, "e.npy", npy(npyDict("<f4", "(4, 3)"), floatBytes(kValues), version),
                    withLabels(kTokens)).table);
    Bytes half;
    appendValues(half, halves(kValues, toHalf));
    expectRows(load(Format::Npy, "e.npy", npy(npyDict("<f2", "(4, 3)"), half, version), withLabels(kTokens)).table);
  }
  // '|' and '=' mean "not applicable" and "native": little-endian here.
  expectRows(load(Format::Npy, "e.npy", npy(npyDict("|f4", "(4,3)"), floatBytes(kValues)), withLabels(kTokens)).table);
  expectRows(load(Format::Npy, "e.npy", npy(npyDict("=f4", "(4L, 3L)"), floatBytes(kValues)), withLabels(kTokens)).table);
}

TEST(Npy, KeyOrderAndQuotesFollowPythonLiterals) {
  const std::string dict = "{\"shape\": (4, 3), \"fortran_order\": False, \"descr\": \"<f4\"}";
  expectRows(load(Format::Npy, "e.npy", npy(dict, floatBytes(kValues)), withLabels(kTokens)).table);
}

TEST(Npy, EveryChunkSplitGivesTheSameTable) {
  Bytes half;
  appendValues(half, halves(kValues, toHalf));
  for (const Bytes& file : {npy(npyDict("<f4", "(4, 3)"), floatBytes(kValues)), npy(npyDict("<f2", "(4, 3)"), half, 2)}) {
    for (size_t split = 1; split < file.size(); ++split) {
      SCOPED_TRACE("split at " + std::to_string(split));
      expectRows(load(Format::Npy, "e.npy", file, withLabels(kTokens), 0, split).table);
    }
    expectRows(load(Format::Npy, "e.npy", file, withLabels(kTokens), 1).table);
  }
}

TEST(Npy, DetectedByMagic) {
  const Bytes file = npy(npyDict("<f4", "(4, 3)"), floatBytes(kValues));
  EXPECT_EQ(detectFormat("anything.bin", file.data(), file.size()), Format::Npy);
}

TEST(Npy, RejectsWhatItCannotRead) {
  const Bytes data = floatBytes(kValues);
  auto attempt = [&](const Bytes& file, const Companions& companions = withLabels(kTokens)) {
    return [file, companions] { load(Format::Npy, "e.npy", file, companions); };
  };
  expectError(attempt(npy(npyDict("<f4", "(12,)"), data)), ErrorCode::BadData,
              {"e.npy", "tensor is not 2-D: shape (12,)"});
  expectError(attempt(npy(npyDict("<f4", "(2, 2, 3)"), data)), ErrorCode::BadData, {"not 2-D: shape (2, 2, 3)"});
  expectError(attempt(npy(npyDict("<f4", "(0, 3)"), {})), ErrorCode::BadData, {"shape (0, 3) holds no values"});
  expectError(attempt(npy(npyDict("<f4", "(4, 0)"), {})), ErrorCode::BadData, {"shape (4, 0) holds no values"});
  expectError(attempt(npy(npyDict(">f4", "(4, 3)"), data)), ErrorCode::BadData, {"e.npy", "'>f4'", "big-endian"});
  expectError(attempt(npy(npyDict("<f4", "(4, 3)", "True"), data)), ErrorCode::BadData, {"e.npy", "fortran_order"});
  expectError(attempt(npy(npyDict("<i4", "(4, 3)"), data)), ErrorCode::BadData, {"'<i4' is not supported"});
  expectError(attempt(npy(npyDict("<f8", "(4, 3)"), data)), ErrorCode::BadData, {"'<f8' is not supported"});
  expectError(attempt(npy("{'descr': '<f4', 'shape': (4, 3)}", data)), ErrorCode::BadData, {"lacks"});
  expectError(attempt(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3)", data)), ErrorCode::BadData,
              {"header"});
  // The vocabulary must match the rows, and the message names both files.
  expectError(attempt(npy(npyDict("<f4", "(4, 3)"), data), withLabels({"a", "b", "c"})), ErrorCode::BadData,
              {"e.npy", "4 rows", "vocab.txt", "3 tokens"});
  expectError(attempt(npy(npyDict("<f4", "(4, 3)"), data), Companions{}), ErrorCode::BadArgument, {"vocab"});

  Bytes badMagic = npy(npyDict("<f4", "(4, 3)"), data);
  badMagic[1] = 'X';
  expectError(attempt(badMagic), ErrorCode::BadData, {"byte 0", "magic"});
  Bytes badVersion = npy(npyDict("<f4", "(4, 3)"), data);
  badVersion[6] = 9;
  expectError(attempt(badVersion), ErrorCode::BadData, {"byte 6", "version 9"});

  Bytes hugeHeader(12, 0);
  std::memcpy(hugeHeader.data(), "\x93NUMPY\x02\x00", 8);
  hugeHeader[10] = 0x20;  // 2 MB
  expectError(attempt(hugeHeader), ErrorCode::BadData, {"byte 8", "header too large"});
}

TEST(Npy, TruncatedFilesNameTheOffset) {
  const Bytes file = npy(npyDict("<f4", "(4, 3)"), floatBytes(kValues));
  const size_t dataStart = file.size() - 48;
  ASSERT_EQ(dataStart % 64, 0u);  // numpy aligns the data
  for (size_t size : {size_t(0), size_t(5), size_t(9), size_t(40), dataStart, dataStart + 47}) {
    SCOPED_TRACE(size);
    const Bytes cut(file.begin(), file.begin() + size);
    expectError([&] { load(Format::Npy, "e.npy", cut, withLabels(kTokens)); }, ErrorCode::BadData,
                {"e.npy", "truncated", "byte " + std::to_string(size)});
  }
  expectError([&] { load(Format::Npy, "e.npy", Bytes(file.begin(), file.end() - 1), withLabels(kTokens)); },
              ErrorCode::BadData, {"inside row 3 of 4"});
  Bytes longer = file;
  longer.push_back(0);
  expectError([&] { load(Format::Npy, "e.npy", longer, withLabels(kTokens)); }, ErrorCode::BadData,
              {"byte " + std::to_string(file.size()), "past the 4 rows"});
}

TEST(Npy, NanAndDuplicateTokensGoThroughTheBuilder) {
  std::vector<float> values = kValues;
  values[4] = NAN;
  const Bytes file = npy(npyDict("<f4", "(4, 3)"), floatBytes(values));
  const size_t secondRow = file.size() - 48 + 12;
  expectError([&] { load(Format::Npy, "e.npy", file, withLabels(kTokens)); }, ErrorCode::BadData,
              {"e.npy", "byte " + std::to_string(secondRow), "NaN", "column 2"});
  const Loaded loaded = load(Format::Npy, "e.npy", npy(npyDict("<f4", "(4, 3)"), floatBytes(kValues)),
                             withLabels({"a", "b", "a", "c"}));
  EXPECT_EQ(loaded.table.rows(), 3u);
  EXPECT_EQ(loaded.report.duplicates, 1u);
  EXPECT_EQ(loaded.report.firstDuplicate, "a");
}

// ---- safetensors --------------------------------------------------------

namespace {

// A BERT-like file: a position table (F32 [2, 3]), the word table in
// `dtype`, a 1-D LayerNorm bias and metadata.
Bytes bertLike(const std::string& dtype, const std::string& wordTable = "embeddings.word_embeddings.weight") {
  Bytes words;
  if (dtype == "F32") appendValues(words, kValues);
  if (dtype == "F16") appendValues(words, halves(kValues, toHalf));
  if (dtype == "BF16") appendValues(words, halves(kValues, toBfloat16));
  const size_t w = words.size();
  const std::string header =
      "{\"__metadata__\": {\"format\": \"pt\"}, "
      "\"embeddings.position_embeddings.weight\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}, "
      "\"" + wordTable + "\": {\"dtype\": \"" + dtype + "\", \"shape\": [4, 3], \"data_offsets\": [24, " +
      std::to_string(24 + w) + "]}, "
      "\"embeddings.LayerNorm.bias\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [" + std::to_string(24 + w) +
      ", " + std::to_string(36 + w) + "]}}";
  Bytes data = floatBytes({9, 9, 9, 9, 9, 9});
  data.insert(data.end(), words.begin(), words.end());
  appendValues(data, std::vector<float>{7, 7, 7});
  return safetensors(header, data);
}

Bytes singleTensor(const std::string& entry, const Bytes& data) {
  return safetensors("{\"t\": " + entry + "}", data);
}

}  // namespace

TEST(Safetensors, ReadsTheNamedTensorInEachDtype) {
  for (const std::string dtype : {"F32", "F16", "BF16"}) {
    SCOPED_TRACE(dtype);
    expectRows(load(Format::Safetensors, "model.safetensors", bertLike(dtype),
                    withLabels(kTokens, "embeddings.word_embeddings.weight")).table);
  }
}

TEST(Safetensors, TheOnly2DTensorNeedsNoName) {
  Bytes data = floatBytes(kValues);
  appendValues(data, std::vector<float>{1, 2, 3});
  const std::string header =
      "{\"wte.weight\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 48]},"
      " \"ln_f.bias\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [48, 60]}}";
  expectRows(load(Format::Safetensors, "gpt2.safetensors", safetensors(header, data), withLabels(kTokens)).table);
}

TEST(Safetensors, EveryChunkSplitGivesTheSameTable) {
  const Bytes file = bertLike("BF16");
  const Companions companions = withLabels(kTokens, "embeddings.word_embeddings.weight");
  for (size_t split = 1; split < file.size(); ++split) {
    SCOPED_TRACE("split at " + std::to_string(split));
    expectRows(load(Format::Safetensors, "m.safetensors", file, companions, 0, split).table);
  }
  expectRows(load(Format::Safetensors, "m.safetensors", file, companions, 1).table);
  expectRows(load(Format::Safetensors, "m.safetensors", file, companions, 7).table);
}

TEST(Safetensors, ListsTensorsInFileOrder) {
  const Bytes file = bertLike("F16");
  EXPECT_EQ(detectFormat("model.bin", file.data(), file.size()), Format::Safetensors);
  const auto tensors = listSafetensors("m.safetensors", file.data(), file.size());
  ASSERT_EQ(tensors.size(), 3u);
  EXPECT_EQ(tensors[0].name, "embeddings.position_embeddings.weight");
  EXPECT_EQ(tensors[1].name, "embeddings.word_embeddings.weight");
  EXPECT_EQ(tensors[1].dtype, "F16");
  EXPECT_EQ(tensors[1].shape, (std::vector<uint64_t>{4, 3}));
  EXPECT_EQ(tensors[1].begin, 24u);
  EXPECT_EQ(tensors[1].end, 48u);
  EXPECT_EQ(tensors[2].shape, (std::vector<uint64_t>{3}));
  // The first bytes are enough, but the whole header must be there.
  const uint64_t headerEnd = 8 + (file[0] | file[1] << 8);
  EXPECT_EQ(listSafetensors("m", file.data(), headerEnd).size(), 3u);
  expectError([&] { listSafetensors("m.safetensors", file.data(), headerEnd - 1); }, ErrorCode::BadData,
              {"m.safetensors", "truncated"});
  expectError([&] { listSafetensors("m.safetensors", file.data(), 5); }, ErrorCode::BadData, {"truncated"});
}

TEST(Safetensors, RejectsHeadersThatAreTooLargeOrInconsistent) {
  Bytes huge(16, 0);
  const uint64_t length = 200'000'000;
  for (int i = 0; i < 8; ++i) huge[i] = uint8_t(length >> (8 * i));
  expectError([&] { listSafetensors("m.safetensors", huge.data(), huge.size()); }, ErrorCode::BadData,
              {"m.safetensors", "header too large", "200000000"});
  expectError([&] { load(Format::Safetensors, "m.safetensors", huge, withLabels(kTokens)); }, ErrorCode::BadData,
              {"header too large"});

  const Bytes data = floatBytes(kValues);
  auto list = [](const Bytes& file) { return [file] { listSafetensors("m.safetensors", file.data(), file.size()); }; };
  expectError(list(singleTensor("{\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [48, 0]}", data)),
              ErrorCode::BadData, {"\"t\"", "before begin"});
  expectError(list(singleTensor("{\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 44]}", data)),
              ErrorCode::BadData, {"\"t\"", "span 44 bytes", "needs 48"});
  expectError(list(singleTensor("{\"dtype\": \"X9\", \"shape\": [4, 3], \"data_offsets\": [0, 48]}", data)),
              ErrorCode::BadData, {"\"t\"", "unknown dtype \"X9\""});
  expectError(list(singleTensor("{\"dtype\": \"F32\", \"shape\": [4, -3], \"data_offsets\": [0, 48]}", data)),
              ErrorCode::BadData, {"\"t\"", "shape"});
  expectError(list(singleTensor("{\"dtype\": \"F32\", \"shape\": [4, 3]}", data)), ErrorCode::BadData,
              {"\"t\"", "data_offsets"});
  expectError(list(singleTensor("{\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4], \"data_offsets\": [0, 48]}", data)),
              ErrorCode::BadData, {"\"t\"", "too large"});
  expectError(list(safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [4, 2], \"data_offsets\": [0, 32]},"
                               " \"b\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [16, 32]}}",
                               data)),
              ErrorCode::BadData, {"\"b\"", "overlap tensor \"a\""});
  expectError(list(safetensors("{\"t\": ", data)), ErrorCode::BadData, {"invalid JSON"});
  expectError(list(safetensors("[1, 2]", data)), ErrorCode::BadData, {"not a JSON object"});

  // A tensor beyond the end of the file is noticed once the size is known.
  const Bytes beyond = safetensors(
      "{\"w\": {\"dtype\": \"F32\", \"shape\": [4, 3], \"data_offsets\": [0, 48]},"
      " \"x\": {\"dtype\": \"F32\", \"shape\": [100], \"data_offsets\": [48, 448]}}",
      data);
  expectError([&] { load(Format::Safetensors, "m.safetensors", beyond, withLabels(kTokens)); }, ErrorCode::BadData,
              {"m.safetensors", "tensor \"x\"", "but the file has"});
}

TEST(Safetensors, RejectsTensorsItCannotUseAsATable) {
  auto attempt = [](const Bytes& file, const Companions& companions) {
    return [file, companions] { load(Format::Safetensors, "m.safetensors", file, companions); };
  };
  const Bytes bert = bertLike("F32");
  expectError(attempt(bert, withLabels(kTokens)), ErrorCode::BadData,
              {"2 2-D tensors", "embeddings.position_embeddings.weight [2, 3]", "embeddings.word_embeddings.weight [4, 3]"});
  expectError(attempt(bert, withLabels(kTokens, "embeddings.LayerNorm.bias")), ErrorCode::BadData,
              {"tensor \"embeddings.LayerNorm.bias\" is not 2-D: shape [3]"});
  expectError(attempt(bert, withLabels(kTokens, "wte.weight")), ErrorCode::BadData,
              {"no tensor named \"wte.weight\"", "embeddings.word_embeddings.weight"});
  expectError(attempt(bert, withLabels({"a", "b"}, "embeddings.word_embeddings.weight")), ErrorCode::BadData,
              {"m.safetensors", "has 4 rows", "vocab.txt", "2 tokens"});
  Companions noVocabulary;
  noVocabulary.tensorName = "embeddings.word_embeddings.weight";
  expectError(attempt(bert, noVocabulary), ErrorCode::BadArgument, {"vocab"});

  Bytes doubles;
  appendValues(doubles, std::vector<double>(12, 0.5));
  expectError(attempt(singleTensor("{\"dtype\": \"F64\", \"shape\": [4, 3], \"data_offsets\": [0, 96]}", doubles),
                      withLabels(kTokens)),
              ErrorCode::BadData, {"dtype F64", "F32, F16 or BF16"});
  expectError(attempt(singleTensor("{\"dtype\": \"F32\", \"shape\": [0, 3], \"data_offsets\": [0, 0]}", {}), withLabels(kTokens)),
              ErrorCode::BadData, {"tensor \"t\" holds no values: shape [0, 3]"});
  expectError(attempt(singleTensor("{\"dtype\": \"F32\", \"shape\": [12], \"data_offsets\": [0, 48]}", floatBytes(kValues)),
                      withLabels(kTokens)),
              ErrorCode::BadData, {"no 2-D tensor", "t [12]"});
}

TEST(Safetensors, TruncatedFilesNameTheOffset) {
  const Bytes file = bertLike("F32");
  const Companions companions = withLabels(kTokens, "embeddings.word_embeddings.weight");
  const size_t headerEnd = 8 + (file[0] | file[1] << 8);
  for (size_t size : {size_t(3), size_t(20), headerEnd + 10, headerEnd + 24 + 47}) {
    SCOPED_TRACE(size);
    expectError([&] { load(Format::Safetensors, "m.safetensors", Bytes(file.begin(), file.begin() + size), companions); },
                ErrorCode::BadData, {"m.safetensors", "truncated", "byte " + std::to_string(size)});
  }
  // The word table is complete but the bias after it is cut.
  expectError([&] { load(Format::Safetensors, "m.safetensors", Bytes(file.begin(), file.end() - 1), companions); },
              ErrorCode::BadData, {"tensor \"embeddings.LayerNorm.bias\"", "but the file has"});
}

// ---- vocabulary companions --------------------------------------------

namespace {

std::vector<std::string> vocabulary(const std::string& name, const std::string& text) {
  return parseVocabulary(name, reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

}  // namespace

TEST(VocabularyFiles, VocabTxtKeepsTokensExactly) {
  EXPECT_EQ(vocabulary("vocab.txt", "[PAD]\n##ing\r\n\xC4\xA0the\n{\n \nking\t42\n"),
            (std::vector<std::string>{"[PAD]", "##ing", "\xC4\xA0the", "{", " ", "king"}));
  EXPECT_EQ(vocabulary("vocab.txt", "\xEF\xBB\xBF" "a\nb"), (std::vector<std::string>{"a", "b"}));
  // SentencePiece .vocab files carry a score column.
  EXPECT_EQ(vocabulary("m.vocab", "<unk>\t0\n\xE2\x96\x81the\t-3.25\n\xE2\x96\x81of\t-1e-3\n"),
            (std::vector<std::string>{"<unk>", "\xE2\x96\x81the", "\xE2\x96\x81of"}));
  // A tab not followed by a number is part of the token.
  EXPECT_EQ(vocabulary("vocab.txt", "a\tb\nc\t1x\n"), (std::vector<std::string>{"a\tb", "c\t1x"}));
}

TEST(VocabularyFiles, VocabTxtErrorsNameTheLineOrByte) {
  expectError([] { vocabulary("vocab.txt", "a\nb\n\nc\n"); }, ErrorCode::BadData, {"vocab.txt", "line 3", "empty token"});
  expectError([] { vocabulary("vocab.txt", "a\nb\xFF" "c\n"); }, ErrorCode::BadData,
              {"vocab.txt", "line 2", "byte 3", "invalid UTF-8"});
  expectError([] { vocabulary("vocab.txt", "a\n\xE6\x97"); }, ErrorCode::BadData, {"byte 2", "invalid UTF-8"});
  expectError([] { vocabulary("vocab.txt", ""); }, ErrorCode::EmptyInput, {"vocab.txt", "empty"});
}

TEST(VocabularyFiles, TokenizerJsonOrdersTokensById) {
  const std::string json = R"({
    "added_tokens": [{"id": 0, "content": "[PAD]", "special": true},
                     {"id": 5, "content": "<|endoftext|>", "special": true}],
    "model": {"type": "BPE", "vocab": {"\u0120the": 2, "##ing": 1, "[PAD]": 0, "king": 4, "\u010a": 3}}
  })";
  EXPECT_EQ(vocabulary("tokenizer.json", json),
            (std::vector<std::string>{"[PAD]", "##ing", "\xC4\xA0the", "\xC4\x8A", "king", "<|endoftext|>"}));
  // Unigram models list [token, score] pairs in id order.
  EXPECT_EQ(vocabulary("tok.json", R"({"model": {"type": "Unigram", "vocab": [["<unk>", 0], ["\u2581the", -3.1]]}})"),
            (std::vector<std::string>{"<unk>", "\xE2\x96\x81the"}));
  // Detected by its leading '{' without the .json name.
  EXPECT_EQ(vocabulary("vocab", R"({"model": {"vocab": {"a": 0}}})"), (std::vector<std::string>{"a"}));
}

TEST(VocabularyFiles, TokenizerJsonErrors) {
  expectError([] { vocabulary("tokenizer.json", R"({"model": {"vocab": {"a": 0, "b": 2}}})"); }, ErrorCode::BadData,
              {"tokenizer.json", "no token has id 1"});
  expectError([] { vocabulary("tokenizer.json", R"({"model": {"vocab": {"a": 0, "b": 0}}})"); }, ErrorCode::BadData,
              {"tokenizer.json", "both have id 0"});
  expectError([] { vocabulary("tokenizer.json", R"({"model": {"vocab": {"a": -1}}})"); }, ErrorCode::BadData,
              {"\"a\" has no valid id"});
  expectError([] { vocabulary("tokenizer.json", R"({"model": {"vocab": {"a": 0}})"); }, ErrorCode::BadData,
              {"tokenizer.json", "byte", "invalid JSON"});
  expectError([] { vocabulary("tokenizer.json", R"({"version": "1.0"})"); }, ErrorCode::BadData, {"model"});
  expectError([] { vocabulary("tokenizer.json", R"({"model": {"vocab": {}}})"); }, ErrorCode::EmptyInput,
              {"tokenizer.json", "empty"});
  expectError([] { vocabulary("tokenizer.json", "{\"model\": {\"vocab\": {\"\xC3\": 0}}}"); }, ErrorCode::BadData,
              {"tokenizer.json", "byte 22", "invalid UTF-8"});
}

TEST(VocabularyFiles, TokenizerJsonLabelsASafetensorsTable) {
  const std::string json = R"({"model": {"vocab": {"king": 2, "##ing": 0, "\u0120the": 1, "日本": 3}}})";
  Companions companions = withLabels(vocabulary("tokenizer.json", json), "embeddings.word_embeddings.weight");
  companions.labelsFile = "tokenizer.json";
  expectRows(load(Format::Safetensors, "m.safetensors", bertLike("F16"), companions).table);
}
