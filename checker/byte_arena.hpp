// Bytes appended back to back in fixed-size blocks: a BFS level's packed states.
//
// A std::vector regrew by copying everything it held into new memory, so a level of
// hundreds of megabytes was copied again at every doubling and twice its pages were
// faulted in (a fifth of lio-wide's time under perf on a paravirtualised VM, where
// a page fault is dear). Blocks never move: appending writes in place, and a cleared
// arena keeps its blocks, pages mapped, for the next level.
//
// An offset names a byte: block offset / block_bytes, at offset % block_bytes. An
// append that does not fit in the rest of the current block starts the next one, so
// no append straddles two blocks; 8 zero bytes always follow the last append inside
// its block (StatePacker::unpack reads whole words).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace aiomc::checker::detail {

class ByteArena {
 public:
  static constexpr std::size_t kSpare = 8;  // zero bytes after the last append
  static constexpr std::size_t kDefaultBlockBytes = std::size_t{1} << 20;

  explicit ByteArena(std::size_t block_bytes = kDefaultBlockBytes) : block_bytes_(block_bytes) {}
  ByteArena(ByteArena&&) noexcept = default;
  ByteArena& operator=(ByteArena&&) noexcept = default;

  // Where up to `max` bytes may be written for the next append (and kSpare more:
  // whole-word stores); commit(n) then appends the first n of them.
  std::uint8_t* reserve(std::size_t max) {
    if (max + kSpare > block_bytes_) throw std::length_error("ByteArena: an append larger than a block");
    if (blocks_.empty() || used_ + max + kSpare > block_bytes_) next_block();
    reserved_ = max;
    return blocks_[current_].data.get() + used_;
  }
  void commit(std::size_t n) {
    if (n > reserved_) throw std::length_error("ByteArena: committed more than reserved");
    used_ += n;
    reserved_ = 0;
    Block& b = blocks_[current_];
    std::memset(b.data.get() + used_, 0, kSpare);
    b.touched = std::max(b.touched, used_ + kSpare);
  }
  // The offset the next append starts at, if it fits in the current block.
  std::uint64_t size() const { return blocks_.empty() ? 0 : std::uint64_t{current_} * block_bytes_ + used_; }
  bool empty() const { return size() == 0; }
  const std::uint8_t* at(std::uint64_t offset) const {
    const std::uint64_t b = offset / block_bytes_;
    if (b > current_ || blocks_.empty()) throw std::out_of_range("ByteArena: offset past the end");
    return blocks_[b].data.get() + offset % block_bytes_;
  }
  // Empties the arena; its blocks stay for the next appends.
  void clear() {
    current_ = 0;
    used_ = 0;
    reserved_ = 0;
  }
  // The memory its blocks have had written (resident), in bytes.
  std::size_t bytes() const {
    std::size_t t = 0;
    for (const Block& b : blocks_) t += b.touched;
    return t;
  }

 private:
  struct Block {
    std::unique_ptr<std::uint8_t[]> data;
    std::size_t touched = 0;
  };
  // The first block (an empty arena) or the one after the current one.
  void next_block() {
    if (!blocks_.empty()) ++current_;
    if (current_ == blocks_.size())  // new[] of bytes leaves them unwritten: pages fault in as they fill
      blocks_.push_back({std::unique_ptr<std::uint8_t[]>(new std::uint8_t[block_bytes_]), 0});
    used_ = 0;
  }

  std::size_t block_bytes_;
  std::vector<Block> blocks_;
  std::size_t current_ = 0;   // the block appends go to; blocks after it are spare
  std::size_t used_ = 0;      // bytes appended to the current block
  std::size_t reserved_ = 0;  // what the last reserve allowed
};

}  // namespace aiomc::checker::detail
