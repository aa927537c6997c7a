#include "explorer/errors.h"

namespace explorer {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::UnknownWord: return "UNKNOWN_WORD";
    case ErrorCode::EmptyInput: return "EMPTY_INPUT";
    case ErrorCode::DuplicateWord: return "DUPLICATE_WORD";
    case ErrorCode::BadData: return "BAD_DATA";
    case ErrorCode::BadArgument: return "BAD_ARGUMENT";
    case ErrorCode::TooLarge: return "TOO_LARGE";
    case ErrorCode::ZeroQuery: return "ZERO_QUERY";
  }
  return "ERROR";
}

}  // namespace explorer
