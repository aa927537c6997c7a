// Per-row text columns that travel with a table (TensorFlow Projector
// metadata.tsv): the readers fill them, the explorer keeps them beside the
// table so the page can colour points by a column.
#pragma once

#include <string>
#include <vector>

namespace explorer {

// values[c][row] is column c of row `row`, kept rows only.
struct RowMetadata {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> values;
};

}  // namespace explorer
