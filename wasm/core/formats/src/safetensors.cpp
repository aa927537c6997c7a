// safetensors: an 8-byte little-endian header length, a JSON header
// {"name": {"dtype": "F32", "shape": [30522, 768], "data_offsets": [b, e]},
//  "__metadata__": {...}}, then the tensors' bytes, offsets relative to the
// end of the header. A model file holds many tensors; we buffer only the
// header, skip to the chosen 2-D tensor and stream its rows to the builder.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

#include "explorer/errors.h"
#include "parsers.h"

namespace explorer::formats {

namespace {

// The format's own reader refuses headers over 100 MB (safetensors'
// MAX_HEADER_SIZE); we follow it.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

[[noreturn]] void badData(const std::string& fileName, const std::string& problem) {
  fail(ErrorCode::BadData, fileName + ": " + problem);
}

// Element sizes of the dtypes the format defines; 0 for unknown ones.
uint64_t dtypeBytes(const std::string& dtype) {
  static const std::pair<const char*, uint64_t> kSizes[] = {
      {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"I16", 2}, {"U16", 2},
      {"F16", 2},  {"BF16", 2}, {"I32", 4}, {"U32", 4},     {"F32", 4},     {"F64", 8}, {"I64", 8}, {"U64", 8}};
  for (const auto& [name, bytes] : kSizes) {
    if (dtype == name) return bytes;
  }
  return 0;
}

std::string shapeText(const std::vector<uint64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

uint64_t readLength(const uint8_t* data) {
  uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= uint64_t(data[i]) << (8 * i);
  return length;
}

void checkHeaderLength(const std::string& fileName, uint64_t length) {
  if (length > kMaxHeaderBytes) {
    badData(fileName, "byte 0: header too large (" + std::to_string(length) + " bytes; the limit is 100 MB)");
  }
  if (length < 2) badData(fileName, "byte 0: header length " + std::to_string(length) + " is too small for a JSON header");
}

TensorInfo readTensor(const std::string& fileName, const std::string& name, const nlohmann::json& entry) {
  const std::string where = "tensor \"" + name + "\": ";
  if (!entry.is_object()) badData(fileName, where + "entry is not an object");
  TensorInfo info;
  info.name = name;
  if (!entry.contains("dtype") || !entry["dtype"].is_string()) badData(fileName, where + "no \"dtype\" string");
  info.dtype = entry["dtype"].get<std::string>();
  const uint64_t elementBytes = dtypeBytes(info.dtype);
  if (!elementBytes) badData(fileName, where + "unknown dtype \"" + info.dtype + "\"");
  if (!entry.contains("shape") || !entry["shape"].is_array()) badData(fileName, where + "no \"shape\" list");
  uint64_t bytes = elementBytes;
  for (const nlohmann::json& dim : entry["shape"]) {
    if (!dim.is_number_unsigned()) badData(fileName, where + "\"shape\" holds something other than whole numbers");
    info.shape.push_back(dim.get<uint64_t>());
    if (__builtin_mul_overflow(bytes, info.shape.back(), &bytes)) badData(fileName, where + "shape is too large");
  }
  const nlohmann::json* offsets = entry.contains("data_offsets") ? &entry["data_offsets"] : nullptr;
  if (!offsets || !offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
      !(*offsets)[1].is_number_unsigned()) {
    badData(fileName, where + "\"data_offsets\" must be [begin, end]");
  }
  info.begin = (*offsets)[0].get<uint64_t>();
  info.end = (*offsets)[1].get<uint64_t>();
  if (info.end < info.begin) {
    badData(fileName, where + "data_offsets end " + std::to_string(info.end) + " is before begin " +
                          std::to_string(info.begin));
  }
  if (info.end - info.begin != bytes) {
    badData(fileName, where + "data_offsets span " + std::to_string(info.end - info.begin) + " bytes but " +
                          info.dtype + " " + shapeText(info.shape) + " needs " + std::to_string(bytes));
  }
  return info;
}

// Parses a complete header (the JSON text only) into tensors in file order.
std::vector<TensorInfo> parseHeader(const std::string& fileName, const uint8_t* json, size_t size) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json, json + size);
  } catch (const nlohmann::json::parse_error& e) {
    badData(fileName, "byte " + std::to_string(8 + (e.byte ? e.byte - 1 : 0)) + ": invalid JSON header (" + e.what() + ")");
  } catch (const nlohmann::json::exception& e) {  // e.g. a number too large (found by fuzzing)
    badData(fileName, std::string("byte 8: invalid JSON header (") + e.what() + ")");
  }
  if (!root.is_object()) badData(fileName, "byte 8: the header is not a JSON object");
  std::vector<TensorInfo> tensors;
  for (const auto& [name, entry] : root.items()) {
    if (name == "__metadata__") continue;
    tensors.push_back(readTensor(fileName, name, entry));
  }
  std::sort(tensors.begin(), tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  for (size_t i = 1; i < tensors.size(); ++i) {
    if (tensors[i].begin < tensors[i - 1].end) {
      badData(fileName, "tensor \"" + tensors[i].name + "\": data_offsets [" + std::to_string(tensors[i].begin) +
                            ", " + std::to_string(tensors[i].end) + "] overlap tensor \"" + tensors[i - 1].name + "\"");
    }
  }
  return tensors;
}

std::string describe(const std::vector<const TensorInfo*>& tensors) {
  std::string out;
  const size_t shown = std::min<size_t>(tensors.size(), 20);
  for (size_t i = 0; i < shown; ++i) {
    out += (i ? ", " : "") + tensors[i]->name + " " + shapeText(tensors[i]->shape);
  }
  if (tensors.size() > shown) out += ", and " + std::to_string(tensors.size() - shown) + " more";
  return out;
}

class SafetensorsParser final : public Parser {
 public:
  SafetensorsParser(const std::string& fileName, TableBuilder& builder, const Companions& companions)
      : fileName_(fileName), builder_(builder), companions_(companions) {}

  void feed(const uint8_t* data, size_t size) override {
    while (size > 0) {
      const size_t used = tensor_ ? feedData(data, size) : feedHeader(data, size);
      data += used;
      size -= used;
      offset_ += used;
    }
  }

  void finish() override {
    if (!tensor_) {
      const std::string part =
          header_.size() < 8 ? std::string("header length") : std::to_string(headerEnd_ - 8) + "-byte header";
      badData(fileName_, "truncated: the file ends at byte " + std::to_string(offset_) + ", inside the " + part);
    }
    if (!matrix_.done()) {
      badData(fileName_, "truncated: the file ends at byte " + std::to_string(offset_) + ", inside row " +
                             std::to_string(matrix_.row()) + " of tensor \"" + tensor_->name + "\" (" + std::to_string(rows_) +
                             " rows)");
    }
    // Every tensor must lie inside the file, not only the one we read.
    const TensorInfo& last = tensors_.back();
    if (headerEnd_ + last.end > offset_) {
      badData(fileName_, "tensor \"" + last.name + "\": data ends at byte " + std::to_string(headerEnd_ + last.end) +
                             " but the file has " + std::to_string(offset_) + " bytes");
    }
  }

 private:
  size_t feedHeader(const uint8_t* data, size_t size) {
    const size_t wanted = header_.size() < 8 ? 8 : headerEnd_;
    const size_t take = std::min<uint64_t>(size, wanted - header_.size());
    header_.insert(header_.end(), data, data + take);
    if (header_.size() < wanted) return take;
    if (header_.size() == 8) {
      const uint64_t length = readLength(header_.data());
      checkHeaderLength(fileName_, length);
      headerEnd_ = 8 + length;
      return take;
    }
    tensors_ = parseHeader(fileName_, header_.data() + 8, header_.size() - 8);
    if (tensors_.empty()) badData(fileName_, "the header lists no tensors");
    choose();
    header_.clear();
    header_.shrink_to_fit();
    return take;
  }

  void choose() {
    std::vector<const TensorInfo*> twoD;
    for (const TensorInfo& t : tensors_) {
      if (t.shape.size() == 2) twoD.push_back(&t);
    }
    const TensorInfo* chosen = nullptr;
    if (!companions_.tensorName.empty()) {
      for (const TensorInfo& t : tensors_) {
        if (t.name == companions_.tensorName) chosen = &t;
      }
      if (!chosen) {
        badData(fileName_, "no tensor named \"" + companions_.tensorName + "\"; its 2-D tensors are: " +
                               (twoD.empty() ? std::string("none") : describe(twoD)));
      }
    } else if (twoD.size() == 1) {
      chosen = twoD[0];
    } else if (twoD.empty()) {
      std::vector<const TensorInfo*> all;
      for (const TensorInfo& t : tensors_) all.push_back(&t);
      badData(fileName_, "no 2-D tensor to read as an embedding table; tensors: " + describe(all));
    } else {
      badData(fileName_, std::to_string(twoD.size()) + " 2-D tensors; name the embedding table (--tensor): " +
                             describe(twoD));
    }
    if (chosen->shape.size() != 2) {
      badData(fileName_, "tensor \"" + chosen->name + "\" is not 2-D: shape " + shapeText(chosen->shape));
    }
    if (chosen->dtype != "F32" && chosen->dtype != "F16" && chosen->dtype != "BF16") {
      badData(fileName_, "tensor \"" + chosen->name + "\" has dtype " + chosen->dtype +
                             "; embedding tables are read as F32, F16 or BF16");
    }
    rows_ = chosen->shape[0];
    const uint64_t dims = chosen->shape[1];
    if (rows_ == 0 || dims == 0) {
      badData(fileName_, "tensor \"" + chosen->name + "\" holds no values: shape " + shapeText(chosen->shape));
    }
    const std::string tensorName = "tensor \"" + chosen->name + "\"";
    requireRowLabels(fileName_, "a safetensors file", tensorName, rows_, companions_);
    builder_.setDims(size_t(dims), tensorName);
    builder_.expectRows(rows_, tensorName);
    const auto element = chosen->dtype == "F32"   ? MatrixRows::Element::F32
                         : chosen->dtype == "F16" ? MatrixRows::Element::F16
                                                  : MatrixRows::Element::BF16;
    matrix_.start(element, rows_, size_t(dims));
    tensor_ = chosen;
  }

  // Skips to the tensor, reads its rows, then passes over whatever follows.
  size_t feedData(const uint8_t* data, size_t size) {
    const uint64_t dataStart = headerEnd_ + tensor_->begin;
    if (offset_ < dataStart) return size_t(std::min<uint64_t>(size, dataStart - offset_));
    if (matrix_.done()) return size;
    return matrix_.feed(data, size, dataStart, companions_.labels, builder_);
  }

  const std::string fileName_;
  TableBuilder& builder_;
  const Companions& companions_;
  std::vector<uint8_t> header_;
  uint64_t headerEnd_ = 0, offset_ = 0;
  std::vector<TensorInfo> tensors_;
  const TensorInfo* tensor_ = nullptr;
  uint64_t rows_ = 0;
  MatrixRows matrix_;
};

}  // namespace

std::vector<TensorInfo> listSafetensors(const std::string& fileName, const uint8_t* data, size_t size) {
  if (size < 8) badData(fileName, "truncated: " + std::to_string(size) + " bytes, too short for the header length");
  const uint64_t length = readLength(data);
  checkHeaderLength(fileName, length);
  if (size - 8 < length) {
    badData(fileName, "truncated: the header needs bytes 8 to " + std::to_string(8 + length) + " but only " +
                          std::to_string(size) + " were given");
  }
  return parseHeader(fileName, data + 8, size_t(length));
}

std::unique_ptr<Parser> makeSafetensorsParser(const std::string& fileName, TableBuilder& builder,
                                              const Companions& companions) {
  return std::make_unique<SafetensorsParser>(fileName, builder, companions);
}

}  // namespace explorer::formats
