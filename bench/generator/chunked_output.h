#pragma once

#include <ostream>
#include <string>

namespace smbreaper::bench {

// The table writers build their text in a string and hand it to the stream a megabyte at a time,
// so that a table of a million sessions never sits whole in memory.
inline void write_chunk(std::ostream& out, std::string& chunk) {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.clear();
}

inline void write_chunk_if_large(std::ostream& out, std::string& chunk) {
    if (chunk.size() >= (1u << 20)) write_chunk(out, chunk);
}

}  // namespace smbreaper::bench
