// A map that keeps at most `capacity` entries, forgetting the least recently
// used one first. For caches of state that can be rebuilt from the store.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace aidtrail::projections {

template <typename V>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // The entry for `key` (now the most recent), or nullptr.
  V* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  // A new default entry for `key`, which must be absent. References to
  // other entries may dangle afterwards (one may have been evicted).
  V& Insert(const std::string& key) {
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, V{});
    index_[key] = order_.begin();
    return order_.front().second;
  }
  void Clear() {
    index_.clear();
    order_.clear();
  }
  [[nodiscard]] size_t size() const { return index_.size(); }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, V>> order_;  // most recent first
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

}  // namespace aidtrail::projections
